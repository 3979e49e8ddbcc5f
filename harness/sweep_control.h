// The sweep's control: each swept scenario also runs as written, with no step cut
// (harness/sweep_plan.h). A scenario that leaks by itself (a stream its own steps cancel, a
// helper every request strands) would otherwise show the same growth in every variant, each
// blamed on its step and fault. Pure: it rewrites results after the run.
#ifndef LEAKPROBE_HARNESS_SWEEP_CONTROL_H_
#define LEAKPROBE_HARNESS_SWEEP_CONTROL_H_

#include <vector>

#include "reports/results.h"

namespace leakprobe {

// Whether `c` is a sweep's control: the scenario as written (its SweepCell has no step).
bool IsControl(const CaseResult& c);

// When `variant` (a case of the same suite and swept scenario as `control`) failed with a
// growth the control also shows (each growing function among the control's, at a rate at
// most `tolerance` per round above the control's: the growth fit's own allowance,
// max_per_iteration), it passes, marked as_written, with what it saw moved to its step log;
// the control's case keeps the failure. True when it did. A variant that grows by anything
// else, or faster, keeps its failure; so does every variant of a control that passed.
bool MarkIfAsWritten(const CaseResult& control, CaseResult* variant, double tolerance = 0.5);

// MarkIfAsWritten for every variant of `suites` against its scenario's control (variants and
// control may sit in different suites: --jobs splits them).
void CompareWithAsWritten(std::vector<SuiteResult>* suites, double tolerance = 0.5);

}  // namespace leakprobe

#endif  // LEAKPROBE_HARNESS_SWEEP_CONTROL_H_
