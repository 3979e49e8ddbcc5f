// The header line of one goroutine in a traceback, in every form Go has printed through 1.27.
// Pure; no I/O; thread-safe.
//
//   goroutine 18 [chan receive, 5 minutes]:
//   goroutine 1 gp=0xc0000061c0 m=nil [IO wait]:                 (GOTRACEBACK=system, crashes)
//   goroutine 0 gp=0x6e6020 m=0 mp=0x6e6ec0 [idle]:
//   goroutine 7 [select, locked to thread]:
//   goroutine 3 [running (scan)]:                                 (a GC scan in progress)
//   goroutine 23 [chan send (leaked)]:                            (Go 1.26+ leak detector)
//   goroutine 5 [chan receive (durable), synctest bubble 2]:      (Go 1.25+ synctest)
//   goroutine 5 [chan receive, synctest, 2 minutes]:              (Go 1.24 synctest)
//   goroutine 9 [select, 2 minutes labels:{"job": "x"}]:         (Go 1.26, tracebacklabels=1)
//   goroutine 21 [select (no cases)] {job: x, tenant: "t 0"}:     (Go 1.27, module go >= 1.27)
#ifndef LEAKPROBE_MATCHERS_GOROUTINE_HEADER_H_
#define LEAKPROBE_MATCHERS_GOROUTINE_HEADER_H_

#include <string>
#include <string_view>

#include "matchers/goroutine.h"

namespace leakprobe {

// Reads `line` into g's header fields (id, state, wait_minutes, locked_to_thread, leaked,
// durable, synctest_bubble, labels); other fields are left alone.
// False when the line is not a goroutine header at all ("goroutine 5 exited",
// "goroutine profile: total 3"). True when it starts "goroutine <id>" and a space, "[" or
// ":" follows: g->id is set and the goroutine is one, even when the rest can't be read; then
// *problem says what could not be read (`no "]" closes the state`, `unreadable labels
// {job: "x}`) and the fields hold what could. *problem is cleared otherwise.
bool ParseGoroutineHeader(std::string_view line, Goroutine* g, std::string* problem);

}  // namespace leakprobe

#endif  // LEAKPROBE_MATCHERS_GOROUTINE_HEADER_H_
