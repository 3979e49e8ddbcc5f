#include "cli/console_printer.h"

#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "harness/sweep_control.h"
#include "harness/sweep_plan.h"
#include "reports/console.h"
#include "reports/sweep_matrix.h"

namespace leakprobe {

ConsoleOptions DetectConsole(bool quiet, bool verbose, int total) {
  ConsoleOptions options;
  options.quiet = quiet;
  options.verbose = verbose;
  options.total = total;
  const bool tty = ::isatty(STDOUT_FILENO) == 1;
  const char* no_colour = std::getenv("NO_COLOR");
  const char* term = std::getenv("TERM");
  const bool dumb = term != nullptr && std::strcmp(term, "dumb") == 0;
  options.colour = tty && !dumb && (no_colour == nullptr || no_colour[0] == '\0');
  // -v prints step logs as they happen: a redrawn line would cut into them.
  options.progress = tty && !dumb && !quiet && !verbose;
  return options;
}

ConsolePrinter::ConsolePrinter(const ConsoleOptions& options)
    : options_(options), start_(std::chrono::steady_clock::now()) {
  if (!options_.progress) return;
  ticker_ = std::thread([this] {
    std::unique_lock<std::mutex> lock(mu_);
    while (!stop_) {
      DrawProgressLocked();
      cv_.wait_for(lock, std::chrono::seconds(1), [this] { return stop_; });
    }
  });
}

ConsolePrinter::~ConsolePrinter() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = true;
    ClearProgressLocked();
  }
  cv_.notify_all();
  if (ticker_.joinable()) ticker_.join();
}

void ConsolePrinter::DrawProgressLocked() {
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  std::printf("\r\x1b[K%s", FormatProgress(done_, options_.total, seconds, "").c_str());
  std::fflush(stdout);
  drawn_ = true;
}

void ConsolePrinter::ClearProgressLocked() {
  if (!drawn_) return;
  std::printf("\r\x1b[K");
  std::fflush(stdout);
  drawn_ = false;
}

void ConsolePrinter::CaseDone(const CaseResult& result) {
  std::lock_guard<std::mutex> lock(mu_);
  ++done_;
  // A sweep variant that grew only as its scenario does as written passes, as the reports
  // will say; when its control ended first, the line says so already.
  CaseResult marked;
  const CaseResult* shown = &result;
  if (IsControl(result)) {
    controls_.push_back(result);
  } else if (result.sweep) {
    marked = result;
    for (const CaseResult& control : controls_) {
      if (MarkIfAsWritten(control, &marked)) {
        shown = &marked;
        break;
      }
    }
  }
  const CaseResult& c = *shown;
  ClearProgressLocked();
  const bool passed = c.outcome == CaseResult::Outcome::kPassed ||
                      c.outcome == CaseResult::Outcome::kSkipped;
  if (!options_.quiet || !passed) {
    std::printf("%s\n", FormatCaseLine(c, options_.colour).c_str());
  }
  // Known leaks are shown even with -q: they are what keeps a check that passes honest.
  for (const std::string& line : FormatKnownLeaks(c)) std::printf("%s\n", line.c_str());
  if ((options_.verbose || (!passed && !options_.quiet)) && !c.detail.empty()) {
    std::printf("%s\n", c.detail.c_str());
  }
  if (options_.verbose && !c.system_out.empty()) std::printf("%s\n", c.system_out.c_str());
  if (c.sweep && options_.sweep_variants > 0 && !options_.quiet) {
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
    std::printf("%s\n", SweepProgress(++sweep_done_, options_.sweep_variants, seconds).c_str());
  }
  if (options_.progress && !stop_) DrawProgressLocked();
  std::fflush(stdout);
}

void ConsolePrinter::Summary(const RunResult& run) {
  std::lock_guard<std::mutex> lock(mu_);
  stop_ = true;
  ClearProgressLocked();
  for (const std::string& line : FormatUnseenKnownLeaks(run)) std::printf("%s\n", line.c_str());
  for (const SweepMatrix& m : SweepMatrices(run)) std::printf("%s", SweepMatrixText(m).c_str());
  std::printf("%s\n", FormatSummary(run, options_.colour).c_str());
  std::fflush(stdout);
  cv_.notify_all();
}

}  // namespace leakprobe
