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

namespace leakprobe {
namespace {

TEST(FormatCaseLine, ColourOnlyOnTheLabel) {
  CaseResult c = MakeCase("follow logs", 3.21, Outcome::kFailed, "2 leaked goroutines");
  EXPECT_EQ(FormatCaseLine(c, true),
            "\x1b[31mFAIL\x1b[0m  logs-follow / follow logs (3.21s): 2 leaked goroutines");
  c.outcome = Outcome::kPassed;
  c.message.clear();
  EXPECT_EQ(FormatCaseLine(c, true), "\x1b[32mPASS\x1b[0m  logs-follow / follow logs (3.21s)");
  c.outcome = Outcome::kError;
  EXPECT_EQ(FormatCaseLine(c, true), "\x1b[1;31mERROR\x1b[0m logs-follow / follow logs (3.21s)");
}

TEST(FormatSummary, ColourAndWallTime) {
  RunResult run = MakeRun({Outcome::kPassed, Outcome::kPassed}, 5.4);
  EXPECT_EQ(FormatSummary(run, true), "\x1b[1;32m2 passed, 0 failed, 0 errors (5.40s)\x1b[0m");
  run.seconds = 2.5;  // wall time beats the sum of suites (they may run at once)
  run.suites[0].cases[0].outcome = Outcome::kFailed;
  EXPECT_EQ(FormatSummary(run, true), "\x1b[1;31m1 passed, 1 failed, 0 errors (2.50s)\x1b[0m");
}

TEST(FormatProgress, Line) {
  EXPECT_EQ(FormatProgress(2, 5, 12.34, "logs-follow / follow\nlogs"),
            "[2/5] 12.3s  running logs-follow / follow logs");
  EXPECT_EQ(FormatProgress(0, 3, -1, ""), "[0/3] 0.0s");
}

}  // namespace
}  // namespace leakprobe

#include "reports/report_test_util.h"

namespace leakprobe {
namespace {

// What the console prints for the fixed results: a line per scenario, then the summary.
TEST(Console, Golden) {
  const RunResult run = testutil::GoldenRun();
  std::string out;
  for (const SuiteResult& suite : run.suites) {
    for (const CaseResult& c : suite.cases) out += FormatCaseLine(c) + "\n";
  }
  out += FormatSummary(run) + "\n";
  for (const SuiteResult& suite : run.suites) {
    for (const CaseResult& c : suite.cases) out += FormatCaseLine(c, true) + "\n";
  }
  out += FormatSummary(run, true) + "\n";
  testutil::ExpectGolden("golden.console.txt", out);
}

}  // namespace
}  // namespace leakprobe

namespace leakprobe {
namespace {

TEST(Console, KnownLeaksAndTheOnesNoLongerSeen) {
  CaseResult c;
  c.known_leaks.push_back({"https://x/issues/12\n\x1b[31m", "top keyword main.(*Cache).refresh", "app.yaml:9:5",
                           "main.(*Cache).refresh", 2});
  EXPECT_EQ(FormatKnownLeaks(c), (std::vector<std::string>{
                                     "      known leak: main.(*Cache).refresh \xC3\x97" "2 (reason: https://x/issues/12) "
                                     "[app.yaml:9:5]"}));
  RunResult run;
  run.suites.emplace_back();
  run.suites[0].unseen_known_leaks.push_back({"#12", "created_by keyword main.startPool", "app.yaml:11:5", "", 0});
  EXPECT_EQ(FormatUnseenKnownLeaks(run),
            (std::vector<std::string>{"known leak no longer seen: created_by keyword main.startPool [app.yaml:11:5] "
                                      "(reason: #12): delete the entry if the leak is fixed"}));
}

}  // namespace
}  // namespace leakprobe
