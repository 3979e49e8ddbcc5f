// The settle loop: dump, judge, and while the rules are broken re-dump with backoff until
// they hold or `settle` has passed. A goroutine that is on its way out is not a leak; one
// that is still there after `settle` is. Does I/O (dump fetches).
#ifndef LEAKPROBE_HARNESS_LEAK_CHECK_H_
#define LEAKPROBE_HARNESS_LEAK_CHECK_H_

#include <unordered_set>
#include <vector>

#include "base/status.h"
#include "harness/scenario_context.h"
#include "matchers/verdict.h"
#include "scenarios/suite.h"

namespace leakprobe {

// The rules of a leaks block plus the suite's ignore list. Error: a bad regex (the loader
// checks them, so only a scenario built by hand gets here).
Result<LeakRules> CompileRules(const LeaksSpec& leaks, const std::vector<PatternSpec>& suite_ignore);

// One rule set per suspect pattern that carries its own `max` (it fails only when its own
// count exceeds that max); CompileRules leaves those patterns out.
Result<std::vector<LeakRules>> CompileCappedRules(const LeaksSpec& leaks,
                                                  const std::vector<PatternSpec>& suite_ignore);

// Judges `dump` by `main` and by each of `capped`; leaked when any of them is broken, with
// the messages joined by "; ". suspect_count sums them all.
Verdict JudgeAll(const Dump& dump, const std::unordered_set<int64_t>* baseline_ids,
                 const LeakRules& main, const std::vector<LeakRules>& capped);

// Applies `leaks` now, against the context's baseline (or the snapshot named by `against`). A leak is kFailed ("GoroutineLeak")
// with the verdict's message and grouped stacks; a dump that cannot be fetched is kError.
Outcome CheckLeaks(const LeaksSpec& leaks, ScenarioContext* ctx);

}  // namespace leakprobe

#endif  // LEAKPROBE_HARNESS_LEAK_CHECK_H_
