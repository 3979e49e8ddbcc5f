// Each JUnit flavor: a golden file from the fixed results, and validation by xmllint against
// the schema it promises (../shared/junit-schemas/), also for hostile text and empty runs.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include "reports/junit.h"
#include "reports/report_test_util.h"

namespace leakprobe {
namespace {

namespace fs = std::filesystem;
using testutil::GoldenRun;

JUnitOptions Flavor(JUnitFlavor flavor) {
  JUnitOptions options;
  options.hostname = "ci-runner-7";
  options.flavor = flavor;
  return options;
}

struct FlavorCase {
  const char* name;
  JUnitFlavor flavor;
  const char* schema;
  const char* golden;
};
const FlavorCase kFlavors[] = {
    {"default", JUnitFlavor::kDefault, "junit-10.xsd", "golden.default.xml"},
    {"ant", JUnitFlavor::kAnt, "JUnit.xsd", "golden.ant.xml"},
    {"surefire", JUnitFlavor::kSurefire, "surefire-test-report.xsd", "golden.surefire.xml"},
};

TEST(ParseJUnitFlavor, NamesAndError) {
  for (const FlavorCase& f : kFlavors) {
    auto parsed = ParseJUnitFlavor(f.name);
    ASSERT_TRUE(parsed.ok()) << f.name;
    EXPECT_EQ(parsed.value(), f.flavor);
  }
  auto bad = ParseJUnitFlavor("junit5");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().message(), "unknown JUnit flavor \"junit5\" (want default, ant or surefire)");
}

TEST(RenderJUnitFlavor, Golden) {
  for (const FlavorCase& f : kFlavors) {
    SCOPED_TRACE(f.name);
    testutil::ExpectGolden(f.golden, RenderJUnit(GoldenRun(), Flavor(f.flavor)));
  }
}

TEST(RenderJUnitFlavor, AntHasNoRootAttributesAndNumbersSuites) {
  const std::string xml = RenderJUnit(GoldenRun(), Flavor(JUnitFlavor::kAnt));
  EXPECT_NE(xml.find("\n<testsuites>\n"), std::string::npos) << xml;
  EXPECT_NE(xml.find("package=\"logs-follow\" id=\"0\""), std::string::npos);
  EXPECT_NE(xml.find("package=\"cli\" id=\"1\""), std::string::npos);
}

TEST(RenderJUnitFlavor, AntFillsAMissingTimestampAndBlankName) {
  RunResult run = GoldenRun();
  run.suites[0].timestamp.clear();
  run.suites[0].name = " \n";
  const std::string xml = RenderJUnit(run, Flavor(JUnitFlavor::kAnt));
  EXPECT_NE(xml.find("name=\"unnamed\" package=\"unnamed\""), std::string::npos) << xml;
  const std::size_t at = xml.find("timestamp=\"");
  ASSERT_NE(at, std::string::npos);
  EXPECT_EQ(xml[at + 11 + 4], '-');  // "YYYY-..."
}

TEST(RenderJUnitFlavor, SurefireSingleSuiteIsNamedAfterIt) {
  RunResult run = GoldenRun();
  run.suites.resize(1);
  const std::string xml = RenderJUnit(run, Flavor(JUnitFlavor::kSurefire));
  EXPECT_NE(xml.find("<testsuite name=\"logs-follow\" tests=\"2\""), std::string::npos) << xml;
  EXPECT_NE(xml.find("<property name=\"target\""), std::string::npos) << xml;
}

class FlavorSchemaTest : public testing::Test {
 protected:
  void SetUp() override {
    if (!fs::exists(testutil::SchemaPath("junit-10.xsd"))) {
      GTEST_SKIP() << "../shared is absent (" << testutil::SchemaPath("junit-10.xsd").string()
                   << " not found): the schema checks are skipped";
    }
    std::string pattern = testing::TempDir() + "flavor_test.XXXXXX";
    ASSERT_NE(mkdtemp(pattern.data()), nullptr);
    dir_ = pattern;
  }
  void TearDown() override {
    if (!dir_.empty()) fs::remove_all(dir_);
  }

  void ExpectValid(const RunResult& run, const FlavorCase& f) {
    const fs::path file = dir_ / (std::string(f.name) + ".xml");
    testutil::WriteFile(file, RenderJUnit(run, Flavor(f.flavor)));
    std::string out;
    EXPECT_EQ(testutil::RunShell("xmllint --noout --schema '" +
                                     testutil::SchemaPath(f.schema).string() + "' '" +
                                     file.string() + "'",
                                 &out),
              0)
        << f.name << " against " << f.schema << ":\n" << out;
  }

  fs::path dir_;
};

TEST_F(FlavorSchemaTest, GoldenRunValidatesInEveryFlavor) {
  for (const FlavorCase& f : kFlavors) ExpectValid(GoldenRun(), f);
}

TEST_F(FlavorSchemaTest, EmptyAndSingleRunsValidate) {
  RunResult single = GoldenRun();
  single.suites.resize(1);
  RunResult no_cases = GoldenRun();
  no_cases.suites[0].cases.clear();
  no_cases.suites[0].properties.clear();
  for (const FlavorCase& f : kFlavors) {
    ExpectValid(RunResult{}, f);
    ExpectValid(single, f);
    ExpectValid(no_cases, f);
  }
}

TEST_F(FlavorSchemaTest, HostileTextValidatesInEveryFlavor) {
  const std::string dirty =
      "a\x01 \x1b[31mred\x1b[0m \x7f \xff\xfe \xc0\xaf \xed\xa0\x80 \xe2\x82\nnext \t\r\n";
  RunResult run = GoldenRun();
  for (SuiteResult& suite : run.suites) {
    suite.name += dirty;
    suite.timestamp.clear();
    suite.properties.emplace_back(dirty, dirty);
    for (CaseResult& c : suite.cases) {
      c.classname = suite.name;
      c.name += dirty;
      c.type += dirty;
      c.message += dirty;
      c.detail += dirty;
      c.system_out += dirty;
      c.system_err += dirty;
    }
  }
  run.suites[1].seconds = 1e9;
  run.suites[1].cases[0].seconds = -5;
  for (const FlavorCase& f : kFlavors) ExpectValid(run, f);
}

}  // namespace
}  // namespace leakprobe
