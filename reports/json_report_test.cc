#include "reports/json_report.h"

#include <gtest/gtest.h>

#include <cmath>

#include <nlohmann/json.hpp>

#include "reports/report_test_util.h"

namespace leakprobe {
namespace {

JsonReportOptions Options() {
  JsonReportOptions options;
  options.leakprobe_version = "0.1.0";
  return options;
}

TEST(RenderJsonReport, Golden) {
  testutil::ExpectGolden("golden.json", RenderJsonReport(testutil::GoldenRun(), Options()));
}

TEST(RenderJsonReport, EmptyRun) {
  EXPECT_EQ(RenderJsonReport(RunResult{}),
            "{\n"
            "  \"format\": \"leakprobe-report\",\n"
            "  \"version\": 1,\n"
            "  \"summary\": {\n"
            "    \"tests\": 0,\n"
            "    \"passed\": 0,\n"
            "    \"failed\": 0,\n"
            "    \"errors\": 0,\n"
            "    \"skipped\": 0,\n"
            "    \"seconds\": 0.0,\n"
            "    \"interrupted\": false\n"
            "  },\n"
            "  \"suites\": []\n"
            "}\n");
}

TEST(RenderJsonReport, HostileBytesStayParseable) {
  RunResult run = testutil::GoldenRun();
  run.suites[0].cases[0].detail = "\x1b[31mred\x1b[0m \xff\xfe \x01 \"quoted\" \\ end";
  run.suites[0].cases[0].seconds = std::nan("");
  const auto doc = nlohmann::json::parse(RenderJsonReport(run));
  const auto& c = doc["suites"][0]["cases"][0];
  EXPECT_EQ(c["detail"], "red \xEF\xBF\xBD\xEF\xBF\xBD \\x01 \"quoted\" \\ end");
  EXPECT_EQ(c["seconds"], 0.0);
}

// Every key the schema file lists as required is present at each level.
TEST(RenderJsonReport, MatchesTheSchemaFilesRequiredKeys) {
  const auto schema = nlohmann::json::parse(testutil::ReadFile(
      std::string(LEAKPROBE_REPORTS_TESTDATA) + "/../../schema/leakprobe-report.schema.json"));
  const auto doc = nlohmann::json::parse(RenderJsonReport(testutil::GoldenRun(), Options()));
  auto check = [](const nlohmann::json& object, const nlohmann::json& object_schema,
                  const std::string& where) {
    for (const auto& key : object_schema["required"]) {
      EXPECT_TRUE(object.contains(key.get<std::string>())) << where << " lacks " << key;
    }
    for (const auto& [key, value] : object.items()) {
      EXPECT_TRUE(object_schema["properties"].contains(key)) << where << " has undocumented " << key;
    }
  };
  const auto& defs = schema["$defs"];
  check(doc, schema, "report");
  check(doc["summary"], defs["summary"], "summary");
  for (const auto& suite : doc["suites"]) {
    check(suite, defs["suite"], "suite");
    for (const auto& c : suite["cases"]) {
      check(c, defs["case"], "case");
      for (const auto& leak : c["leaks"]) check(leak, defs["leak"], "leak");
    }
  }
  EXPECT_EQ(schema["properties"]["version"]["const"], kJsonReportVersion);
}

}  // namespace
}  // namespace leakprobe
