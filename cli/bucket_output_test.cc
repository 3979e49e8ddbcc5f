#include "cli/bucket_output.h"

#include <gtest/gtest.h>

#include "matchers/grouped_dump.h"

namespace leakprobe {
namespace {

TEST(BucketJson, EveryFieldOfABucket) {
  GroupedDump d = GroupDump(
      "goroutine 34 [chan receive, 3 minutes, locked to thread]:\n"
      "main.(*Server).logsContainer(0xc0000a8000, {0x7a2c40, 0xc0000b6000})\n"
      "\t/src/minipouchd/logs.go:67 +0x1a5\n"
      "created by net/http.(*Server).Serve in goroutine 1\n"
      "\t/usr/lib/go/src/net/http/server.go:3102 +0x4b\n\n"
      "goroutine 35 [chan receive, 1 minutes, locked to thread]:\n"
      "main.(*Server).logsContainer(0xc0000a8100, {0x7a2c40, 0xc0000b6100})\n"
      "\t/src/minipouchd/logs.go:67 +0x1a5\n"
      "created by net/http.(*Server).Serve in goroutine 1\n"
      "\t/usr/lib/go/src/net/http/server.go:3102 +0x4b\n");
  ASSERT_EQ(d.buckets.size(), 1u);
  nlohmann::json j = BucketJson(d.buckets[0], true);
  EXPECT_EQ(j["count"], 2);
  EXPECT_EQ(j["state"], "chan receive");
  EXPECT_EQ(j["ids"], nlohmann::json::parse("[34, 35]"));
  EXPECT_EQ(j["suspect"], true);
  EXPECT_EQ(j["wait_minutes"], nlohmann::json::parse(R"({"min": 1, "max": 3})"));
  EXPECT_EQ(j["locked_to_thread"], true);
  EXPECT_EQ(j["leaked"], false);
  EXPECT_FALSE(j.contains("labels"));
  EXPECT_EQ(j["frames"], nlohmann::json::parse(R"([{"func": "main.(*Server).logsContainer", "package": "main",
      "receiver": "*Server", "file": "/src/minipouchd/logs.go", "line": 67, "inlined": false}])"));
  EXPECT_EQ(j["frames_elided"], false);
  EXPECT_EQ(j["created_by"]["func"], "net/http.(*Server).Serve");
  EXPECT_EQ(j["created_by"]["parent_id"], 1);
}

TEST(BucketJson, LabelsWhenThereAreSome) {
  GroupedDump d = GroupDump(
      "goroutine profile: total 1\n"
      "1 @ 0x1 0x2\n"
      "# labels: {\"tenant\":\"a\"}\n"
      "#\t0x1\tmain.f+0x1\t/src/f.go:1\n\n");
  ASSERT_EQ(d.buckets.size(), 1u);
  nlohmann::json j = BucketJson(d.buckets[0], false);
  EXPECT_EQ(j["labels"], nlohmann::json::parse(R"({"tenant": "a"})"));
  EXPECT_EQ(j["ids"], nlohmann::json::array());
}

TEST(JsonText, BytesThatAreNotUtf8AreReplaced) {
  nlohmann::json j = {{"func", std::string("main.f\xff")}};
  EXPECT_EQ(JsonText(j), "{\n  \"func\": \"main.f\xEF\xBF\xBD\"\n}");
}

}  // namespace
}  // namespace leakprobe
