#include "harness/sweep_control.h"

#include <string>

#include "reports/sweep_matrix.h"

namespace leakprobe {

namespace {

bool IsGrowth(const CaseResult& c) {
  return c.outcome == CaseResult::Outcome::kFailed && c.type == "GoroutineLeak" && !c.leaks.empty();
}

// Whether every group of `variant` grows by a function the control grows by, no faster than
// it plus `tolerance`.
bool Explained(const CaseResult& variant, const CaseResult& control, double tolerance) {
  for (const LeakGroup& g : variant.leaks) {
    bool found = false;
    for (const LeakGroup& c : control.leaks) {
      if (c.function == g.function && g.per_iteration <= c.per_iteration + tolerance) found = true;
    }
    if (!found) return false;
  }
  return true;
}

}  // namespace

bool IsControl(const CaseResult& c) { return c.sweep && c.sweep->step.empty(); }

bool MarkIfAsWritten(const CaseResult& control, CaseResult* variant, double tolerance) {
  if (!variant->sweep || IsControl(*variant) || !IsControl(control) || !IsGrowth(*variant) || !IsGrowth(control) ||
      control.classname != variant->classname || control.sweep->scenario != variant->sweep->scenario ||
      !Explained(*variant, control, tolerance)) {
    return false;
  }
  variant->system_out += "\nsweep: grew as the scenario does as written (" + SweepGrowthText(variant->leaks) +
                         "), not by the fault: see \"" +
                         control.name + "\"\n" + variant->detail;
  variant->outcome = CaseResult::Outcome::kPassed;
  variant->type.clear();
  variant->message.clear();
  variant->detail.clear();
  variant->leaks.clear();
  variant->sweep->as_written = true;
  return true;
}

void CompareWithAsWritten(std::vector<SuiteResult>* suites, double tolerance) {
  std::vector<const CaseResult*> controls;
  for (const SuiteResult& suite : *suites) {
    for (const CaseResult& c : suite.cases) {
      if (IsControl(c)) controls.push_back(&c);
    }
  }
  for (SuiteResult& suite : *suites) {
    for (CaseResult& c : suite.cases) {
      for (const CaseResult* control : controls) {
        if (MarkIfAsWritten(*control, &c, tolerance)) break;
      }
    }
  }
}

}  // namespace leakprobe
