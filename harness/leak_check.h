// The leak check, the one every scenario's verdict comes from: dump, judge, and while the
// rules are broken re-dump with backoff (settle_backoff.h) until they hold or `settle` has
// passed. A goroutine that is on its way out is not a leak; one that is still there after
// `settle` is. Also the SIGQUIT form, for a target with no dump endpoint. Does I/O (dump
// fetches, signals to the target).
#ifndef LEAKPROBE_HARNESS_LEAK_CHECK_H_
#define LEAKPROBE_HARNESS_LEAK_CHECK_H_

#include <string>
#include <unordered_set>
#include <vector>

#include "base/status.h"
#include "harness/scenario_context.h"
#include "matchers/verdict.h"
#include "scenarios/suite.h"

namespace leakprobe {

// When a leak check asks the target for its goroutineleak profile (each ask is a GC there):
// at once, then a confirmation a moment later (a handler that just gave up may leave its
// worker running for a while before it blocks for good), then now and then while the settle
// loop goes on for other reasons.
constexpr Millis kProvenConfirmAfter{500};
constexpr Millis kProvenEvery{1000};

// The rules of a leaks block plus the suite's ignore list; a pattern's own `max` becomes
// its entry in LeakRules::suspect_max. Error: a bad regex (the loader checks them, so only a
// scenario built by hand gets here).
Result<LeakRules> CompileRules(const LeaksSpec& leaks, const std::vector<PatternSpec>& suite_ignore);
// The ignore entries behind LeakRules::ignore, in its order: the block's, then the suite's.
std::vector<const PatternSpec*> IgnoreSpecs(const LeaksSpec& leaks, const std::vector<PatternSpec>& suite_ignore);

// Applies `leaks` now, against the context's baseline (or the snapshot named by `against`).
// A leak is kFailed ("GoroutineLeak") with the verdict's message and grouped stacks; a dump
// that cannot be fetched is kError.
Outcome CheckLeaks(const LeaksSpec& leaks, ScenarioContext* ctx);

// `dump: { sigquit: true }`: the one dump a target without an HTTP or gops endpoint can give.
// Sends the target SIGQUIT (Go prints every goroutine to stderr and exits), waits up to
// `grace` (at least 5 s) for it to end, reaps it, and applies `leaks` to the trace, which it
// leaves in *text (for artifacts). No settle and no baseline (so no max_new_goroutines), only
// suspects and proven leaks. A leak is kFailed as in CheckLeaks; no trace, or no target
// leakprobe started, is kError.
Outcome CheckLeaksBySigquit(const LeaksSpec& leaks, Millis grace, ScenarioContext* ctx, std::string* text);

}  // namespace leakprobe

#endif  // LEAKPROBE_HARNESS_LEAK_CHECK_H_
