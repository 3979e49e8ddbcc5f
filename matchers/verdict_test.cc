#include "matchers/verdict.h"

#include <fstream>
#include <sstream>

#include <gtest/gtest.h>

#include "matchers/dump_parser.h"

namespace leakprobe {
namespace {

bool ReadCorpus(const std::string& name, Dump* dump) {
  std::ifstream in(std::string(LEAKPROBE_SHARED_DIR) + "/corpus/go-dumps/" + name, std::ios::binary);
  if (!in) return false;
  std::stringstream ss;
  ss << in.rdbuf();
  *dump = ParseDump(ss.str());
  return true;
}

Pattern P(PatternTarget t, bool regex, const char* text) {
  auto p = Pattern::Make(t, regex, text);
  EXPECT_TRUE(p.ok());
  return p.value();
}

IdSet Ids(const Dump& d) {
  std::vector<int64_t> ids;
  for (const Goroutine& g : d.goroutines) ids.push_back(g.id);
  return IdSet(std::move(ids));
}

TEST(Verdict, BaselineDiffFindsTheLeakedFollowers) {
  Dump before, after;
  if (!ReadCorpus("local_go1.19.8_followlogs_before_debug2.txt", &before) ||
      !ReadCorpus("local_go1.19.8_followlogs_after_leak_debug2.txt", &after)) {
    GTEST_SKIP() << "../shared is absent: the corpus verdict tests are skipped";
  }
  auto baseline = Ids(before);
  LeakRules rules;
  rules.suspects.push_back(P(PatternTarget::kAnyFrame, false, "(*Server).logsContainer"));
  rules.suspects.push_back(P(PatternTarget::kTopFrame, true, "readLogMessages$"));
  rules.max_new_goroutines = 0;
  Verdict v = Judge(after, &baseline, rules);
  EXPECT_TRUE(v.leaked);
  EXPECT_EQ(v.suspect_count, 6);
  // 8 goroutines are new; the dump's own (9) and its connection's pre-started read (30) are ignored.
  EXPECT_EQ(v.new_count, 6);
  ASSERT_EQ(v.suspect_buckets.size(), 2u);
  EXPECT_EQ(v.suspect_buckets[0].count, 3);
  EXPECT_EQ(v.suspect_buckets[0].ids, (std::vector<int64_t>{6, 24, 27}));
  EXPECT_TRUE(v.new_buckets.empty());
  EXPECT_EQ(v.message,
            "6 leaked goroutines: main.(*Server).logsContainer \xC3\x97" "3, "
            "main.(*Server).readLogMessages \xC3\x97" "3 (6 new goroutines alive, max_new_goroutines 0)");
  EXPECT_NE(v.detail.find("3 goroutines [chan receive], ids 6, 24, 27\n"
                          "    main.(*Server).logsContainer(...)\n"),
            std::string::npos)
      << v.detail;
}

TEST(Verdict, CleanWhenNothingNewAndNoSuspect) {
  Dump before;
  if (!ReadCorpus("local_go1.19.8_followlogs_before_debug2.txt", &before)) {
    GTEST_SKIP() << "../shared is absent: the corpus verdict tests are skipped";
  }
  auto baseline = Ids(before);
  LeakRules rules;
  rules.suspects.push_back(P(PatternTarget::kAnyFrame, false, "logsContainer"));
  rules.max_new_goroutines = 0;
  Verdict v = Judge(before, &baseline, rules);
  EXPECT_FALSE(v.leaked);
  EXPECT_EQ(v.message, "");
  // Without a baseline, only suspects count: the before-dump has none.
  Verdict w = Judge(before, nullptr, rules);
  EXPECT_FALSE(w.leaked);
  EXPECT_EQ(w.new_count, 0);
}

TEST(Verdict, IgnoresAndMaxNew) {
  Dump d = ParseDump(
      "goroutine 1 [select (no cases)]:\nmain.main()\n\t/m.go:1 +0x1\n\n"
      "goroutine 40 [chan receive]:\nmain.(*Monitor).loop()\n\t/m.go:9 +0x1\n"
      "created by main.main\n\t/m.go:2 +0x1\n\n"
      "goroutine 41 [select]:\ngithub.com/acme/x.(*Pool).worker()\n\t/x/pool.go:9 +0x1\n"
      "created by github.com/acme/x.New\n\t/x/pool.go:2 +0x1\n\n"
      "goroutine 42 [select]:\ngithub.com/acme/x.(*Pool).worker()\n\t/x/pool.go:9 +0x1\n"
      "created by github.com/acme/x.New\n\t/x/pool.go:2 +0x1\n\n"
      "goroutine 2 [force gc (idle)]:\nruntime.gopark(0x0?)\n\t/r/proc.go:1 +0x1\n"
      "runtime.forcegchelper()\n\t/r/proc.go:2 +0x1\ncreated by runtime.init.6\n\t/r/proc.go:3 +0x1\n");
  IdSet baseline({1, 2});
  LeakRules rules;
  rules.ignore.push_back(P(PatternTarget::kTopFrame, false, "main.(*Monitor).loop"));
  rules.max_new_goroutines = 1;
  Verdict v = Judge(d, &baseline, rules);
  EXPECT_TRUE(v.leaked);
  EXPECT_EQ(v.new_count, 2);
  EXPECT_EQ(v.message,
            "2 leaked goroutines: github.com/acme/x.(*Pool).worker \xC3\x97" "2 (2 new goroutines alive, "
            "max_new_goroutines 1)");
  rules.max_new_goroutines = 2;
  EXPECT_FALSE(Judge(d, &baseline, rules).leaked);
}

TEST(Verdict, BuiltinIgnores) {
  Dump d = ParseDump(
      "goroutine 2 [force gc (idle)]:\nruntime.gopark(0x0?)\n\t/r/proc.go:1 +0x1\n"
      "runtime.forcegchelper()\n\t/r/proc.go:2 +0x1\ncreated by runtime.init.6\n\t/r/proc.go:3 +0x1\n\n"
      "goroutine 7 [syscall]:\nos/signal.signal_recv()\n\t/r/sigqueue.go:1 +0x1\nos/signal.loop()\n\t/s/s.go:1 +0x1\n"
      "created by os/signal.Notify.func1.1\n\t/s/s.go:2 +0x1\n\n"
      "goroutine 8 [chan receive]:\nruntime.gopark(0x0?)\n\t/r/proc.go:1 +0x1\n"
      "main.wait()\n\t/m.go:2 +0x1\n");
  ASSERT_EQ(d.goroutines.size(), 3u);
  // Seen in live SIGQUIT traces of Go 1.23 and 1.27 (pprof's dumps hide them).
  Dump live = ParseDump(
      "goroutine 5 [chan receive]:\nruntime.gopark(0x0?)\n\t/r/proc.go:1 +0x1\n"
      "runtime.unique_runtime_registerUniqueMapCleanup.func1(...)\n\t/r/mgc.go:1 +0x1\n"
      "created by unique.runtime_registerUniqueMapCleanup in goroutine 1\n\t/r/mgc.go:2 +0x1\n\n"
      "goroutine 0 gp=0xb12260 m=0 mp=0xb13440 [idle]:\n"
      "internal/runtime/syscall/linux.Syscall6()\n\t/r/linux.go:1 +0x1\n"
      "internal/runtime/syscall/linux.EpollWait(0x0?)\n\t/r/linux.go:2 +0x1\n"
      "runtime.netpoll(0x0?)\n\t/r/netpoll.go:1 +0x1\n");
  ASSERT_EQ(live.goroutines.size(), 2u);
  EXPECT_TRUE(IsBuiltinIgnored(live.goroutines[0]));
  EXPECT_TRUE(IsBuiltinIgnored(live.goroutines[1]));
  EXPECT_TRUE(IsBuiltinIgnored(d.goroutines[0]));
  EXPECT_TRUE(IsBuiltinIgnored(d.goroutines[1]));
  EXPECT_FALSE(IsBuiltinIgnored(d.goroutines[2]));
  EXPECT_EQ(NameOf(d.goroutines[2]), "main.wait");
}

}  // namespace
}  // namespace leakprobe

