// Asking a Go target for one garbage collection: net/http/pprof's `heap?gc=1` runs
// runtime.GC() before it writes the heap profile. A Go server that drops a connection or a
// file without closing it leaves the fd to the object's finalizer, which runs only after a
// GC: such fds are held, not leaked, and one GC tells the two apart. A plain GC, not the leak
// profile's: at 100k goroutines it froze a Go 1.27 target for 8 ms where goroutineleak froze
// it for 120-150 ms (bench/probe_cost.sh). Does I/O.
#ifndef LEAKPROBE_WIRE_TARGET_GC_H_
#define LEAKPROBE_WIRE_TARGET_GC_H_

#include <string>

#include "base/status.h"
#include "wire/dump_source.h"

namespace leakprobe {

// The heap?gc=1 URL beside a net/http/pprof goroutine URL:
//   "http://h:1/debug/pprof/goroutine?debug=2" -> "http://h:1/debug/pprof/heap?gc=1"
// "" for anything else (another endpoint, gops://, a file): no GC can be asked there.
std::string GcUrl(const std::string& dump_url);

// Fetches `where` (a GcUrl) and drops the profile: the GC has run when it returns.
Status CollectGarbage(const DumpAddress& where, const DumpLimits& limits);

}  // namespace leakprobe

#endif  // LEAKPROBE_WIRE_TARGET_GC_H_
