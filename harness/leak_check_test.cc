#include "harness/leak_check.h"

#include <gtest/gtest.h>

#include "matchers/dump_parser.h"

namespace leakprobe {
namespace {

// Three followers stuck for 2 minutes, one young relay.
constexpr const char* kDump = R"(goroutine 21 [chan receive, 2 minutes]:
main.(*Server).logsContainer(0xc000010000, {0x7a2d40, 0xc0000a2000}, 0xc0000b4000)
	/src/logs.go:67 +0x1a5
created by net/http.(*Server).Serve
	/usr/lib/go/src/net/http/server.go:3102 +0x4db

goroutine 22 [chan receive, 2 minutes]:
main.(*Server).logsContainer(0xc000010000, {0x7a2d40, 0xc0000a2000}, 0xc0000b4000)
	/src/logs.go:67 +0x1a5
created by net/http.(*Server).Serve
	/usr/lib/go/src/net/http/server.go:3102 +0x4db

goroutine 23 [chan receive, 2 minutes]:
main.(*Server).logsContainer(0xc000010000, {0x7a2d40, 0xc0000a2000}, 0xc0000b4000)
	/src/logs.go:67 +0x1a5
created by net/http.(*Server).Serve
	/usr/lib/go/src/net/http/server.go:3102 +0x4db

goroutine 30 [select]:
main.relay(0xc000020000)
	/src/relay.go:12 +0x85
created by main.start
	/src/main.go:40 +0x65
)";

PatternSpec Top(const std::string& func, std::optional<int> max = std::nullopt) {
  PatternSpec p;
  p.where = "top";
  p.text = func;
  p.max = max;
  return p;
}

Verdict JudgeSpec(const LeaksSpec& spec) {
  auto rules = CompileRules(spec, {});
  EXPECT_TRUE(rules.ok());
  return Judge(ParseDump(kDump), nullptr, rules.value());
}

TEST(LeakCheck, APatternWithMaxFailsOnlyAboveItsOwnCount) {
  LeaksSpec spec;
  spec.suspects = {Top("main.(*Server).logsContainer", 3)};
  Verdict v = JudgeSpec(spec);
  EXPECT_FALSE(v.leaked) << v.message;
  EXPECT_EQ(v.suspect_count, 3);

  spec.suspects = {Top("main.(*Server).logsContainer", 2)};
  v = JudgeSpec(spec);
  EXPECT_TRUE(v.leaked);
  EXPECT_EQ(v.message, "3 leaked goroutines: main.(*Server).logsContainer \u00d73 (3 suspects, max 2)");
}

TEST(LeakCheck, PatternsWithAndWithoutMaxAreJudgedApart) {
  LeaksSpec spec;
  spec.suspects = {Top("main.(*Server).logsContainer", 5), Top("main.relay")};
  Verdict v = JudgeSpec(spec);
  EXPECT_TRUE(v.leaked);
  EXPECT_EQ(v.message, "1 leaked goroutine: main.relay \u00d71");
  spec.max_suspects = 1;
  EXPECT_FALSE(JudgeSpec(spec).leaked);
}

TEST(LeakCheck, MinWaitLeavesYoungerWaitsOut) {
  LeaksSpec spec;
  spec.suspects = {Top("main.(*Server).logsContainer"), Top("main.relay")};
  spec.min_wait_minutes = 1;
  Verdict v = JudgeSpec(spec);
  EXPECT_EQ(v.message, "3 leaked goroutines: main.(*Server).logsContainer \u00d73");
  spec.min_wait_minutes = 3;
  EXPECT_FALSE(JudgeSpec(spec).leaked);
}

}  // namespace
}  // namespace leakprobe
