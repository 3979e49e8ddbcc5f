// Splits the URL of a streaming step (an upgraded http request, a WebSocket) into what a
// Connection and a request line need, and says how to connect. Pure.
#ifndef LEAKPROBE_WIRE_STREAM_URL_H_
#define LEAKPROBE_WIRE_STREAM_URL_H_

#include <functional>
#include <optional>
#include <string>

#include "base/status.h"
#include "scenarios/hang_up.h"
#include "wire/connection.h"

namespace leakprobe {

struct StreamUrl {
  std::string scheme;      // "http", "ws", "wss"; "" for a bare "/path" over a unix socket
  std::string host_port;   // "127.0.0.1:8080"; the scheme's port added when absent
  std::string host;        // for the Host header: as written ("127.0.0.1:8080", "localhost")
  std::string path_query;  // "/a?b", at least "/"
};

// "ws://127.0.0.1:8080/chat?x=1" -> {ws, 127.0.0.1:8080, 127.0.0.1:8080, /chat?x=1}. With
// `unix_socket`, "/chat" alone is enough (host "localhost"). `schemes` lists the accepted ones
// ("http" / "ws wss"). Error: bad URL "ftp://x" (want ws:// or wss://)
Result<StreamUrl> ParseStreamUrl(const std::string& url, bool unix_socket, const std::string& schemes);

// The host of "host:port", "[v6]:port", "host" or "[v6]", as TLS wants it for SNI and the
// certificate check: "127.0.0.1", "::1", "example.com".
std::string HostOf(const std::string& host_port);

// How a streaming step connects to `url` (or `unix_path`): within its timeout (5 s at most),
// polling `abort`, and with a small receive buffer when it is going to stall, so that the
// server's writes block soon after the client stops reading.
ConnectOptions StreamConnectOptions(const StreamUrl& url, const std::string& unix_path, Millis timeout,
                                    const std::optional<HangUpSpec>& hang_up, std::function<bool()> abort);

}  // namespace leakprobe

#endif  // LEAKPROBE_WIRE_STREAM_URL_H_
