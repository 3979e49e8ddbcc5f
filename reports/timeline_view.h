// What the report writers derive from a scenario's Timeline (results.h) before they draw it,
// computed here once for the HTML chart, the Markdown chart and their captions: which dumps
// to keep when there are too many, where the axes end and where their ticks go, and the one
// sentence that says the shape in words (the chart's text alternative).
//
// The Timeline itself is the model; the JSON report writes it as it is. Pure; no I/O;
// thread-safe.
#ifndef LEAKPROBE_REPORTS_TIMELINE_VIEW_H_
#define LEAKPROBE_REPORTS_TIMELINE_VIEW_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "reports/results.h"

namespace leakprobe {

// An axis from 0 to `max`, with a tick at each of `ticks` (0 first, `max` last).
struct Axis {
  double max = 1;
  std::vector<double> ticks;
};

// The axis for values in [0, `top`]: ticks every 1, 2 or 5 × 10^k, the smallest such step
// that needs at most `max_intervals` intervals, and `max` the first tick >= `top`. With
// `integers`, the step is at least 1. With `tight`, `max` is `top` itself and the ticks stop
// at the last one <= `top` (a time axis ends where the scenario did). A `top` <= 0 or not
// finite gives 0..1.
// Examples: NiceAxis(14, 4, true) -> max 15, ticks 0 5 10 15;
//           NiceAxis(8.07, 5, false) -> max 10, ticks 0 2 4 6 8 10;
//           NiceAxis(8.07, 5, false, true) -> max 8.07, ticks 0 2 4 6 8;
//           NiceAxis(0.3, 4, false) -> max 0.3, ticks 0 0.1 0.2 0.3.
Axis NiceAxis(double top, int max_intervals, bool integers, bool tight = false);

// Indices into timeline.points of the points to draw, in order. All of them when there are
// at most `max_points`; otherwise exactly `max_points`: the first, the last, from each of
// `max_points` - 2 equal slices of the time between them the point with the highest total
// (so a spike or the top of a climb survives), and, for each slice with no point, one of
// the others, evenly by position. REQUIRES: max_points >= 2.
std::vector<std::size_t> SamplePoints(const Timeline& timeline, std::size_t max_points);

// How far the timeline reaches, for the axes.
struct TimelineExtent {
  double t_end = 0;        // the latest of the last point, the last step's end and the verdict
  int64_t goroutines = 0;  // the highest total or series count
  int64_t proc = -1;       // the highest fds or threads count; -1 when none was measured
};
TimelineExtent MeasureTimeline(const Timeline& timeline);

// The shape in one line of plain text (the caller escapes it), "" for an empty timeline:
//   "12 dumps over 8.07s: 6 → 8 goroutines (peak 9); main.(*Server).logsContainer (leaked)
//    0 → 1; open fds 9 → 12, threads 7 → 7"
// Each series is described by its first and last count (and its peak when higher); at most
// `max_series` series are named, then "and N more".
std::string DescribeTimeline(const Timeline& timeline, std::size_t max_series = 4);

// Seconds as the charts label them: "0s", "2.5s", "0.25s" (at most `decimals` decimals,
// trailing zeros dropped).
std::string FormatChartSeconds(double seconds, int decimals = 2);

}  // namespace leakprobe

#endif  // LEAKPROBE_REPORTS_TIMELINE_VIEW_H_
