// What a target that died said last, for the body of its scenario's <error>. Pure text
// processing of its stderr; no I/O; thread-safe.
#ifndef LEAKPROBE_HARNESS_CRASH_DETAIL_H_
#define LEAKPROBE_HARNESS_CRASH_DETAIL_H_

#include <cstddef>
#include <string>

namespace leakprobe {

// The last `max_lines` whole lines of `text`, at most `max_bytes` of it (a line cut by the
// byte limit is left out whole).
std::string TailLines(const std::string& text, size_t max_lines, size_t max_bytes);

// From a dead target's stderr: its "panic: ..." / "fatal error: ..." / "SIGQUIT: ..." lines
// ("The target said: panic: boom"), its goroutines parsed and grouped when it printed them
// (Go does on a panic, or with GOTRACEBACK on SIGQUIT), and the end of its stderr as it was.
std::string CrashDetail(const std::string& err);

}  // namespace leakprobe

#endif  // LEAKPROBE_HARNESS_CRASH_DETAIL_H_
