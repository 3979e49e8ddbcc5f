#include "matchers/stack_counts.h"

#include <fstream>
#include <sstream>

#include <gtest/gtest.h>

#include "matchers/growth.h"
#include "matchers/verdict.h"

namespace leakprobe {
namespace {

bool ReadCorpus(const std::string& name, GroupedDump* dump) {
  std::ifstream in(std::string(LEAKPROBE_SHARED_DIR) + "/corpus/go-dumps/" + name, std::ios::binary);
  if (!in) return false;
  std::stringstream ss;
  ss << in.rdbuf();
  *dump = GroupDump(ss.str());
  return true;
}

Pattern P(PatternTarget t, const char* text) {
  auto p = Pattern::Make(t, false, text);
  EXPECT_TRUE(p.ok());
  return p.value();
}

// Judges what rose above the baseline as the settle loop's count polls do.
Verdict JudgeExcess(const GroupedDump& poll, const GroupedDump* leaked, const StackCounts& baseline,
                    LeakRules rules) {
  const IdSet none;
  rules.min_wait_minutes = 0;
  return Judge(ExcessOverBaseline(poll, leaked, &baseline), &none, rules, &none);
}

// The baseline, in full: one worker parked below two runtime frames.
const char kBaseline[] =
    "goroutine 7 [chan receive]:\n"
    "runtime.gopark(0x0?, 0x0?, 0x0?, 0x0?, 0x0?)\n"
    "\t/usr/lib/go/src/runtime/proc.go:398 +0xce\n"
    "runtime.chanrecv1(0xc000010000?, 0x0?)\n"
    "\t/usr/lib/go/src/runtime/chan.go:442 +0x12\n"
    "main.worker(0xc000010000)\n"
    "\t/src/app/main.go:20 +0x25\n"
    "created by main.main in goroutine 1\n"
    "\t/src/app/main.go:10 +0x3d\n";

// debug=1 polls: the workers at `w`, the leaky handler at `l`.
std::string Poll(int w, int l) {
  std::string out = "goroutine profile: total " + std::to_string(w + l) + "\n";
  if (w) out += std::to_string(w) + " @ 0x43b296 0x407e9b 0x4671e5\n#\t0x4671e4\tmain.worker+0x24\t/src/app/main.go:20\n\n";
  if (l) out += std::to_string(l) + " @ 0x43b296 0x4672a0\n#\t0x46729f\tmain.leaky+0x1f\t/src/app/main.go:30\n\n";
  return out;
}

TEST(StackCounts, BothViewsOfAStackShareItsKey) {
  GroupedDump full = GroupDump(kBaseline);
  GroupedDump counts = GroupDump(Poll(1, 0));
  ASSERT_EQ(full.buckets.size(), 1u);
  ASSERT_EQ(counts.buckets.size(), 1u);
  EXPECT_EQ(CountKey(full.buckets[0].sample), "main.worker /src/app/main.go:20\n");
  EXPECT_EQ(CountKey(counts.buckets[0].sample), CountKey(full.buckets[0].sample));
  EXPECT_EQ(CountSignature(full.buckets[0].sample), "main.worker\n");
  EXPECT_EQ(CountSignature(counts.buckets[0].sample), "main.worker\n");
  EXPECT_EQ(CountSignatureOf(GrowthSignature(full.buckets[0].sample)), "main.worker\n");
  EXPECT_EQ(CountSignatureOf("runtime.gopark\nruntime.main\n"), "runtime.gopark\nruntime.main\n");
  EXPECT_TRUE(CountedUnder(full.buckets[0].sample, "main.worker\n"));
  EXPECT_FALSE(CountedUnder(full.buckets[0].sample, "main.other\n"));
}

TEST(StackCounts, ExcessIsJudgedByTheRulesOfALeaksBlock) {
  StackCounts baseline(GroupDump(kBaseline));
  LeakRules max_new;
  max_new.max_new_goroutines = 0;
  LeakRules suspect;
  suspect.suspects.push_back(P(PatternTarget::kAnyFrame, "main.leaky"));
  LeakRules ignore_created;  // reads the creator, which only the baseline's full stack shows
  ignore_created.max_new_goroutines = 0;
  ignore_created.ignore.push_back(P(PatternTarget::kCreatedBy, "main.main"));
  struct Case {
    int workers, leaky;
    const LeakRules* rules;
    bool leaked;
    int64_t new_count, suspect_count;
  } cases[] = {
      {1, 0, &max_new, false, 0, 0},         // back at the baseline: drained
      {0, 0, &max_new, false, 0, 0},         // below it
      {3, 0, &max_new, true, 2, 0},          // two workers above it
      {1, 2, &max_new, true, 2, 0},          // a stack the baseline had not
      {1, 2, &suspect, true, 2, 2},
      {5, 0, &suspect, false, 4, 0},
      {4, 1, &ignore_created, true, 1, 0},   // the workers' creator is known: ignored
  };
  // A goroutine that has not run yet: no frame to judge it by, for now.
  Verdict v = JudgeExcess(GroupDump(Poll(1, 0) + "1 @ 0x491c41\n\n"), nullptr, baseline, max_new);
  EXPECT_FALSE(v.leaked) << v.message;
  for (const Case& c : cases) {
    Verdict v = JudgeExcess(GroupDump(Poll(c.workers, c.leaky)), nullptr, baseline, *c.rules);
    EXPECT_EQ(v.leaked, c.leaked) << c.workers << " " << c.leaky;
    EXPECT_EQ(v.new_count, c.new_count) << c.workers << " " << c.leaky;
    EXPECT_EQ(v.suspect_count, c.suspect_count) << c.workers << " " << c.leaky;
  }
}

// A long-lived goroutine the full baseline caught on one stack and the look after it on
// another (a connection inside a request, then between requests) is old on both.
TEST(StackCounts, ABaselineSeenTwiceKeepsTheLargerCountOfEachStack) {
  StackCounts baseline(GroupDump(kBaseline));
  GroupedDump moved = GroupDump(Poll(0, 1));
  LeakRules rules;
  rules.max_new_goroutines = 0;
  EXPECT_TRUE(JudgeExcess(moved, nullptr, baseline, rules).leaked);
  baseline.MaxWith(StackCounts(moved));
  EXPECT_FALSE(JudgeExcess(moved, nullptr, baseline, rules).leaked);
  EXPECT_FALSE(JudgeExcess(GroupDump(Poll(1, 0)), nullptr, baseline, rules).leaked);
  EXPECT_TRUE(JudgeExcess(GroupDump(Poll(1, 2)), nullptr, baseline, rules).leaked);
  ASSERT_NE(baseline.Sample("main.worker /src/app/main.go:20\n"), nullptr);
  EXPECT_EQ(baseline.Sample("main.worker /src/app/main.go:20\n")->created_by.func, "main.main");
}

TEST(StackCounts, ACountedStackTakesTheBaselinesFullSample) {
  GroupedDump counts = GroupDump(Poll(2, 1));
  UseFullSamples(StackCounts(GroupDump(kBaseline)), &counts);
  ASSERT_EQ(counts.buckets.size(), 2u);
  EXPECT_EQ(counts.format, "debug=1");
  EXPECT_EQ(counts.buckets[0].count, 2);
  EXPECT_EQ(counts.buckets[0].sample.created_by.func, "main.main");  // from the baseline
  EXPECT_EQ(counts.buckets[0].sample.state, "chan receive");
  EXPECT_FALSE(counts.buckets[1].sample.has_created_by);               // new since: its frames alone
  EXPECT_EQ(CountSignature(counts.buckets[0].sample), "main.worker\n");
}

TEST(StackCounts, ProvenLeaksAreCountedOnceAndApart) {
  StackCounts baseline(GroupDump(kBaseline));
  GroupedDump leaked = GroupDump(
      "goroutineleak profile: total 1\n1 @ 0x43b296 0x4672a0\n#\t0x46729f\tmain.leaky+0x1f\t/src/app/main.go:30\n\n");
  LeakRules rules;
  rules.max_new_goroutines = 0;
  Verdict v = JudgeExcess(GroupDump(Poll(1, 1)), &leaked, baseline, rules);
  EXPECT_EQ(v.proven_count, 1);
  EXPECT_EQ(v.new_count, 0);
  EXPECT_TRUE(v.proven_leaked);
  EXPECT_FALSE(v.rules_broken);
  // Leaked at the baseline already: not the scenario's.
  StackCounts leaky_baseline(leaked);
  v = JudgeExcess(GroupDump(Poll(1, 1)), &leaked, leaky_baseline, rules);
  EXPECT_EQ(v.proven_count, 0);
}

// A real server's debug=1 after three cut follow requests, against its debug=2 baseline:
// the counts name what the full dumps name (verdict_test.cc's BaselineDiffFindsTheLeakedFollowers).
TEST(StackCounts, CountsOfARealLeakAgreeWithTheFullVerdict) {
  GroupedDump before, after1, after2;
  if (!ReadCorpus("local_go1.19.8_followlogs_before_debug2.txt", &before) ||
      !ReadCorpus("local_go1.19.8_followlogs_after_leak_debug1.txt", &after1) ||
      !ReadCorpus("local_go1.19.8_followlogs_after_leak_debug2.txt", &after2)) {
    GTEST_SKIP() << "../shared is absent: the corpus tests are skipped";
  }
  LeakRules rules;
  rules.suspects.push_back(P(PatternTarget::kAnyFrame, "(*Server).logsContainer"));
  rules.max_new_goroutines = 0;
  Verdict v = JudgeExcess(after1, nullptr, StackCounts(before), rules);
  EXPECT_TRUE(v.leaked);
  EXPECT_EQ(v.suspect_count, 3);
  EXPECT_EQ(v.new_count, 6);
  EXPECT_EQ(v.message,
            "6 leaked goroutines: main.(*Server).logsContainer \xC3\x97" "3, "
            "main.(*Server).readLogMessages \xC3\x97" "3 (6 new goroutines alive, max_new_goroutines 0)");
  // The two views of the same moment: every stack has the same count in both.
  // (Each file was its own request: the connections that asked differ.)
  StackCounts full(after2);
  for (const Bucket& b : after1.buckets) {
    if (IsBuiltinIgnored(b.sample)) continue;
    EXPECT_EQ(full.Count(CountKey(b.sample)), StackCounts(after1).Count(CountKey(b.sample))) << CountKey(b.sample);
  }
}

}  // namespace
}  // namespace leakprobe
