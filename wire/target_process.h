// The target server as a child process. Does I/O. Running() may be called from any thread;
// the rest from one thread at a time (its output readers are its own threads).
//
// The target runs in its own process group with default signal dispositions and an empty
// signal mask, so Stop() reaches every process it forked; it dies with the harness
// (PR_SET_PDEATHSIG). Its stdout and stderr are read continuously into bounded buffers, so
// a chatty target never blocks on a full pipe nor grows the harness.
#ifndef LEAKPROBE_WIRE_TARGET_PROCESS_H_
#define LEAKPROBE_WIRE_TARGET_PROCESS_H_

#include <sys/types.h>

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "base/duration.h"
#include "base/status.h"

namespace leakprobe {

struct TargetOptions {
  std::vector<std::string> argv;  // argv[0] is a path, or a name looked up in PATH
  std::vector<std::pair<std::string, std::string>> env;  // added to the harness's own
  std::string cwd;                // "" for the harness's
  size_t output_limit = 1 << 20;  // bytes of each stream kept (the last ones)
};

struct ExitInfo {
  bool exited = false;  // false while running
  int code = 0;         // exit status when !signaled
  int signal = 0;       // the signal that ended it, or 0
  // "exited with status 2", "killed by signal 6 (SIGABRT)", "running"
  std::string Describe() const;
};

class TargetProcess {
 public:
  // Starts the target. Error: `cannot start ./x: No such file or directory`.
  static Result<std::unique_ptr<TargetProcess>> Start(const TargetOptions& options);
  ~TargetProcess();  // kills the group if it still runs

  TargetProcess(const TargetProcess&) = delete;
  TargetProcess& operator=(const TargetProcess&) = delete;

  pid_t pid() const;
  // Reaps without blocking; false once the leader has exited.
  bool Running();
  const ExitInfo& exit_info() const;

  // Sends `signal` to the whole group, waits up to `grace` for the leader, then SIGKILLs the
  // group and reaps. Returns how it ended (also when it had already exited).
  ExitInfo Stop(int signal, Millis grace);

  // The last `max_bytes` of what it wrote, e.g. for <system-err>.
  std::string StdoutTail(size_t max_bytes) const;
  std::string StderrTail(size_t max_bytes) const;

 private:
  struct Impl;
  explicit TargetProcess(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// "SIGABRT" for 6; "signal 77" for an unknown one.
std::string SignalName(int signal);

// A loopback TCP port that was free a moment ago (bind to port 0, read it, close).
Result<int> PickFreePort();

}  // namespace leakprobe

#endif  // LEAKPROBE_WIRE_TARGET_PROCESS_H_
