// Waiting for a target to come up: an HTTP status, a TCP or unix-socket connect (each one
// look is wire/connect_probe.h's), or a line of its output matching a regex (whose first
// group may become a variable). Does I/O.
#ifndef LEAKPROBE_HARNESS_READY_PROBE_H_
#define LEAKPROBE_HARNESS_READY_PROBE_H_

#include <string>

#include "harness/scenario_context.h"
#include "scenarios/suite.h"

namespace leakprobe {

// Polls the probe of `ready` (none given: the dump URL; no dump either: ready at once)
// until it passes or ready.timeout passes. A target that exits meanwhile ends the wait
// at once. Errors are "TargetError"s that name the probe and the time, with the target's
// last output lines as their detail:
//   target never became ready: GET http://127.0.0.1:4000/_ping did not answer 2xx within 10s
//   (last: status 503)
Outcome WaitReady(const ReadySpec& ready, ScenarioContext* ctx);

// The last `n` lines of `text`, each indented by four spaces.
std::string LastLines(const std::string& text, int n);

}  // namespace leakprobe

#endif  // LEAKPROBE_HARNESS_READY_PROBE_H_
