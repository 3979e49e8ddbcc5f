// How a run is asked for: variables, the scenario filter, verbosity, the callback as each
// scenario ends, and where artifacts go. A plain value; the command line fills it, the suite
// and scenario runs read it.
#ifndef LEAKPROBE_HARNESS_RUN_OPTIONS_H_
#define LEAKPROBE_HARNESS_RUN_OPTIONS_H_

#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "reports/results.h"

namespace leakprobe {

struct RunOptions {
  std::vector<std::pair<std::string, std::string>> vars;  // --var NAME=VALUE, over the suite's
  std::string filter;                                     // RE2 on "suite/scenario"; "" for all
  bool verbose = false;                                   // print the step log as it goes
  std::function<void(const CaseResult&)> on_case;        // called as each scenario ends
  std::string artifacts_dir;                              // "": keep no artifacts
};

}  // namespace leakprobe

#endif  // LEAKPROBE_HARNESS_RUN_OPTIONS_H_
