#include "reports/sweep_matrix.h"

#include <gtest/gtest.h>

namespace leakprobe {
namespace {

CaseResult Variant(const std::string& step, const std::string& fault, CaseResult::Outcome outcome,
                   const std::string& type = "", std::vector<LeakGroup> leaks = {}) {
  CaseResult c;
  c.name = "life › " + step + " › " + fault;
  c.outcome = outcome;
  c.type = type;
  c.leaks = std::move(leaks);
  c.sweep = SweepCell{"life", step, fault, 5};
  return c;
}

LeakGroup Growing(const std::string& function, double rate) {
  LeakGroup g;
  g.function = function;
  g.per_iteration = rate;
  return g;
}

CaseResult AsWritten(CaseResult c) {
  c.sweep->as_written = true;
  return c;
}

TEST(SweepMatrix, CellsByOutcome) {
  using O = CaseResult::Outcome;
  struct Case {
    CaseResult c;
    std::string kind, text;
  } cases[] = {
      {Variant("s", "f", O::kPassed), "clean", "clean"},
      {Variant("s", "f", O::kSkipped, "NotApplicable"), "n/a", "n/a"},
      {Variant("s", "f", O::kError, "StepError"), "error", "error: StepError"},
      {Variant("s", "f", O::kFailed, "ExpectationFailed"), "failed", "failed: ExpectationFailed"},
      {Variant("s", "f", O::kFailed, "GoroutineLeak", {Growing("main.a", 1), Growing("main.b", 0.6)}), "leak",
       "+1.0/round main.a; +0.6/round main.b"},
      {AsWritten(Variant("s", "f", O::kPassed)), "as written", "as written"},
  };
  for (const Case& c : cases) {
    SweepMatrix::Cell cell = SweepCellOf(c.c);
    EXPECT_EQ(cell.kind, c.kind);
    EXPECT_EQ(cell.text, c.text);
  }
}

TEST(SweepMatrix, StepsByFaultsAsTextAndMarkdown) {
  using O = CaseResult::Outcome;
  RunResult run;
  SuiteResult suite;
  suite.name = "lifecycle";
  suite.cases = {Variant("step 2 \"stop\"", "close at sent", O::kFailed, "GoroutineLeak", {Growing("main.stop.func1", 1)}),
                 Variant("step 2 \"stop\"", "reset at body", O::kSkipped),
                 Variant("step 3 \"export\"", "close at sent", O::kPassed)};
  CaseResult plain;
  plain.name = "not a sweep";
  suite.cases.push_back(plain);
  run.suites.push_back(suite);
  std::vector<SweepMatrix> ms = SweepMatrices(run);
  ASSERT_EQ(ms.size(), 1u);
  EXPECT_TRUE(ms[0].control.kind.empty());  // no control ran: no line for it
  EXPECT_EQ(SweepMatrixText(ms[0]),
            "sweep: lifecycle / life\n"
            "                  | close at sent              | reset at body\n"
            "  step 2 \"stop\"   | +1.0/round main.stop.func1 | n/a\n"
            "  step 3 \"export\" | clean                      | -\n");
  EXPECT_EQ(SweepMatrixMarkdown(ms[0]),
            "**sweep: lifecycle / life**\n\n"
            "| step | close at sent | reset at body |\n|---|---|---|\n"
            "| step 2 \"stop\" | \xE2\x9D\x8C +1.0/round main.stop.func1 | n/a |\n"
            "| step 3 \"export\" | clean |  |\n");
}

TEST(SweepMatrix, TheControlIsALineNotARow) {
  using O = CaseResult::Outcome;
  RunResult run;
  SuiteResult suite;
  suite.name = "feeds";
  suite.cases = {Variant("", "as written", O::kFailed, "GoroutineLeak", {Growing("main.produce", 1)}),
                 AsWritten(Variant("step 4 \"stats\"", "reset at body", O::kPassed))};
  run.suites.push_back(suite);
  std::vector<SweepMatrix> ms = SweepMatrices(run);
  ASSERT_EQ(ms.size(), 1u);
  EXPECT_EQ(ms[0].steps, std::vector<std::string>{"step 4 \"stats\""});
  EXPECT_EQ(SweepMatrixText(ms[0]),
            "sweep: feeds / life\n"
            "  as written: +1.0/round main.produce\n"
            "                 | reset at body\n"
            "  step 4 \"stats\" | as written\n");
  EXPECT_EQ(SweepMatrixMarkdown(ms[0]),
            "**sweep: feeds / life**\n\n"
            "As written: \xE2\x9D\x8C +1.0/round main.produce\n\n"
            "| step | reset at body |\n|---|---|\n"
            "| step 4 \"stats\" | as written |\n");
}

}  // namespace
}  // namespace leakprobe
