#include "matchers/survivors.h"

#include <algorithm>
#include <map>

namespace leakprobe {

namespace {

// Whether every goroutine of `dump` came with its id (debug=2 does; debug=1 gives none).
bool HasIds(const GroupedDump& dump) {
  for (const Bucket& b : dump.buckets) {
    if (static_cast<int64_t>(b.ids.size()) < b.count) return false;
  }
  return true;
}

void ByCount(const GroupedDump& first, const GroupedDump& settled, const LeakRules& rules,
             std::map<std::string, SurvivorGroup>* groups) {
  Census before = TakeCensus(first, rules);
  Census after = TakeCensus(settled, rules);
  for (const auto& [sig, n] : after.counts) {
    auto it = before.counts.find(sig);
    int64_t born = n - (it == before.counts.end() ? 0 : it->second);
    if (born <= 0) continue;
    SurvivorGroup& g = (*groups)[sig];
    g.signature = sig;
    g.name = after.names[sig];
    g.count = born;
  }
}

void ById(const GroupedDump& first, const GroupedDump& settled, const LeakRules& rules,
          std::map<std::string, SurvivorGroup>* groups) {
  IdSet before = first.Ids();
  for (const Bucket& b : settled.buckets) {
    if (IsIgnored(b.sample, rules)) continue;
    std::vector<int64_t> born;
    for (int64_t id : b.ids) {
      if (!before.Contains(id)) born.push_back(id);
    }
    if (born.empty()) continue;
    std::string sig = GrowthSignature(b.sample);
    SurvivorGroup& g = (*groups)[sig];
    if (g.signature.empty()) {
      g.signature = sig;
      g.name = NameOf(b.sample);
    }
    g.count += static_cast<int64_t>(born.size());
    g.ids.insert(g.ids.end(), born.begin(), born.end());
  }
}

// A group as a growth series: its signature's count at every point and after the settle.
GrowingSeries SeriesOf(const SurvivorGroup& g, const GrowthSeries& series, const Census& settled,
                       const GrowthRules& rules) {
  GrowingSeries s;
  s.signature = g.signature;
  s.name = g.name;
  for (const Census& c : series.points) {
    auto it = c.counts.find(g.signature);
    s.counts.push_back(it == c.counts.end() ? 0 : it->second);
  }
  auto it = settled.counts.find(g.signature);
  s.settled = it == settled.counts.end() ? 0 : it->second;
  s.fit.per_iteration = g.per_iteration;
  s.fit.head = s.counts.empty() ? 0 : static_cast<double>(s.counts.front());
  s.fit.tail = static_cast<double>(*s.settled);
  s.fit.grows = g.per_iteration > rules.max_per_iteration + 1e-9;
  return s;
}

// Climbing signatures that gained more after the last iteration than they held at it take
// their survivors' rate when it is higher; fastest first again.
void RateLateArrivals(const Survivors& survivors, SurvivorAttribution* a) {
  for (GrowingSeries& s : a->verdict.goroutines) {
    const SurvivorGroup* g = survivors.Find(s.signature);
    if (!g || s.counts.empty() || g->count <= s.counts.back() || g->per_iteration <= s.fit.per_iteration) continue;
    s.fit.per_iteration = g->per_iteration;
    a->from_survivors.push_back(s.signature);
  }
  if (a->from_survivors.empty()) return;
  std::stable_sort(a->verdict.goroutines.begin(), a->verdict.goroutines.end(),
                   [](const GrowingSeries& x, const GrowingSeries& y) { return x.fit.per_iteration > y.fit.per_iteration; });
}

}  // namespace

const SurvivorGroup* Survivors::Find(const std::string& signature) const {
  for (const SurvivorGroup& g : groups) {
    if (g.signature == signature) return &g;
  }
  return nullptr;
}

Survivors FindSurvivors(const GroupedDump& first, const GroupedDump& settled, const LeakRules& rules,
                        int iterations) {
  std::map<std::string, SurvivorGroup> groups;
  if (HasIds(first) && HasIds(settled)) {
    ById(first, settled, rules, &groups);
  } else {
    ByCount(first, settled, rules, &groups);
  }
  Survivors out;
  for (auto& [sig, g] : groups) {
    std::sort(g.ids.begin(), g.ids.end());
    g.per_iteration = iterations > 0 ? static_cast<double>(g.count) / iterations : 0;
    out.total += g.count;
    out.groups.push_back(std::move(g));
  }
  std::stable_sort(out.groups.begin(), out.groups.end(), [](const SurvivorGroup& a, const SurvivorGroup& b) {
    if (a.count != b.count) return a.count > b.count;
    return a.name < b.name;  // the map gave them in signature order
  });
  return out;
}

SurvivorAttribution AttributeToSurvivors(const GrowthVerdict& verdict, const Survivors& survivors,
                                         const GrowthSeries& series, const Census& settled,
                                         const GrowthRules& rules, size_t listed) {
  SurvivorAttribution a;
  a.verdict = verdict;
  if (!verdict.goroutines.empty()) {
    RateLateArrivals(survivors, &a);
  } else if (verdict.total) {
    for (const SurvivorGroup& g : survivors.groups) {
      GrowingSeries s = SeriesOf(g, series, settled, rules);
      if (s.fit.grows) {
        a.from_survivors.push_back(s.signature);
        a.verdict.goroutines.push_back(std::move(s));
      } else if (a.largest.size() < listed) {
        a.largest.push_back(std::move(s));
      }
    }
    if (!a.verdict.goroutines.empty()) a.largest.clear();
  }
  if (!a.from_survivors.empty()) a.verdict.message = GrowthMessage(a.verdict, series.iterations, rules);
  return a;
}

std::vector<Bucket> SurvivorBuckets(const GroupedDump& settled, const SurvivorGroup& group) {
  IdSet ids(group.ids);
  std::vector<Bucket> out;
  for (const Bucket& b : settled.buckets) {
    if (GrowthSignature(b.sample) != group.signature) continue;
    if (group.ids.empty()) {
      out.push_back(b);
      continue;
    }
    Bucket kept;
    kept.sample = b.sample;
    for (size_t i = 0; i < b.ids.size(); ++i) {
      if (!ids.Contains(b.ids[i])) continue;
      kept.ids.push_back(b.ids[i]);
      if (i < b.waits.size()) kept.waits.push_back(b.waits[i]);
    }
    if (kept.ids.empty()) continue;
    kept.count = static_cast<int64_t>(kept.ids.size());
    if (!kept.waits.empty()) {
      kept.min_wait_minutes = *std::min_element(kept.waits.begin(), kept.waits.end());
      kept.max_wait_minutes = *std::max_element(kept.waits.begin(), kept.waits.end());
    }
    out.push_back(std::move(kept));
  }
  SortBuckets(&out);
  return out;
}

}  // namespace leakprobe
