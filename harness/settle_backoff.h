// The settle loop's pacing, the one both the leak check and the growth check use: polls
// 50 ms apart at first, each pause twice the last up to 1 s, never past the settle's end. A
// goroutine on its way out is gone within a few polls; one that stays is polled about once a
// second until `settle` has passed. Sleeps (through ScenarioContext::Pause); one per loop,
// not shared between threads.
#ifndef LEAKPROBE_HARNESS_SETTLE_BACKOFF_H_
#define LEAKPROBE_HARNESS_SETTLE_BACKOFF_H_

#include <algorithm>
#include <chrono>

#include "base/duration.h"
#include "harness/scenario_context.h"
#include "wire/interrupt.h"

namespace leakprobe {

class SettleBackoff {
 public:
  using Clock = std::chrono::steady_clock;
  static constexpr Millis kFirstPause{50};
  static constexpr Millis kLongestPause{1000};

  // The settle starts now and lasts `settle`.
  explicit SettleBackoff(Millis settle) : start_(Clock::now()), deadline_(start_ + settle) {}

  // Whether the settle has passed or the run was interrupted: time to give the verdict.
  bool Over() const { return Clock::now() >= deadline_ || Interrupted(); }

  // Sleeps the next pause (cut at the settle's end) and doubles the one after; false, early
  // and without doubling, when the run was interrupted or the target died meanwhile.
  bool Wait(const ScenarioContext& ctx) {
    Millis left = std::chrono::ceil<Millis>(deadline_ - Clock::now());
    if (!ctx.Pause(std::max(Millis(0), std::min(pause_, left)))) return false;
    pause_ = std::min(pause_ * 2, kLongestPause);
    return true;
  }

  // When the settle ends.
  Clock::time_point deadline() const { return deadline_; }

  // "1.2s": how long the settle has been going on.
  std::string Elapsed() const { return FormatDuration(std::chrono::duration_cast<Millis>(Clock::now() - start_)); }

 private:
  Clock::time_point start_;
  Clock::time_point deadline_;
  Millis pause_ = kFirstPause;
};

}  // namespace leakprobe

#endif  // LEAKPROBE_HARNESS_SETTLE_BACKOFF_H_