namespace leakprobe {
namespace {

TEST(Verdict, PerPatternLimits) {
  std::string text;
  for (int id = 10; id < 13; ++id) {
    text += "goroutine " + std::to_string(id) + " [chan receive]:\nmain.(*Server).logsContainer()\n\t/l.go:1 +0x1\n\n";
  }
  text += "goroutine 20 [select]:\nmain.readLogMessages()\n\t/l.go:9 +0x1\n\n";
  Dump d = ParseDump(text);
  LeakRules rules;
  rules.suspects.push_back(P(PatternTarget::kTopFrame, false, "logsContainer"));
  rules.suspects.push_back(P(PatternTarget::kTopFrame, false, "readLogMessages"));
  rules.suspect_max = {3};  // the first may have three; the second none
  Verdict v = Judge(d, nullptr, rules);
  EXPECT_TRUE(v.leaked);
  EXPECT_EQ(v.suspect_count, 4);
  EXPECT_EQ(v.message, "1 leaked goroutine: main.readLogMessages \xC3\x97" "1");
  ASSERT_EQ(v.suspect_buckets.size(), 1u);  // only what broke a limit
  rules.suspect_max = {2, 1};
  v = Judge(d, nullptr, rules);
  EXPECT_EQ(v.message, "3 leaked goroutines: main.(*Server).logsContainer \xC3\x97" "3 (3 suspects, max 2)");
  rules.suspect_max = {3, 1};
  EXPECT_FALSE(Judge(d, nullptr, rules).leaked);
}

}  // namespace
}  // namespace leakprobe

