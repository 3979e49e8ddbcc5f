#include "matchers/growth.h"

#include <algorithm>
#include <cmath>

#include "base/rate_text.h"
#include "matchers/triage.h"

#include "matchers/stack_counts.h"

namespace leakprobe {

namespace {

double Median(std::vector<double> v) {
  if (v.empty()) return 0;
  size_t mid = v.size() / 2;
  std::nth_element(v.begin(), v.begin() + mid, v.end());
  double upper = v[mid];
  if (v.size() % 2 == 1) return upper;
  double lower = *std::max_element(v.begin(), v.begin() + mid);
  return (lower + upper) / 2;
}

std::vector<double> AsDoubles(const std::vector<int64_t>& v) {
  return std::vector<double>(v.begin(), v.end());
}

// "leaks 1.0 open fds per iteration over 20 iterations (9 → 29)"
std::string ResourceMessage(const GrowingSeries& s, const char* what, int iterations) {
  int64_t last = s.settled ? *s.settled : s.counts.back();
  return "leaks " + FormatRate(s.fit.per_iteration) + " " + what + " per iteration over " + std::to_string(iterations) +
         " iterations (" + std::to_string(s.counts.front()) + " \xE2\x86\x92 " + std::to_string(last) + ")";
}

std::string Message(const GrowthVerdict& v, int iterations, const GrowthRules& rules) {
  std::vector<std::string> parts;
  std::string total = "(total " + std::to_string(v.totals.front()) + " \xE2\x86\x92 " +
                      std::to_string(v.settled_total ? *v.settled_total : v.totals.back()) + ")";
  std::string over = " per iteration over " + std::to_string(iterations) + " iterations";
  if (!v.goroutines.empty()) {
    // One name may stand for several stacks (the same handler reached two ways): add them up.
    std::vector<std::pair<std::string, double>> named;
    double sum = 0;
    for (const GrowingSeries& s : v.goroutines) {
      sum += s.fit.per_iteration;
      auto it = std::find_if(named.begin(), named.end(), [&](const auto& n) { return n.first == s.name; });
      if (it == named.end()) named.emplace_back(s.name, s.fit.per_iteration);
      else it->second += s.fit.per_iteration;
    }
    std::string list;
    for (const auto& [name, rate] : named) list += (list.empty() ? "" : ", ") + name + " " + FormatSignedRate(rate) + "/iteration";
    parts.push_back("leaks " + FormatRate(sum) + " goroutines" + over + ": " + list + " " + total);
  } else if (v.total) {
    parts.push_back("leaks " + FormatRate(v.total->fit.per_iteration) + " goroutines" + over +
                    ", spread over stacks that each grow by at most " + FormatRate(rules.max_per_iteration) +
                    "/iteration " + total);
  }
  if (v.fds) parts.push_back(ResourceMessage(*v.fds, "open fds", iterations));
  if (v.threads) parts.push_back(ResourceMessage(*v.threads, "threads", iterations));
  std::string out;
  for (const std::string& p : parts) out += (out.empty() ? "" : "; ") + p;
  return out;
}

// A Go process keeps the threads it started for goroutines blocked in syscalls, idle, rather
// than ending them: its thread count is a high-water mark. Threads that rise while no
// goroutine does are that pool filling up (etcd's puts, each an fsync, took a 5-round sweep
// from 7 to 10 threads and kept them), not a leak; a leak that holds threads holds goroutines
// too, and then the threads are named beside them.
void DropThreadsAlone(GrowthVerdict* v) {
  if (!GoroutinesGrow(*v)) v->threads.reset();
}

// The fit of a resource series (fds, threads), or nullopt when it is not measured or does not grow.
std::optional<GrowingSeries> FitResource(const std::vector<int64_t>& values, size_t points, const GrowthRules& rules) {
  if (values.size() != points || points < 3) return std::nullopt;
  GrowingSeries s;
  s.counts = values;
  s.fit = FitSeries(AsDoubles(values), rules);
  if (!s.fit.grows) return std::nullopt;
  return s;
}

}  // namespace

std::string GrowthSignature(const Goroutine& g) {
  std::string sig;
  for (const Frame& f : g.frames) {
    sig += f.func;
    sig += '\n';
  }
  if (g.has_created_by) sig += "<" + g.created_by.func;
  return sig;
}

Census TakeCensus(const GroupedDump& dump, const LeakRules& rules) {
  Census c;
  c.known_counts.assign(rules.ignore.size(), 0);
  c.known_names.assign(rules.ignore.size(), "");
  for (const Bucket& b : dump.buckets) {
    // The rules of triage.h, but for suspects: a growth check counts every stack that is left.
    const Triage t = TriageStack(b.sample, rules);
    if (t.fate == Fate::kBuiltinIgnored) continue;
    if (t.fate == Fate::kIgnored) {
      size_t i = static_cast<size_t>(t.rule);
      if (i < rules.ignore_reasons.size() && !rules.ignore_reasons[i].empty()) {
        if (c.known_names[i].empty()) c.known_names[i] = NameOf(b.sample);
        c.known_counts[i] += b.count;
      }
      continue;
    }
    // A debug=1 record has no creator and hides runtime frames: its own signature.
    std::string sig = dump.format == "debug=1" ? CountSignature(b.sample) : GrowthSignature(b.sample);
    c.counts[sig] += b.count;
    c.total += b.count;
    if (!c.names.count(sig)) c.names[sig] = NameOf(b.sample);
  }
  return c;
}

double TheilSenSlope(const std::vector<double>& y) {
  std::vector<double> slopes;
  slopes.reserve(y.size() * (y.size() - (y.empty() ? 0 : 1)) / 2);
  for (size_t i = 0; i < y.size(); ++i) {
    for (size_t j = i + 1; j < y.size(); ++j) slopes.push_back((y[j] - y[i]) / static_cast<double>(j - i));
  }
  return Median(std::move(slopes));
}

SeriesFit FitSeries(const std::vector<double>& points, const GrowthRules& rules) {
  SeriesFit fit;
  const size_t n = points.size();
  if (n < 2) return fit;
  const double per_point = std::max(1, rules.iterations_per_point);
  fit.per_iteration = TheilSenSlope(points) / per_point;
  size_t quarter = std::max<size_t>(1, n / 4);
  fit.head = Median(std::vector<double>(points.begin(), points.begin() + quarter));
  fit.tail = Median(std::vector<double>(points.end() - quarter, points.end()));
  // From the middle of the first quarter to the middle of the last.
  double span = static_cast<double>(n - quarter) * per_point;
  double rise = span > 0 ? (fit.tail - fit.head) / span : 0;
  // A hair of slack so that 0.5/iteration measured as 0.49999 does not slip under 0.5.
  const double max = rules.max_per_iteration + 1e-9;
  fit.grows = fit.per_iteration > max && rise > max;
  return fit;
}

bool StillGrown(const SeriesFit& fit, double settled, int iterations, const GrowthRules& rules) {
  if (iterations <= 0) return false;
  return (settled - fit.head) / iterations > rules.max_per_iteration + 1e-9;
}

bool GoroutinesGrow(const GrowthVerdict& verdict) { return !verdict.goroutines.empty() || verdict.total; }

GrowthVerdict JudgeGrowth(const GrowthSeries& series, const GrowthRules& rules) {
  GrowthVerdict v;
  const size_t n = series.points.size();
  if (n < 3) return v;
  std::map<std::string, std::string> names;
  for (const Census& c : series.points) {
    for (const auto& [sig, name] : c.names) names.emplace(sig, name);
  }
  for (const auto& [sig, name] : names) {
    GrowingSeries s;
    s.signature = sig;
    s.name = name;
    for (const Census& c : series.points) {
      auto it = c.counts.find(sig);
      s.counts.push_back(it == c.counts.end() ? 0 : it->second);
    }
    s.fit = FitSeries(AsDoubles(s.counts), rules);
    if (s.fit.grows) v.goroutines.push_back(std::move(s));
  }
  std::stable_sort(v.goroutines.begin(), v.goroutines.end(), [](const GrowingSeries& a, const GrowingSeries& b) {
    return a.fit.per_iteration > b.fit.per_iteration;
  });
  for (const Census& c : series.points) v.totals.push_back(c.total);
  GrowingSeries total;
  total.counts = v.totals;
  total.fit = FitSeries(AsDoubles(v.totals), rules);
  if (total.fit.grows) v.total = std::move(total);
  v.fds = FitResource(series.fds, n, rules);
  v.threads = FitResource(series.threads, n, rules);
  DropThreadsAlone(&v);
  v.grows = GoroutinesGrow(v) || v.fds || v.threads;
  if (v.grows) v.message = Message(v, series.iterations, rules);
  return v;
}

GrowthVerdict SettleGrowth(const GrowthVerdict& verdict, const Census& settled, int64_t fds, int64_t threads,
                           int iterations, const GrowthRules& rules) {
  GrowthVerdict v;
  for (const GrowingSeries& s : verdict.goroutines) {
    auto it = settled.counts.find(s.signature);
    int64_t now = it == settled.counts.end() ? 0 : it->second;
    if (!StillGrown(s.fit, static_cast<double>(now), iterations, rules)) continue;
    GrowingSeries kept = s;
    kept.settled = now;
    v.goroutines.push_back(std::move(kept));
  }
  auto settle = [&](const std::optional<GrowingSeries>& s, int64_t now) -> std::optional<GrowingSeries> {
    if (!s || now < 0 || !StillGrown(s->fit, static_cast<double>(now), iterations, rules)) return std::nullopt;
    GrowingSeries kept = *s;
    kept.settled = now;
    return kept;
  };
  v.total = settle(verdict.total, settled.total);
  v.fds = settle(verdict.fds, fds);
  v.threads = settle(verdict.threads, threads);
  DropThreadsAlone(&v);
  v.grows = GoroutinesGrow(v) || v.fds || v.threads;
  v.totals = verdict.totals;
  v.settled_total = settled.total;
  if (v.grows && !v.totals.empty()) v.message = Message(v, iterations, rules);
  return v;
}

std::string GrowthMessage(const GrowthVerdict& verdict, int iterations, const GrowthRules& rules) {
  return verdict.grows && !verdict.totals.empty() ? Message(verdict, iterations, rules) : "";
}

}  // namespace leakprobe
