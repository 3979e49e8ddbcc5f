#include "reports/html_case.h"

#include <algorithm>
#include <vector>

#include "base/rate_text.h"
#include "reports/console.h"
#include "reports/html_text.h"
#include "reports/svg_chart.h"
#include "reports/timeline_view.h"
#include "reports/xml_text.h"

namespace leakprobe {
namespace {

constexpr std::size_t kMaxLineBytes = 1000;
constexpr std::size_t kMaxSummaryMessageBytes = 300;
constexpr std::size_t kMaxFirstFrameBytes = 300;
constexpr std::size_t kMaxGrowthCounts = 40;

const char* OutcomeLabel(CaseResult::Outcome outcome) {
  switch (outcome) {
    case CaseResult::Outcome::kPassed: return "PASS";
    case CaseResult::Outcome::kFailed: return "FAIL";
    case CaseResult::Outcome::kError: return "ERROR";
    case CaseResult::Outcome::kSkipped: return "SKIP";
  }
  return "?";
}

// The largest index <= i that starts a UTF-8 character of `s`.
std::size_t CharStart(const std::string& s, std::size_t i) {
  while (i > 0 && i < s.size() && (static_cast<unsigned char>(s[i]) & 0xc0) == 0x80) --i;
  return i;
}

std::string CutNote(std::size_t bytes) {
  return "\xE2\x80\xA6 " + std::to_string(bytes) + " bytes cut here (the JUnit and JSON reports have them all) \xE2\x80\xA6";
}

// `text` (sanitized) within about `max` bytes: its start, its end, or both, with a line that
// says how much was cut.
std::string KeepStart(const std::string& text, std::size_t max) {
  if (text.size() <= max) return text;
  const std::size_t end = CharStart(text, max);
  return text.substr(0, end) + "\n" + CutNote(text.size() - end) + "\n";
}

std::string KeepEnd(const std::string& text, std::size_t max) {
  if (text.size() <= max) return text;
  std::size_t start = text.size() - max;
  const std::size_t line = text.find('\n', start);
  start = line != std::string::npos && line - start < 200 ? line + 1 : CharStart(text, start);
  return CutNote(start) + "\n" + text.substr(start);
}

std::string KeepBothEnds(const std::string& text, std::size_t max) {
  if (text.size() <= max) return text;
  const std::size_t head = CharStart(text, max / 4);
  const std::size_t tail = CharStart(text, text.size() - (max - head));
  return text.substr(0, head) + "\n" + CutNote(tail - head) + "\n" + text.substr(tail);
}

std::string Folded(const std::string& title, const std::string& sanitized, bool open, const char* pre_class) {
  const std::size_t lines = std::count(sanitized.begin(), sanitized.end(), '\n') +
                            (!sanitized.empty() && sanitized.back() != '\n');
  return std::string("<details class=\"more\"") + (open ? " open" : "") + "><summary>" + title + " (" +
         std::to_string(lines) + (lines == 1 ? " line" : " lines") + ")</summary><pre class=\"" + pre_class + "\">" +
         HtmlText(sanitized) + "</pre></details>";
}

std::string Legend(const Timeline& t) {
  std::string out = "<ul class=\"legend\"><li><span class=\"sw total\"></span>all goroutines (a dot per dump)</li>";
  for (std::size_t s = 0; s < t.series.size(); ++s) {
    out += "<li><span class=\"sw s" + std::to_string(s % kChartSeriesColours) + "\"></span><code>" +
           HtmlLine(t.series[s].name, kMaxLineBytes) + "</code> <span class=\"badge why\">" +
           HtmlLine(t.series[s].why, 40) + "</span></li>";
  }
  if (t.verdict_t >= 0) out += "<li><span class=\"sw verdict\"></span>verdict</li>";
  if (!t.steps.empty()) out += "<li><span class=\"sw band\"></span>steps</li>";
  if (MeasureTimeline(t).proc >= 0) {
    out += "<li><span class=\"sw fds\"></span>open fds</li><li><span class=\"sw threads\"></span>threads</li>";
  }
  return out + "</ul>";
}

std::string LeakGroupHtml(const LeakGroup& g, int series, const HtmlReportOptions& options) {
  std::string out = std::string("<div class=\"leak") + (g.proven ? " proven" : "") + "\"><p class=\"head\">";
  if (series >= 0) out += "<span class=\"sw s" + std::to_string(series % kChartSeriesColours) + "\"></span>";
  out += "<b class=\"n\">" + std::to_string(g.count) + "</b> \xC3\x97 <code class=\"fn\">" +
         HtmlLine(g.function, kMaxLineBytes) + "</code>";
  if (g.proven) out += "<span class=\"badge proven\" title=\"the Go runtime proved they can never wake\">proven leak</span>";
  if (g.per_iteration > 0) out += "<span class=\"badge rate\">" + FormatSignedRate(g.per_iteration) + " per iteration</span>";
  if (!g.state.empty()) {
    out += " <span class=\"muted\">[" + HtmlLine(g.state, kMaxLineBytes) +
           (g.wait_minutes > 0 ? ", " + std::to_string(g.wait_minutes) + " minutes" : "") + "]</span>";
  }
  out += "</p>";
  std::vector<std::string> meta;
  if (!g.created_during.empty()) meta.push_back("created during " + HtmlLine(g.created_during, kMaxLineBytes));
  if (!g.ids.empty()) {
    std::string ids = g.ids.size() == 1 ? "id " : "ids ";
    for (std::size_t i = 0; i < g.ids.size() && i < options.max_ids; ++i) ids += (i ? ", " : "") + std::to_string(g.ids[i]);
    if (g.ids.size() > options.max_ids) ids += " and " + std::to_string(g.ids.size() - options.max_ids) + " more";
    meta.push_back(ids);
  }
  if (!g.labels.empty()) {
    std::string labels = "labels ";
    for (std::size_t i = 0; i < g.labels.size(); ++i) {
      labels += (i ? ", " : "") + std::string("<code>") + HtmlLine(g.labels[i].first + "=" + g.labels[i].second, kMaxLineBytes) + "</code>";
    }
    meta.push_back(labels);
  }
  if (!g.series.empty()) {
    std::string counts = "by iteration:";
    for (std::size_t i = 0; i < g.series.size() && i < kMaxGrowthCounts; ++i) counts += " " + std::to_string(g.series[i]);
    if (g.series.size() > kMaxGrowthCounts) counts += " \xE2\x80\xA6";
    meta.push_back(counts);
  }
  if (!meta.empty()) {
    out += "<p class=\"meta\">";
    for (std::size_t i = 0; i < meta.size(); ++i) out += (i ? " \xC2\xB7 " : "") + meta[i];
    out += "</p>";
  }
  std::string stack;
  for (std::size_t i = 0; i < g.stack.size() && i < options.max_frames; ++i) stack += g.stack[i] + "\n";
  if (g.stack.size() > options.max_frames) {
    stack += "\xE2\x80\xA6 " + std::to_string(g.stack.size() - options.max_frames) + " more frames\n";
  }
  if (!g.created_by.empty()) stack += "created by " + g.created_by + "\n";
  if (!stack.empty()) {
    const std::string first = g.stack.empty() ? "created by " + g.created_by : g.stack[0];
    const std::size_t frames = g.stack.size() + !g.created_by.empty();
    out += "<details class=\"stack\"><summary><code>" + HtmlLine(first, kMaxFirstFrameBytes) + "</code> <span class=\"muted\">\xE2\x80\xA6 (" +
           std::to_string(frames) + (frames == 1 ? " frame" : " frames") + ")</span></summary><pre>" +
           HtmlText(stack) + "</pre></details>";
  }
  return out + "</div>";
}

std::string KnownLeaksHtml(const CaseResult& c) {
  if (c.known_leaks.empty()) return "";
  std::string out = "<h3>Known leaks</h3><table><tr><th>Goroutines</th><th>Function</th><th>Reason</th><th>Entry</th></tr>";
  for (const KnownLeak& k : c.known_leaks) {
    out += "<tr><td class=\"nowrap\">" + std::to_string(k.count) + "</td><td><code>" + HtmlLine(k.function, kMaxLineBytes) +
           "</code></td><td>" + HtmlLine(k.reason, kMaxLineBytes) + "</td><td><code>" +
           HtmlLine(k.pattern, kMaxLineBytes) + "</code>" +
           (k.where.empty() ? "" : " <span class=\"muted\">at " + HtmlLine(k.where, kMaxLineBytes) + "</span>") +
           "</td></tr>";
  }
  return out + "</table>";
}

}  // namespace

std::string CaseAnchor(std::size_t suite_index, std::size_t case_index) {
  return "s" + std::to_string(suite_index) + "c" + std::to_string(case_index);
}

std::string RenderHtmlCase(const SuiteResult& suite, const CaseResult& c, const std::string& anchor, bool lean,
                           const HtmlReportOptions& options) {
  const bool bad = c.outcome == CaseResult::Outcome::kFailed || c.outcome == CaseResult::Outcome::kError;
  const std::string outcome = OutcomeName(c.outcome);
  std::string out = "<details class=\"case " + outcome + (bad ? " bad" : "") + "\" id=\"" + anchor + "\"" +
                    (bad ? " open" : "") + "><summary><span class=\"st " + outcome + "\">" + OutcomeLabel(c.outcome) +
                    "</span> <span class=\"muted\">" + HtmlLine(c.classname.empty() ? suite.name : c.classname, kMaxLineBytes) +
                    " /</span> <b>" + HtmlLine(c.name, kMaxLineBytes) + "</b> <span class=\"muted\">" +
                    FormatSecondsShort(c.seconds) + "</span>";
  if (!c.message.empty()) out += " <span class=\"msg\">" + HtmlLine(c.message, kMaxSummaryMessageBytes) + "</span>";
  out += "</summary><div class=\"body\">";

  std::string where;
  if (!c.scenario_file.empty()) {
    where = "<code>" + HtmlLine(c.scenario_file, kMaxLineBytes) +
            (c.scenario_line > 0 ? ":" + std::to_string(c.scenario_line) : "") + "</code>";
  }
  if (!c.type.empty()) where += (where.empty() ? "" : " \xC2\xB7 ") + HtmlLine(c.type, kMaxLineBytes);
  if (!where.empty()) out += "<p class=\"muted\">" + where + "</p>";
  if (!c.message.empty()) out += "<p>" + HtmlLine(c.message, kMaxLineBytes * 4) + "</p>";

  if (c.timeline.empty()) {
    out += "<p class=\"muted\">No goroutine dump was taken in this scenario.</p>";
  } else {
    out += "<figure class=\"timeline\">" + RenderTimelineSvg(c.timeline, options.chart) + "<figcaption>" +
           Legend(c.timeline) + "<p class=\"caption\">" + HtmlText(DescribeTimeline(c.timeline)) +
           "</p></figcaption></figure>";
  }

  if (!c.leaks.empty()) {
    out += "<h3>Leaked goroutines, grouped by identical stack</h3>";
    for (std::size_t i = 0; i < c.leaks.size() && i < options.max_groups; ++i) {
      const int series = c.leaks[i].timeline_series;
      const bool drawn = series >= 0 && static_cast<std::size_t>(series) < c.timeline.series.size();
      out += LeakGroupHtml(c.leaks[i], drawn ? series : -1, options);
    }
    if (c.leaks.size() > options.max_groups) {
      out += "<p class=\"muted\">and " + std::to_string(c.leaks.size() - options.max_groups) +
             " more groups: the JUnit and JSON reports have them all.</p>";
    }
  }
  out += KnownLeaksHtml(c);

  if (lean) {
    if (!c.detail.empty() || !c.system_err.empty() || !c.system_out.empty()) {
      out += "<p class=\"muted\">Its logs are left out: the page reached its size limit.</p>";
    }
  } else {
    if (c.leaks.empty() && !c.detail.empty()) {
      out += Folded(c.outcome == CaseResult::Outcome::kError ? "Error detail" : "Failure detail",
                    KeepStart(SanitizeXmlText(c.detail), options.max_detail_bytes), bad, "");
    }
    if (!c.system_err.empty()) {
      // When the scenario broke, what the target said last is often why.
      out += Folded("Target stderr, its end", KeepEnd(SanitizeXmlText(c.system_err), options.max_stderr_bytes),
                    c.outcome == CaseResult::Outcome::kError, "log");
    }
    if (!c.system_out.empty()) {
      out += Folded("Step log", KeepBothEnds(SanitizeXmlText(c.system_out), options.max_log_bytes), false, "log");
    }
  }
  return out + "</div></details>\n";
}

}  // namespace leakprobe
