// Durations as scenario files write them: "250ms", "3s", "2m", "1h", "1m30s", "0".
// Pure; no I/O.
#ifndef LEAKPROBE_BASE_DURATION_H_
#define LEAKPROBE_BASE_DURATION_H_

#include <chrono>
#include <string>
#include <string_view>

#include "base/status.h"

namespace leakprobe {

using Millis = std::chrono::milliseconds;

// Parses "3s" into 3000ms. Units: ms, s, m, h; parts may be chained ("1m30s") and may carry
// a fraction ("1.5s"). A bare "0" is zero. Error: `bad duration "3 sec" (write e.g. 250ms, 3s, 2m)`.
Result<Millis> ParseDuration(std::string_view text);

// Formats 3000ms as "3s", 1500ms as "1.5s", 250ms as "250ms".
std::string FormatDuration(Millis d);

// A span as a person reads a wait, to the second: "45s", "2m16s", "1h02m" (no milliseconds;
// for run times and estimates, not for durations a file gives back).
std::string FormatSpan(Millis d);

}  // namespace leakprobe

#endif  // LEAKPROBE_BASE_DURATION_H_
