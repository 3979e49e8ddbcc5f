// The JSON report (`--json FILE`): the same results as the JUnit file, for tools.
//
// The shape is versioned and documented by schema/leakprobe-report.schema.json: the top-level
// "format" is always "leakprobe-report" and "version" is 1 until a field changes meaning or
// disappears (adding a field does not bump it). Every string is valid UTF-8 with control
// characters made visible (SanitizeXmlText), so any JSON parser reads the file. Pure; no I/O;
// thread-safe.
#ifndef LEAKPROBE_REPORTS_JSON_REPORT_H_
#define LEAKPROBE_REPORTS_JSON_REPORT_H_

#include <string>

#include "reports/results.h"

namespace leakprobe {

constexpr int kJsonReportVersion = 1;

struct JsonReportOptions {
  std::string leakprobe_version;  // written as "leakprobe_version"; "" leaves it out
};

// Returns the report, pretty-printed with two spaces and a final newline:
//   {"format": "leakprobe-report", "version": 1, "leakprobe_version": "0.1.0",
//    "summary": {"tests": 3, "passed": 1, "failed": 1, "errors": 1, "skipped": 0,
//                "seconds": 5.4, "interrupted": false},
//    "suites": [{"name": "logs-follow", "file": "logs.yaml", "timestamp": "...",
//                "seconds": 5.4, "properties": [{"name": "target", "value": "..."}],
//                "cases": [{"name": "...", "classname": "...", "outcome": "failed",
//                           "seconds": 3.21, "type": "GoroutineLeak", "message": "...",
//                           "detail": "...", "system_out": "...", "system_err": "...",
//                           "file": "logs.yaml", "line": 14, "leaks": [...],
//                           "known_leaks": [{"reason": "...", "pattern": "...", "where": "...",
//                                            "function": "...", "count": 2}],
//                           "timeline": {"points": [{"t": 0.059, "total": 6, "kind": "baseline",
//                                                    "label": "baseline", "fds": -1, "threads": -1}],
//                                        "series": [{"name": "main.f", "why": "leaked",
//                                                    "counts": [0, 1]}],
//                                        "steps": [{"label": "step 1", "start": 0.06, "end": 0.1}],
//                                        "verdict_t": 8.063}}],
//                "unseen_known_leaks": [...]}]}
// The timeline is CaseResult::timeline as it is (one count per point in each series).
// Outcomes are "passed", "failed", "error", "skipped". Seconds are rounded to milliseconds;
// negative or non-finite ones are 0, except verdict_t, which is -1 when unknown. summary.seconds is RunResult::seconds, or the sum of the
// suites' when that is 0. Every key is always present (empty string, 0 or [] when unknown).
std::string RenderJsonReport(const RunResult& run, const JsonReportOptions& options = {});

}  // namespace leakprobe

#endif  // LEAKPROBE_REPORTS_JSON_REPORT_H_
