// A growth rate as every message and report writes it: goroutines, fds or threads gained per
// iteration. One decimal ("3.0", "0.5"), two below 0.1 so a slow leak does not read as
// "0.0" ("0.05"). Pure; no I/O; thread-safe.
#ifndef LEAKPROBE_BASE_RATE_TEXT_H_
#define LEAKPROBE_BASE_RATE_TEXT_H_

#include <string>

namespace leakprobe {

// 3 -> "3.0", 0.05 -> "0.05", 0 -> "0.0", -1.25 -> "-1.2" (printf rounding).
std::string FormatRate(double per_iteration);
// The same with its sign: 3 -> "+3.0", 0 -> "+0.0", -1.25 -> "-1.2".
std::string FormatSignedRate(double per_iteration);

}  // namespace leakprobe

#endif  // LEAKPROBE_BASE_RATE_TEXT_H_
