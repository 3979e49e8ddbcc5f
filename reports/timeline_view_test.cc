#include "reports/timeline_view.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <vector>

namespace leakprobe {
namespace {

Timeline Points(const std::vector<std::pair<double, int64_t>>& tn) {
  Timeline t;
  for (const auto& [at, total] : tn) t.points.push_back({at, total, "check", "", -1, -1});
  return t;
}

TEST(NiceAxis, PicksTheSmallestNiceStep) {
  struct Case {
    double top;
    int intervals;
    bool integers;
    std::vector<double> ticks;
  };
  const Case cases[] = {
      {14, 4, true, {0, 5, 10, 15}},
      {8.07, 5, false, {0, 2, 4, 6, 8, 10}},
      {0.3, 4, false, {0, 0.1, 0.2, 0.3}},
      {1, 4, true, {0, 1}},
      {3, 4, true, {0, 1, 2, 3}},
      {100001, 4, true, {0, 50000, 100000, 150000}},
      {0, 4, true, {0, 1}},
      {-5, 4, false, {0, 0.5, 1}},
      {0.0004, 2, true, {0, 1}},
  };
  for (const Case& c : cases) {
    const Axis axis = NiceAxis(c.top, c.intervals, c.integers);
    EXPECT_EQ(axis.ticks, c.ticks) << c.top;
    EXPECT_EQ(axis.max, c.ticks.back()) << c.top;
  }
}

TEST(NiceAxis, TightEndsAtTheTop) {
  Axis axis = NiceAxis(8.07, 5, false, true);
  EXPECT_EQ(axis.max, 8.07);
  EXPECT_EQ(axis.ticks, (std::vector<double>{0, 2, 4, 6, 8}));
  axis = NiceAxis(8, 4, false, true);
  EXPECT_EQ(axis.max, 8);
  EXPECT_EQ(axis.ticks, (std::vector<double>{0, 2, 4, 6, 8}));
  axis = NiceAxis(0, 4, false, true);
  EXPECT_EQ(axis.max, 1);
}

TEST(SamplePoints, KeepsEverythingWhenFew) {
  EXPECT_EQ(SamplePoints(Points({{0, 1}, {1, 2}, {2, 3}}), 3), (std::vector<std::size_t>{0, 1, 2}));
  EXPECT_TRUE(SamplePoints(Timeline{}, 30).empty());
}

TEST(SamplePoints, KeepsTheEndsAndEachSlicesPeak) {
  // 0..9 s, one point every 0.1 s, a spike at 4.55 s: four slices of 2.25 s in between.
  Timeline t;
  for (int i = 0; i <= 90; ++i) t.points.push_back({i / 10.0, 10, "growth", "", -1, -1});
  t.points[45].total = 99;
  std::vector<std::size_t> got = SamplePoints(t, 6);
  ASSERT_EQ(got.size(), 6u);
  EXPECT_EQ(got.front(), 0u);
  EXPECT_EQ(got.back(), 90u);
  EXPECT_NE(std::find(got.begin(), got.end(), 45u), got.end());
  EXPECT_TRUE(std::is_sorted(got.begin(), got.end()));
}

TEST(SamplePoints, EmptySlicesLeaveRoomForOthers) {
  // Two bursts far apart: most slices of the time between them are empty.
  Timeline t;
  for (int i = 0; i < 20; ++i) t.points.push_back({i * 0.001, i, "check", "", -1, -1});
  for (int i = 0; i < 20; ++i) t.points.push_back({100 + i * 0.001, i, "check", "", -1, -1});
  const std::vector<std::size_t> got = SamplePoints(t, 30);
  EXPECT_EQ(got.size(), 30u);
  EXPECT_TRUE(std::is_sorted(got.begin(), got.end()));
  EXPECT_EQ(std::adjacent_find(got.begin(), got.end()), got.end()) << "no point twice";
}

TEST(SamplePoints, AllAtOneMomentSamplesByPosition) {
  Timeline t;
  for (int i = 0; i < 50; ++i) t.points.push_back({1.0, i, "check", "", -1, -1});
  const std::vector<std::size_t> got = SamplePoints(t, 10);
  EXPECT_EQ(got.size(), 10u);
  EXPECT_EQ(got.front(), 0u);
  EXPECT_EQ(got.back(), 49u);
}

TEST(MeasureTimeline, ReachesTheLastBandAndTheVerdict) {
  Timeline t = Points({{0.05, 6}, {3.0, 9}});
  t.points[1].fds = 12;
  t.points[1].threads = 7;
  t.series = {{"main.f", "leaked", {0, 14}}};
  t.steps = {{"step 1", 0.06, 4.5}};
  t.verdict_t = 4.0;
  const TimelineExtent e = MeasureTimeline(t);
  EXPECT_EQ(e.t_end, 4.5);
  EXPECT_EQ(e.goroutines, 14);
  EXPECT_EQ(e.proc, 12);
  EXPECT_EQ(MeasureTimeline(Points({{1, 2}})).proc, -1);
}

TEST(DescribeTimeline, SaysTheShapeInOneLine) {
  EXPECT_EQ(DescribeTimeline(Timeline{}), "");
  EXPECT_EQ(DescribeTimeline(Points({{0.06, 6}})), "1 dump at 0.06s: 6 goroutines");
  Timeline t = Points({{0.06, 6}, {3.07, 12}, {8.07, 8}});
  t.series = {{"main.(*Server).logsContainer", "leaked", {0, 2, 2}}, {"main.g", "growing", {0, 5, 1}}};
  t.points[0].fds = 9;
  t.points[0].threads = 7;
  t.points[2].fds = 12;
  t.points[2].threads = 7;
  EXPECT_EQ(DescribeTimeline(t),
            "3 dumps over 8.07s: 6 \u2192 8 (peak 12) goroutines; main.(*Server).logsContainer (leaked) 0 \u2192 2; "
            "main.g (growing) 0 \u2192 1 (peak 5); open fds 9 \u2192 12, threads 7 \u2192 7");
  EXPECT_EQ(DescribeTimeline(t, 1),
            "3 dumps over 8.07s: 6 \u2192 8 (peak 12) goroutines; main.(*Server).logsContainer (leaked) 0 \u2192 2; "
            "and 1 more; open fds 9 \u2192 12, threads 7 \u2192 7");
}

TEST(FormatChartSeconds, DropsTrailingZeros) {
  EXPECT_EQ(FormatChartSeconds(0), "0s");
  EXPECT_EQ(FormatChartSeconds(2.5), "2.5s");
  EXPECT_EQ(FormatChartSeconds(0.25), "0.25s");
  EXPECT_EQ(FormatChartSeconds(8.0633, 1), "8.1s");
  EXPECT_EQ(FormatChartSeconds(10, 0), "10s");
  EXPECT_EQ(FormatChartSeconds(-1), "0s");
}

}  // namespace
}  // namespace leakprobe
