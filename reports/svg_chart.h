// One scenario's timeline (results.h) as inline SVG, drawn when the report is written so the
// chart is in the page without any script: x is the time since the scenario started, y the
// goroutines in each dump.
//
// What it draws, back to front: the steps as shaded, labelled bands; the grid and axes; the
// total as a line with a marker per dump (its <title> says when, which kind of dump, its
// label and the counts); each leaked, growing or proven series as its own thicker coloured
// line; the moment of the verdict as a vertical line. When fds or threads were measured, a
// second, smaller chart below on the same time axis draws them.
//
// Colours and line styles come from the page's CSS through these classes: chart, proc,
// band b0/b1, bl (band label), grid, tick, axis, total, mark k-KIND, series s0..s5 (the
// series' index modulo 6) with w0..w3 (how much wider than the ones drawn after it: lines
// on the same counts stay visible, one inside the other) and why-proven/why-leaked/
// why-growing, verdict, vl (its label), proc, fds, threads. Every text
// passes through HtmlText/HtmlLine (html_text.h). Pure; no I/O; thread-safe.
#ifndef LEAKPROBE_REPORTS_SVG_CHART_H_
#define LEAKPROBE_REPORTS_SVG_CHART_H_

#include <cstddef>
#include <string>

#include "reports/results.h"

namespace leakprobe {

struct ChartOptions {
  int width = 760;                // viewBox units; the page scales the chart to its column
  int height = 220;               // the goroutine chart; the fds/threads chart adds 90
  std::size_t max_points = 300;   // more dumps than this are sampled (SamplePoints)
};

// The number of colours the series cycle through (class s0 .. s5).
constexpr int kChartSeriesColours = 6;

// Returns "" for an empty timeline. Otherwise one <svg class="chart" role="img"
// aria-label="DescribeTimeline(...)"> element, followed by <svg class="chart proc"> when
// any point has fds or threads >= 0. A timeline whose every count is 0 or whose points all
// share one moment still draws (the axes then span 0..1).
std::string RenderTimelineSvg(const Timeline& timeline, const ChartOptions& options = {});

}  // namespace leakprobe

#endif  // LEAKPROBE_REPORTS_SVG_CHART_H_
