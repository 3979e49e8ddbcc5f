#include "reports/github_annotations.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "reports/report_test_util.h"

namespace leakprobe {
namespace {

TEST(GitHubAnnotations, Golden) {
  testutil::ExpectGolden("golden.annotations.txt", FormatGitHubAnnotations(testutil::GoldenRun()));
}

TEST(GitHubAnnotations, Escaping) {
  EXPECT_EQ(EscapeGitHubData("50%\r\n::x"), "50%25%0D%0A::x");
  EXPECT_EQ(EscapeGitHubProperty("a:b,c%\n"), "a%3Ab%2Cc%25%0A");
}

TEST(GitHubAnnotations, NothingWhenAllPassAndNoFileWhenUnknown) {
  RunResult run = testutil::GoldenRun();
  run.suites.resize(1);
  run.suites[0].cases.resize(1);
  run.suites[0].cases[0].scenario_file.clear();
  run.suites[0].cases[0].detail.clear();
  EXPECT_EQ(FormatGitHubAnnotations(run),
            "::error title=GoroutineLeak%3A logs-follow / follow logs of a silent container%2C "
            "then disconnect::3 leaked goroutines: main.(*Server).logsContainer \u00d72, "
            "main.readLoop \u00d71\n");
  run.suites[0].cases[0].outcome = CaseResult::Outcome::kPassed;
  EXPECT_EQ(FormatGitHubAnnotations(run), "");
}

TEST(GitHubAnnotations, ADumpCannotStartAnotherCommand) {
  RunResult run = testutil::GoldenRun();
  run.suites[0].cases[0].detail = "line\n::error file=evil::pwned\r\n";
  const std::string out = FormatGitHubAnnotations(run);
  // Exactly one line per failed or broken scenario: no injected line.
  EXPECT_EQ(std::count(out.begin(), out.end(), '\n'), 2) << out;
}

}  // namespace
}  // namespace leakprobe
