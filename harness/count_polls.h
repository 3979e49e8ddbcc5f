// Polls that read per-stack counts instead of full dumps (matchers/stack_counts.h has the
// design): which form a poll takes, and the count phase of a leak check's settle loop. Does
// I/O (dump fetches); used by one thread per ScenarioContext, like the context itself.
#ifndef LEAKPROBE_HARNESS_COUNT_POLLS_H_
#define LEAKPROBE_HARNESS_COUNT_POLLS_H_

#include <chrono>
#include <memory>
#include <optional>
#include <string>

#include "base/status.h"
#include "harness/scenario_context.h"
#include "matchers/grouped_dump.h"
#include "matchers/stack_counts.h"
#include "matchers/verdict.h"
#include "scenarios/suite.h"

namespace leakprobe {

// Whether this scenario's polls read counts: `dump.poll: auto`, a dump URL of net/http/pprof's
// `goroutine?debug=2` (CountsUrl), and the target not yet found without `debug=1`.
bool PollsCounts(const ScenarioContext& ctx);

// One poll of a settle loop or a growth check: per-stack counts (format "debug=1", no ids;
// samples from the baseline's full stacks where it had them: UseFullSamples) while
// PollsCounts, else a full dump, as TakeDump. A target that turns out to serve no
// counts is logged once and polled in full from then on. Error: as TakeDump.
Result<GroupedDump> TakePollDump(ScenarioContext* ctx, const std::string& kind, const std::string& label,
                                 int64_t fds = -1, int64_t threads = -1);

// The baseline per stack: the full baseline dump's counts and, while PollsCounts, a debug=1
// look taken right after it, the larger of the two per stack (StackCounts::MaxWith): a
// connection caught inside a request by one and between requests by the other is old in
// both places. A failed look leaves the full dump's counts.
std::shared_ptr<const StackCounts> CountBaseline(ScenarioContext* ctx, const GroupedDump& full);

// The count phase of a leak check (leak_check.h), before its full dumps: polls counts with
// backoff until what rose above the baseline keeps `rules` (clean: the Outcome, known leaks
// noted) or `deadline` passes. Asks the goroutineleak profile's debug=1 (a GC in the target)
// only where its answer decides: once when the counts are clean (and kProvenConfirmAfter
// later when the rules allow goroutines above the baseline: they may yet leak), and while an
// excess has stood unmoved for kProvenEvery (a proof ends the wait early); never while work
// drains.
// When the counts above the baseline have not moved for half a settle of 10s or more, one
// full dump is judged (by id): clean ends the check, as any clean dump does (what stayed was
// the baseline's goroutines on other stacks); a leak goes back to counts until the settle
// ends. nullopt when the full loop must decide: counts are not polled (PollsCounts false, a
// check `against` a snapshot, no baseline counts), the settle is about to pass with the
// rules still broken (less of it is left than half the baseline's full dump took:
// ctx->full_dump_cost), or the runtime proved a leak (the full loop then takes one full
// dump, whose ids and stacks the failure reports).
std::optional<Outcome> SettleByCounts(const LeaksSpec& leaks, const LeakRules& rules,
                                      std::chrono::steady_clock::time_point deadline, ScenarioContext* ctx);

}  // namespace leakprobe

#endif  // LEAKPROBE_HARNESS_COUNT_POLLS_H_
