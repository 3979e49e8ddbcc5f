#include "reports/markdown.h"

#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

#include "reports/console.h"
#include "reports/html_text.h"
#include "reports/timeline_view.h"
#include "reports/sweep_matrix.h"
#include "reports/xml_text.h"

namespace leakprobe {
namespace {

constexpr std::size_t kMaxCellBytes = 300;

const char* Icon(CaseResult::Outcome outcome) {
  switch (outcome) {
    case CaseResult::Outcome::kPassed: return "\u2705";
    case CaseResult::Outcome::kFailed: return "\u274C";
    case CaseResult::Outcome::kError: return "\U0001F4A5";
    case CaseResult::Outcome::kSkipped: return "\u23ED\uFE0F";
  }
  return "?";
}

// One line of inline text that neither HTML nor (with `in_table`) a table row can misread.
std::string Inline(const std::string& raw, std::size_t max_bytes, bool in_table = true) {
  const std::string line = EscapeHtml(OneLine(SanitizeXmlText(raw), max_bytes), false);
  if (!in_table) return line;
  std::string out;
  out.reserve(line.size());
  for (char ch : line) {
    if (ch == '|') out += '\\';
    out += ch;
  }
  return out;
}

// A fenced code block that no run of backticks inside `body` can close early.
std::string Fenced(const std::string& body) {
  std::size_t longest = 0, run = 0;
  for (char ch : body) {
    run = ch == '`' ? run + 1 : 0;
    longest = std::max(longest, run);
  }
  const std::string fence(std::max<std::size_t>(3, longest + 1), '`');
  std::string out = fence + "text\n" + body;
  if (!body.empty() && body.back() != '\n') out += '\n';
  return out + fence + "\n";
}

std::string Cut(const std::string& text, std::size_t max_bytes) {
  if (text.size() <= max_bytes) return text;
  std::size_t end = max_bytes;
  while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xc0) == 0x80) --end;
  return text.substr(0, end) + "\n\u2026 (cut at " + std::to_string(max_bytes) + " bytes)\n";
}

// The colours the chart's lines take, in order (Mermaid's plotColorPalette), and their names
// for the line under it: the total in grey, the series as in the HTML report.
constexpr const char* kLineColours[] = {"#8b949e", "#d1242f", "#8250df", "#e16f24", "#0a7ea4", "#bf3989"};
constexpr const char* kLineColourNames[] = {"grey", "red", "purple", "orange", "teal", "pink"};
constexpr std::size_t kMaxChartLines = sizeof kLineColours / sizeof kLineColours[0];

// "2.5": the axis title says they are seconds.
std::string Seconds(double t, int decimals) {
  std::string s = FormatChartSeconds(t, decimals);
  s.pop_back();
  return s;
}

// x-axis labels: the dumps' times, each distinct (a band axis merges equal labels): with
// more decimals where two dumps round alike, and a "#2" when even milliseconds do.
std::vector<std::string> TimeLabels(const Timeline& t, const std::vector<std::size_t>& shown) {
  const int decimals = MeasureTimeline(t).t_end >= 10 ? 1 : 2;
  std::vector<std::string> out;
  for (std::size_t i : shown) {
    std::string label = Seconds(t.points[i].t, decimals);
    if (std::find(out.begin(), out.end(), label) != out.end()) label = Seconds(t.points[i].t, 3);
    for (int k = 2; std::find(out.begin(), out.end(), label) != out.end(); ++k) {
      label = Seconds(t.points[i].t, 3) + " #" + std::to_string(k);
    }
    out.push_back(label);
  }
  return out;
}

std::string Numbers(const std::vector<int64_t>& values, const std::vector<std::size_t>& shown) {
  std::string out;
  for (std::size_t i : shown) {
    out += (out.empty() ? "" : ", ") + std::to_string(i < values.size() ? values[i] : 0);
  }
  return "[" + out + "]";
}

