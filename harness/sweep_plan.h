// The sweep's plan (`leakprobe run --sweep`, `sweep:`): for every request step of a scenario
// (also inside its repeats and parallels, not inside a wait_until) and every fault of the
// set, a variant of the scenario in which that one step ends with that fault (wherever it
// runs: a step inside a repeat is cut in every iteration). Pure: it turns a Suite's scenarios into their variants and says what it did; the
// variants then run as ordinary scenarios (each its own test case and target).
//
// A variant: the scenario's setup once; then one `repeat` of `times` rounds with growth (a
// dump after each round, the growth fit decides, nothing named, the suite's and built-in
// ignores apply) over the scenario's steps, where the swept step carries the fault as its
// `hang_up` and no `expect` (what arrived before the hang-up is not the API's answer); then
// the scenario's teardown. The scenario's `leaks` block, `check` steps and its repeats' own
// `growth` checks are left out.
// Each swept scenario also runs once as written, the same rounds with no step cut (named
// "lifecycle › as written", its SweepVariantOf with an empty step): the control that tells
// what the scenario grows by itself from what a fault makes it grow (harness/sweep_control.h).
// Setup and teardown steps are never swept. A step that captures is swept only with `all`:
// cut short, it leaves later steps without its captures (the container nobody can delete).
#ifndef LEAKPROBE_HARNESS_SWEEP_PLAN_H_
#define LEAKPROBE_HARNESS_SWEEP_PLAN_H_

#include <optional>
#include <string>
#include <vector>

#include "base/status.h"
#include "scenarios/suite.h"

namespace leakprobe {

// Where a request step keeps its way of ending, or nullptr when the step is not a request
// step the sweep can cut (sleep, exec, check, repeat, ...). The one place that knows which
// step kinds take a hang_up: a new streaming step kind adds its line here.
std::optional<HangUpSpec>* HangUpOf(Step* step);
const std::optional<HangUpSpec>* HangUpOf(const Step& step);

// The flags' sweep (--sweep and its narrowing flags); each set field wins over the files'.
struct SweepFlags {
  bool on = false;                           // --sweep: sweep every scenario
  std::optional<std::vector<HangUpSpec>> faults;  // --sweep-faults LIST
  std::optional<std::string> steps;          // --sweep-steps REGEX
  std::optional<int> times;                  // --sweep-times N
  bool all = false;                          // --sweep-all
};

struct SweepPlan {
  struct Skip {
    std::string scenario, step, why;         // "step 1 (POST ...)", "captures cid (--sweep-all sweeps it)"
  };
  int variants = 0;                          // cut variants, controls aside
  int controls = 0;                          // one per swept scenario with variants
  int rounds = 0;                            // the sum over variants and controls
  std::vector<Skip> skipped;
  Millis floor{0};                           // what the faults' stalls and waits alone take
  std::vector<std::string> lines;            // the plan, one line per swept scenario
};

// Replaces the swept scenarios of `suite` by their variants (a scenario is swept with
// flags.on, or when it or the suite has `sweep:`), appending to *plan. Error: a bad
// --sweep-steps regex ("--sweep-steps: missing ): (a").
Status PlanSweep(Suite* suite, const SweepFlags& flags, SweepPlan* plan);

// The plan as printed before the run: "sweep: 12 variants, 60 rounds in all; at least 24s of
// stalls and waits, plus ..." and the scenarios' lines. `floor` counts what the rounds wait for
// by themselves (the faults' stalls and `after`s, sleeps, planned hang-ups); how long the
// target takes to answer is only known once variants have run, hence SweepProgress.
std::string DescribeSweepPlan(const SweepPlan& plan);

// The line printed as each variant ends: "sweep: 3 of 20 variants in 24s; about 2m16s left",
// the time left from the mean time per variant so far; no estimate once all are done.
std::string SweepProgress(int done, int variants, double elapsed_seconds);

}  // namespace leakprobe

#endif  // LEAKPROBE_HARNESS_SWEEP_PLAN_H_
