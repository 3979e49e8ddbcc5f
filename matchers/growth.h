// Growth across the iterations of a repeat: which stacks climb with the work. Pure; no I/O;
// thread-safe.
//
// A handler that leaks leaves one (or four) goroutines per request, so the count of its
// stack rises with the iterations; a cache refill, a timer or a lazily started loop appears
// once or comes and goes. Each stack signature's count is fitted against the iteration with
// the Theil-Sen estimator (the median of the slopes between every pair of points), which one
// outlier cannot move, and the rise from the start to the end must agree. The whole-process
// total is fitted too, so a leak spread over many stacks is still seen; so are open fds and
// threads when they are measured.
#ifndef LEAKPROBE_MATCHERS_GROWTH_H_
#define LEAKPROBE_MATCHERS_GROWTH_H_

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "matchers/goroutine.h"
#include "matchers/grouped_dump.h"
#include "matchers/verdict.h"

namespace leakprobe {

// What makes two goroutines "the same" for growth: their frames' functions and the
// created-by function, not ids, arguments, lines, states, labels or wait times.
//   "main.(*Server).statsContainer\nmain.(*Server).ServeHTTP\n...\n<net/http.(*Server).Serve"
std::string GrowthSignature(const Goroutine& g);

// One dump as growth sees it: goroutines per signature, leaving out what `rules` ignores
// (the built-in list and its ignore patterns).
struct Census {
  std::map<std::string, int64_t> counts;  // signature -> goroutines
  std::map<std::string, std::string> names;  // signature -> NameOf one of them
  int64_t total = 0;
  // Per rules.ignore entry with a reason: the goroutines it kept out, and the first's name.
  std::vector<int64_t> known_counts;
  std::vector<std::string> known_names;
};
Census TakeCensus(const GroupedDump& dump, const LeakRules& rules);

struct GrowthRules {
  double max_per_iteration = 0.5;  // a series may gain at most this much per iteration
  int iterations_per_point = 1;    // points are rounds of `concurrency` iterations
};

// The median of the slopes between every pair of points, x = 0, 1, 2, ... 0 for fewer than
// two points.
double TheilSenSlope(const std::vector<double>& y);

struct SeriesFit {
  double per_iteration = 0;  // the Theil-Sen slope, per iteration
  double head = 0;           // its level at the start: the median of the first quarter of the points
  double tail = 0;           // and at the end: the median of the last quarter
  bool grows = false;        // per_iteration > max, and (tail - head) over the iterations between agrees
};
// REQUIRES: at least 3 points (the loader insists).
SeriesFit FitSeries(const std::vector<double>& points, const GrowthRules& rules);

// Whether `settled`, measured again after the last iteration, still holds a growth: its
// rise over the fit's start level is more than max_per_iteration for each of `iterations`.
// What drained meanwhile was in flight, not leaked.
bool StillGrown(const SeriesFit& fit, double settled, int iterations, const GrowthRules& rules);

struct GrowingSeries {
  std::string signature;       // a goroutine signature; "" for the total, fds or threads
  std::string name;            // NameOf it: "main.(*Server).statsContainer"
  std::vector<int64_t> counts;  // at each point: before the first iteration, after each round
  SeriesFit fit;
  std::optional<int64_t> settled;  // measured again after the run, when it was
};

// The series one repeat produced.
struct GrowthSeries {
  std::vector<Census> points;               // before the first iteration, after each round
  std::vector<int64_t> fds, threads;        // the same points; empty when not measured
  int iterations = 0;                       // the repeat's `times`
};

struct GrowthVerdict {
  bool grows = false;
  std::vector<GrowingSeries> goroutines;    // the growing signatures, fastest first
  std::optional<GrowingSeries> total;       // the whole-process total, when it grows
  std::optional<GrowingSeries> fds;         // open fds, when they grow
  std::optional<GrowingSeries> threads;     // threads, when they grow
  std::vector<int64_t> totals;              // the whole-process count at each point, always
  std::optional<int64_t> settled_total;     // and after the run, when measured again
  // "leaks 3.0 goroutines per iteration over 20 iterations: main.(*Server).statsContainer
  // +1.0/iteration, main.sampleStats +2.0/iteration (total 12 → 72)"; "; leaks 1.0 open fds
  // per iteration over 20 iterations (9 → 29)" after it when fds grow. "" when nothing grows.
  std::string message;
};

GrowthVerdict JudgeGrowth(const GrowthSeries& series, const GrowthRules& rules);

// True when `verdict` has goroutines growing: on a stack of their own or in the total.
bool GoroutinesGrow(const GrowthVerdict& verdict);

// Judges again with one more measure after the last iteration: keeps what StillGrown and
// records the settled value; the message is rewritten for what remains. `fds` and `threads`
// are -1 when not measured.
GrowthVerdict SettleGrowth(const GrowthVerdict& verdict, const Census& settled, int64_t fds, int64_t threads,
                           int iterations, const GrowthRules& rules);

// The message of `verdict` as JudgeGrowth and SettleGrowth write it, for a verdict whose
// goroutines were filled another way (matchers/survivors.h). "" when it does not grow.
std::string GrowthMessage(const GrowthVerdict& verdict, int iterations, const GrowthRules& rules);

}  // namespace leakprobe

#endif  // LEAKPROBE_MATCHERS_GROWTH_H_
