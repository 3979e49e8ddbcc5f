#include "reports/run_totals.h"

namespace leakprobe {

void RunTotals::Add(CaseResult::Outcome outcome) {
  ++tests;
  switch (outcome) {
    case CaseResult::Outcome::kPassed: ++passed; break;
    case CaseResult::Outcome::kFailed: ++failed; break;
    case CaseResult::Outcome::kError: ++errors; break;
    case CaseResult::Outcome::kSkipped: ++skipped; break;
  }
}

void RunTotals::Add(const CaseResult& c) {
  Add(c.outcome);
  known_leaks += static_cast<int>(c.known_leaks.size());
}

void RunTotals::Add(const SuiteResult& suite) {
  for (const CaseResult& c : suite.cases) Add(c);
  unseen_known_leaks += static_cast<int>(suite.unseen_known_leaks.size());
}

void RunTotals::Add(const RunTotals& o) {
  tests += o.tests;
  passed += o.passed;
  failed += o.failed;
  errors += o.errors;
  skipped += o.skipped;
  known_leaks += o.known_leaks;
  unseen_known_leaks += o.unseen_known_leaks;
}

std::string RunTotals::Text() const {
  std::string out = std::to_string(passed) + " passed, " + std::to_string(failed) + " failed, " +
                    std::to_string(errors) + " errors";
  if (skipped > 0) out += ", " + std::to_string(skipped) + " skipped";
  return out;
}

RunTotals TotalsOf(const SuiteResult& suite) {
  RunTotals t;
  t.Add(suite);
  return t;
}

RunTotals TotalsOf(const RunResult& run) {
  RunTotals t;
  for (const SuiteResult& suite : run.suites) t.Add(suite);
  return t;
}

}  // namespace leakprobe
