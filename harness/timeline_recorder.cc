#include "harness/timeline_recorder.h"

#include "matchers/stack_counts.h"

namespace leakprobe {

double TimelineRecorder::Now() const {
  return std::chrono::duration<double>(Clock::now() - start_).count();
}

void TimelineRecorder::Dump(const GroupedDump& dump, const std::string& kind, const std::string& label, int64_t fds,
                            int64_t threads) {
  std::map<std::string, int64_t> by_signature;
  // Counted as both views show a stack, so full dumps and count polls make one series.
  for (const Bucket& b : dump.buckets) by_signature[CountSignature(b.sample)] += b.count;
  std::lock_guard<std::mutex> lock(mu_);
  Timeline::Point p;
  p.t = Now();
  p.total = dump.Total();
  p.kind = kind;
  p.label = label;
  p.fds = fds;
  p.threads = threads;
  timeline_.points.push_back(std::move(p));
  std::vector<std::pair<size_t, int64_t>> counts;
  counts.reserve(by_signature.size());
  for (const auto& [sig, n] : by_signature) {
    auto it = signatures_.emplace(sig, signatures_.size()).first;
    counts.emplace_back(it->second, n);
  }
  counts_.push_back(std::move(counts));
}

void TimelineRecorder::StepStarted(const std::string& label) {
  std::lock_guard<std::mutex> lock(mu_);
  double now = Now();
  if (step_open_) timeline_.steps.back().end = now;
  timeline_.steps.push_back({label, now, now});
  step_open_ = true;
}

void TimelineRecorder::StepEnded() {
  std::lock_guard<std::mutex> lock(mu_);
  if (step_open_) timeline_.steps.back().end = Now();
  step_open_ = false;
}

void TimelineRecorder::Verdict() {
  std::lock_guard<std::mutex> lock(mu_);
  if (timeline_.verdict_t < 0) timeline_.verdict_t = Now();
}

Timeline TimelineRecorder::Take(std::vector<LeakGroup>* groups) const {
  std::lock_guard<std::mutex> lock(mu_);
  Timeline t = timeline_;
  if (step_open_ && !t.steps.empty()) t.steps.back().end = Now();
  std::map<std::string, int> taken;  // count signature -> its series
  for (LeakGroup& g : *groups) {
    // Keyed as both views show a stack (Dump above), so full dumps and count polls meet.
    std::string sig = CountSignatureOf(g.signature);
    auto [at, fresh] = taken.emplace(sig, static_cast<int>(t.series.size()));
    g.timeline_series = at->second;
    if (!fresh) continue;
    auto it = signatures_.find(sig);
    Timeline::Series s;
    s.name = g.function;
    s.why = g.why;
    for (const auto& point : counts_) {
      int64_t n = 0;
      if (it != signatures_.end()) {
        for (const auto& [index, count] : point) {
          if (index == it->second) n = count;
        }
      }
      s.counts.push_back(n);
    }
    t.series.push_back(std::move(s));
  }
  return t;
}

}  // namespace leakprobe
