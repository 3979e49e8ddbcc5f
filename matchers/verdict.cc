#include "matchers/verdict.h"

#include <algorithm>
#include <map>

namespace leakprobe {

namespace {

bool StartsWith(const std::string& s, const char* prefix) {
  return s.rfind(prefix, 0) == 0;
}

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

std::string NameOf(const Goroutine& g) {
  for (const Frame& f : g.frames) {
    if (IsUserFunc(f.func)) return f.func;
  }
  if (g.has_created_by) return g.created_by.func;
  if (!g.frames.empty()) return g.frames[0].func;
  return "goroutine in state " + g.state;
}

namespace {

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

Verdict Judge(const Dump& dump, const IdSet* baseline_ids, const LeakRules& rules,
              const IdSet* baseline_leaked) {
  return Judge(GroupDump(dump), baseline_ids, rules, baseline_leaked);
}

namespace {

// Judge's first pass: each bucket by the rules (triage.h), the suspects apart per pattern
// (their limits may differ).
struct Sorted {
  std::vector<std::vector<Bucket>> by_pattern;
  std::vector<int64_t> per_pattern;
  std::vector<Named> suspect_names, new_names;
};

Sorted SortOut(const GroupedDump& dump, const IdSet* baseline_ids, const LeakRules& rules,
               const IdSet* baseline_leaked, Verdict* v) {
  const size_t n = rules.suspects.size();
  Sorted out;
  out.by_pattern.resize(n);
  out.per_pattern.assign(n, 0);
  v->known_counts.assign(rules.ignore.size(), 0);
  v->known_names.assign(rules.ignore.size(), "");
  for (const Bucket& b : dump.buckets) {
    const Goroutine& g = b.sample;
    const Triage t = TriageStack(g, rules);
    if (t.fate == Fate::kBuiltinIgnored) continue;
    if (t.fate == Fate::kIgnored) {
      size_t i = static_cast<size_t>(t.rule);
      if (i < rules.ignore_reasons.size() && !rules.ignore_reasons[i].empty()) {
        int64_t known = NewMembers(b, g.leaked ? baseline_leaked : baseline_ids, 0).count;
        if (known > 0 && v->known_names[i].empty()) v->known_names[i] = NameOf(g);
        v->known_counts[i] += known;
      }
      continue;
    }
    if (t.fate == Fate::kProven) {
      // Proven: no waiting needed, and what was leaked before the scenario is not its leak.
      Bucket proven = NewMembers(b, baseline_leaked, 0);
      if (proven.count > 0) {
        v->proven_count += proven.count;
        v->proven_buckets.push_back(std::move(proven));
      }
      continue;
    }
    Bucket counted = NewMembers(b, baseline_ids, rules.min_wait_minutes);
    if (counted.count == 0) continue;
    if (baseline_ids) v->new_count += counted.count;
    if (t.fate == Fate::kSuspect) {
      const size_t which = static_cast<size_t>(t.rule);
      std::string matched = rules.suspects[which].MatchedFunction(g);
      if (matched.empty()) matched = NameOf(g);
      v->suspect_count += counted.count;
      out.per_pattern[which] += counted.count;
      out.suspect_names.push_back({matched, counted.count, which});
      out.by_pattern[which].push_back(std::move(counted));
    } else if (baseline_ids) {
      out.new_names.push_back({NameOf(g), counted.count, n});
      v->new_buckets.push_back(std::move(counted));
    }
  }
  SortBuckets(&v->new_buckets);
  SortBuckets(&v->proven_buckets);
  return out;
}

// Which limits broke: each capped pattern on its own count, the others together, and
// max_new_goroutines, with a note for each ("3 suspects, max 2").
struct Broken {
  std::vector<bool> reported;  // per suspect pattern: its goroutines count as leaked
  std::vector<std::string> notes;
  bool too_many_new = false;
  bool any = false;
};

Broken CheckLimits(const LeakRules& rules, const Verdict& v, const Sorted& sorted) {
  const size_t n = rules.suspects.size();
  auto capped = [&rules](size_t p) { return p < rules.suspect_max.size() && rules.suspect_max[p]; };
  int64_t uncapped = 0;
  for (size_t p = 0; p < n; ++p) {
    if (!capped(p)) uncapped += sorted.per_pattern[p];
  }
  Broken out;
  out.too_many_new = rules.max_new_goroutines && v.new_count > *rules.max_new_goroutines;
  out.reported.assign(n, false);
  for (size_t p = 0; p < n; ++p) {
    if (capped(p) && sorted.per_pattern[p] > *rules.suspect_max[p]) {
      out.reported[p] = true;
      out.notes.push_back(std::to_string(sorted.per_pattern[p]) + " suspects, max " +
                          std::to_string(*rules.suspect_max[p]));
    }
  }
  if (uncapped > rules.max_suspects) {
    for (size_t p = 0; p < n; ++p) out.reported[p] = out.reported[p] || !capped(p);
    if (rules.max_suspects > 0) {
      out.notes.push_back(std::to_string(uncapped) + " suspects, max_suspects " + std::to_string(rules.max_suspects));
    }
  }
  if (out.too_many_new) {
    // Every goroutine created since the baseline counts against that limit, suspects too.
    out.reported.assign(n, true);
    out.notes.push_back(Plural(v.new_count, "new goroutine", "new goroutines") + " alive, max_new_goroutines " +
                        std::to_string(*rules.max_new_goroutines));
  }
  out.any = out.too_many_new || std::find(out.reported.begin(), out.reported.end(), true) != out.reported.end();
  return out;
}

// The verdict's message and detail, once something leaked.
void Describe(const Sorted& sorted, const Broken& broken, bool too_many_proven, const LeakRules& rules,
              Verdict* v) {
  std::vector<Named> named;
  int64_t count = 0;
  for (const Named& s : sorted.suspect_names) {
    if (broken.reported[s.pattern]) {
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
    for (const Bucket& b : v->proven_buckets) detail += FormatBucket(b) + "\n";
  }
  if (broken.any && !v->suspect_buckets.empty()) {
    detail += "Suspect goroutines, grouped by identical stack:\n\n";
    for (const Bucket& b : v->suspect_buckets) detail += FormatBucket(b) + "\n";
  }
  if (broken.too_many_new) {
    named.insert(named.end(), sorted.new_names.begin(), sorted.new_names.end());
    count += v->new_count - v->suspect_count;
    if (!v->new_buckets.empty()) {
      detail += "Other goroutines created since the baseline and still alive:\n\n";
      for (const Bucket& b : v->new_buckets) detail += FormatBucket(b) + "\n";
    }
  }
  if (too_many_proven) v->message = ProvenMessage(v->proven_buckets, v->proven_count, rules.max_proven);
  if (broken.any) {
    if (!v->message.empty()) v->message += "; ";
    v->message += Plural(count, "leaked goroutine", "leaked goroutines") + ": " + NameCounts(named);
    for (size_t i = 0; i < broken.notes.size(); ++i) v->message += (i ? "; " : " (") + broken.notes[i];
    if (!broken.notes.empty()) v->message += ")";
  }
  v->detail = detail;
}

}  // namespace

Verdict Judge(const GroupedDump& dump, const IdSet* baseline_ids, const LeakRules& rules,
              const IdSet* baseline_leaked) {
  Verdict v;
  Sorted sorted = SortOut(dump, baseline_ids, rules, baseline_leaked, &v);
  const bool too_many_proven = v.proven_count > rules.max_proven;
  const Broken broken = CheckLimits(rules, v, sorted);
  // The suspect buckets are those of the limits that broke (all of them when none did).
  for (size_t p = 0; p < rules.suspects.size(); ++p) {
    if (!broken.any || broken.reported[p]) {
      for (Bucket& b : sorted.by_pattern[p]) v.suspect_buckets.push_back(std::move(b));
    }
  }
  SortBuckets(&v.suspect_buckets);
  if (!broken.any && !too_many_proven) return v;
  v.leaked = true;
  v.proven_leaked = too_many_proven;
  v.rules_broken = broken.any;
  v.new_counted = broken.too_many_new;
  Describe(sorted, broken, too_many_proven, rules, &v);
  return v;
}

}  // namespace leakprobe
