// Where a target's per-stack counts come from (matchers/stack_counts.h says how they meet
// full dumps): net/http/pprof's `goroutine?debug=1` beside a `goroutine?debug=2` dump URL,
// and `goroutineleak?debug=1` beside the leak profile. Whether the target serves them is
// found out at the first poll. Does I/O; thread-safe (the branches of repeat and parallel
// poll at once).
#ifndef LEAKPROBE_WIRE_COUNT_POLL_H_
#define LEAKPROBE_WIRE_COUNT_POLL_H_

#include <mutex>
#include <string>

#include "base/status.h"
#include "matchers/grouped_dump.h"
#include "wire/dump_source.h"

namespace leakprobe {

// The debug=1 form of a net/http/pprof profile URL:
//   "http://h:1/debug/pprof/goroutine?debug=2"     -> "http://h:1/debug/pprof/goroutine?debug=1"
//   "http://h:1/x/debug/pprof/goroutineleak?debug=2" -> ".../goroutineleak?debug=1"
// "" for anything else (another endpoint, a URL already at debug=1, gops://): those are
// polled in full.
std::string CountsUrl(const std::string& dump_url);

class CountPoll {
 public:
  enum class State { kUnknown, kServed, kAbsent };

  State state() const;
  // Whether a poll may read counts: not found absent.
  bool MayServe() const { return state() != State::kAbsent; }

  // Reads the debug=1 profile at `where` (CountsUrl's). An answer that is not a debug=1
  // profile, or a 404, means the target has none: the state becomes kAbsent and, the first
  // time only, *note says so for the step log ("goroutine?debug=1 is not served (...):
  // polls take full dumps"); the error says the same. Other failures leave the state as it was.
  Result<GroupedDump> Fetch(const DumpAddress& where, const DumpLimits& limits, std::string* note);

 private:
  mutable std::mutex mu_;
  State state_ = State::kUnknown;
  bool noted_ = false;
};

}  // namespace leakprobe

#endif  // LEAKPROBE_WIRE_COUNT_POLL_H_
