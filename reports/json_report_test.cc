#include "reports/json_report.h"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

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

TEST(RenderJsonReport, TheTimelineIsTheModelAsItIs) {
  const auto doc = nlohmann::json::parse(RenderJsonReport(testutil::GoldenRun()));
  const auto& t = doc["suites"][0]["cases"][0]["timeline"];
  EXPECT_EQ(t["points"][3], nlohmann::json::parse(R"({"t": 3.075, "total": 9, "kind": "step",
      "label": "after step 3 \"follow for 3s and hang up\"", "fds": -1, "threads": -1})"));
  EXPECT_EQ(t["series"][0]["counts"], nlohmann::json::parse("[0, 0, 0, 2, 2, 2, 2]"));
  EXPECT_EQ(t["verdict_t"], 8.064);
  // A scenario that took no dump: empty arrays and an unknown verdict.
  EXPECT_EQ(doc["suites"][1]["cases"][0]["timeline"],
            nlohmann::json::parse(R"({"points": [], "series": [], "steps": [], "verdict_t": -1})"));
}

TEST(RenderJsonReport, GrowthGroupsCarryTheirRate) {
  RunResult run = testutil::GoldenRun();
  run.suites[0].cases[0].leaks[1].per_iteration = 2.0 / 3;
  run.suites[0].cases[0].leaks[1].series = {0, 1, 1, 2};
  const auto doc = nlohmann::json::parse(RenderJsonReport(run));
  const auto& leak = doc["suites"][0]["cases"][0]["leaks"][1];
  EXPECT_EQ(leak["per_iteration"], 0.667);
  EXPECT_EQ(leak["series"], nlohmann::json::parse("[0, 1, 1, 2]"));
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
  const auto& timeline = defs["timeline"];
  int points = 0, known = 0, unseen = 0;
  for (const auto& suite : doc["suites"]) {
    check(suite, defs["suite"], "suite");
    for (const auto& k : suite["unseen_known_leaks"]) {
      check(k, defs["known_leak"], "unseen known leak");
      ++unseen;
    }
    for (const auto& c : suite["cases"]) {
      check(c, defs["case"], "case");
      for (const auto& leak : c["leaks"]) check(leak, defs["leak"], "leak");
      for (const auto& k : c["known_leaks"]) {
        check(k, defs["known_leak"], "known leak");
        ++known;
      }
      check(c["timeline"], timeline, "timeline");
      for (const auto& p : c["timeline"]["points"]) {
        check(p, timeline["properties"]["points"]["items"], "point");
        ++points;
      }
      for (const auto& s : c["timeline"]["series"]) check(s, timeline["properties"]["series"]["items"], "series");
      for (const auto& b : c["timeline"]["steps"]) check(b, timeline["properties"]["steps"]["items"], "step");
    }
  }
  EXPECT_EQ((std::vector<int>{points, known, unseen}), (std::vector<int>{9, 2, 1})) << "GoldenRun covers them all";
  EXPECT_EQ(schema["properties"]["version"]["const"], kJsonReportVersion);
}

}  // namespace
}  // namespace leakprobe
