// The lines a person reads in the CI log: one per scenario as it ends, one summary at the end.
//
// Plain text, or with ANSI colour when the caller asks (it decides: a terminal and no
// NO_COLOR). Names and messages pass through SanitizeXmlText and are folded onto one line, so
// a dump's escape codes or line breaks cannot garble the log. Pure; no I/O; thread-safe.
#ifndef LEAKPROBE_REPORTS_CONSOLE_H_
#define LEAKPROBE_REPORTS_CONSOLE_H_

#include <string>
#include <vector>

#include "reports/results.h"

namespace leakprobe {

// Returns one line, without a trailing newline: a 5-wide outcome label, a space,
// "SUITE / SCENARIO (SECONDS)" with two decimals, then ": MESSAGE" when the message is not
// empty (capped at 500 bytes, ending in "…"). Examples:
//   "PASS  logs-follow / follow logs of a silent container (3.21s)"
//   "FAIL  logs-follow / follow logs (3.21s): 2 leaked goroutines: main.(*Server).logsContainer ×2"
//   "ERROR logs-follow / follow logs (0.50s): target exited with status 2"
//   "SKIP  logs-follow / follow logs (0.00s): interrupted"
// With `colour`, the label is green (PASS), red (FAIL), bold red (ERROR) or yellow (SKIP)
// and reset right after; the rest is the same.
std::string FormatCaseLine(const CaseResult& c, bool colour = false);

// Returns the final line, without a trailing newline. It always starts
// "N passed, N failed, N errors" (tools grep for it, so "errors" stays plural), adds
// ", N skipped" when any, then the summed suite times, and "; interrupted" when the run was
// cut short:
//   "2 passed, 1 failed, 0 errors (5.40s)"
//   "0 passed, 0 failed, 1 errors, 3 skipped (0.75s); interrupted"
// With `colour` the line is green when nothing failed, else red. The time is
// RunResult::seconds (wall time) when set, else the sum of the suites' times.
std::string FormatSummary(const RunResult& run, bool colour = false);

// One line per known leak of the case, each without a newline, indented under its case line:
//   "      known leak: main.(*Cache).refresh ×2 (reason: https://x/issues/12) [app.yaml:9:5]"
std::vector<std::string> FormatKnownLeaks(const CaseResult& c);

// One line per ignore entry with a reason that no check of the run matched any more:
//   "known leak no longer seen: top keyword main.(*Cache).refresh [app.yaml:9:5] (reason:
//    https://x/issues/12): delete the entry if the leak is fixed"
std::vector<std::string> FormatUnseenKnownLeaks(const RunResult& run);

// The progress line shown on a terminal while scenarios run, without a newline:
//   "[2/5] 12.3s  running logs-follow / follow logs"   (`current` "" leaves out the rest)
std::string FormatProgress(int done, int total, double seconds, const std::string& current);

// "3.21s": two decimals; negative or non-finite is "0.00s".
std::string FormatSecondsShort(double s);

}  // namespace leakprobe

#endif  // LEAKPROBE_REPORTS_CONSOLE_H_
