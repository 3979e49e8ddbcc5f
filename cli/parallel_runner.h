// Runs several suites at once (--jobs N), each with its own targets and ports, and returns
// their results in the order the suites were given, as a serial run would. Does I/O.
#ifndef LEAKPROBE_CLI_PARALLEL_RUNNER_H_
#define LEAKPROBE_CLI_PARALLEL_RUNNER_H_

#include <vector>

#include "harness/suite_runner.h"

namespace leakprobe {

// Runs `suites` on up to `jobs` threads (1: one after another on this thread). A suite
// starts its targets from the thread that runs it and stops them before that thread takes
// the next suite, so a target's death signal (PR_SET_PDEATHSIG) stays tied to a thread that
// outlives it. options.on_case is called under a lock, one case at a time. After an
// interrupt no further suite starts.
std::vector<SuiteResult> RunSuites(const std::vector<Suite>& suites, const RunOptions& options, int jobs);

}  // namespace leakprobe

#endif  // LEAKPROBE_CLI_PARALLEL_RUNNER_H_
