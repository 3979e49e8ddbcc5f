// The start of one scenario before its baseline: the suite's variables and free ports, the
// dump and leak-profile settings expanded into the context, and the target started. Does I/O
// (picks ports, starts a process); used by scenario_run.cc on its scenario's thread.
#ifndef LEAKPROBE_HARNESS_SCENARIO_START_H_
#define LEAKPROBE_HARNESS_SCENARIO_START_H_

#include <memory>
#include <set>
#include <string>

#include "harness/run_options.h"
#include "harness/scenario_context.h"
#include "matchers/grouped_dump.h"
#include "scenarios/suite.h"
#include "wire/target_process.h"

namespace leakprobe {

// "port" and every "port.NAME" the suite's own strings refer to: each gets a free port. A
// step can only need a port the target was told, so the target's and the suite's strings
// name them all.
std::set<std::string> PortNames(const Suite& suite);

// The target's Go version, when the standard library's paths in a dump show its GOROOT:
// "/usr/lib/go-1.19/src/net/http/server.go" (Debian) -> "go1.19",
// "/home/u/sdk/go1.23.0/src/runtime/proc.go" -> "go1.23.0". "" when they do not (-trimpath).
std::string GoVersionOf(const GroupedDump& dump);

// Picks a free port per PortNames (when the suite starts a target), expands the suite's vars
// (a --var wins) and its dump settings into `ctx`. Error: a port cannot be picked
// ("TargetError"), a template names an undefined variable ("StepError", "vars.api: ...").
Outcome ExpandScenarioSettings(const Suite& suite, const RunOptions& options, ScenarioContext* ctx);

// Starts target.run (expanded) with its env and cwd into *target, sets ctx->target and
// *command (the command line, for reports). Error "TargetError": a template fails, or the
// process cannot start.
Outcome StartTarget(const Suite& suite, ScenarioContext* ctx, std::unique_ptr<TargetProcess>* target,
                    std::string* command);

}  // namespace leakprobe

#endif  // LEAKPROBE_HARNESS_SCENARIO_START_H_
