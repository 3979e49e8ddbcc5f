// Runs a short-lived command for an `exec` step: argv (no shell), extra environment, a
// working folder, a deadline; collects its stdout and stderr, bounded. Does I/O; each call
// is independent and may run on any thread.
//
// The command runs in its own process group with default signal dispositions and an empty
// signal mask; at the deadline (or on Ctrl-C) the whole group gets SIGKILL. A command that
// leaves a daemon behind holding its pipes (`pouch run -d`) does not hold the step: once the
// command itself has exited, reading stops after 200 ms of silence.
#ifndef LEAKPROBE_WIRE_EXEC_PROCESS_H_
#define LEAKPROBE_WIRE_EXEC_PROCESS_H_

#include <cstddef>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "base/duration.h"
#include "base/status.h"

namespace leakprobe {

struct ProcessSpec {
  std::vector<std::string> argv;                                // argv[0] is looked up in PATH
  std::vector<std::pair<std::string, std::string>> env;        // on top of leakprobe's own
  std::string cwd;                                              // "" for leakprobe's
  Millis timeout{Millis(60000)};
  size_t max_output = 1 << 20;                                  // per stream; the rest is counted only
  // Polled every 50 ms while it runs; true kills its group at once (ProcessResult::aborted),
  // e.g. when the target died: a CLI client waiting on a dead server waits in vain. May be empty.
  std::function<bool()> abort;
};

struct ProcessResult {
  int exit_code = -1;   // -1 when killed by a signal
  int signal = 0;       // the signal that ended it, or 0
  bool timed_out = false;
  bool aborted = false;  // ProcessSpec::abort said so
  std::string out;      // at most max_output bytes
  std::string err;
  size_t out_bytes = 0;
  size_t err_bytes = 0;
  Millis elapsed{0};

  // "exited with code 3", "was killed by signal 9", "timed out after 3s (killed)"
  std::string Describe() const;
};

// Runs `spec` to its end. Errors only when it cannot start:
//   `cannot run "pouch": No such file or directory`
// A timeout is a result (timed_out), not an error; so is a non-zero exit.
Result<ProcessResult> RunProcess(const ProcessSpec& spec);

}  // namespace leakprobe

#endif  // LEAKPROBE_WIRE_EXEC_PROCESS_H_
