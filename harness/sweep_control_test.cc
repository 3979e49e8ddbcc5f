#include "harness/sweep_control.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace leakprobe {
namespace {

using O = CaseResult::Outcome;

// A case of suite "s", scenario "life": the control when step is "".
CaseResult Case(const std::string& step, O outcome, std::vector<std::pair<std::string, double>> growing = {}) {
  CaseResult c;
  c.classname = "s";
  c.name = step.empty() ? "life › as written" : "life › " + step + " › reset at body";
  c.outcome = outcome;
  c.sweep = SweepCell{"life", step, step.empty() ? "as written" : "reset at body", 5};
  if (outcome == O::kFailed) {
    c.type = growing.empty() ? "ExpectationFailed" : "GoroutineLeak";
    c.message = "leaks ...";
    c.detail = "growing stacks";
  }
  for (const auto& [function, rate] : growing) {
    LeakGroup g;
    g.function = function;
    g.per_iteration = rate;
    c.leaks.push_back(g);
  }
  return c;
}

TEST(SweepControl, AVariantThatGrowsOnlyAsTheScenarioDoesPasses) {
  const CaseResult control = Case("", O::kFailed, {{"main.produce", 1.0}, {"main.chat", 0.5}});
  struct Row {
    const char* name;
    CaseResult variant;
    bool marked;
  } rows[] = {
      {"the same function, the same rate", Case("step 2", O::kFailed, {{"main.produce", 1.0}}), true},
      {"two of the control's, each within the allowance", Case("step 2", O::kFailed, {{"main.produce", 1.4}, {"main.chat", 1.0}}), true},
      {"faster than the control plus the allowance: the fault adds", Case("step 2", O::kFailed, {{"main.produce", 2.0}}), false},
      {"a function the control does not grow", Case("step 2", O::kFailed, {{"main.produce", 1.0}, {"main.export", 1.0}}), false},
      {"a failure that is not a growth", Case("step 2", O::kFailed), false},
      {"clean stays clean", Case("step 2", O::kPassed), false},
      {"another scenario's variant", [] { CaseResult c = Case("step 2", O::kFailed, {{"main.produce", 1.0}}); c.sweep->scenario = "other"; return c; }(), false},
      {"the control itself", Case("", O::kFailed, {{"main.produce", 1.0}}), false},
  };
  for (Row& r : rows) {
    SCOPED_TRACE(r.name);
    const O before = r.variant.outcome;
    EXPECT_EQ(MarkIfAsWritten(control, &r.variant), r.marked);
    if (r.marked) {
      EXPECT_EQ(r.variant.outcome, O::kPassed);
      EXPECT_TRUE(r.variant.sweep->as_written);
      EXPECT_TRUE(r.variant.leaks.empty());
      EXPECT_NE(r.variant.system_out.find("grew as the scenario does as written (+"), std::string::npos);
      EXPECT_NE(r.variant.system_out.find("see \"life › as written\"\ngrowing stacks"), std::string::npos);
    } else {
      EXPECT_EQ(r.variant.outcome, before);
      EXPECT_FALSE(r.variant.sweep && r.variant.sweep->as_written);
    }
  }
}

TEST(SweepControl, ACleanControlChangesNothingAndSplitSuitesAreJoined) {
  std::vector<SuiteResult> clean(1);
  clean[0].cases = {Case("", O::kPassed), Case("step 2", O::kFailed, {{"main.produce", 1.0}})};
  CompareWithAsWritten(&clean);
  EXPECT_EQ(clean[0].cases[1].outcome, O::kFailed);

  // --jobs: each variant in a suite of its own, the control in the last one.
  std::vector<SuiteResult> split(3);
  split[0].cases = {Case("step 2", O::kFailed, {{"main.produce", 1.0}})};
  split[1].cases = {Case("step 3", O::kFailed, {{"main.export", 1.0}})};
  split[2].cases = {Case("", O::kFailed, {{"main.produce", 1.0}})};
  CompareWithAsWritten(&split);
  EXPECT_EQ(split[0].cases[0].outcome, O::kPassed);
  EXPECT_EQ(split[1].cases[0].outcome, O::kFailed);
  EXPECT_EQ(split[2].cases[0].outcome, O::kFailed);  // the control keeps the failure
}

}  // namespace
}  // namespace leakprobe
