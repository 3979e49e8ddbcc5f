// Where dumps come from: a file, standard input, or HTTP over TCP or a unix socket. Does I/O.
#ifndef LEAKPROBE_HARNESS_DUMP_SOURCE_H_
#define LEAKPROBE_HARNESS_DUMP_SOURCE_H_

#include <string>

#include "base/duration.h"
#include "base/status.h"
#include "matchers/dump_parser.h"

namespace leakprobe {

// GETs a dump, e.g. http://127.0.0.1:8080/debug/pprof/goroutine?debug=2 (socket: "" for TCP),
// or asks a gops agent for one when the URL is "gops://127.0.0.1:4321".
// Error: `dump GET http://...: status 404` or the transport error.
Result<std::string> FetchDump(const std::string& url, const std::string& socket, Millis timeout);

// A gops agent's stack dump: connect to "host:port", send the one byte 0x1 (StackTrace),
// read until the agent closes. Error: `gops 127.0.0.1:4321: Connection refused`, or
// `... no complete answer within 30s`.
Result<std::string> FetchGopsDump(const std::string& address, Millis timeout);

// Feeds the dump named by `source` to `parser` and finishes it: "-" is standard input,
// "unix:/run/d.sock:http://localhost/debug/pprof/goroutine?debug=2" is HTTP over a unix
// socket, "http://..." and "https://..." are HTTP, "gops://host:port" a gops agent, anything
// else a file read in chunks.
// Error: `cannot read dump.txt: No such file or directory`.
Status ReadDumpSource(const std::string& source, DumpParser* parser);

}  // namespace leakprobe

#endif  // LEAKPROBE_HARNESS_DUMP_SOURCE_H_
