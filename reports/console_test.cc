#include "reports/console.h"

#include <gtest/gtest.h>

namespace leakprobe {
namespace {

using Outcome = CaseResult::Outcome;

CaseResult MakeCase(std::string name, double seconds, Outcome outcome, std::string message) {
  CaseResult c;
  c.classname = "logs-follow";
  c.name = std::move(name);
  c.seconds = seconds;
  c.outcome = outcome;
  c.message = std::move(message);
  return c;
}

TEST(FormatCaseLine, OneLinePerOutcome) {
  struct Case {
    CaseResult in;
    const char* want;
  } cases[] = {
      {MakeCase("follow logs of a silent container", 3.21, Outcome::kPassed, ""),
       "PASS  logs-follow / follow logs of a silent container (3.21s)"},
      {MakeCase("follow logs", 3.214, Outcome::kFailed,
                "2 leaked goroutines: main.(*Server).logsContainer \xC3\x97" "2"),
       "FAIL  logs-follow / follow logs (3.21s): 2 leaked goroutines: "
       "main.(*Server).logsContainer \xC3\x97" "2"},
      {MakeCase("follow logs", 0.5, Outcome::kError, "target exited with status 2\n"),
       "ERROR logs-follow / follow logs (0.50s): target exited with status 2"},
      {MakeCase("follow logs", -1, Outcome::kSkipped, "interrupted"),
       "SKIP  logs-follow / follow logs (0.00s): interrupted"},
  };
  for (const Case& c : cases) EXPECT_EQ(FormatCaseLine(c.in), c.want);
}

TEST(FormatCaseLine, DumpBytesCannotGarbleTheLog) {
  CaseResult c = MakeCase("two\nlines", 1, Outcome::kFailed,
                          "\x1b[31mred\x1b[0m\r\nnext\x07 \xff");
  EXPECT_EQ(FormatCaseLine(c), "FAIL  logs-follow / two lines (1.00s): red next\\x07 \xEF\xBF\xBD");
}

TEST(FormatCaseLine, LongMessagesAreCut) {
  CaseResult c = MakeCase("x", 1, Outcome::kFailed, std::string(2000, 'm'));
  EXPECT_EQ(FormatCaseLine(c),
            "FAIL  logs-follow / x (1.00s): " + std::string(497, 'm') + "\xE2\x80\xA6");
}

RunResult MakeRun(std::vector<Outcome> outcomes, double seconds) {
  SuiteResult suite;
  suite.name = "logs-follow";
  suite.seconds = seconds;
  for (Outcome o : outcomes) suite.cases.push_back(MakeCase("s", 1, o, ""));
  RunResult run;
  run.suites.push_back(suite);
  return run;
}

TEST(FormatSummary, CountsAndTime) {
  EXPECT_EQ(FormatSummary(RunResult{}), "0 passed, 0 failed, 0 errors (0.00s)");
  EXPECT_EQ(FormatSummary(MakeRun({Outcome::kPassed, Outcome::kFailed, Outcome::kPassed}, 5.4)),
            "2 passed, 1 failed, 0 errors (5.40s)");

  RunResult run = MakeRun({Outcome::kError, Outcome::kSkipped, Outcome::kSkipped}, 0.25);
  run.suites.push_back(MakeRun({Outcome::kSkipped}, 0.5).suites[0]);
  run.interrupted = true;
  EXPECT_EQ(FormatSummary(run), "0 passed, 0 failed, 1 errors, 3 skipped (0.75s); interrupted");
}

}  // namespace
}  // namespace leakprobe
