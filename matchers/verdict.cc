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

bool IsBuiltinIgnored(const Goroutine& g) {
  bool all_runtime = !g.frames.empty();
  for (const Frame& f : g.frames) {
    for (const char* serving : kServingFrames) {
      if (f.func == serving) return true;
    }
    if (!StartsWith(f.func, "runtime.")) all_runtime = false;
  }
  // The pre-started read of the connection that asks for the dump.
  if (g.created_by.func == "net/http.(*connReader).startBackgroundRead") return true;
  return all_runtime && (!g.has_created_by || StartsWith(g.created_by.func, "runtime."));
}

std::string NameOf(const Goroutine& g) {
  for (const Frame& f : g.frames) {
    if (IsUserFunc(f.func)) return f.func;
  }
  if (g.has_created_by) return g.created_by.func;
  if (!g.frames.empty()) return g.frames[0].func;
  return "goroutine in state " + g.state;
}

Verdict Judge(const Dump& dump, const std::unordered_set<int64_t>* baseline_ids,
              const LeakRules& rules) {
  Verdict v;
  const size_t n = rules.suspects.size();
  std::vector<Bucketer> by_pattern(n);  // suspects apart per pattern: limits may differ
  std::vector<int64_t> per_pattern(n, 0);
  Bucketer fresh;
  std::vector<Named> suspect_names, new_names;
  for (const Goroutine& original : dump.goroutines) {
    if (baseline_ids && original.id >= 0 && baseline_ids->count(original.id)) continue;
    if (original.wait_minutes < rules.min_wait_minutes) continue;
    if (rules.builtin_ignores && IsBuiltinIgnored(original)) continue;
    bool ignored = false;
    for (const Pattern& p : rules.ignore) {
      if (p.Matches(original)) {
        ignored = true;
        break;
      }
    }
    if (ignored) continue;

    std::string matched;
    size_t which = 0;
    for (; which < n; ++which) {
      const Pattern& p = rules.suspects[which];
      if (p.Matches(original)) {
        matched = p.MatchedFunction(original);
        if (matched.empty()) matched = NameOf(original);
        break;
      }
    }
    Goroutine g = original;
    if (baseline_ids) v.new_count += g.count;
    if (!matched.empty()) {
      v.suspect_count += g.count;
      per_pattern[which] += g.count;
      suspect_names.push_back({matched, g.count, which});
      by_pattern[which].Add(g);
    } else if (baseline_ids) {
      new_names.push_back({NameOf(g), g.count, n});
      fresh.Add(g);
    }
  }
  v.new_buckets = fresh.Take();

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
      for (Bucket& b : by_pattern[p].Take()) v.suspect_buckets.push_back(std::move(b));
    }
  }
  SortBuckets(&v.suspect_buckets);
  if (!leaked) return v;

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
  if (!v.suspect_buckets.empty()) {
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
  v.message = Plural(count, "leaked goroutine", "leaked goroutines") + ": " + NameCounts(named);
  for (size_t i = 0; i < notes.size(); ++i) v.message += (i ? "; " : " (") + notes[i];
  if (!notes.empty()) v.message += ")";
  v.detail = detail;
  return v;
}

}  // namespace leakprobe
