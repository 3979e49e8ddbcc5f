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

std::unordered_set<int64_t> Ids(const Dump& d) {
  std::unordered_set<int64_t> ids;
  for (const Goroutine& g : d.goroutines) ids.insert(g.id);
  return ids;
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
  std::unordered_set<int64_t> baseline = {1, 2};
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