// A Mermaid xychart-beta block of the timeline, at most `max_points` dumps, and the line that
// says which line is which.
std::string MermaidChart(const Timeline& t, std::size_t max_points) {
  const std::vector<std::size_t> shown = SamplePoints(t, max_points);
  std::vector<int64_t> totals;
  for (const Timeline::Point& p : t.points) totals.push_back(p.total);
  const std::size_t lines = std::min(kMaxChartLines, t.series.size() + 1);
  std::string palette;
  for (std::size_t i = 0; i < lines; ++i) palette += (i ? ", " : "") + std::string(kLineColours[i]);
  std::string out = "```mermaid\n%%{init: {\"xyChart\": {\"width\": 900, \"height\": 300, \"xAxis\": {\"labelFontSize\": 11}}, "
                    "\"themeVariables\": {\"xyChart\": {\"plotColorPalette\": \"" + palette +
                    "\"}}}}%%\nxychart-beta\n    title \"Goroutines in each dump\"\n    x-axis \"seconds since the start\" [";
  const std::vector<std::string> labels = TimeLabels(t, shown);
  for (std::size_t i = 0; i < labels.size(); ++i) out += (i ? ", \"" : "\"") + labels[i] + "\"";
  out += "]\n    y-axis \"goroutines\" 0 --> " +
         std::to_string(static_cast<int64_t>(NiceAxis(static_cast<double>(MeasureTimeline(t).goroutines), 5, true).max)) +
         "\n    line " + Numbers(totals, shown) + "\n";
  for (std::size_t s = 0; s + 1 < lines; ++s) out += "    line " + Numbers(t.series[s].counts, shown) + "\n";
  out += "```\n\nLines: " + std::string(kLineColourNames[0]) + ", all goroutines";
  for (std::size_t s = 0; s + 1 < lines; ++s) {
    out += "; " + std::string(kLineColourNames[s + 1]) + ", `" + Inline(t.series[s].name, kMaxCellBytes, false) +
           "` (" + Inline(t.series[s].why, kMaxCellBytes, false) + ")";
  }
  if (t.series.size() + 1 > lines) out += "; " + std::to_string(t.series.size() + 1 - lines) + " more not drawn";
  return out + (shown.size() < t.points.size()
                    ? " (" + std::to_string(shown.size()) + " of its " + std::to_string(t.points.size()) + " dumps)"
                    : std::string()) +
         ".\n";
}

std::string KnownLeakLine(const KnownLeak& k) {
  std::string out = "- `" + Inline(k.pattern, kMaxCellBytes, false) + "`";
  if (!k.function.empty()) out += " matched " + std::to_string(k.count) + " \u00d7 `" + Inline(k.function, kMaxCellBytes, false) + "`";
  out += ": " + Inline(k.reason, kMaxCellBytes, false);
  if (!k.where.empty()) out += " (" + Inline(k.where, kMaxCellBytes, false) + ")";
  return out + "\n";
}

// A failed or broken scenario's block: its chart (with `chart`), then its message, where it
// is written, its detail, the target's stderr and its known leaks, folded.
std::string FailureBlock(const SuiteResult& suite, const CaseResult& c, bool chart, const MarkdownOptions& options) {
  std::string block;
  if (chart) {
    block += "\n**" + Inline(c.classname.empty() ? suite.name : c.classname, kMaxCellBytes, false) + " / " +
             Inline(c.name, kMaxCellBytes, false) + "**: " +
             Inline(DescribeTimeline(c.timeline), kMaxCellBytes * 2, false) + "\n\n" +
             MermaidChart(c.timeline, options.max_chart_points);
  }
  block += "\n<details><summary>" + std::string(Icon(c.outcome)) + " " +
                      Inline(c.classname.empty() ? suite.name : c.classname, kMaxCellBytes,
                             false) +
                      " / " + Inline(c.name, kMaxCellBytes, false);
  if (!c.message.empty()) block += ": " + Inline(c.message, kMaxCellBytes, false);
  block += "</summary>\n\n";
  std::string where;
  if (!c.scenario_file.empty()) {
    where = "`" + Inline(c.scenario_file, kMaxCellBytes, false);
    if (c.scenario_line > 0) where += ":" + std::to_string(c.scenario_line);
    where += "`";
  }
  if (!c.type.empty()) where += (where.empty() ? "" : " \u00B7 ") + Inline(c.type, kMaxCellBytes, false);
  if (!where.empty()) block += where + "\n\n";
  const std::string body = SanitizeXmlText(!c.detail.empty() ? c.detail : c.message);
  block += Fenced(Cut(body, options.max_detail_bytes));
  if (!c.system_err.empty()) {
    block += "\nTarget stderr (tail):\n\n" +
             Fenced(Cut(SanitizeXmlText(c.system_err), options.max_detail_bytes / 4));
  }
  if (!c.known_leaks.empty()) {
    block += "\nKnown leaks (ignored, with a reason):\n\n";
    for (const KnownLeak& k : c.known_leaks) block += KnownLeakLine(k);
  }
  block += "\n</details>\n";
  return block;
}

}  // namespace

