#include "matchers/survivors.h"

#include <gtest/gtest.h>

#include <utility>

namespace leakprobe {
namespace {

// The stacks the fixtures are made of, as minipouchd's Go 1.19 build writes them: its exec
// helper while it sleeps in the command, and once it blocks on its send for ever; a helper
// that reads its input first; a per-request closure on a stack of its own; the server.
std::string Goroutine(int64_t id, const std::string& kind) {
  std::string head = "goroutine " + std::to_string(id);
  const std::string created = "created by main.(*Server).execContainer\n\t/m/exec.go:44 +0x2d8\n\n";
  if (kind == "sleep") {
    return head + " [sleep]:\ntime.Sleep(0x11e1a300)\n\t/go/src/runtime/time.go:195 +0x135\n"
                  "main.runExec({0xc0000a2e00?, 0x0?, 0x0?})\n\t/m/exec.go:59 +0xb3\n"
                  "main.(*Server).execContainer.func1()\n\t/m/exec.go:45 +0x31\n" + created;
  }
  if (kind == "read") {
    return head + " [IO wait]:\ninternal/poll.runtime_pollWait(0x0?)\n\t/go/src/runtime/netpoll.go:305 +0x89\n"
                  "main.readInput(0xc0)\n\t/m/exec.go:70 +0x1\n"
                  "main.(*Server).execContainer.func1()\n\t/m/exec.go:45 +0x31\n" + created;
  }
  if (kind == "send") {
    return head + " [chan send]:\nmain.(*Server).execContainer.func1()\n\t/m/exec.go:45 +0x4f\n" + created;
  }
  if (kind == "serve") {
    return head + " [IO wait]:\ninternal/poll.runtime_pollWait(0x0?)\n\t/go/src/runtime/netpoll.go:305 +0x89\n"
                  "net/http.(*Server).Serve(0xc0)\n\t/go/src/net/http/server.go:3070 +0x1\nmain.main()\n"
                  "\t/m/main.go:9 +0x1\n\n";
  }
  // "closure7": a goroutine in main.handler.func7, a stack of its own.
  return head + " [select]:\nmain.handler.func" + kind.substr(7) + "(0xc0)\n\t/m/h.go:1" + kind.substr(7) +
         " +0x1\ncreated by main.handler\n\t/m/h.go:3 +0x1\n\n";
}

using Goroutines = std::vector<std::pair<int64_t, std::string>>;

GroupedDump DumpOf(const Goroutines& gs) {
  std::string text;
  for (const auto& [id, kind] : gs) text += Goroutine(id, kind);
  return GroupDump(text);
}

// The server, then `n` goroutines from id 10 on, kind(j) for the j-th.
Goroutines Helpers(int n, std::string (*kind)(int)) {
  Goroutines gs = {{1, "serve"}};
  for (int j = 0; j < n; ++j) gs.emplace_back(10 + j, kind(j));
  return gs;
}

struct Expected {
  std::string name;
  int64_t count;
  std::vector<int64_t> ids;
  std::vector<int64_t> counts;  // its signature at every point
  int64_t settled;
};

// A repeat as the growth loop sees it: a dump before the first iteration and after each,
// judged, settled, then attributed to what survived.
TEST(Survivors, GrowthWithoutAClimbingStackIsNamedFromWhatSurvived) {
  struct Case {
    const char* what;
    std::vector<Goroutines> points;  // before the first iteration and after each
    Goroutines settled;
    std::vector<Expected> named;
    std::vector<std::string> largest;  // listed, when none is named
    std::string message;
  } cases[] = {
      {"a sleeping stack that becomes a blocked one after the last dump (minipouchd's exec helper)",
       {Helpers(0, nullptr), Helpers(1, [](int) -> std::string { return "sleep"; }),
        Helpers(2, [](int) -> std::string { return "sleep"; }), Helpers(3, [](int) -> std::string { return "sleep"; }),
        Helpers(4, [](int) -> std::string { return "sleep"; }), Helpers(5, [](int) -> std::string { return "sleep"; })},
       Helpers(5, [](int) -> std::string { return "send"; }),
       {{"main.(*Server).execContainer.func1", 5, {10, 11, 12, 13, 14}, {0, 0, 0, 0, 0, 0}, 5}},
       {},
       "leaks 1.0 goroutines per iteration over 5 iterations: main.(*Server).execContainer.func1 +1.0/iteration "
       "(total 1 \xE2\x86\x92 6)"},
      {"flat during the iterations, then a jump at the settle (no stack holds more than half of them)",
       {Helpers(0, nullptr), Helpers(1, [](int j) -> std::string { return j % 2 ? "sleep" : "read"; }),
        Helpers(2, [](int j) -> std::string { return j % 2 ? "sleep" : "read"; }),
        Helpers(3, [](int j) -> std::string { return j % 2 ? "sleep" : "read"; }),
        Helpers(4, [](int j) -> std::string { return j % 2 ? "sleep" : "read"; }),
        Helpers(5, [](int j) -> std::string { return j % 2 ? "sleep" : "read"; })},
       Helpers(5, [](int) -> std::string { return "send"; }),
       {{"main.(*Server).execContainer.func1", 5, {10, 11, 12, 13, 14}, {0, 0, 0, 0, 0, 0}, 5}},
       {},
       "leaks 1.0 goroutines per iteration over 5 iterations: main.(*Server).execContainer.func1 +1.0/iteration "
       "(total 1 \xE2\x86\x92 6)"},
      {"what was blocked before the repeat is not a survivor",
       {{{1, "serve"}, {5, "send"}}, {{1, "serve"}, {5, "send"}, {10, "sleep"}},
        {{1, "serve"}, {5, "send"}, {10, "sleep"}, {11, "sleep"}},
        {{1, "serve"}, {5, "send"}, {10, "sleep"}, {11, "sleep"}, {12, "sleep"}},
        {{1, "serve"}, {5, "send"}, {10, "sleep"}, {11, "sleep"}, {12, "sleep"}, {13, "sleep"}}},
       {{1, "serve"}, {5, "send"}, {10, "send"}, {11, "send"}, {12, "send"}, {13, "send"}},
       {{"main.(*Server).execContainer.func1", 4, {10, 11, 12, 13}, {1, 1, 1, 1, 1}, 5}},
       {},
       "leaks 1.0 goroutines per iteration over 4 iterations: main.(*Server).execContainer.func1 +1.0/iteration "
       "(total 2 \xE2\x86\x92 6)"},
      {"a stack of its own per iteration: spread, yet the largest groups are listed",
       {Helpers(0, nullptr), Helpers(1, [](int j) -> std::string { return "closure" + std::to_string(j); }),
        Helpers(2, [](int j) -> std::string { return "closure" + std::to_string(j); }),
        Helpers(3, [](int j) -> std::string { return "closure" + std::to_string(j); }),
        Helpers(4, [](int j) -> std::string { return "closure" + std::to_string(j); }),
        Helpers(5, [](int j) -> std::string { return "closure" + std::to_string(j); }),
        Helpers(6, [](int j) -> std::string { return "closure" + std::to_string(j); })},
       Helpers(6, [](int j) -> std::string { return "closure" + std::to_string(j % 3); }),
       {},
       {"main.handler.func0", "main.handler.func1", "main.handler.func2"},
       "leaks 1.0 goroutines per iteration over 6 iterations, spread over stacks that each grow by at most "
       "0.5/iteration (total 1 \xE2\x86\x92 7)"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.what);
    LeakRules ignore_nothing;
    GrowthRules rules;
    GrowthSeries series;
    series.iterations = static_cast<int>(c.points.size()) - 1;
    for (const Goroutines& p : c.points) series.points.push_back(TakeCensus(DumpOf(p), ignore_nothing));
    GroupedDump settled = DumpOf(c.settled);
    Census settled_census = TakeCensus(settled, ignore_nothing);
    GrowthVerdict judged = JudgeGrowth(series, rules);
    ASSERT_TRUE(judged.grows);
    GrowthVerdict v = SettleGrowth(judged, settled_census, -1, -1, series.iterations, rules);
    ASSERT_TRUE(v.grows);
    ASSERT_TRUE(v.goroutines.empty()) << "no stack grew across the iterations and the settle: " << v.message;

    Survivors s = FindSurvivors(DumpOf(c.points.front()), settled, ignore_nothing, series.iterations);
    SurvivorAttribution a = AttributeToSurvivors(v, s, series, settled_census, rules);
    EXPECT_EQ(a.verdict.message, c.message);
    ASSERT_EQ(a.verdict.goroutines.size(), c.named.size());
    for (size_t i = 0; i < c.named.size(); ++i) {
      const GrowingSeries& named = a.verdict.goroutines[i];
      const SurvivorGroup* group = s.Find(named.signature);
      ASSERT_NE(group, nullptr);
      EXPECT_EQ(named.name, c.named[i].name);
      EXPECT_EQ(group->count, c.named[i].count);
      EXPECT_EQ(group->ids, c.named[i].ids);
      EXPECT_DOUBLE_EQ(named.fit.per_iteration, static_cast<double>(c.named[i].count) / series.iterations);
      EXPECT_EQ(named.counts, c.named[i].counts);
      EXPECT_EQ(named.settled, c.named[i].settled);
      // The stacks to show: the survivors alone, not what was there before.
      int64_t shown = 0;
      for (const Bucket& b : SurvivorBuckets(settled, *group)) {
        shown += b.count;
        for (int64_t id : b.ids) EXPECT_GE(id, 10);
      }
      EXPECT_EQ(shown, c.named[i].count);
    }
    EXPECT_EQ(a.from_survivors.size(), c.named.size());
    std::vector<std::string> largest;
    for (const GrowingSeries& l : a.largest) largest.push_back(l.name);
    EXPECT_EQ(largest, c.largest);
  }
}

// Under load the iterations take longer and the first helpers block before the last dump:
// their stack climbs, but slower than they leak (0 0 0 1 2 3, then 5 after the settle).
TEST(Survivors, AStackThatClimbsLateIsRatedByWhatSurvived) {
  LeakRules ignore_nothing;
  GrowthRules rules;
  GrowthSeries series;
  series.iterations = 5;
  Goroutines first = Helpers(0, nullptr);
  for (int i = 0; i <= 5; ++i) {
    Goroutines p = Helpers(0, nullptr);
    for (int j = 0; j < i; ++j) p.emplace_back(10 + j, j < i - 2 ? "send" : "sleep");
    series.points.push_back(TakeCensus(DumpOf(p), ignore_nothing));
  }
  GroupedDump settled = DumpOf(Helpers(5, [](int) -> std::string { return "send"; }));
  Census settled_census = TakeCensus(settled, ignore_nothing);
  GrowthVerdict v = SettleGrowth(JudgeGrowth(series, rules), settled_census, -1, -1, 5, rules);
  ASSERT_EQ(v.goroutines.size(), 1u);
  EXPECT_EQ(v.goroutines[0].counts, (std::vector<int64_t>{0, 0, 0, 1, 2, 3}));
  EXPECT_LT(v.goroutines[0].fit.per_iteration, 1.0);

  Survivors s = FindSurvivors(DumpOf(first), settled, ignore_nothing, 5);
  SurvivorAttribution a = AttributeToSurvivors(v, s, series, settled_census, rules);
  EXPECT_EQ(a.verdict.message,
            "leaks 1.0 goroutines per iteration over 5 iterations: main.(*Server).execContainer.func1 +1.0/iteration "
            "(total 1 \xE2\x86\x92 6)");
  EXPECT_EQ(a.from_survivors, std::vector<std::string>{v.goroutines[0].signature});
  EXPECT_TRUE(a.largest.empty());

  // A stack that held at the last iteration all that survived keeps its climb's rate.
  Survivors as_many = FindSurvivors(DumpOf(first), DumpOf(Helpers(3, [](int) -> std::string { return "send"; })),
                                    ignore_nothing, 5);
  SurvivorAttribution same = AttributeToSurvivors(v, as_many, series, settled_census, rules);
  EXPECT_EQ(same.verdict.message, v.message);
  EXPECT_TRUE(same.from_survivors.empty());
}

TEST(Survivors, GroupsAreLargestFirstWithTheirRates) {
  Goroutines settled = {{1, "serve"}, {3, "send"}, {20, "closure4"}, {21, "send"}, {22, "send"}, {23, "closure4"},
                        {24, "closure9"}, {25, "send"}};
  Survivors s = FindSurvivors(DumpOf({{1, "serve"}, {3, "send"}}), DumpOf(settled), LeakRules(), 4);
  EXPECT_EQ(s.total, 6);
  ASSERT_EQ(s.groups.size(), 3u);
  EXPECT_EQ(s.groups[0].name, "main.(*Server).execContainer.func1");
  EXPECT_EQ(s.groups[0].ids, (std::vector<int64_t>{21, 22, 25}));
  EXPECT_DOUBLE_EQ(s.groups[0].per_iteration, 0.75);
  EXPECT_EQ(s.groups[1].name, "main.handler.func4");
  EXPECT_DOUBLE_EQ(s.groups[1].per_iteration, 0.5);
  EXPECT_EQ(s.groups[2].name, "main.handler.func9");
  EXPECT_EQ(s.Find("nothing"), nullptr);
  // No iterations, no rate.
  EXPECT_DOUBLE_EQ(FindSurvivors(DumpOf({}), DumpOf(settled), LeakRules(), 0).groups[0].per_iteration, 0);
}

TEST(Survivors, IgnoredGoroutinesNeverSurvive) {
  LeakRules rules;
  rules.ignore.push_back(Pattern::Make(PatternTarget::kTopFrame, false, "execContainer.func1").value());
  Survivors s = FindSurvivors(DumpOf({{1, "serve"}}), DumpOf({{1, "serve"}, {10, "send"}, {11, "closure2"}}), rules, 2);
  ASSERT_EQ(s.groups.size(), 1u);
  EXPECT_EQ(s.groups[0].name, "main.handler.func2");
}

TEST(Survivors, WithoutIdsTheCountsAreCompared) {
  // debug=1 carries counts, not ids: what a signature gained is all that can be said.
  GroupedDump first = GroupDump(
      "goroutine profile: total 2\n"
      "1 @ 0x1\n#\t0x1\tmain.(*Server).execContainer.func1+0x4f\t/m/exec.go:45\n\n"
      "1 @ 0x1\n#\t0x1\tmain.main+0x1d\t/m/main.go:9\n\n");
  GroupedDump settled = GroupDump(
      "goroutine profile: total 6\n"
      "5 @ 0x1\n#\t0x1\tmain.(*Server).execContainer.func1+0x4f\t/m/exec.go:45\n\n"
      "1 @ 0x1\n#\t0x1\tmain.main+0x1d\t/m/main.go:9\n\n");
  Survivors s = FindSurvivors(first, settled, LeakRules(), 4);
  ASSERT_EQ(s.groups.size(), 1u);
  EXPECT_EQ(s.groups[0].name, "main.(*Server).execContainer.func1");
  EXPECT_EQ(s.groups[0].count, 4);
  EXPECT_TRUE(s.groups[0].ids.empty());
  EXPECT_DOUBLE_EQ(s.groups[0].per_iteration, 1.0);
  // Its stacks are every goroutine of the signature: which are new cannot be told.
  std::vector<Bucket> buckets = SurvivorBuckets(settled, s.groups[0]);
  ASSERT_EQ(buckets.size(), 1u);
  EXPECT_EQ(buckets[0].count, 5);
}

TEST(Survivors, AClimbingStackIsNamedAsItWas) {
  GrowthVerdict v;
  v.grows = true;
  v.goroutines.resize(1);
  v.goroutines[0].name = "main.sampleStats";
  v.total = GrowingSeries();
  v.totals = {1, 2, 3};
  v.message = "as it was";
  Survivors s = FindSurvivors(DumpOf({{1, "serve"}}), DumpOf({{1, "serve"}, {10, "send"}, {11, "send"}}), LeakRules(), 2);
  SurvivorAttribution a = AttributeToSurvivors(v, s, GrowthSeries(), Census(), GrowthRules());
  EXPECT_EQ(a.verdict.message, "as it was");
  ASSERT_EQ(a.verdict.goroutines.size(), 1u);
  EXPECT_EQ(a.verdict.goroutines[0].name, "main.sampleStats");
  EXPECT_TRUE(a.largest.empty());
}

}  // namespace
}  // namespace leakprobe
