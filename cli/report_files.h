// Writing a finished run's reports: the JUnit file (in its flavor), the JSON, Markdown and
// HTML files, the GitHub job summary and annotations. Does file I/O and prints annotations to
// stdout; call once, after the run (also after an interrupt).
#ifndef LEAKPROBE_CLI_REPORT_FILES_H_
#define LEAKPROBE_CLI_REPORT_FILES_H_

#include <string>

#include "base/status.h"
#include "reports/junit.h"
#include "reports/results.h"

namespace leakprobe {

struct ReportFiles {
  std::string junit;                   // "" for none
  JUnitFlavor junit_flavor = JUnitFlavor::kDefault;
  std::string json;                    // "" for none
  std::string markdown;                // "" for none
  std::string html;                    // "" for none
  // The environment, read by the caller (tests pass their own):
  std::string github_step_summary;     // $GITHUB_STEP_SUMMARY: the Markdown is appended to it
  bool github_actions = false;         // $GITHUB_ACTIONS == "true": print ::error annotations
  // $GITHUB_WORKSPACE: annotation paths are made relative to it (GitHub wants paths from the
  // repository root); paths outside it stay as they are.
  std::string github_workspace;
};

// Reads GITHUB_STEP_SUMMARY, GITHUB_ACTIONS and GITHUB_WORKSPACE into `files`.
void ReadGitHubEnvironment(ReportFiles* files);

// Writes every report `files` asks for, each atomically (the step summary is appended to, as
// GitHub expects), and prints the annotations. Goes on after a failure so one bad path does
// not cost the other reports; returns the first error, e.g.
//   "cannot write out/report.json: No such file or directory".
Status WriteReports(const RunResult& run, const ReportFiles& files);

}  // namespace leakprobe

#endif  // LEAKPROBE_CLI_REPORT_FILES_H_
