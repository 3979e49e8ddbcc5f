#include "harness/timeline_recorder.h"

#include <gtest/gtest.h>

#include "matchers/growth.h"

namespace leakprobe {
namespace {

GroupedDump Dump(int followers, int readers) {
  std::string text;
  int id = 10;
  for (int i = 0; i < followers; ++i) {
    text += "goroutine " + std::to_string(id++) + " [chan receive]:\nmain.(*Server).logsContainer(0x1)\n\t/src/logs.go:67 +0x1\n\n";
  }
  for (int i = 0; i < readers; ++i) {
    text += "goroutine " + std::to_string(id++) + " [select]:\nmain.readLogMessages(0x1)\n\t/src/logs.go:108 +0x1\n\n";
  }
  return GroupDump(text);
}

LeakGroup Group(const GroupedDump& dump, size_t bucket, const char* why) {
  LeakGroup g;
  g.function = dump.buckets[bucket].sample.frames[0].func;
  g.signature = GrowthSignature(dump.buckets[bucket].sample);
  g.why = why;
  return g;
}

TEST(TimelineRecorder, PointsStepsAndTheVerdict) {
  TimelineRecorder r(TimelineRecorder::Clock::now());
  r.Dump(Dump(0, 0), "baseline", "baseline", 9, 7);
  r.StepStarted("step 1 \"follow\"");
  r.Dump(Dump(2, 2), "step", "after step 1");
  r.StepEnded();
  r.Verdict();
  r.Verdict();  // the first call counts
  std::vector<LeakGroup> none;
  Timeline t = r.Take(&none);
  ASSERT_EQ(t.points.size(), 2u);
  EXPECT_EQ(t.points[0].kind, "baseline");
  EXPECT_EQ(t.points[0].total, 0);
  EXPECT_EQ(t.points[0].fds, 9);
  EXPECT_EQ(t.points[0].threads, 7);
  EXPECT_EQ(t.points[1].label, "after step 1");
  EXPECT_EQ(t.points[1].total, 4);
  EXPECT_EQ(t.points[1].fds, -1);
  ASSERT_EQ(t.steps.size(), 1u);
  EXPECT_EQ(t.steps[0].label, "step 1 \"follow\"");
  EXPECT_LE(t.steps[0].start, t.steps[0].end);
  EXPECT_GE(t.verdict_t, t.steps[0].end);
  EXPECT_TRUE(t.series.empty());
}

TEST(TimelineRecorder, OneSeriesPerSignatureLinkedFromItsGroups) {
  TimelineRecorder r(TimelineRecorder::Clock::now());
  const GroupedDump later = Dump(3, 1);
  r.Dump(Dump(0, 0), "baseline", "baseline");
  r.Dump(Dump(1, 1), "step", "after step 1");
  r.Dump(later, "check", "leak check");
  // Buckets come largest first: the followers, then the reader.
  std::vector<LeakGroup> groups = {Group(later, 0, "leaked"), Group(later, 1, "growing"), Group(later, 0, "leaked")};
  Timeline t = r.Take(&groups);
  ASSERT_EQ(t.series.size(), 2u);
  EXPECT_EQ(t.series[0].name, "main.(*Server).logsContainer");
  EXPECT_EQ(t.series[0].why, "leaked");
  EXPECT_EQ(t.series[0].counts, (std::vector<int64_t>{0, 1, 3}));
  EXPECT_EQ(t.series[1].name, "main.readLogMessages");
  EXPECT_EQ(t.series[1].why, "growing");
  EXPECT_EQ(t.series[1].counts, (std::vector<int64_t>{0, 1, 1}));
  // The same signature twice: one series, both groups point at it.
  EXPECT_EQ(groups[0].timeline_series, 0);
  EXPECT_EQ(groups[1].timeline_series, 1);
  EXPECT_EQ(groups[2].timeline_series, 0);
}

TEST(TimelineRecorder, AStepStillOpenEndsWhenTaken) {
  TimelineRecorder r(TimelineRecorder::Clock::now());
  r.StepStarted("step 1");
  r.StepStarted("step 2");  // the first ends where the second starts
  std::vector<LeakGroup> none;
  Timeline t = r.Take(&none);
  ASSERT_EQ(t.steps.size(), 2u);
  EXPECT_EQ(t.steps[0].end, t.steps[1].start);
  EXPECT_GE(t.steps[1].end, t.steps[1].start);
  EXPECT_EQ(t.verdict_t, -1);
}

}  // namespace
}  // namespace leakprobe
