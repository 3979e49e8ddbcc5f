#include "matchers/triage.h"

#include <gtest/gtest.h>

#include "matchers/dump_parser.h"
#include "matchers/grouped_dump.h"

namespace leakprobe {
namespace {

Pattern P(PatternTarget t, const char* text) {
  auto p = Pattern::Make(t, false, text);
  EXPECT_TRUE(p.ok());
  return p.value();
}

Goroutine One(const std::string& text) {
  Dump d = ParseDump(text);
  EXPECT_EQ(d.goroutines.size(), 1u) << text;
  return d.goroutines.empty() ? Goroutine() : d.goroutines[0];
}

// Suspect: logsContainer; ignore: main.(*Cache).refresh; min-wait: 2 minutes.
LeakRules Rules() {
  LeakRules r;
  r.suspects.push_back(P(PatternTarget::kAnyFrame, "(*Server).logsContainer"));
  r.suspects.push_back(P(PatternTarget::kTopFrame, "main.readLogMessages"));
  r.ignore.push_back(P(PatternTarget::kTopFrame, "main.(*Cache).refresh"));
  r.min_wait_minutes = 2;
  return r;
}

struct Case {
  const char* what;
  const char* dump;
  Fate stack;      // TriageStack
  Fate goroutine;  // TriageGoroutine
  int rule;
};

const Case kCases[] = {
    {"the runtime's own goroutine is built in",
     "goroutine 2 [force gc (idle), 5 minutes]:\nruntime.gopark(0x0)\n\t/usr/lib/go/src/runtime/proc.go:398 +0xce\n"
     "runtime.forcegchelper()\n\t/usr/lib/go/src/runtime/proc.go:322 +0xb3\n"
     "created by runtime.init.6 in goroutine 1\n\t/usr/lib/go/src/runtime/proc.go:310 +0x1a\n",
     Fate::kBuiltinIgnored, Fate::kBuiltinIgnored, -1},
    {"the dump request's own goroutine is built in",
     "goroutine 9 [running]:\nruntime/pprof.writeGoroutineStacks({0x8, 0x1})\n\t/usr/lib/go/src/runtime/pprof/pprof.go:703 +0x6a\n",
     Fate::kBuiltinIgnored, Fate::kBuiltinIgnored, -1},
    {"an ignore entry wins over a suspect",
     "goroutine 7 [select, 9 minutes]:\nmain.(*Cache).refresh(0x1)\n\t/src/cache.go:12 +0x1\n"
     "main.(*Server).logsContainer(0x2)\n\t/src/logs.go:67 +0x2\n",
     Fate::kIgnored, Fate::kIgnored, 0},
    {"proven before min-wait and suspects",
     "goroutine 11 [chan send (leaked)]:\nmain.(*Server).logsContainer(0x2)\n\t/src/logs.go:67 +0x2\n",
     Fate::kProven, Fate::kProven, -1},
    {"a young suspect is too young",
     "goroutine 12 [chan receive, 1 minutes]:\nmain.(*Server).logsContainer(0x2)\n\t/src/logs.go:67 +0x2\n",
     Fate::kSuspect, Fate::kTooYoung, 0},
    {"an old suspect, the second pattern",
     "goroutine 13 [select, 3 minutes]:\nmain.readLogMessages(0x2)\n\t/src/logs.go:90 +0x2\n",
     Fate::kSuspect, Fate::kSuspect, 1},
    {"a goroutine with no wait shown is too young for min-wait 2",
     "goroutine 14 [IO wait]:\nmain.serve(0x2)\n\t/src/main.go:20 +0x2\n",
     Fate::kOther, Fate::kTooYoung, -1},
    {"the rest",
     "goroutine 15 [IO wait, 4 minutes]:\nmain.serve(0x2)\n\t/src/main.go:20 +0x2\n",
     Fate::kOther, Fate::kOther, -1},
};

TEST(Triage, EachRuleInItsOrder) {
  const LeakRules rules = Rules();
  for (const Case& c : kCases) {
    Goroutine g = One(c.dump);
    Triage stack = TriageStack(g, rules);
    Triage one = TriageGoroutine(g, rules);
    EXPECT_EQ(stack.fate, c.stack) << c.what;
    EXPECT_EQ(one.fate, c.goroutine) << c.what;
    EXPECT_EQ(one.rule, c.rule) << c.what;
  }
}

TEST(Triage, BuiltinIgnoresCanBeTurnedOff) {
  LeakRules rules = Rules();
  rules.builtin_ignores = false;
  rules.min_wait_minutes = 0;
  EXPECT_EQ(TriageGoroutine(One(kCases[0].dump), rules).fate, Fate::kOther);
  EXPECT_EQ(TriageGoroutine(One(kCases[1].dump), rules).fate, Fate::kOther);
}

TEST(Triage, NewMembersLeaveOutTheBaselineAndTheYoung) {
  GroupedDump d = GroupDump(
      "goroutine 21 [chan receive, 1 minutes]:\nmain.f()\n\t/src/f.go:1 +0x1\n\n"
      "goroutine 22 [chan receive, 5 minutes]:\nmain.f()\n\t/src/f.go:1 +0x1\n\n"
      "goroutine 23 [chan receive, 7 minutes]:\nmain.f()\n\t/src/f.go:1 +0x1\n");
  ASSERT_EQ(d.buckets.size(), 1u);
  const IdSet baseline(std::vector<int64_t>{23});
  struct {
    const IdSet* baseline;
    int min_wait;
    std::vector<int64_t> ids;
    int min, max;
  } cases[] = {
      {nullptr, 0, {21, 22, 23}, 1, 7},
      {&baseline, 0, {21, 22}, 1, 5},
      {nullptr, 2, {22, 23}, 5, 7},
      {&baseline, 2, {22}, 5, 5},
      {&baseline, 10, {}, 0, 0},
  };
  for (const auto& c : cases) {
    Bucket b = NewMembers(d.buckets[0], c.baseline, c.min_wait);
    EXPECT_EQ(b.ids, c.ids);
    EXPECT_EQ(b.count, static_cast<int64_t>(c.ids.size()));
    EXPECT_EQ(b.min_wait_minutes, c.min);
    EXPECT_EQ(b.max_wait_minutes, c.max);
  }
}

TEST(Triage, StackGrowthForDumpsWithoutIds) {
  const char* before =
      "goroutine profile: total 3\n"
      "2 @ 0x1 0x2\n#\t0x1\tmain.f+0x1\t/src/f.go:1\n\n"
      "1 @ 0x3 0x4\n#\t0x3\tmain.g+0x1\t/src/g.go:1\n\n";
  const char* after =
      "goroutine profile: total 6\n"
      "5 @ 0x1 0x2\n#\t0x1\tmain.f+0x1\t/src/f.go:1\n\n"
      "1 @ 0x3 0x4\n#\t0x3\tmain.g+0x1\t/src/g.go:1\n\n";
  EarlierStackCounts counts;
  for (const Goroutine& g : ParseDump(before).goroutines) counts.Add(g);
  GroupedDump later = GroupDump(after);
  ASSERT_EQ(later.buckets.size(), 2u);
  EXPECT_EQ(counts.Growth(later.buckets[0]), 3);  // main.f: 2 -> 5
  EXPECT_EQ(counts.Growth(later.buckets[1]), 0);  // main.g: 1 -> 1
}

}  // namespace
}  // namespace leakprobe
