// The Go runtime's goroutineleak profile beside a scenario's dump URL: whether the target
// serves it (found out once per suite) and fetching it. Does I/O; thread-safe.
//
// GET /debug/pprof/goroutineleak?debug=2 makes the target run a GC cycle that marks every
// goroutine blocked on something no runnable goroutine can reach ("[chan send (leaked)]"),
// then lists all goroutines, so one fetch is a plain dump as well. Go 1.26 with
// GOEXPERIMENT=goroutineleakprofile and Go 1.27+ serve it from plain net/http/pprof; older
// targets answer 404 "Unknown profile". Each fetch costs the target a full GC: callers space
// them out.
#ifndef LEAKPROBE_WIRE_LEAK_PROFILE_H_
#define LEAKPROBE_WIRE_LEAK_PROFILE_H_

#include <mutex>
#include <string>

#include "base/status.h"
#include "matchers/grouped_dump.h"
#include "scenarios/suite.h"
#include "wire/dump_source.h"

namespace leakprobe {

// "http://h:1/debug/pprof/goroutine?debug=2" -> "http://h:1/debug/pprof/goroutineleak?debug=2"
// (a prefix before it stays). A dump URL whose path does not end in net/http/pprof's
// "/goroutine" is some other endpoint, which may answer any path: "" for it under kAuto, and
// "/debug/pprof/goroutineleak?debug=2" on its origin under kOn. "" for gops:// or a bad URL.
std::string LeakProfileUrl(const std::string& dump_url, LeakProfileMode mode);

class LeakProfile {
 public:
  enum class State { kUnknown, kServed, kAbsent, kOff };
  explicit LeakProfile(LeakProfileMode mode);

  State state() const;
  LeakProfileMode mode() const { return mode_; }
  // Whether a fetch may be tried: not off, not found absent.
  bool MayServe() const;
  // For reports: "served", "absent (GET ...: status 404 (Unknown profile))", "off", "".
  std::string Describe() const;

  // Fetches the profile at `where` (LeakProfileUrl's). A 404 means the target has none: the
  // state becomes kAbsent and, the first time only, *note says so for the step log ("the
  // target serves no goroutineleak profile (...)"). Other failures leave the state as it was.
  Result<GroupedDump> Fetch(const DumpAddress& where, const DumpLimits& limits, std::string* note,
                            std::string* text = nullptr);

 private:
  const LeakProfileMode mode_;
  mutable std::mutex mu_;
  State state_;
  std::string absent_because_;
  bool noted_ = false;
};

}  // namespace leakprobe

#endif  // LEAKPROBE_WIRE_LEAK_PROFILE_H_
