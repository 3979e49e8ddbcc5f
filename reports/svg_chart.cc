#include "reports/svg_chart.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <utility>
#include <vector>

#include "reports/html_text.h"
#include "reports/timeline_view.h"

namespace leakprobe {
namespace {

constexpr double kLeft = 46, kRight = 14;
constexpr int kProcHeight = 90;
constexpr std::size_t kMaxTitleBytes = 300;
constexpr std::size_t kSeriesInTitles = 3;  // series counts a marker's tooltip lists

// Coordinates with one decimal: enough on a 760-unit canvas, and small.
std::string Num(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f", std::isfinite(v) ? v : 0.0);
  std::string s = buf;
  if (s.size() > 2 && s.compare(s.size() - 2, 2, ".0") == 0) s.resize(s.size() - 2);
  return s;
}

// "7", "1500", "12k", "100k": y tick labels stay within the left margin.
std::string Count(double v) {
  if (v >= 10000 && std::fmod(v, 1000) == 0) return std::to_string(static_cast<int64_t>(v / 1000)) + "k";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.10g", v);
  return buf;
}

// A class name from a word the harness chose ("check", "growth"): letters only.
std::string ClassWord(const std::string& word) {
  std::string out;
  for (char ch : word) {
    if (ch >= 'a' && ch <= 'z') out += ch;
  }
  return out.empty() ? "other" : out;
}

struct Frame {
  double x0, x1, y0, y1;
  Axis xa, ya;
  double X(double t) const { return x0 + std::clamp(t / xa.max, 0.0, 1.0) * (x1 - x0); }
  double Y(double v) const { return y1 - std::clamp(v / ya.max, 0.0, 1.0) * (y1 - y0); }
};

// The grid as one path, the tick labels in two groups: a few elements per chart, not dozens.
void Grid(const Frame& f, std::string* out) {
  std::string lines, y_labels, x_labels;
  for (double v : f.ya.ticks) {
    lines += "M" + Num(f.x0) + " " + Num(f.Y(v)) + "H" + Num(f.x1);
    y_labels += "<text x=\"" + Num(f.x0 - 5) + "\" y=\"" + Num(f.Y(v) + 3.5) + "\">" + Count(v) + "</text>";
  }
  const int decimals = f.xa.max < 1 ? 2 : f.xa.max < 10 ? 1 : 0;
  for (double t : f.xa.ticks) {
    lines += "M" + Num(f.X(t)) + " " + Num(f.y0) + "V" + Num(f.y1);
    x_labels += "<text x=\"" + Num(f.X(t)) + "\" y=\"" + Num(f.y1 + 13) + "\">" + FormatChartSeconds(t, decimals) +
                "</text>";
  }
  *out += "<path class=\"grid\" d=\"" + lines + "\"/><g class=\"tick\" text-anchor=\"end\">" + y_labels +
          "</g><g class=\"tick\" text-anchor=\"middle\">" + x_labels + "</g><path class=\"axis\" d=\"M" + Num(f.x0) +
          " " + Num(f.y0) + "V" + Num(f.y1) + "H" + Num(f.x1) + "\"/>";
}

// The steps as bands; with `labels`, the wide ones named inside, at the top.
void Bands(const Timeline& timeline, const Frame& f, bool labels, std::string* out) {
  for (std::size_t i = 0; i < timeline.steps.size(); ++i) {
    const Timeline::Band& b = timeline.steps[i];
    const double x = f.X(b.start), w = std::max(0.8, f.X(b.end) - x);
    *out += "<rect class=\"band b" + std::to_string(i % 2) + "\" x=\"" + Num(x) + "\" y=\"" + Num(f.y0) +
            "\" width=\"" + Num(w) + "\" height=\"" + Num(f.y1 - f.y0) + "\"><title>" +
            HtmlLine(b.label, kMaxTitleBytes) + " (" + FormatChartSeconds(b.start, 3) + " to " +
            FormatChartSeconds(b.end, 3) + ")</title></rect>";
    // About 5.5 units per character of the 10-unit label font.
    const std::size_t chars = static_cast<std::size_t>((w - 6) / 5.5);
    if (!labels || chars < 4) continue;
    std::string name = b.label.rfind("step ", 0) == 0 ? b.label.substr(5) : b.label;
    *out += "<text class=\"bl\" x=\"" + Num(x + 3) + "\" y=\"" + Num(f.y0 + 11) + "\">" +
            HtmlLine(name, std::max<std::size_t>(3, chars)) + "</text>";
  }
}

void Verdict(const Timeline& timeline, const Frame& f, bool label, std::string* out) {
  if (!(timeline.verdict_t >= 0)) return;
  const double x = f.X(timeline.verdict_t);
  *out += "<line class=\"verdict\" x1=\"" + Num(x) + "\" y1=\"" + Num(f.y0 - 3) + "\" x2=\"" + Num(x) + "\" y2=\"" +
          Num(f.y1) + "\"><title>verdict at " + FormatChartSeconds(timeline.verdict_t, 3) + "</title></line>";
  if (!label) return;
  const bool right_half = x > (f.x0 + f.x1) / 2;
  *out += "<text class=\"vl\" x=\"" + Num(x + (right_half ? -4 : 4)) + "\" y=\"" + Num(f.y0 - 4) +
          "\" text-anchor=\"" + (right_half ? "end" : "start") + "\">verdict</text>";
}

std::string Polyline(const std::vector<std::pair<double, double>>& xy) {
  std::string points;
  for (const auto& [x, y] : xy) points += (points.empty() ? "" : " ") + Num(x) + "," + Num(y);
  return points;
}

std::string MarkTitle(const Timeline& timeline, std::size_t i) {
  const Timeline::Point& p = timeline.points[i];
  std::string text = FormatChartSeconds(p.t, 3) + " \xC2\xB7 " + p.kind;
  if (!p.label.empty() && p.label != p.kind) text += " \xC2\xB7 " + p.label;
  text += "\n" + std::to_string(p.total) + " goroutines";
  for (std::size_t s = 0; s < timeline.series.size() && s < kSeriesInTitles; ++s) {
    const Timeline::Series& series = timeline.series[s];
    if (i < series.counts.size()) text += "\n" + series.name + ": " + std::to_string(series.counts[i]);
  }
  if (p.fds >= 0 || p.threads >= 0) {
    text += "\nopen fds " + std::to_string(p.fds) + ", threads " + std::to_string(p.threads);
  }
  return HtmlText(text.size() > kMaxTitleBytes * 2 ? text.substr(0, kMaxTitleBytes * 2) : text);
}

std::string GoroutineChart(const Timeline& timeline, const std::vector<std::size_t>& shown,
                           const ChartOptions& options, const TimelineExtent& extent) {
  Frame f{kLeft, options.width - kRight, 16, options.height - 24.0, NiceAxis(extent.t_end, 8, false, true),
          NiceAxis(static_cast<double>(extent.goroutines), 4, true)};
  std::string out = "<svg class=\"chart\" viewBox=\"0 0 " + std::to_string(options.width) + " " +
                    std::to_string(options.height) + "\" role=\"img\" aria-label=\"" +
                    HtmlText(DescribeTimeline(timeline)) + "\">";
  Bands(timeline, f, true, &out);
  Grid(f, &out);
  std::vector<std::pair<double, double>> xy;
  for (std::size_t i : shown) xy.emplace_back(f.X(timeline.points[i].t), f.Y(timeline.points[i].total));
  out += "<polyline class=\"total\" points=\"" + Polyline(xy) + "\"><title>all goroutines</title></polyline>";
  for (std::size_t s = 0; s < timeline.series.size(); ++s) {
    const Timeline::Series& series = timeline.series[s];
    std::vector<std::pair<double, double>> line;
    for (std::size_t i : shown) {
      if (i < series.counts.size()) line.emplace_back(f.X(timeline.points[i].t), f.Y(series.counts[i]));
    }
    // Earlier series are drawn wider, so a later one on the same counts leaves both visible.
    const std::size_t wider = std::min<std::size_t>(3, timeline.series.size() - 1 - s);
    out += "<polyline class=\"series s" + std::to_string(s % kChartSeriesColours) + " w" + std::to_string(wider) + " why-" +
           ClassWord(series.why) + "\" points=\"" + Polyline(line) + "\"><title>" +
           HtmlLine(series.name + " (" + series.why + ")", kMaxTitleBytes) + "</title></polyline>";
  }
  Verdict(timeline, f, true, &out);
  out += "<g class=\"marks\">";
  for (std::size_t k = 0; k < shown.size(); ++k) {
    out += "<circle class=\"mark k-" + ClassWord(timeline.points[shown[k]].kind) + "\" cx=\"" + Num(xy[k].first) +
           "\" cy=\"" + Num(xy[k].second) + "\" r=\"3\"><title>" + MarkTitle(timeline, shown[k]) +
           "</title></circle>";
  }
  return out + "</g></svg>";
}

std::string ProcChart(const Timeline& timeline, const std::vector<std::size_t>& shown, const ChartOptions& options,
                      const TimelineExtent& extent) {
  Frame f{kLeft, options.width - kRight, 6, kProcHeight - 22.0, NiceAxis(extent.t_end, 8, false, true),
          NiceAxis(static_cast<double>(extent.proc), 2, true)};
  std::string out = "<svg class=\"chart proc\" viewBox=\"0 0 " + std::to_string(options.width) + " " +
                    std::to_string(kProcHeight) + "\" role=\"img\" aria-label=\"open fds and threads\">";
  Bands(timeline, f, false, &out);
  Grid(f, &out);
  for (const char* what : {"fds", "threads"}) {
    std::vector<std::pair<double, double>> line;
    for (std::size_t i : shown) {
      const Timeline::Point& p = timeline.points[i];
      const int64_t v = what[0] == 'f' ? p.fds : p.threads;
      if (v >= 0) line.emplace_back(f.X(p.t), f.Y(static_cast<double>(v)));
    }
    out += std::string("<polyline class=\"") + what + "\" points=\"" + Polyline(line) + "\"><title>" +
           (what[0] == 'f' ? "open fds" : "threads") + "</title></polyline>";
  }
  Verdict(timeline, f, false, &out);
  return out + "</svg>";
}

}  // namespace

std::string RenderTimelineSvg(const Timeline& timeline, const ChartOptions& options) {
  if (timeline.empty()) return "";
  const std::vector<std::size_t> shown = SamplePoints(timeline, std::max<std::size_t>(2, options.max_points));
  const TimelineExtent extent = MeasureTimeline(timeline);
  std::string out = GoroutineChart(timeline, shown, options, extent);
  if (extent.proc >= 0) out += ProcChart(timeline, shown, options, extent);
  return out;
}

}  // namespace leakprobe
