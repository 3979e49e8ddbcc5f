// `leakprobe scan SOURCE`: one dump, grouped by identical stack, by the rules run applies
// (matchers/triage.h): proven leaks first, then suspects, then the rest; what the built-in
// list, --ignore or --min-wait leave out is counted as ignored.
#include <cstdio>

#include <nlohmann/json.hpp>

#include "cli/bucket_output.h"
#include "cli/commands.h"
#include "cli/dump_input.h"
#include "matchers/bucket.h"
#include "matchers/dump_parser.h"
#include "matchers/triage.h"

namespace leakprobe {

int Scan(const ScanCommand& cmd) {
  auto rules = RulesFromFlags(cmd.suspects, cmd.ignores, cmd.min_wait_minutes, !cmd.no_builtin_ignores);
  if (!rules.ok()) return UsageError(rules.status());

  // Proven leaks, suspects and the rest bucket apart, so a bucket is wholly one of them.
  // Only the buckets are kept: a huge dump streams through. The rules are run's (triage.h).
  Bucketer proven_buckets, suspect_buckets, other_buckets;
  int64_t total = 0, ignored = 0, suspect_count = 0, proven_count = 0;
  DumpParser parser([&](Goroutine& g) {
    total += g.count;
    switch (TriageGoroutine(g, rules.value()).fate) {
      case Fate::kBuiltinIgnored:
      case Fate::kIgnored:
      case Fate::kTooYoung: ignored += g.count; break;
      case Fate::kProven:
        proven_count += g.count;
        proven_buckets.Add(g);
        break;
      case Fate::kSuspect:
        suspect_count += g.count;
        suspect_buckets.Add(g);
        break;
      case Fate::kOther: other_buckets.Add(g); break;
    }
  });
  std::vector<std::string> warnings;
  Status s = ReadDumpSource(cmd.source, cmd.limits, &parser, &warnings);
  if (!s.ok()) return UsageError(s);
  std::vector<Bucket> proven = proven_buckets.Take();
  std::vector<Bucket> sus = suspect_buckets.Take();
  std::vector<Bucket> rest = other_buckets.Take();

  if (cmd.format == "json") {
    nlohmann::json out;
    out["source"] = cmd.source;
    out["format"] = parser.format();
    out["total"] = total;
    if (parser.declared_total() >= 0) out["declared_total"] = parser.declared_total();
    out["ignored"] = ignored;
    out["suspects"] = suspect_count;
    out["proven_leaks"] = proven_count;
    out["buckets"] = nlohmann::json::array();
    auto add = [&out](const std::vector<Bucket>& buckets, bool suspect) {
      for (const Bucket& b : buckets) out["buckets"].push_back(BucketJson(b, suspect));
    };
    add(proven, false);
    add(sus, true);
    add(rest, false);
    out["warnings"] = warnings;
    std::printf("%s\n", JsonText(out).c_str());
  } else {
    std::printf("%lld goroutines in %zu buckets (%s)", static_cast<long long>(total),
                proven.size() + sus.size() + rest.size(),
                parser.format().empty() ? "no dump found" : parser.format().c_str());
    if (ignored) std::printf(", %lld ignored", static_cast<long long>(ignored));
    std::printf("\n\n");
    for (const Bucket& b : proven) std::printf("PROVEN LEAK %s\n", FormatBucket(b).c_str());
    for (const Bucket& b : sus) std::printf("SUSPECT %s\n", FormatBucket(b).c_str());
    for (const Bucket& b : rest) std::printf("%s\n", FormatBucket(b).c_str());
    if (proven_count > 0) {
      std::printf("%lld goroutines proven leaked by the Go runtime's leak detector\n",
                  static_cast<long long>(proven_count));
    }
    if (!cmd.suspects.empty()) {
      std::printf("%lld goroutines match --suspect\n", static_cast<long long>(suspect_count));
    }
  }
  for (const std::string& w : warnings) std::fprintf(stderr, "warning: %s\n", w.c_str());
  return suspect_count > 0 || proven_count > 0 ? kExitFailed : kExitPassed;
}

}  // namespace leakprobe
