// Runs the scenarios of one suite, each against a fresh target (started, probed for
// readiness, baseline-dumped, stopped), and turns what happened into a SuiteResult.
// Does I/O; one suite per call; the call returns when every target it started is gone.
#ifndef LEAKPROBE_HARNESS_SUITE_RUNNER_H_
#define LEAKPROBE_HARNESS_SUITE_RUNNER_H_

#include <string>

#include "harness/run_options.h"
#include "reports/results.h"
#include "scenarios/suite.h"

namespace leakprobe {

// Runs `suite`. Never fails as a whole: a scenario's trouble is that scenario's <error>.
// When interrupted it stops after the running scenario, which becomes an error.
SuiteResult RunSuite(const Suite& suite, const RunOptions& options);

// The leakprobe version, for reports and --version.
const char* LeakprobeVersion();

}  // namespace leakprobe

#endif  // LEAKPROBE_HARNESS_SUITE_RUNNER_H_
