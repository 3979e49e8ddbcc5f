// The local time as JUnit's suites carry it: "2026-11-28T07:15:09", no zone, no fraction
// (Ant's schema refuses both). Reads the clock; thread-safe.
#ifndef LEAKPROBE_BASE_TIMESTAMP_H_
#define LEAKPROBE_BASE_TIMESTAMP_H_

#include <string>

namespace leakprobe {

std::string LocalTimestampNow();

}  // namespace leakprobe

#endif  // LEAKPROBE_BASE_TIMESTAMP_H_
