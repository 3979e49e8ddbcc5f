// `leakprobe diff BEFORE AFTER`: the goroutines of AFTER that were not in BEFORE, grouped.
// With ids (debug=2) a goroutine is new when its id was not in BEFORE; debug=1 has no ids,
// so there a stack is new by as many goroutines as its count grew.
#include <cstdio>
#include <map>
#include <unordered_set>

#include "cli/bucket_output.h"
#include "cli/commands.h"
#include "matchers/bucket.h"
#include "matchers/dump_parser.h"
#include "matchers/verdict.h"
#include "wire/dump_source.h"

namespace leakprobe {

namespace {

struct Before {
  std::unordered_set<int64_t> ids;
  std::map<std::string, int64_t> counts;  // by StackKey, for dumps without ids
  bool has_ids = false;
  int64_t total = 0;
};

}  // namespace

int Diff(const DiffCommand& cmd) {
  std::vector<Pattern> suspects, ignores;
  Status s = CompileFlags(cmd.suspects, cmd.ignores, &suspects, &ignores);
  if (!s.ok()) return UsageError(s);
  auto counted = [&](const Goroutine& g) {
    if (g.wait_minutes < cmd.min_wait_minutes) return false;
    if (!cmd.no_builtin_ignores && IsBuiltinIgnored(g)) return false;
    return !AnyMatches(ignores, g);
  };

  Before before;
  DumpParser before_parser([&](Goroutine& g) {
    before.total += g.count;
    if (g.id >= 0) {
      before.ids.insert(g.id);
      before.has_ids = true;
    }
    before.counts[StackKey(g)] += g.count;
  });
  std::vector<std::string> before_warnings, after_warnings;
  s = ReadDumpSource(cmd.before, cmd.limits, &before_parser, &before_warnings);
  if (!s.ok()) return UsageError(s);

  // Goroutines without ids wait until the end: their stacks' growth is what is new.
  Bucketer by_id, no_id;
  int64_t after_total = 0;
  DumpParser after_parser([&](Goroutine& g) {
    after_total += g.count;
    if (!counted(g)) return;
    if (g.id >= 0 && before.has_ids) {
      if (!before.ids.count(g.id)) by_id.Add(g);
    } else {
      no_id.Add(g);
    }
  });
  s = ReadDumpSource(cmd.after, cmd.limits, &after_parser, &after_warnings);
  if (!s.ok()) return UsageError(s);
  std::vector<Bucket> fresh = by_id.Take();
  for (Bucket& b : no_id.Take()) {
    auto it = before.counts.find(StackKey(b.sample));
    int64_t grew = b.count - (it == before.counts.end() ? 0 : it->second);
    if (grew <= 0) continue;
    b.count = grew;
    fresh.push_back(std::move(b));
  }

  int64_t new_total = 0, suspect_total = 0;
  std::vector<bool> is_suspect;
  for (const Bucket& b : fresh) {
    bool sus = AnyMatches(suspects, b.sample);
    is_suspect.push_back(sus);
    new_total += b.count;
    if (sus) suspect_total += b.count;
  }

  if (cmd.format == "json") {
    nlohmann::json out;
    out["before"] = {{"source", cmd.before}, {"total", before.total}, {"warnings", before_warnings}};
    out["after"] = {{"source", cmd.after}, {"total", after_total}, {"warnings", after_warnings}};
    out["total"] = new_total;
    out["suspects"] = suspect_total;
    out["by"] = before.has_ids ? "id" : "stack";
    out["buckets"] = nlohmann::json::array();
    for (size_t i = 0; i < fresh.size(); ++i) out["buckets"].push_back(BucketJson(fresh[i], is_suspect[i]));
    std::printf("%s\n", JsonText(out).c_str());
  } else {
    std::printf("%lld new goroutines in %zu buckets (%lld before, %lld after, compared by %s)\n\n",
                static_cast<long long>(new_total), fresh.size(), static_cast<long long>(before.total),
                static_cast<long long>(after_total), before.has_ids ? "id" : "stack");
    for (size_t i = 0; i < fresh.size(); ++i) {
      std::printf("%s%s\n", is_suspect[i] ? "SUSPECT " : "", FormatBucket(fresh[i]).c_str());
    }
  }
  for (const std::string& w : before_warnings) std::fprintf(stderr, "warning: before: %s\n", w.c_str());
  for (const std::string& w : after_warnings) std::fprintf(stderr, "warning: after: %s\n", w.c_str());
  if (!suspects.empty()) return suspect_total > 0 ? kExitFailed : kExitPassed;
  return new_total > 0 ? kExitFailed : kExitPassed;
}

}  // namespace leakprobe
