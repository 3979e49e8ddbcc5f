// What `leakprobe run` prints while it runs: one line per scenario as it ends (its failure
// body too, unless -q; its step log with -v), after a sweep variant the sweep's progress and
// time left (unless -q), a progress line on a terminal, and the summary.
//
// Colour and the progress line only when stdout is a terminal; colour never when NO_COLOR is
// set to anything but "" (https://no-color.org) or TERM=dumb. Writes to stdout; thread-safe
// (scenario files may finish on several threads).
#ifndef LEAKPROBE_CLI_CONSOLE_PRINTER_H_
#define LEAKPROBE_CLI_CONSOLE_PRINTER_H_

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>
#include <vector>

#include "reports/results.h"

namespace leakprobe {

struct ConsoleOptions {
  bool quiet = false;     // -q: only failures and the summary
  bool verbose = false;   // -v: every scenario's step log too
  bool colour = false;
  bool progress = false;  // redraw "[2/5] 12.3s" at the bottom once a second
  int total = 0;          // scenarios expected, for the progress line
  int sweep_variants = 0; // of them, sweep variants: a "sweep: 3 of 20 ...; about 2m left" line after each
};

// The options for stdout as it is: colour and progress when it is a terminal, as above;
// no progress line with -q or -v.
ConsoleOptions DetectConsole(bool quiet, bool verbose, int total);

class ConsolePrinter {
 public:
  explicit ConsolePrinter(const ConsoleOptions& options);
  ~ConsolePrinter();  // stops the progress line and erases it
  ConsolePrinter(const ConsolePrinter&) = delete;
  ConsolePrinter& operator=(const ConsolePrinter&) = delete;

  void CaseDone(const CaseResult& c);
  // Erases the progress line and prints the summary line.
  void Summary(const RunResult& run);

 private:
  void DrawProgressLocked();
  void ClearProgressLocked();

  const ConsoleOptions options_;
  const std::chrono::steady_clock::time_point start_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false;
  bool drawn_ = false;
  int done_ = 0;
  int sweep_done_ = 0;
  std::vector<CaseResult> controls_;  // the sweeps' controls ended so far
  std::thread ticker_;
};

}  // namespace leakprobe

#endif  // LEAKPROBE_CLI_CONSOLE_PRINTER_H_
