// Where dumps come from: a file, standard input, HTTP over TCP or a unix socket, or a gops
// agent. Does I/O; each call is independent and may run on any thread.
//
// Every read is bounded: it stops at a size cap and at a deadline for the whole dump (not
// only between reads), and then hands on what arrived with a warning, so an endless or huge
// dump is judged as far as it was read, in bounded memory and time.
#ifndef LEAKPROBE_WIRE_DUMP_SOURCE_H_
#define LEAKPROBE_WIRE_DUMP_SOURCE_H_

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include "base/duration.h"
#include "base/status.h"
#include "matchers/grouped_dump.h"
#include "scenarios/suite.h"

namespace leakprobe {

struct DumpAddress {
  enum class Kind { kHttp, kGops, kFile, kStdin };
  Kind kind = Kind::kHttp;
  std::string url;     // kHttp: "http://127.0.0.1:8080/debug/pprof/goroutine?debug=2"
  std::string socket;  // kHttp: a unix socket to send it over; "" for TCP
  std::string path;    // kFile: the file; kGops: "host:port"
};

// `scan`'s and `diff`'s SOURCE: "-" (standard input), "unix:/run/d.sock:http://localhost/x"
// (HTTP over a unix socket), "http(s)://...", "gops://host:port", anything else a file.
// Error: `bad source "unix:/x" (write unix:PATH:http://localhost/URL-PATH)`.
Result<DumpAddress> ParseDumpSource(const std::string& source);
// A scenario's dump: `url` is http(s):// (over `socket` when set) or gops://host:port.
DumpAddress DumpAt(const std::string& url, const std::string& socket);

struct DumpLimits {
  uint64_t max_bytes = kDefaultDumpMaxBytes;
  Millis timeout = kDefaultDumpTimeout;
};

// The bytes of one dump go to `sink` as they arrive; it returns false to stop reading.
using DumpSink = std::function<bool(std::string_view)>;

// Reads the dump at `where` into `sink` until it ends or a limit stops it. Ok: "" when it
// was read whole, else why it stopped early:
//   the dump was cut at the 256 MiB cap: the rest was not read (raise dump.max_bytes, or scan --max-bytes)
//   the dump was cut off after 1m: the rest was not read (dump.timeout, or scan --timeout)
// Error when nothing of a dump could be read: `dump GET http://h/x: status 404 (Unknown
// profile)`, `dump GET http://h/x: no response within 1m`, `cannot read d.txt: No such file
// or directory`, `gops 127.0.0.1:4321: Connection refused`.
Result<std::string> StreamDump(const DumpAddress& where, const DumpLimits& limits, const DumpSink& sink);

// StreamDump into a grouper: what `run` keeps of a dump. A cut warning goes first in the
// dump's warnings. With `text`, the bytes read are kept there too (for artifacts).
Result<GroupedDump> FetchGroupedDump(const DumpAddress& where, const DumpLimits& limits,
                                     std::string* text = nullptr);

}  // namespace leakprobe

#endif  // LEAKPROBE_WIRE_DUMP_SOURCE_H_
