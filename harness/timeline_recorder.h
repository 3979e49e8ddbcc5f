// Collects one scenario's timeline while it runs: every dump's time, total and count per
// stack signature, the steps as bands, the moment of the verdict. Holds counts only, never
// dumps. Does no I/O; thread-safe (the branches of repeat and parallel take dumps at once).
#ifndef LEAKPROBE_HARNESS_TIMELINE_RECORDER_H_
#define LEAKPROBE_HARNESS_TIMELINE_RECORDER_H_

#include <chrono>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "matchers/grouped_dump.h"
#include "reports/results.h"

namespace leakprobe {

class TimelineRecorder {
 public:
  using Clock = std::chrono::steady_clock;
  explicit TimelineRecorder(Clock::time_point start) : start_(start) {}

  // A dump was taken for `kind` ("baseline", "step", "check", "growth", ...), described by
  // `label` ("after step 3", "iteration 7"). fds and threads: -1 when not measured.
  void Dump(const GroupedDump& dump, const std::string& kind, const std::string& label, int64_t fds = -1,
            int64_t threads = -1);
  void StepStarted(const std::string& label);
  void StepEnded();
  // The outcome was decided now: the first call counts (a failing check marks it; the end
  // of the scenario marks it when nothing did before).
  void Verdict();

  // The timeline so far, with one series per signature of `groups` (in their order, named
  // and explained by the first group of each), and each group's timeline_series set to it.
  Timeline Take(std::vector<LeakGroup>* groups) const;

 private:
  double Now() const;
  Clock::time_point start_;
  mutable std::mutex mu_;
  Timeline timeline_;
  std::map<std::string, size_t> signatures_;                     // signature -> index
  std::vector<std::vector<std::pair<size_t, int64_t>>> counts_;  // per point: (index, count)
  bool step_open_ = false;
};

}  // namespace leakprobe

#endif  // LEAKPROBE_HARNESS_TIMELINE_RECORDER_H_
