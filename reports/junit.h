// The JUnit XML report: what CI (Jenkins, GitLab, GitHub) shows of a run.
//
// Written once, at the end, from the collected RunResult. The default flavor validates against
// Jenkins' junit-10.xsd (../shared/junit-schemas/): <testsuites> -> one <testsuite> per
// scenario file -> one <testcase> per scenario; a leak is a <failure>, a broken step or dead
// target an <error>. Every string goes through SanitizeXmlText, so the file stays well-formed
// whatever bytes the dumps held. RenderJUnit is pure; WriteJUnitFile writes one file.
// Both are thread-safe for distinct paths.
#ifndef LEAKPROBE_REPORTS_JUNIT_H_
#define LEAKPROBE_REPORTS_JUNIT_H_

#include <string>

#include "base/status.h"
#include "reports/results.h"

namespace leakprobe {

struct JUnitOptions {
  // Written as every testsuite's hostname. Empty (the default): this machine's name, from
  // gethostname(), or "localhost" when that fails.
  std::string hostname;
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
// testsuites/@time is the sum of the suites' times.
std::string RenderJUnit(const RunResult& run, const JUnitOptions& options = {});

// Writes RenderJUnit(run, options) to `path` atomically: into ".NAME.tmp.PID" in the same
// directory, fsync, then rename over `path`, so a reader sees the old file or the whole new
// one. On error the temp file is removed and `path` is untouched; the message says
//   "cannot write out/report.xml: No such file or directory".
Status WriteJUnitFile(const RunResult& run, const std::string& path,
                      const JUnitOptions& options = {});

}  // namespace leakprobe

#endif  // LEAKPROBE_REPORTS_JUNIT_H_
