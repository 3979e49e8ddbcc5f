// One look at whether a target answers yet: a TCP or unix-socket connect, or an HTTP GET
// that gets a 2xx or 3xx. The engine's ready wait (harness/ready_probe.h) polls these. Does
// I/O (a socket each call, closed before it returns); thread-safe.
#ifndef LEAKPROBE_WIRE_CONNECT_PROBE_H_
#define LEAKPROBE_WIRE_CONNECT_PROBE_H_

#include <string>

#include "base/duration.h"
#include "base/status.h"

namespace leakprobe {

// Connects to "host:port" ("[::1]:80" too) or, with is_unix, to a socket path, waiting up to
// `timeout`. Error: the connect's strerror, or "no connection within 1s".
Status TryConnect(const std::string& address, bool is_unix, Millis timeout);

// GET `url` (through the unix socket `socket` when not empty) within `timeout`. Ok for a
// 2xx or 3xx status; error "status 503", or the transport's error.
Status TryHttpGet(const std::string& url, const std::string& socket, Millis timeout);

}  // namespace leakprobe

#endif  // LEAKPROBE_WIRE_CONNECT_PROBE_H_
