// GitHub Actions workflow commands for the scenarios that failed: each becomes an annotation
// on the scenario file's line in the pull request ("::error file=…,line=…,title=…::…").
//
// The caller prints them to stdout only when running under GitHub Actions
// (GITHUB_ACTIONS=true). Values are escaped as the runner expects (% CR LF in the message;
// also : and , in properties), so no dump byte can start another command. Pure; no I/O;
// thread-safe.
#ifndef LEAKPROBE_REPORTS_GITHUB_ANNOTATIONS_H_
#define LEAKPROBE_REPORTS_GITHUB_ANNOTATIONS_H_

#include <string>

#include "reports/results.h"

namespace leakprobe {

// Returns one line per failed or broken scenario, each ending in "\n"; "" when all passed:
//   ::error file=examples/scenarios/logs.yaml,line=14,title=GoroutineLeak%3A logs-follow / follow logs::2 leaked goroutines: main.f ×2%0A%0A(the first 40 lines of the body)
// Without a known file the file= and line= properties are left out; without a line, line=.
// The message part is capped at 4000 bytes.
std::string FormatGitHubAnnotations(const RunResult& run);

// Escaping of the runner's workflow-command format, exposed for tests:
//   EscapeGitHubData("50%\r\n")        -> "50%25%0D%0A"
//   EscapeGitHubProperty("a:b,c")      -> "a%3Ab%2Cc"
std::string EscapeGitHubData(const std::string& text);
std::string EscapeGitHubProperty(const std::string& text);

}  // namespace leakprobe

#endif  // LEAKPROBE_REPORTS_GITHUB_ANNOTATIONS_H_