std::string RenderMarkdown(const RunResult& run, const MarkdownOptions& options) {
  std::string out = "### leakprobe: " + Inline(FormatSummary(run), kMaxCellBytes) + "\n\n";
  int cases = 0;
  for (const SuiteResult& suite : run.suites) cases += static_cast<int>(suite.cases.size());
  if (cases == 0) return out + "No scenario ran.\n";

  out += "| | Suite | Scenario | Time | Result |\n|---|---|---|---:|---|\n";
  for (const SuiteResult& suite : run.suites) {
    for (const CaseResult& c : suite.cases) {
      std::string result = c.message.empty()
                               ? std::string(c.outcome == CaseResult::Outcome::kPassed
                                                 ? "passed" : "")
                               : Inline(c.message, kMaxCellBytes);
      out += "| " + std::string(Icon(c.outcome)) + " | " +
             Inline(c.classname.empty() ? suite.name : c.classname, kMaxCellBytes) + " | " +
             Inline(c.name, kMaxCellBytes) + " | " + FormatSecondsShort(c.seconds) + " | " + result + " |\n";
    }
  }

  for (const SweepMatrix& m : SweepMatrices(run)) {
    std::string table = "\n" + SweepMatrixMarkdown(m);
    if (out.size() + table.size() <= options.max_total_bytes / 2) out += table;
  }

  int left_out = 0;
  std::size_t charts = 0;
  for (const SuiteResult& suite : run.suites) {
    for (const CaseResult& c : suite.cases) {
      if (c.outcome != CaseResult::Outcome::kFailed && c.outcome != CaseResult::Outcome::kError) {
        continue;
      }
      const bool chart = !c.timeline.empty() && charts < options.max_charts;
      const std::string block = FailureBlock(suite, c, chart, options);
      if (out.size() + block.size() > options.max_total_bytes) {
        ++left_out;
        continue;
      }
      out += block;
      charts += chart;
    }
  }
  std::string known;
  for (const SuiteResult& suite : run.suites) {
    for (const CaseResult& c : suite.cases) {
      if (c.known_leaks.empty() || c.outcome == CaseResult::Outcome::kFailed || c.outcome == CaseResult::Outcome::kError) {
        continue;
      }
      known += "\n" + Inline(c.classname.empty() ? suite.name : c.classname, kMaxCellBytes, false) + " / " +
               Inline(c.name, kMaxCellBytes, false) + ":\n\n";
      for (const KnownLeak& k : c.known_leaks) known += KnownLeakLine(k);
    }
  }
  if (!known.empty() && out.size() + known.size() + 40 <= options.max_total_bytes) {
    out += "\n#### Known leaks\n" + known;
  }
  std::string unseen;
  for (const SuiteResult& suite : run.suites) {
    for (const KnownLeak& k : suite.unseen_known_leaks) unseen += KnownLeakLine(k);
  }
  if (!unseen.empty() && out.size() + unseen.size() + 200 <= options.max_total_bytes) {
    out += "\n#### Known leaks no longer seen\n\nThese ignore entries matched nothing in the whole run: the leak may "
           "be fixed.\n\n" + unseen;
  }
  if (left_out > 0) {
    out += "\n" + std::to_string(left_out) +
           " more failure block(s) left out to stay within the summary size limit; see the "
           "JUnit or JSON report.\n";
  }
  return out;
}

}  // namespace leakprobe
