// One scenario's section of the HTML report (html_report.h): its summary line, timeline chart
// and legend, leak groups, known leaks, failure body, stderr tail and step log. Pure; no
// I/O; thread-safe.
#ifndef LEAKPROBE_REPORTS_HTML_CASE_H_
#define LEAKPROBE_REPORTS_HTML_CASE_H_

#include <cstddef>
#include <string>

#include "reports/html_report.h"
#include "reports/results.h"

namespace leakprobe {

// The id of a scenario's section, from its suite's and its own index: "s0c3".
std::string CaseAnchor(std::size_t suite_index, std::size_t case_index);

// Returns one <details class="case OUTCOME" id="ANCHOR">, open when the scenario failed or
// broke (then also of class "bad"). With `lean` it leaves out the failure body, the stderr
// tail and the step log, saying so (the page is over its size budget).
std::string RenderHtmlCase(const SuiteResult& suite, const CaseResult& c, const std::string& anchor, bool lean,
                           const HtmlReportOptions& options);

}  // namespace leakprobe

#endif  // LEAKPROBE_REPORTS_HTML_CASE_H_