namespace leakprobe {
namespace {

// A goroutineleak?debug=2 dump: the runtime marks what it proved can never wake.
const char* const kProvenDump =
    "goroutine 1 [select]:\nmain.main()\n\t/m.go:1 +0x1\n\n"
    "goroutine 31 [chan send (leaked)]:\nmain.(*Server).execContainer.func1()\n\t/exec.go:40 +0x1\n"
    "created by main.(*Server).execContainer in goroutine 30\n\t/exec.go:38 +0x1\n\n"
    "goroutine 12 [chan receive (leaked)]:\nmain.oldLeak()\n\t/old.go:3 +0x1\n\n"
    "goroutine 33 [chan receive]:\nmain.(*Server).logsContainer()\n\t/logs.go:67 +0x1\n\n";

TEST(Verdict, ProvenLeaks) {
  Dump d = ParseDump(kProvenDump);
  IdSet baseline({1, 12});
  IdSet baseline_leaked({12});  // goroutine 12 was leaked before the scenario began
  LeakRules rules;
  Verdict v = Judge(d, &baseline, rules, &baseline_leaked);
  EXPECT_TRUE(v.leaked);
  EXPECT_EQ(v.proven_count, 1);
  EXPECT_EQ(v.message,
            "1 proven leak (Go runtime leak detector): main.(*Server).execContainer.func1 \xC3\x97" "1 [chan send]");
  ASSERT_EQ(v.proven_buckets.size(), 1u);
  EXPECT_EQ(v.proven_buckets[0].ids, (std::vector<int64_t>{31}));
  EXPECT_EQ(v.detail.rfind("Proven leaks: the Go runtime's leak detector found nothing that can ever wake them.", 0), 0u)
      << v.detail;
  EXPECT_NE(v.detail.find("1 goroutine [chan send (leaked)], id 31"), std::string::npos) << v.detail;

  // Without the baseline's leaked ids, the old one is the scenario's too.
  EXPECT_EQ(Judge(d, &baseline, rules).proven_count, 2);

  // max_proven allows some; an ignore entry covers one like any other goroutine.
  rules.max_proven = 1;
  EXPECT_FALSE(Judge(d, &baseline, rules, &baseline_leaked).leaked);
  rules.max_proven = 0;
  rules.ignore.push_back(P(PatternTarget::kCreatedBy, false, "execContainer"));
  EXPECT_FALSE(Judge(d, &baseline, rules, &baseline_leaked).leaked);
}

TEST(Verdict, ProvenLeaksComeFirstAndAreNotCountedTwice) {
  Dump d = ParseDump(kProvenDump);
  IdSet baseline({1, 12});
  IdSet baseline_leaked({12});
  LeakRules rules;
  rules.suspects.push_back(P(PatternTarget::kAnyFrame, false, "(*Server)."));
  rules.min_wait_minutes = 5;  // the proof needs no waiting
  Verdict v = Judge(d, &baseline, rules, &baseline_leaked);
  EXPECT_EQ(v.proven_count, 1);
  EXPECT_EQ(v.suspect_count, 0);  // the follower has not waited 5 minutes
  rules.min_wait_minutes = 0;
  v = Judge(d, &baseline, rules, &baseline_leaked);
  EXPECT_EQ(v.suspect_count, 1);  // the proven one is not a suspect as well
  EXPECT_EQ(v.message,
            "1 proven leak (Go runtime leak detector): main.(*Server).execContainer.func1 \xC3\x97" "1 [chan send]; "
            "1 leaked goroutine: main.(*Server).logsContainer \xC3\x97" "1");
  EXPECT_LT(v.detail.find("Proven leaks"), v.detail.find("Suspect goroutines"));
}

}  // namespace
}  // namespace leakprobe
