#include "reports/junit_merge.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include "reports/junit.h"
#include "reports/report_test_util.h"

namespace leakprobe {
namespace {

namespace fs = std::filesystem;

JUnitOptions Host(JUnitFlavor flavor = JUnitFlavor::kDefault) {
  JUnitOptions options;
  options.hostname = "ci-runner-7";
  options.flavor = flavor;
  return options;
}

// The golden run split the way two shards would split it: one scenario file over both.
std::vector<JUnitInput> TwoShards(JUnitFlavor second_flavor = JUnitFlavor::kDefault) {
  RunResult run = testutil::GoldenRun();
  RunResult a, b;
  SuiteResult logs_a = run.suites[0], logs_b = run.suites[0];
  logs_a.cases = {run.suites[0].cases[0]};
  logs_a.seconds = 8.1;
  logs_b.cases = {run.suites[0].cases[1]};
  logs_b.seconds = 1.1;
  logs_b.timestamp = "2026-11-28T07:29:20";  // earlier: the merged suite keeps it
  a.suites = {logs_a};
  b.suites = {logs_b, run.suites[1]};
  return {{"shard-1.xml", RenderJUnit(a, Host())},
          {"shard-2.xml", RenderJUnit(b, Host(second_flavor))}};
}

TEST(MergeJUnit, SameSuiteFromTwoShardsBecomesOne) {
  auto merged = MergeJUnit(TwoShards());
  ASSERT_TRUE(merged.ok()) << merged.status().message();
  testutil::ExpectGolden("golden.merged.xml", merged.value());
}

TEST(MergeJUnit, CountsMatchTheUnshardedRun) {
  auto merged = MergeJUnit(TwoShards(JUnitFlavor::kSurefire));
  ASSERT_TRUE(merged.ok()) << merged.status().message();
  const std::string& xml = merged.value();
  EXPECT_NE(xml.find("<testsuites name=\"leakprobe\" tests=\"4\" failures=\"1\" errors=\"1\""),
            std::string::npos)
      << xml;
}

TEST(MergeJUnit, AntInputsLoseIdAndPackage) {
  auto merged = MergeJUnit(TwoShards(JUnitFlavor::kAnt));
  ASSERT_TRUE(merged.ok()) << merged.status().message();
  EXPECT_EQ(merged.value().find(" id=\""), std::string::npos) << merged.value();
  EXPECT_EQ(merged.value().find(" package=\""), std::string::npos);
}

TEST(MergeJUnit, Errors) {
  struct Case {
    std::string contents, want;
  } cases[] = {
      {"<testsuites><testsuite></testsuites>",
       "bad.xml: not XML: Start-end tags mismatch at byte 25"},
      {"<html/>", "bad.xml: not a JUnit file: the root element is <html>"},
      {"", "bad.xml: not XML: No document element found at byte 0"},
  };
  for (const Case& c : cases) {
    auto merged = MergeJUnit({{"bad.xml", c.contents}});
    ASSERT_FALSE(merged.ok());
    EXPECT_EQ(merged.status().message(), c.want);
  }
}

TEST(MergeJUnit, MergedShardsValidateAgainstJunit10) {
  const fs::path schema = testutil::SchemaPath("junit-10.xsd");
  if (!fs::exists(schema)) GTEST_SKIP() << "../shared is absent: no " << schema.string();
  std::string pattern = testing::TempDir() + "merge_test.XXXXXX";
  ASSERT_NE(mkdtemp(pattern.data()), nullptr);
  const fs::path file = fs::path(pattern) / "merged.xml";
  for (JUnitFlavor flavor : {JUnitFlavor::kDefault, JUnitFlavor::kAnt, JUnitFlavor::kSurefire}) {
    auto merged = MergeJUnit(TwoShards(flavor));
    ASSERT_TRUE(merged.ok());
    testutil::WriteFile(file, merged.value());
    std::string out;
    EXPECT_EQ(testutil::RunShell("xmllint --noout --schema '" + schema.string() + "' '" +
                                     file.string() + "'", &out), 0) << out;
  }
  fs::remove_all(pattern);
}

}  // namespace
}  // namespace leakprobe
