#include "matchers/pattern.h"

#include <gtest/gtest.h>

#include "matchers/dump_parser.h"

namespace leakprobe {
namespace {

Goroutine Follower() {
  Dump d = ParseDump(
      "goroutine 34 [chan receive, 3 minutes] {job: follow, tenant: \"t 1\"}:\n"
      "main.(*Server).logsContainer(0xc0000a8000)\n"
      "\t/src/minipouchd/logs.go:42 +0x1a5\n"
      "net/http.HandlerFunc.ServeHTTP(0x0?)\n"
      "\t/usr/lib/go/src/net/http/server.go:2109 +0x2f\n"
      "created by net/http.(*Server).Serve in goroutine 1\n"
      "\t/usr/lib/go/src/net/http/server.go:3102 +0x4db\n");
  return d.goroutines.at(0);
}

TEST(Pattern, TargetsAndKinds) {
  Goroutine g = Follower();
  struct Case {
    PatternTarget target;
    bool regex;
    const char* text;
    bool matches;
  } cases[] = {
      {PatternTarget::kAnyFrame, false, "(*Server).logsContainer", true},
      {PatternTarget::kAnyFrame, false, "HandlerFunc", true},
      {PatternTarget::kAnyFrame, true, "^main\\.\\(\\*Server\\)\\.logs", true},
      {PatternTarget::kAnyFrame, true, "^main\\.readLogMessages$", false},
      {PatternTarget::kTopFrame, false, "logsContainer", true},
      {PatternTarget::kTopFrame, false, "HandlerFunc", false},
      {PatternTarget::kCreatedBy, false, "(*Server).Serve", true},
      {PatternTarget::kState, false, "chan receive", true},
      {PatternTarget::kState, true, "^select", false},
      {PatternTarget::kFile, false, "minipouchd/logs.go", true},
      {PatternTarget::kLabel, false, "tenant=t 1", true},
      {PatternTarget::kLabel, false, "tenant=t", true},  // a keyword is a substring of key=value
      {PatternTarget::kLabel, false, "tenant=t 2", false},
      {PatternTarget::kLabel, false, "follow", true},
      {PatternTarget::kLabel, true, "^job=follow$", true},
      {PatternTarget::kLabel, true, "^tenant=t [02]$", false},
  };
  for (const Case& c : cases) {
    auto p = Pattern::Make(c.target, c.regex, c.text);
    ASSERT_TRUE(p.ok()) << c.text;
    EXPECT_EQ(p->Matches(g), c.matches) << p->Describe();
  }
}

TEST(Pattern, TopSkipsTheRuntimesOwnFrames) {
  // A SIGQUIT trace: runtime frames above the user's.
  Dump d = ParseDump(
      "goroutine 34 [chan receive]:\n"
      "runtime.gopark(0x0?, 0x0?, 0x0?, 0x0?, 0x0?)\n\t/usr/lib/go/src/runtime/proc.go:363 +0xd6\n"
      "runtime.chanrecv(0xc0000a0060, 0x0, 0x1)\n\t/usr/lib/go/src/runtime/chan.go:583 +0x49d\n"
      "main.(*Server).logsContainer(0xc0000a8000)\n\t/src/logs.go:42 +0x1a5\n");
  auto top = Pattern::Make(PatternTarget::kTopFrame, false, "main.(*Server).logsContainer");
  ASSERT_TRUE(top.ok());
  EXPECT_TRUE(top->Matches(d.goroutines.at(0)));
  auto gopark = Pattern::Make(PatternTarget::kTopFrame, false, "runtime.gopark");
  EXPECT_FALSE(gopark->Matches(d.goroutines.at(0)));
}

TEST(Pattern, BadRegexQuotesRe2) {
  auto p = Pattern::FromFlag("regex:(");
  ASSERT_FALSE(p.ok());
  EXPECT_EQ(p.status().message(), "bad regex \"(\": missing ): (");
}

TEST(Pattern, FlagForms) {
  auto k = Pattern::FromFlag("logsContainer");
  ASSERT_TRUE(k.ok());
  EXPECT_FALSE(k->is_regex());
  EXPECT_EQ(k->Describe(), "keyword logsContainer");
  auto r = Pattern::FromFlag("regex:^main\\.", PatternTarget::kTopFrame);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->Describe(), "top regex ^main\\.");
  EXPECT_EQ(r->MatchedFunction(Follower()), "main.(*Server).logsContainer");
}

}  // namespace
}  // namespace leakprobe
