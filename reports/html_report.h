// The HTML report (`leakprobe run --html FILE`): one self-contained page that shows each
// scenario's goroutine timeline at a glance, then its leaked stacks.
//
// The page is one file with everything inline: CSS (light and dark through
// prefers-color-scheme, system fonts only), the charts as SVG drawn here (svg_chart.h, so they
// are in the page without script), and a few lines of script for conveniences only (expand
// or collapse all, failures only, opening the scenario a #link names). A Content-Security-
// Policy meta tag allows nothing but that script (by its hash), inline styles and data:
// images, so the page fetches nothing from anywhere: it opens from disk, from a CI artifact
// and offline.
//
// What it shows: a header with the verdict, the totals, the targets, Go and leakprobe
// versions, when the run started, the suites, and the known leaks no longer seen; then every
// scenario, failed and broken ones first and open, the others folded, each with its
// timeline chart and legend, its leak groups (count, function, rate per iteration, a proven
// badge, the step that created them, ids, the stack folded to its first frame), its known
// leaks, the failure body when there are no leak groups, the target's stderr tail and the
// step log (folded).
//
// Every string from the results passes through HtmlText/HtmlLine (html_text.h): no byte of a
// dump, a log or a name can close an element or start a script. Size stays bounded: logs,
// bodies, groups, ids, frames and chart points are capped (the page says what it cut), and
// past `max_total_bytes` the remaining scenarios keep their charts and leak groups but not
// their logs. Pure; no I/O; thread-safe.
#ifndef LEAKPROBE_REPORTS_HTML_REPORT_H_
#define LEAKPROBE_REPORTS_HTML_REPORT_H_

#include <cstddef>
#include <string>

#include "reports/results.h"
#include "reports/svg_chart.h"

namespace leakprobe {

struct HtmlReportOptions {
  // The header's leakprobe version; "" takes the suites' "leakprobe.version" property.
  std::string leakprobe_version;
  std::size_t max_log_bytes = 48 * 1024;     // a step log keeps its start and its end
  std::size_t max_stderr_bytes = 16 * 1024;  // a stderr tail keeps its end
  std::size_t max_detail_bytes = 64 * 1024;  // a failure body keeps its start
  std::size_t max_groups = 50;               // leak groups per scenario
  std::size_t max_ids = 20;                  // ids per leak group
  std::size_t max_frames = 64;               // frames per stack
  std::size_t max_total_bytes = 6 * 1024 * 1024;
  ChartOptions chart;
};

// Returns the whole page, "<!DOCTYPE html>\n<html lang=\"en\">…</html>\n". A run with no
// scenario gives a page that says "No scenario ran." Never fails.
std::string RenderHtmlReport(const RunResult& run, const HtmlReportOptions& options = {});

}  // namespace leakprobe

#endif  // LEAKPROBE_REPORTS_HTML_REPORT_H_
