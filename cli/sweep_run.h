// The command line's side of the sweep (harness/sweep_plan.h): reading --sweep-faults,
// turning the loaded suites into their variants, splitting them so that --jobs runs variants
// on their own targets at once, and putting the results back together per file. Pure.
#ifndef LEAKPROBE_CLI_SWEEP_RUN_H_
#define LEAKPROBE_CLI_SWEEP_RUN_H_

#include <string>
#include <vector>

#include "base/status.h"
#include "harness/sweep_plan.h"
#include "reports/results.h"

namespace leakprobe {

// "close at sent,reset at body" -> two faults. Error: `--sweep-faults "drop at x": want ...`.
Result<std::vector<HangUpSpec>> ParseFaultList(const std::string& list);

// Plans the sweep of every suite (PlanSweep), then, with jobs > 1, splits each swept suite
// whose targets are its scenarios' own (not shared, no suite setup or teardown) into one
// suite per variant. *origin gets, per resulting suite, the index of the suite it came from.
Status SweepSuites(const SweepFlags& flags, int jobs, std::vector<Suite>* suites, std::vector<size_t>* origin,
                   SweepPlan* plan);

// Joins the results of suites split by SweepSuites back into one per file, in order.
std::vector<SuiteResult> JoinSplitResults(std::vector<SuiteResult> results, const std::vector<size_t>& origin);

}  // namespace leakprobe

#endif  // LEAKPROBE_CLI_SWEEP_RUN_H_
