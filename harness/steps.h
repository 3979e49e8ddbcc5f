// Runs one step of a scenario (http, sleep, check) against its context: expands its
// templates, performs it, checks its expectations, stores its captures, logs it. Does I/O.
#ifndef LEAKPROBE_HARNESS_STEPS_H_
#define LEAKPROBE_HARNESS_STEPS_H_

#include <string>

#include "harness/scenario_context.h"
#include "scenarios/suite.h"

namespace leakprobe {

// "step 3 \"follow for 3s and hang up\"" or "step 2 (GET ${api}/x)" when unnamed.
std::string StepLabel(const Step& step, int number);

// Runs `step`, the `number`-th (1-based) of its list. A transport failure is kError
// ("StepError"), an unmet expect or a failed capture is kFailed ("ExpectationFailed"), a
// check that finds a leak is kFailed ("GoroutineLeak").
Outcome RunStep(const Step& step, int number, ScenarioContext* ctx);

}  // namespace leakprobe

#endif  // LEAKPROBE_HARNESS_STEPS_H_
