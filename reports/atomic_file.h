// Replacing a report file so that no reader ever sees half of it.
//
// The JUnit file (and later the JSON and Markdown ones) is read by CI right after the run, and
// written even when the run is interrupted: a crash mid-write must leave the old file or the
// whole new one, never a truncated document. Does file I/O; thread-safe for distinct paths.
#ifndef LEAKPROBE_REPORTS_ATOMIC_FILE_H_
#define LEAKPROBE_REPORTS_ATOMIC_FILE_H_

#include <string>
#include <string_view>

#include "base/status.h"

namespace leakprobe {

// Writes `contents` to ".NAME.tmp.PID" beside `path`, fsyncs it, renames it over `path`, then
// fsyncs the directory (best effort). Returns ok, or, with the temp file removed and `path`
// untouched: "cannot write out/report.xml: No such file or directory" (the path as given,
// then strerror of the failing call).
Status WriteFileAtomically(const std::string& path, std::string_view contents);

}  // namespace leakprobe

#endif  // LEAKPROBE_REPORTS_ATOMIC_FILE_H_
