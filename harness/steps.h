// Runs one step of a scenario (http, exec, sleep, check, snapshot, wait_until, repeat,
// parallel) against its context: expands its templates, performs it, checks its
// expectations, stores its captures, logs it. Does I/O. One call per context at a time;
// repeat and parallel run their branches on threads of their own, each on a Branch().
#ifndef LEAKPROBE_HARNESS_STEPS_H_
#define LEAKPROBE_HARNESS_STEPS_H_

#include <string>

#include "harness/scenario_context.h"
#include "scenarios/suite.h"

namespace leakprobe {

// "step 3 \"follow for 3s and hang up\"" or "step 2 (GET ${api}/x)" when unnamed.
std::string StepLabel(const Step& step, int number);

// Runs `step`, the `number`-th (1-based) of its list. A transport failure or a command
// that cannot start is kError ("StepError"), an unmet expect, a failed capture, an exec
// that exits non-zero or times out, or a wait_until that never holds is kFailed
// ("ExpectationFailed"), a check that finds a leak is kFailed ("GoroutineLeak").
Outcome RunStep(const Step& step, int number, ScenarioContext* ctx);

// RunStep with the label given: steps inside wait_until, repeat and parallel are labelled
// after their parent, "step 5 (repeat 200x) > iteration 17 > step 1 (GET ${api}/x)".
Outcome RunLabeledStep(const Step& step, const std::string& label, ScenarioContext* ctx);

}  // namespace leakprobe

#endif  // LEAKPROBE_HARNESS_STEPS_H_
