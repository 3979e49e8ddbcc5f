// What survived a repeat's settle: the goroutines created during the repeat that are still
// alive after it, grouped by growth signature. Pure; no I/O; thread-safe.
//
// Growth names a stack whose count climbs with the iterations. Many real leaks do not climb
// on one stack: the goroutine reads, sleeps or waits on I/O first and blocks for ever only
// later, often after the last iteration's dump (an exec helper sleeps in
// main.runExec during the iterations, then blocks on its send). The total grows, the
// sleeping stack drains during the settle, and the blocked stack appears only then: flat
// during the iterations, a jump at the settle. What the settled dump holds that the first
// dump of the repeat did not is the leak, and its groups can be named as a climbing stack is:
// count ÷ iterations per iteration, with their ids and stacks.
#ifndef LEAKPROBE_MATCHERS_SURVIVORS_H_
#define LEAKPROBE_MATCHERS_SURVIVORS_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "matchers/bucket.h"
#include "matchers/grouped_dump.h"
#include "matchers/growth.h"
#include "matchers/verdict.h"

namespace leakprobe {

// Goroutines of one growth signature that survived the settle.
struct SurvivorGroup {
  std::string signature;       // GrowthSignature
  std::string name;            // NameOf one of them: "main.(*Server).execContainer.func1"
  int64_t count = 0;           // survivors on it
  std::vector<int64_t> ids;    // theirs, ascending; empty when a dump carried no ids (debug=1)
  double per_iteration = 0;    // count ÷ the repeat's iterations
};

struct Survivors {
  std::vector<SurvivorGroup> groups;  // largest first; equal counts by name, then signature
  int64_t total = 0;                  // survivors in every group
  // The group of `signature`, or nullptr.
  const SurvivorGroup* Find(const std::string& signature) const;
};

// The goroutines of `settled` whose ids are not in `first`, leaving out what `rules` ignores
// (as TakeCensus does), grouped by signature. When either dump carries no ids (debug=1) a
// signature's survivors are its count in `settled` less its count in `first`, without ids.
// `iterations` <= 0 gives rates of 0.
Survivors FindSurvivors(const GroupedDump& first, const GroupedDump& settled, const LeakRules& rules,
                        int iterations);

// The growth verdict once what survived is known.
struct SurvivorAttribution {
  // `verdict`, its message rewritten when a rate changed. When its total grows and no
  // signature does, the survivor groups whose rate is above rules.max_per_iteration become
  // its goroutines, fastest first, named as climbing stacks are named: "leaks 1.0 goroutines
  // per iteration over 5 iterations: main.(*Server).execContainer.func1 +1.0/iteration
  // (total 3 → 8)". Each one's counts are its signature's at every point of the series,
  // settled its count in the settled census, fit.per_iteration the group's rate.
  // A signature that climbed but gained more after the last iteration (more of it survived
  // than the last iteration's dump held: a leak that blocks there late, and under load
  // earlier for some) is rated by what survived when that is more than its climb.
  GrowthVerdict verdict;
  // The signatures of verdict.goroutines named or rated from their survivors: their stacks
  // are the survivors' (SurvivorBuckets), not every goroutine on the signature.
  std::vector<std::string> from_survivors;
  // When the total grows and none is above it (a leak spread over many stacks, each too
  // small to name): the largest groups, at most `listed`, in the same form; the verdict
  // keeps its "spread over stacks" message. Empty otherwise.
  std::vector<GrowingSeries> largest;
};

SurvivorAttribution AttributeToSurvivors(const GrowthVerdict& verdict, const Survivors& survivors,
                                         const GrowthSeries& series, const Census& settled,
                                         const GrowthRules& rules, size_t listed = 5);

// The buckets of `settled` that hold `group`'s goroutines, cut down to its ids (every
// goroutine of its signature when it has no ids), largest first.
std::vector<Bucket> SurvivorBuckets(const GroupedDump& settled, const SurvivorGroup& group);

}  // namespace leakprobe

#endif  // LEAKPROBE_MATCHERS_SURVIVORS_H_
