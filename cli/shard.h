// `--shard I/N`: which scenarios this CI job runs when a run is split over N jobs.
//
// Deterministic and exhaustive: given the same scenario files and --filter, every scenario
// lands in exactly one of the N shards, and the shards differ in size by at most one.
// Scenarios are dealt round-robin in run order (files sorted as ExpandPaths gives them,
// scenarios in file order), so a file's scenarios spread over the shards. Pure; no I/O.
#ifndef LEAKPROBE_CLI_SHARD_H_
#define LEAKPROBE_CLI_SHARD_H_

#include <string>
#include <vector>

#include "base/status.h"
#include "scenarios/suite.h"

namespace leakprobe {

struct Shard {
  int index = 1;  // 1-based
  int count = 1;
};

// "2/4" -> {2, 4}. Errors: `--shard 5/4: write I/N with 1 <= I <= N, e.g. 2/4`.
Result<Shard> ParseShard(const std::string& text);

// Keeps in each suite only the scenarios of `shard`, counting only scenarios for which
// `selected(suite, scenario)` is true (the --filter), and drops suites left with none of
// their selected scenarios. Suites without any selected scenario at all are kept as they are,
// so --filter alone reports them as before.
template <typename Selected>
void ApplyShard(const Shard& shard, Selected selected, std::vector<Suite>* suites);

// REQUIRES: shard.count >= 1. Whether the `position`-th (0-based) selected scenario belongs
// to `shard`.
inline bool InShard(const Shard& shard, long position) {
  return position % shard.count == shard.index - 1;
}

template <typename Selected>
void ApplyShard(const Shard& shard, Selected selected, std::vector<Suite>* suites) {
  long position = 0;
  std::vector<Suite> kept;
  for (Suite& suite : *suites) {
    std::vector<Scenario> mine;
    bool any_selected = false;
    for (Scenario& scenario : suite.scenarios) {
      if (!selected(suite, scenario)) continue;
      any_selected = true;
      if (InShard(shard, position++)) mine.push_back(std::move(scenario));
    }
    if (any_selected && mine.empty()) continue;
    if (any_selected) suite.scenarios = std::move(mine);
    kept.push_back(std::move(suite));
  }
  *suites = std::move(kept);
}

}  // namespace leakprobe

#endif  // LEAKPROBE_CLI_SHARD_H_
