#include "matchers/verdict.h"

#include <algorithm>
#include <map>

namespace leakprobe {

namespace {

bool StartsWith(const std::string& s, const char* prefix) {
  return s.rfind(prefix, 0) == 0;
}

// Frames that mark the goroutine serving a dump request, or signal plumbing.
const char* const kServingFrames[] = {
    "runtime/pprof.writeGoroutine",
    "runtime/pprof.writeGoroutineStacks",
    "runtime/pprof.(*Profile).WriteTo",
    "net/http/pprof.handler.ServeHTTP",
    "net/http/pprof.Index",
    "net/http.(*connReader).backgroundRead",
    "os/signal.signal_recv",
    "os/signal.loop",
    "runtime.ensureSigM",
};

bool IsUserFunc(const std::string& func) {
  if (StartsWith(func, "main.")) return true;
  size_t slash = func.find('/');
  size_t dot = func.find('.');
  return slash != std::string::npos && dot != std::string::npos && dot < slash;
}

std::string Plural(int64_t n, const char* one, const char* many) {
  return std::to_string(n) + " " + (n == 1 ? one : many);
}

struct Named {
  std::string name;
  int64_t count;
  size_t pattern;  // index of the suspect that matched; past the end for non-suspects
};

// "main.(*Server).logsContainer ×2, main.readLogMessages ×1", names in first-seen order.
std::string NameCounts(const std::vector<Named>& named) {
  std::vector<std::string> order;
  std::map<std::string, int64_t> counts;
  for (const auto& [name, n, unused] : named) {
    if (counts.find(name) == counts.end()) order.push_back(name);
    counts[name] += n;
  }
  std::string out;
  for (const std::string& name : order) {
    if (!out.empty()) out += ", ";
    out += name + " \xC3\x97" + std::to_string(counts[name]);  // ×
  }
  return out;
}

}  // namespace

bool IsRuntimeFunc(const std::string& func) {
  return StartsWith(func, "runtime.") || StartsWith(func, "internal/runtime/");
}

bool IsBuiltinIgnored(const Goroutine& g) {
  bool all_runtime = !g.frames.empty();
  for (const Frame& f : g.frames) {
    for (const char* serving : kServingFrames) {
      if (f.func == serving) return true;
    }
    if (!IsRuntimeFunc(f.func)) all_runtime = false;
  }
  // The pre-started read of the connection that asks for the dump.
  if (g.created_by.func == "net/http.(*connReader).startBackgroundRead") return true;
  // Started by the runtime, or for it by a package hook the runtime links to
  // (Go 1.23's "created by unique.runtime_registerUniqueMapCleanup").
  return all_runtime && (!g.has_created_by || IsRuntimeFunc(g.created_by.func) ||
                         g.created_by.func.find(".runtime_") != std::string::npos);
}

std::string NameOf(const Goroutine& g) {
  for (const Frame& f : g.frames) {
    if (IsUserFunc(f.func)) return f.func;
  }
  if (g.has_created_by) return g.created_by.func;
  if (!g.frames.empty()) return g.frames[0].func;
  return "goroutine in state " + g.state;
}

namespace {

// The members of `b` a check counts: not in the baseline, and waiting at least `min_wait`
// minutes (debug=1 records have no ids and show no waits: they count when min_wait is 0).
Bucket Counted(const Bucket& b, const IdSet* baseline, int min_wait) {
  Bucket out;
  out.sample = b.sample;
  if (b.ids.empty()) {
    if (b.sample.wait_minutes >= min_wait) out.count = b.count;
    out.min_wait_minutes = b.min_wait_minutes;
    out.max_wait_minutes = b.max_wait_minutes;
    return out;
  }
  bool first = true;
  for (size_t i = 0; i < b.ids.size(); ++i) {
    int wait = i < b.waits.size() ? b.waits[i] : 0;
    if (wait < min_wait || (baseline && baseline->Contains(b.ids[i]))) continue;
    out.ids.push_back(b.ids[i]);
    out.waits.push_back(wait);
    out.min_wait_minutes = first ? wait : std::min(out.min_wait_minutes, wait);
    out.max_wait_minutes = first ? wait : std::max(out.max_wait_minutes, wait);
    first = false;
  }
  out.count = static_cast<int64_t>(out.ids.size());
  return out;
}

// "1 proven leak (Go runtime leak detector): main.(*Server).execContainer.func1 ×1 [chan send]"
std::string ProvenMessage(const std::vector<Bucket>& proven, int64_t count, int max_proven) {
  std::string names;
  for (const Bucket& b : proven) {
    if (!names.empty()) names += ", ";
    names += NameOf(b.sample) + " \xC3\x97" + std::to_string(b.count) + " [" + b.sample.state + "]";
  }
  std::string out = Plural(count, "proven leak", "proven leaks") + " (Go runtime leak detector): " + names;
  if (max_proven > 0) out += " (max_proven " + std::to_string(max_proven) + ")";
  return out;
}

}  // namespace

int MatchingIgnore(const Goroutine& g, const LeakRules& rules) {
  for (size_t i = 0; i < rules.ignore.size(); ++i) {
    if (rules.ignore[i].Matches(g)) return static_cast<int>(i);
  }
  return -1;
}

bool IsIgnored(const Goroutine& g, const LeakRules& rules) {
  return (rules.builtin_ignores && IsBuiltinIgnored(g)) || MatchingIgnore(g, rules) >= 0;
}

Verdict Judge(const Dump& dump, const IdSet* baseline_ids, const LeakRules& rules,
              const IdSet* baseline_leaked) {
  return Judge(GroupDump(dump), baseline_ids, rules, baseline_leaked);
}

Verdict Judge(const GroupedDump& dump, const IdSet* baseline_ids, const LeakRules& rules,
              const IdSet* baseline_leaked) {
  Verdict v;
  const size_t n = rules.suspects.size();
  std::vector<std::vector<Bucket>> by_pattern(n);  // suspects apart per pattern: limits may differ
  std::vector<int64_t> per_pattern(n, 0);
  std::vector<Named> suspect_names, new_names;
  v.known_counts.assign(rules.ignore.size(), 0);
  v.known_names.assign(rules.ignore.size(), "");
  for (const Bucket& b : dump.buckets) {
    const Goroutine& g = b.sample;
    if (rules.builtin_ignores && IsBuiltinIgnored(g)) continue;
    int ignored = MatchingIgnore(g, rules);
    if (ignored >= 0) {
      size_t i = static_cast<size_t>(ignored);
      if (i < rules.ignore_reasons.size() && !rules.ignore_reasons[i].empty()) {
        int64_t n = Counted(b, g.leaked ? baseline_leaked : baseline_ids, 0).count;
        if (n > 0 && v.known_names[i].empty()) v.known_names[i] = NameOf(g);
        v.known_counts[i] += n;
      }
      continue;
    }
    if (g.leaked) {
      // Proven: no waiting needed, and what was leaked before the scenario is not its leak.
      Bucket proven = Counted(b, baseline_leaked, 0);
      if (proven.count > 0) {
        v.proven_count += proven.count;
        v.proven_buckets.push_back(std::move(proven));
      }
      continue;
    }
    Bucket counted = Counted(b, baseline_ids, rules.min_wait_minutes);
    if (counted.count == 0) continue;

    std::string matched;
    size_t which = 0;
    for (; which < n; ++which) {
      const Pattern& p = rules.suspects[which];
      if (p.Matches(g)) {
        matched = p.MatchedFunction(g);
        if (matched.empty()) matched = NameOf(g);
        break;
      }
    }
    if (baseline_ids) v.new_count += counted.count;
    if (!matched.empty()) {
      v.suspect_count += counted.count;
      per_pattern[which] += counted.count;
      suspect_names.push_back({matched, counted.count, which});
      by_pattern[which].push_back(std::move(counted));
    } else if (baseline_ids) {
      new_names.push_back({NameOf(g), counted.count, n});
      v.new_buckets.push_back(std::move(counted));
    }
  }
  SortBuckets(&v.new_buckets);
  SortBuckets(&v.proven_buckets);
  const bool too_many_proven = v.proven_count > rules.max_proven;

  // Which limits broke: each capped pattern on its own count, the others together.
  auto capped = [&rules](size_t p) { return p < rules.suspect_max.size() && rules.suspect_max[p]; };
  int64_t uncapped = 0;
  for (size_t p = 0; p < n; ++p) {
    if (!capped(p)) uncapped += per_pattern[p];
  }
  bool too_many_new = rules.max_new_goroutines && v.new_count > *rules.max_new_goroutines;
  std::vector<bool> reported(n, false);
  std::vector<std::string> notes;
  for (size_t p = 0; p < n; ++p) {
    if (capped(p) && per_pattern[p] > *rules.suspect_max[p]) {
      reported[p] = true;
      notes.push_back(std::to_string(per_pattern[p]) + " suspects, max " + std::to_string(*rules.suspect_max[p]));
    }
  }
  if (uncapped > rules.max_suspects) {
    for (size_t p = 0; p < n; ++p) reported[p] = reported[p] || !capped(p);
    if (rules.max_suspects > 0) {
      notes.push_back(std::to_string(uncapped) + " suspects, max_suspects " + std::to_string(rules.max_suspects));
    }
  }
  if (too_many_new) {
    // Every goroutine created since the baseline counts against that limit, suspects too.
    reported.assign(n, true);
    notes.push_back(Plural(v.new_count, "new goroutine", "new goroutines") + " alive, max_new_goroutines " +
                    std::to_string(*rules.max_new_goroutines));
  }
  bool leaked = too_many_new || std::find(reported.begin(), reported.end(), true) != reported.end();

  // The suspect buckets are those of the limits that broke (all of them when none did).
  for (size_t p = 0; p < n; ++p) {
    if (!leaked || reported[p]) {
      for (Bucket& b : by_pattern[p]) v.suspect_buckets.push_back(std::move(b));
    }
  }
  SortBuckets(&v.suspect_buckets);
  if (!leaked && !too_many_proven) return v;

  std::vector<Named> named;
  int64_t count = 0;
  for (const Named& s : suspect_names) {
    if (reported[s.pattern]) {
      named.push_back(s);
      count += s.count;
    }
  }
  // Named in the order of the suspects that caught them, as the scenario lists them.
  std::stable_sort(named.begin(), named.end(), [](const Named& a, const Named& b) { return a.pattern < b.pattern; });
  std::string detail;
  if (too_many_proven) {
    detail += "Proven leaks: the Go runtime's leak detector found nothing that can ever wake them. "
              "Grouped by identical stack:\n\n";
    for (const Bucket& b : v.proven_buckets) detail += FormatBucket(b) + "\n";
  }
  if (leaked && !v.suspect_buckets.empty()) {
    detail += "Suspect goroutines, grouped by identical stack:\n\n";
    for (const Bucket& b : v.suspect_buckets) detail += FormatBucket(b) + "\n";
  }
  if (too_many_new) {
    named.insert(named.end(), new_names.begin(), new_names.end());
    count += v.new_count - v.suspect_count;
    if (!v.new_buckets.empty()) {
      detail += "Other goroutines created since the baseline and still alive:\n\n";
      for (const Bucket& b : v.new_buckets) detail += FormatBucket(b) + "\n";
    }
  }
  v.leaked = true;
  v.proven_leaked = too_many_proven;
  v.rules_broken = leaked;
  if (too_many_proven) v.message = ProvenMessage(v.proven_buckets, v.proven_count, rules.max_proven);
  if (leaked) {
    if (!v.message.empty()) v.message += "; ";
    v.message += Plural(count, "leaked goroutine", "leaked goroutines") + ": " + NameCounts(named);
    for (size_t i = 0; i < notes.size(); ++i) v.message += (i ? "; " : " (") + notes[i];
    if (!notes.empty()) v.message += ")";
  }
  v.detail = detail;
  return v;
}

}  // namespace leakprobe
