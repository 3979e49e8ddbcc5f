#include "wire/interrupt.h"

#include <signal.h>

#include <atomic>
#include <chrono>
#include <thread>

namespace leakprobe {

namespace {
std::atomic<int> g_signal{0};
std::atomic<bool> g_installed{false};

void OnSignal(int sig) {
  int expected = 0;
  g_signal.compare_exchange_strong(expected, sig);
}
}  // namespace

void InstallInterruptHandlers() {
  if (g_installed.exchange(true)) return;
  struct sigaction sa {};
  sa.sa_handler = OnSignal;
  sigemptyset(&sa.sa_mask);
  for (int sig : {SIGINT, SIGTERM, SIGHUP}) sigaction(sig, &sa, nullptr);
  // A target that hangs up must not kill the harness with SIGPIPE.
  signal(SIGPIPE, SIG_IGN);
}

void RequestInterrupt(int sig) { OnSignal(sig); }

int InterruptSignal() { return g_signal.load(); }

bool SleepUnlessInterrupted(Millis d) {
  auto end = std::chrono::steady_clock::now() + d;
  while (!Interrupted()) {
    auto now = std::chrono::steady_clock::now();
    if (now >= end) return true;
    std::this_thread::sleep_for(std::min<std::chrono::steady_clock::duration>(end - now, Millis(20)));
  }
  return false;
}

}  // namespace leakprobe
