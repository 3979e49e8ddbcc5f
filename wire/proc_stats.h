// What /proc says of a process: its open file descriptors and threads, for growth checks.
// Does I/O (reads /proc); thread-safe.
#ifndef LEAKPROBE_WIRE_PROC_STATS_H_
#define LEAKPROBE_WIRE_PROC_STATS_H_

#include <sys/types.h>

#include <cstdint>
#include <string>

#include "base/status.h"

namespace leakprobe {

struct ProcStats {
  int64_t fds = -1;      // entries of /proc/PID/fd
  int64_t threads = -1;  // "Threads:" of /proc/PID/status
};

// Error: `cannot read /proc/4711/fd: No such file or directory` (gone, or not ours to read).
Result<ProcStats> ReadProcStats(pid_t pid);

// The pid in a pid file ("4711\n"). Error: `pid_file /run/d.pid: cannot read: ...`,
// `pid_file /run/d.pid: no pid in "abc"`.
Result<pid_t> ReadPidFile(const std::string& path);

}  // namespace leakprobe

#endif  // LEAKPROBE_WIRE_PROC_STATS_H_
