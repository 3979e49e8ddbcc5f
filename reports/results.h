// What a run produced, as plain values: the harness fills it, the report writers read it.
// No I/O.
#ifndef LEAKPROBE_REPORTS_RESULTS_H_
#define LEAKPROBE_REPORTS_RESULTS_H_

#include <string>
#include <utility>
#include <vector>

namespace leakprobe {

struct CaseResult {
  enum class Outcome { kPassed, kFailed, kError, kSkipped };
  std::string classname;     // the suite name
  std::string name;          // the scenario name
  double seconds = 0;
  Outcome outcome = Outcome::kPassed;
  std::string type;          // "GoroutineLeak", "ExpectationFailed", "TargetError", ...
  std::string message;       // one line: "2 leaked goroutines: main.(*Server).logsContainer ×2"
  std::string detail;        // the body: grouped stacks, counts, ids
  std::string system_out;    // the step log
  std::string system_err;    // the target's stderr tail
};

struct SuiteResult {
  std::string name;
  std::string file;
  double seconds = 0;
  std::string timestamp;     // ISO 8601, "2026-11-28T07:15:09"
  std::vector<std::pair<std::string, std::string>> properties;
  std::vector<CaseResult> cases;
};

struct RunResult {
  std::vector<SuiteResult> suites;
  bool interrupted = false;
};

}  // namespace leakprobe

#endif  // LEAKPROBE_REPORTS_RESULTS_H_
