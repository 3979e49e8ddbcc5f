#include "matchers/growth.h"

#include <gtest/gtest.h>

#include "matchers/dump_parser.h"

namespace leakprobe {
namespace {

// 21 points: before the first of 20 iterations, then after each.
std::vector<double> Series(double (*f)(int), int points = 21) {
  std::vector<double> y;
  for (int i = 0; i < points; ++i) y.push_back(f(i));
  return y;
}

TEST(Growth, TheilSenIsTheMedianPairSlope) {
  EXPECT_DOUBLE_EQ(TheilSenSlope({}), 0);
  EXPECT_DOUBLE_EQ(TheilSenSlope({5}), 0);
  EXPECT_DOUBLE_EQ(TheilSenSlope({1, 3}), 2);
  EXPECT_DOUBLE_EQ(TheilSenSlope({0, 1, 2, 3, 4}), 1);
  EXPECT_DOUBLE_EQ(TheilSenSlope({0, 1, 2, 300, 4}), 1);  // one outlier cannot move it
}

// The shapes a server's goroutine counts take over the iterations, and whether each is a
// leak at a threshold (goroutines per iteration).
TEST(Growth, SeriesShapes) {
  struct Case {
    const char* what;
    std::vector<double> points;
    double max_per_iteration;
    bool grows;
    double per_iteration;  // the fitted rate
  } cases[] = {
      {"one per request", Series([](int i) { return 12.0 + i; }), 0.5, true, 1.0},
      {"three per request", Series([](int i) { return 12.0 + 3 * i; }), 0.5, true, 3.0},
      {"one every second request, at 0.25", Series([](int i) { return 12.0 + i / 2; }), 0.25, true, 0.5},
      {"one every second request, at 0.5", Series([](int i) { return 12.0 + i / 2; }), 0.5, false, 0.5},
      {"a step that appears once", Series([](int i) { return i < 4 ? 12.0 : 13.0; }), 0.5, false, 0.0},
      {"a lazily started pool of 8", Series([](int i) { return i < 1 ? 12.0 : 20.0; }), 0.5, false, 0.0},
      {"a sawtooth pool of 0-3", Series([](int i) { return 12.0 + i % 4; }), 0.5, false, 0.0},
      {"a sawtooth pool of 0-7", Series([](int i) { return 12.0 + i % 8; }), 0.5, false, 0.0},
      {"flat with one spike", Series([](int i) { return i == 10 ? 500.0 : 12.0; }), 0.5, false, 0.0},
      {"one per request with one lost dump", Series([](int i) { return i == 13 ? 0.0 : 12.0 + i; }), 0.5, true, 1.0},
      {"one per request with a spike at the end", Series([](int i) { return i == 20 ? 900.0 : 12.0 + i; }), 0.5, true, 1.0},
      {"slow cache growth", Series([](int i) { return 12.0 + i / 10; }), 0.5, false, 0.0},
      {"noise around a level", Series([](int i) { return 12.0 + (i * 7 % 5) - 2; }), 0.5, false, 0.0},
      {"three points", {10, 11, 12}, 0.5, true, 1.0},
      {"rises, then falls back (ends where it began)",
       Series([](int i) { return i <= 10 ? 12.0 + i : 32.0 - i; }), 0.5, false, 0.0},
  };
  for (const Case& c : cases) {
    GrowthRules rules;
    rules.max_per_iteration = c.max_per_iteration;
    SeriesFit fit = FitSeries(c.points, rules);
    EXPECT_EQ(fit.grows, c.grows) << c.what << ": per iteration " << fit.per_iteration << ", head " << fit.head
                                  << ", tail " << fit.tail;
    EXPECT_NEAR(fit.per_iteration, c.per_iteration, 0.26) << c.what;
  }
}

TEST(Growth, RoundsOfConcurrentIterations) {
  // 10 rounds of 4 iterations, one goroutine left per iteration: 4 per point.
  std::vector<double> points;
  for (int i = 0; i <= 10; ++i) points.push_back(12.0 + 4 * i);
  GrowthRules rules;
  rules.iterations_per_point = 4;
  SeriesFit fit = FitSeries(points, rules);
  EXPECT_TRUE(fit.grows);
  EXPECT_DOUBLE_EQ(fit.per_iteration, 1.0);
  rules.max_per_iteration = 1.0;
  EXPECT_FALSE(FitSeries(points, rules).grows);
}

TEST(Growth, WhatDrainsAfterTheRunWasInFlight) {
  GrowthRules rules;
  // Slow requests pile up while the repeat runs, then finish.
  SeriesFit fit = FitSeries(Series([](int i) { return 12.0 + i; }), rules);
  ASSERT_TRUE(fit.grows);
  EXPECT_FALSE(StillGrown(fit, 12, 20, rules));  // all drained
  EXPECT_FALSE(StillGrown(fit, 20, 20, rules));  // most drained: 0.4/iteration is left
  EXPECT_TRUE(StillGrown(fit, 32, 20, rules));   // a leak stays
}

// A dump of `n` leaked stats goroutines (two stacks: the handler and its sampler) plus a
// fixed background.
std::string StatsDump(int handlers, int samplers, int first_id) {
  std::string text =
      "goroutine 1 [IO wait]:\ninternal/poll.runtime_pollWait(0x0?)\n\t/go/src/runtime/netpoll.go:305 +0x1\n"
      "net/http.(*Server).Serve(0xc0)\n\t/go/src/net/http/server.go:3070 +0x1\nmain.main()\n\t/m.go:9 +0x1\n\n"
      "goroutine 2 [force gc (idle)]:\nruntime.gopark(0x0?)\n\t/go/src/runtime/proc.go:381 +0x1\n\n";
  int id = first_id;
  for (int i = 0; i < handlers; ++i, ++id) {
    text += "goroutine " + std::to_string(id) + " [chan receive]:\nmain.(*Server).statsContainer(0xc0)\n"
            "\t/s/stats.go:40 +0x1\ncreated by net/http.(*Server).Serve in goroutine 1\n\t/go/src/net/http/server.go:3102 +0x1\n\n";
  }
  for (int i = 0; i < samplers; ++i, ++id) {
    text += "goroutine " + std::to_string(id) + " [select, " + std::to_string(i % 3) + " minutes]:\n"
            "main.sampleStats(0xc" + std::to_string(i) + ")\n\t/s/stats.go:" + std::to_string(70 + i % 2) +
            " +0x1\ncreated by main.(*Server).statsContainer in goroutine 9\n\t/s/stats.go:38 +0x1\n\n";
  }
  return text;
}

TEST(Growth, ThreadsCountOnlyBesideGoroutines) {
  // Threads 7 8 8 8 10 10 over 5 rounds, as etcd's puts took them: with nothing else growing,
  // the runtime's idle threads; with a goroutine leak beside them, named with it.
  struct Case {
    const char* name;
    int per_round;  // sampler goroutines added per round
    bool grows, threads;
  } cases[] = {
      {"threads alone", 0, false, false},
      {"threads beside a goroutine leak", 2, true, true},
  };
  const int64_t threads[] = {7, 8, 8, 8, 10, 10};
  LeakRules ignore_nothing;
  for (const Case& c : cases) {
    GrowthSeries series;
    series.iterations = 5;
    for (int i = 0; i <= 5; ++i) {
      series.points.push_back(TakeCensus(GroupDump(StatsDump(0, c.per_round * i, 100)), ignore_nothing));
      series.fds.push_back(9);
      series.threads.push_back(threads[i]);
    }
    GrowthVerdict v = JudgeGrowth(series, GrowthRules());
    EXPECT_EQ(v.grows, c.grows) << c.name;
    EXPECT_EQ(v.threads.has_value(), c.threads) << c.name;
    GrowthVerdict settled = SettleGrowth(v, series.points.back(), 9, 10, 5, GrowthRules());
    EXPECT_EQ(settled.threads.has_value(), c.threads) << c.name;
  }
}

TEST(Growth, JudgesEverySignatureAndTheTotal) {
  GrowthSeries series;
  series.iterations = 20;
  LeakRules ignore_nothing;
  for (int i = 0; i <= 20; ++i) {
    series.points.push_back(TakeCensus(GroupDump(StatsDump(i, 2 * i, 100 + 10 * i)), ignore_nothing));
    series.fds.push_back(9 + i);
    series.threads.push_back(7);
  }
  // The runtime's own goroutine is never counted; ids, arguments, lines and waits differ
  // between the samplers, yet they are one signature.
  EXPECT_EQ(series.points[0].total, 1);
  EXPECT_EQ(series.points[20].counts.size(), 3u);
  GrowthVerdict v = JudgeGrowth(series, GrowthRules());
  ASSERT_TRUE(v.grows);
  ASSERT_EQ(v.goroutines.size(), 2u);
  EXPECT_EQ(v.goroutines[0].name, "main.sampleStats");
  EXPECT_DOUBLE_EQ(v.goroutines[0].fit.per_iteration, 2.0);
  EXPECT_EQ(v.goroutines[0].counts.back(), 40);
  EXPECT_EQ(v.goroutines[1].name, "main.(*Server).statsContainer");
  EXPECT_TRUE(v.total);
  EXPECT_TRUE(v.fds);
  EXPECT_FALSE(v.threads);
  EXPECT_EQ(v.message,
            "leaks 3.0 goroutines per iteration over 20 iterations: main.sampleStats +2.0/iteration, "
            "main.(*Server).statsContainer +1.0/iteration (total 1 \xE2\x86\x92 61); "
            "leaks 1.0 open fds per iteration over 20 iterations (9 \xE2\x86\x92 29)");

  // After the run the handlers are still there but the samplers drained, and so did the fds.
  GrowthVerdict settled =
      SettleGrowth(v, TakeCensus(GroupDump(StatsDump(20, 0, 500)), ignore_nothing), 10, 7, 20, GrowthRules());
  ASSERT_TRUE(settled.grows);
  ASSERT_EQ(settled.goroutines.size(), 1u);
  EXPECT_EQ(settled.goroutines[0].name, "main.(*Server).statsContainer");
  EXPECT_EQ(settled.goroutines[0].settled, 20);
  EXPECT_FALSE(settled.fds);
  EXPECT_EQ(settled.message,
            "leaks 1.0 goroutines per iteration over 20 iterations: main.(*Server).statsContainer "
            "+1.0/iteration (total 1 \xE2\x86\x92 21)");

  // An ignore entry takes a signature out of the census, as everywhere.
  LeakRules rules;
  rules.ignore.push_back(Pattern::Make(PatternTarget::kTopFrame, false, "sampleStats").value());
  EXPECT_EQ(TakeCensus(GroupDump(StatsDump(3, 6, 100)), rules).total, 4);
}

TEST(Growth, ALeakSpreadOverManyStacksIsSeenInTheTotal) {
  GrowthSeries series;
  series.iterations = 20;
  for (int i = 0; i <= 20; ++i) {
    Census c;
    // Each iteration leaves one goroutine on a stack of its own (say, a per-request closure).
    for (int k = 0; k < i; ++k) c.counts["main.handler.func" + std::to_string(k) + "\n"] = 1;
    c.total = 12 + i;
    series.points.push_back(c);
  }
  GrowthVerdict v = JudgeGrowth(series, GrowthRules());
  ASSERT_TRUE(v.grows);
  EXPECT_TRUE(v.goroutines.empty());
  ASSERT_TRUE(v.total);
  EXPECT_EQ(v.message,
            "leaks 1.0 goroutines per iteration over 20 iterations, spread over stacks that each grow by at most "
            "0.5/iteration (total 12 \xE2\x86\x92 32)");
}

TEST(Growth, NothingGrowsNothingSaid) {
  GrowthSeries series;
  series.iterations = 10;
  for (int i = 0; i <= 10; ++i) {
    Census c;
    c.counts["main.loop\n"] = 1 + i % 3;
    c.total = 12 + i % 3;
    series.points.push_back(c);
  }
  GrowthVerdict v = JudgeGrowth(series, GrowthRules());
  EXPECT_FALSE(v.grows);
  EXPECT_EQ(v.message, "");
}

}  // namespace
}  // namespace leakprobe
