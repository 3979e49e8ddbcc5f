// The HTML report's inline stylesheet and script (html_report.h), kept apart from the code
// that writes the page. Constants only; no I/O.
#ifndef LEAKPROBE_REPORTS_HTML_ASSETS_H_
#define LEAKPROBE_REPORTS_HTML_ASSETS_H_

namespace leakprobe {

// The stylesheet: light colours, dark ones under prefers-color-scheme: dark, system fonts.
// The chart classes are those svg_chart.h lists.
extern const char kHtmlReportCss[];

// The script, for conveniences only (the page reads the same without it): expand or
// collapse all scenarios, show failures only, open the scenario a #link names.
extern const char kHtmlReportScript[];

// "'sha256-BASE64'" of kHtmlReportScript, for the page's Content-Security-Policy: the only
// script the page may run. html_report_test.cc checks it against the script.
extern const char kHtmlReportScriptHash[];

}  // namespace leakprobe

#endif  // LEAKPROBE_REPORTS_HTML_ASSETS_H_
