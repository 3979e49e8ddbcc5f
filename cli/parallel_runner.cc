#include "cli/parallel_runner.h"

#include <atomic>
#include <mutex>
#include <optional>
#include <thread>

#include "wire/interrupt.h"

namespace leakprobe {

std::vector<SuiteResult> RunSuites(const std::vector<Suite>& suites, const RunOptions& options, int jobs) {
  std::vector<std::optional<SuiteResult>> slots(suites.size());
  std::mutex mu;
  RunOptions locked = options;
  if (options.on_case) {
    locked.on_case = [&mu, &options](const CaseResult& c) {
      std::lock_guard<std::mutex> lock(mu);
      options.on_case(c);
    };
  }
  std::atomic<size_t> next{0};
  auto worker = [&] {
    for (;;) {
      size_t i = next++;
      if (i >= suites.size() || Interrupted()) return;
      slots[i] = RunSuite(suites[i], locked);
    }
  };
  size_t threads = std::min<size_t>(std::max(jobs, 1), suites.size());
  if (threads <= 1) {
    worker();
  } else {
    std::vector<std::thread> pool;
    for (size_t t = 0; t < threads; ++t) pool.emplace_back(worker);
    for (std::thread& t : pool) t.join();
  }
  std::vector<SuiteResult> out;
  for (auto& slot : slots) {
    if (slot) out.push_back(std::move(*slot));
  }
  return out;
}

}  // namespace leakprobe
