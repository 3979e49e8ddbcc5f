// The JUnit XML report: what CI (Jenkins, GitLab, GitHub) shows of a run.
//
// Written once, at the end, from the collected RunResult. The default flavor validates against
// Jenkins' junit-10.xsd (../shared/junit-schemas/): <testsuites> -> one <testsuite> per
// scenario file -> one <testcase> per scenario; a leak is a <failure>, a broken step or dead
// target an <error>. Every string goes through SanitizeXmlText, so the file stays well-formed
// whatever bytes the dumps held. Two more flavors serve stricter consumers: `ant` (Apache
// Ant's JUnit.xsd, which Jenkins' and GitLab's importers also read) and `surefire` (Maven
// Surefire's surefire-test-report.xsd, one <testsuite> root). RenderJUnit is pure;
// WriteJUnitFile writes one file. Both are thread-safe for distinct paths.
#ifndef LEAKPROBE_REPORTS_JUNIT_H_
#define LEAKPROBE_REPORTS_JUNIT_H_

#include <string>
#include <string_view>

#include "base/status.h"
#include "reports/results.h"

namespace leakprobe {

enum class JUnitFlavor {
  kDefault,   // <testsuites> root; junit-10.xsd (Jenkins xUnit), GitLab, GitHub
  kAnt,       // Ant's JUnit.xsd: strict element order, no testcase output, id/package
  kSurefire,  // surefire-test-report.xsd 3.0.2: a single <testsuite> root
};

// "default" | "ant" | "surefire" -> the flavor. Error:
//   `unknown JUnit flavor "junit5" (want default, ant or surefire)`
Result<JUnitFlavor> ParseJUnitFlavor(std::string_view name);

struct JUnitOptions {
  // Written as every testsuite's hostname. Empty (the default): this machine's name, from
  // gethostname(), or "localhost" when that fails.
  std::string hostname;
  JUnitFlavor flavor = JUnitFlavor::kDefault;
};

// Returns the report as a UTF-8 document with an XML declaration, indented by two spaces:
//   <testsuites name="leakprobe" tests="3" failures="1" errors="0" time="5.400">
//     <testsuite name="logs-follow" file="logs.yaml" tests="3" failures="1" errors="0"
//                skipped="0" time="5.400" timestamp="..." hostname="...">
//       <properties><property name="..." value="..."/></properties>   (only when any)
//       <testcase classname="logs-follow" name="follow logs" time="3.210">
//         <failure type="GoroutineLeak" message="2 leaked goroutines: ...">stacks</failure>
//         <system-out>step log</system-out> <system-err>stderr tail</system-err>
// kError gives <error type message>, kSkipped <skipped message/>; empty file, timestamp,
// message, body, system-out and system-err are left out; an empty type becomes "Failure" or
// "Error". Times have exactly three decimals ("3.210"); negative or non-finite ones are 0.
// Messages are folded onto one line and capped at 1000 bytes, ending in "…" when cut.
// testsuites/@time is the run's wall time (RunResult::seconds) or, when that is 0, the sum of
// the suites' times.
//
// kAnt differs so that JUnit.xsd accepts it: <testsuites> has no attributes; each
// <testsuite> has name (never empty: "unnamed"), package (the suite name), id (0, 1, ...),
// timestamp (the suite's, or now in local time when empty), hostname, tests, failures,
// errors, skipped and time, then <properties> (always, maybe empty), the testcases, and
// <system-out>/<system-err> (always) holding every case's output under a
// "=== SCENARIO ===" header; testcases carry no output and no file.
//
// kSurefire writes one <testsuite> root named after the suite (or "leakprobe" when the run
// has several, its properties then named "SUITE: NAME"), with tests/errors/skipped/failures,
// time and timestamp but no hostname or file; testcases keep their system-out/system-err.
std::string RenderJUnit(const RunResult& run, const JUnitOptions& options = {});

// Writes RenderJUnit(run, options) to `path` atomically: into ".NAME.tmp.PID" in the same
// directory, fsync, then rename over `path`, so a reader sees the old file or the whole new
// one. On error the temp file is removed and `path` is untouched; the message says
//   "cannot write out/report.xml: No such file or directory".
Status WriteJUnitFile(const RunResult& run, const std::string& path,
                      const JUnitOptions& options = {});

}  // namespace leakprobe

#endif  // LEAKPROBE_REPORTS_JUNIT_H_
