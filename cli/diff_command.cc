// `leakprobe diff BEFORE AFTER`: the goroutines of AFTER that were not in BEFORE, grouped, by
// the rules run applies (matchers/triage.h). With ids (debug=2) a goroutine is new when its
// id was not in BEFORE; debug=1 has no ids, so there a stack is new by as many goroutines as
// its count grew.
#include <algorithm>
#include <cstdio>

#include "cli/bucket_output.h"
#include "cli/commands.h"
#include "cli/dump_input.h"
#include "matchers/bucket.h"
#include "matchers/dump_parser.h"
#include "matchers/triage.h"

namespace leakprobe {

namespace {

bool LeftOut(Fate f) { return f == Fate::kBuiltinIgnored || f == Fate::kIgnored || f == Fate::kTooYoung; }

void PrintText(const std::vector<Bucket>& fresh, const std::vector<Fate>& fates, int64_t new_total,
               int64_t proven_total, int64_t before_total, int64_t after_total, bool by_id) {
  std::printf("%lld new goroutines in %zu buckets (%lld before, %lld after, compared by %s)\n\n",
              static_cast<long long>(new_total), fresh.size(), static_cast<long long>(before_total),
              static_cast<long long>(after_total), by_id ? "id" : "stack");
  for (size_t i = 0; i < fresh.size(); ++i) {
    const char* mark = fates[i] == Fate::kProven ? "PROVEN LEAK " : fates[i] == Fate::kSuspect ? "SUSPECT " : "";
    std::printf("%s%s\n", mark, FormatBucket(fresh[i]).c_str());
  }
  if (proven_total > 0) {
    std::printf("%lld new goroutines proven leaked by the Go runtime's leak detector\n",
                static_cast<long long>(proven_total));
  }
}

}  // namespace

int Diff(const DiffCommand& cmd) {
  auto rules = RulesFromFlags(cmd.suspects, cmd.ignores, cmd.min_wait_minutes, !cmd.no_builtin_ignores);
  if (!rules.ok()) return UsageError(rules.status());

  std::vector<int64_t> ids;
  EarlierStackCounts before_stacks;  // for dumps without ids
  int64_t before_total = 0;
  DumpParser before_parser([&](Goroutine& g) {
    before_total += g.count;
    if (g.id >= 0) ids.push_back(g.id);
    before_stacks.Add(g);
  });
  std::vector<std::string> before_warnings, after_warnings;
  Status s = ReadDumpSource(cmd.before, cmd.limits, &before_parser, &before_warnings);
  if (!s.ok()) return UsageError(s);
  const bool by_id = !ids.empty();
  const IdSet before_ids(std::move(ids));

  // Goroutines without ids wait until the end: their stacks' growth is what is new.
  Bucketer new_by_id, no_id;
  int64_t after_total = 0;
  DumpParser after_parser([&](Goroutine& g) {
    after_total += g.count;
    if (LeftOut(TriageGoroutine(g, rules.value()).fate)) return;
    if (g.id >= 0 && by_id) {
      if (!before_ids.Contains(g.id)) new_by_id.Add(g);
    } else {
      no_id.Add(g);
    }
  });
  s = ReadDumpSource(cmd.after, cmd.limits, &after_parser, &after_warnings);
  if (!s.ok()) return UsageError(s);
  std::vector<Bucket> fresh = new_by_id.Take();
  for (Bucket& b : no_id.Take()) {
    int64_t grew = before_stacks.Growth(b);
    if (grew <= 0) continue;
    b.count = grew;
    fresh.push_back(std::move(b));
  }
  // Proven leaks first, as scan lists them; the rest in their order.
  std::stable_partition(fresh.begin(), fresh.end(), [](const Bucket& b) { return b.sample.leaked; });

  int64_t new_total = 0, suspect_total = 0, proven_total = 0;
  std::vector<Fate> fates;
  for (const Bucket& b : fresh) {
    Fate f = TriageStack(b.sample, rules.value()).fate;
    fates.push_back(f);
    new_total += b.count;
    if (f == Fate::kSuspect) suspect_total += b.count;
    if (f == Fate::kProven) proven_total += b.count;
  }

  if (cmd.format == "json") {
    nlohmann::json out;
    out["before"] = {{"source", cmd.before}, {"total", before_total}, {"warnings", before_warnings}};
    out["after"] = {{"source", cmd.after}, {"total", after_total}, {"warnings", after_warnings}};
    out["total"] = new_total;
    out["suspects"] = suspect_total;
    out["proven_leaks"] = proven_total;
    out["by"] = by_id ? "id" : "stack";
    out["buckets"] = nlohmann::json::array();
    for (size_t i = 0; i < fresh.size(); ++i) out["buckets"].push_back(BucketJson(fresh[i], fates[i] == Fate::kSuspect));
    std::printf("%s\n", JsonText(out).c_str());
  } else {
    PrintText(fresh, fates, new_total, proven_total, before_total, after_total, by_id);
  }
  for (const std::string& w : before_warnings) std::fprintf(stderr, "warning: before: %s\n", w.c_str());
  for (const std::string& w : after_warnings) std::fprintf(stderr, "warning: after: %s\n", w.c_str());
  if (proven_total > 0) return kExitFailed;
  if (!cmd.suspects.empty()) return suspect_total > 0 ? kExitFailed : kExitPassed;
  return new_total > 0 ? kExitFailed : kExitPassed;
}

}  // namespace leakprobe
