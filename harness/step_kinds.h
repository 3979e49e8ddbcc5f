// The step kinds behind RunStep (steps.h), one file each: http_step.cc, upgrade_step.cc,
// websocket_step.cc, exec_step.cc,
// flow_steps.cc (wait_until, repeat, parallel, snapshot), and expect_capture.cc which the
// http and exec steps share. Internal to harness/. Each takes the step's label for its
// messages ("step 3 \"create\"") and returns how the step ended.
#ifndef LEAKPROBE_HARNESS_STEP_KINDS_H_
#define LEAKPROBE_HARNESS_STEP_KINDS_H_

#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "harness/scenario_context.h"
#include "scenarios/suite.h"

namespace leakprobe {

// What an http or exec step got back, in the terms `expect` and `capture` use. For exec
// the body is stdout.
struct StepResult {
  bool exec = false;
  int status = 0;                                             // http; 0 when hung up first
  std::vector<std::pair<std::string, std::string>> headers;   // http
  std::string body;                                           // bounded
  size_t body_bytes = 0;                                      // all that arrived
  int exit_code = -1;                                         // exec; -1 when killed
  std::string describe_exit;                                  // exec: "exited with code 3"
  std::string err;                                            // exec: stderr, bounded
  bool upgraded = false;                                      // http with upgrade: body is the stream's output
  bool websocket = false;                                     // body: the messages, one per line
  std::vector<std::string> messages;                          // websocket: the messages kept
  size_t messages_count = 0;                                  // websocket: all that arrived
};

// Checks `step.expect` against `r`, then stores `step.captures` into ctx->vars. An unmet
// expectation or a capture that finds nothing is kFailed ("ExpectationFailed") whose
// detail shows what arrived (the body, or an exec's stdout and stderr).
Outcome CheckExpectAndCapture(const Step& step, const std::string& label, const StepResult& r,
                              ScenarioContext* ctx);
// The value at `pointer` in `doc`, or nullptr (also for a pointer nlohmann refuses).
const nlohmann::json* JsonAt(const nlohmann::json& doc, const std::string& pointer);
// The detail of a failure: the start of the body, or of an exec's stdout and stderr.
std::string ResultDetail(const StepResult& r);

Outcome RunHttpStep(const Step& step, const std::string& label, ScenarioContext* ctx);
// An http step with `upgrade:` (upgrade_step.cc): the connection becomes a raw stream.
Outcome RunUpgradeStep(const Step& step, const std::string& label, ScenarioContext* ctx);
// A `websocket:` step (websocket_step.cc).
Outcome RunWebSocketStep(const Step& step, const std::string& label, ScenarioContext* ctx);
// The `grpc` step (grpc_step.cc): its own expect (code, messages) and captures.
Outcome RunGrpcStep(const Step& step, const std::string& label, ScenarioContext* ctx);
Outcome RunExecStep(const Step& step, const std::string& label, ScenarioContext* ctx);
Outcome RunSnapshotStep(const Step& step, const std::string& label, ScenarioContext* ctx);
// Repeats step.steps (in a branch of ctx) until they all pass or step.timeout passes.
Outcome RunWaitUntilStep(const Step& step, const std::string& label, ScenarioContext* ctx);
// step.times iterations of step.steps, step.concurrency at once, each in its own branch
// with ${repeat.index} (0-based); stops starting new ones after the first failure. With
// step.growth, RunGrowthRepeat.
Outcome RunRepeatStep(const Step& step, const std::string& label, ScenarioContext* ctx);
// Iterations [first, first + count) of a repeat, up to step.concurrency at once (see
// RunRepeatStep); *done counts those that ran. The lowest failing iteration's outcome wins.
Outcome RunIterations(const Step& step, const std::string& label, int first, int count, ScenarioContext* ctx,
                      int* done);
// A repeat with growth: (growth_step.cc) a dump before the first iteration and after each
// round of step.concurrency iterations, a fit of every stack's count, the target's fds and
// threads, a settle for what grew; kFailed ("GoroutineLeak") when something grows.
Outcome RunGrowthRepeat(const Step& step, const std::string& label, ScenarioContext* ctx);
// Each of step.steps on its own thread, at once; the first failure (in list order) wins.
Outcome RunParallelStep(const Step& step, const std::string& label, ScenarioContext* ctx);

// Runs `steps` in order on `ctx`, stopping at the first that does not pass; each is
// labelled `prefix` + its own label ("step 5 (wait_until) > " + "step 1 (GET /x)").
Outcome RunNestedSteps(const std::vector<Step>& steps, const std::string& prefix,
                       ScenarioContext* ctx);

}  // namespace leakprobe

#endif  // LEAKPROBE_HARNESS_STEP_KINDS_H_
