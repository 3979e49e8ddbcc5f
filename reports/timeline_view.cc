#include "reports/timeline_view.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "reports/console.h"

namespace leakprobe {
namespace {

constexpr char kArrow[] = " \xE2\x86\x92 ";  // " → "

std::string FirstLastPeak(int64_t first, int64_t last, int64_t peak) {
  std::string out = std::to_string(first) + kArrow + std::to_string(last);
  if (peak > std::max(first, last)) out += " (peak " + std::to_string(peak) + ")";
  return out;
}

}  // namespace

Axis NiceAxis(double top, int max_intervals, bool integers, bool tight) {
  Axis axis;
  if (!std::isfinite(top) || top <= 0) top = 1;
  max_intervals = std::max(1, max_intervals);
  const double base = std::pow(10.0, std::floor(std::log10(top / max_intervals)));
  double step = base * 10;
  for (double m : {1.0, 2.0, 5.0, 10.0}) {
    double candidate = m * base;
    if (integers) candidate = std::max(1.0, std::round(candidate));
    if (std::ceil(top / candidate - 1e-9) <= max_intervals) {
      step = candidate;
      break;
    }
  }
  const int n = std::max(1, static_cast<int>(std::ceil(top / step - 1e-9)));
  for (int i = 0; i <= n; ++i) {
    // Rounded to 1e-9 so 3 × 0.1 is 0.3, not 0.30000000000000004.
    axis.ticks.push_back(std::round(i * step * 1e9) / 1e9);
  }
  axis.max = axis.ticks.back();
  if (tight && axis.max > top) {
    axis.ticks.pop_back();
    axis.max = top;
  }
  return axis;
}

std::vector<std::size_t> SamplePoints(const Timeline& timeline, std::size_t max_points) {
  const std::vector<Timeline::Point>& points = timeline.points;
  const std::size_t n = points.size();
  std::vector<std::size_t> out;
  if (n <= max_points || max_points < 2) {
    for (std::size_t i = 0; i < n; ++i) out.push_back(i);
    return out;
  }
  const std::size_t slots = max_points - 2;
  const double t0 = points.front().t, span = points.back().t - t0;
  std::vector<std::size_t> best(slots, n);  // n: no point in that slot yet
  for (std::size_t i = 1; i + 1 < n; ++i) {
    std::size_t slot;
    if (!(span > 0)) {
      slot = (i - 1) * slots / (n - 2);  // all at one moment: by position instead
    } else {
      const double at = std::clamp((points[i].t - t0) / span, 0.0, 1.0);
      slot = std::min(slots - 1, static_cast<std::size_t>(at * slots));
    }
    if (best[slot] == n || points[i].total > points[best[slot]].total) best[slot] = i;
  }
  out.push_back(0);
  for (std::size_t i : best) {
    if (i != n) out.push_back(i);
  }
  out.push_back(n - 1);
  std::sort(out.begin(), out.end());
  if (out.size() < max_points) {  // empty slices: spend what they left on points between
    std::vector<std::size_t> rest;
    for (std::size_t i = 0, k = 0; i < n; ++i) {
      if (k < out.size() && out[k] == i) {
        ++k;
      } else {
        rest.push_back(i);
      }
    }
    const std::size_t need = max_points - out.size();
    for (std::size_t k = 0; k < need; ++k) out.push_back(rest[k * rest.size() / need]);
    std::sort(out.begin(), out.end());
  }
  return out;
}

TimelineExtent MeasureTimeline(const Timeline& timeline) {
  TimelineExtent e;
  for (const Timeline::Point& p : timeline.points) {
    e.t_end = std::max(e.t_end, p.t);
    e.goroutines = std::max(e.goroutines, p.total);
    e.proc = std::max({e.proc, p.fds, p.threads});
  }
  for (const Timeline::Band& b : timeline.steps) e.t_end = std::max(e.t_end, b.end);
  e.t_end = std::max(e.t_end, timeline.verdict_t);
  for (const Timeline::Series& s : timeline.series) {
    for (int64_t c : s.counts) e.goroutines = std::max(e.goroutines, c);
  }
  if (!std::isfinite(e.t_end)) e.t_end = 0;
  return e;
}

std::string DescribeTimeline(const Timeline& timeline, std::size_t max_series) {
  const std::vector<Timeline::Point>& points = timeline.points;
  if (points.empty()) return "";
  int64_t peak = 0;
  for (const Timeline::Point& p : points) peak = std::max(peak, p.total);
  std::string out;
  if (points.size() == 1) {
    out = "1 dump at " + FormatSecondsShort(points[0].t) + ": " + std::to_string(points[0].total) +
          " goroutines";
  } else {
    out = std::to_string(points.size()) + " dumps over " +
          FormatSecondsShort(MeasureTimeline(timeline).t_end) + ": " +
          FirstLastPeak(points.front().total, points.back().total, peak) + " goroutines";
  }
  std::size_t named = 0;
  for (const Timeline::Series& s : timeline.series) {
    if (s.counts.empty()) continue;
    if (named == max_series) {
      out += "; and " + std::to_string(timeline.series.size() - named) + " more";
      break;
    }
    ++named;
    out += "; " + s.name + " (" + s.why + ") " +
           FirstLastPeak(s.counts.front(), s.counts.back(),
                         *std::max_element(s.counts.begin(), s.counts.end()));
  }
  const Timeline::Point* first = nullptr;
  const Timeline::Point* last = nullptr;
  for (const Timeline::Point& p : points) {
    if (p.fds < 0 && p.threads < 0) continue;
    if (first == nullptr) first = &p;
    last = &p;
  }
  if (first != nullptr) {
    out += "; open fds " + std::to_string(first->fds) + kArrow + std::to_string(last->fds) + ", threads " +
           std::to_string(first->threads) + kArrow + std::to_string(last->threads);
  }
  return out;
}

std::string FormatChartSeconds(double seconds, int decimals) {
  if (!std::isfinite(seconds) || seconds < 0) seconds = 0;
  char buf[400];
  std::snprintf(buf, sizeof buf, "%.*f", std::clamp(decimals, 0, 6), seconds);
  std::string out = buf;
  if (out.find('.') != std::string::npos) {
    while (out.back() == '0') out.pop_back();
    if (out.back() == '.') out.pop_back();
  }
  return out + "s";
}

}  // namespace leakprobe
