// Splits the URL of a streaming step (an upgraded http request, a WebSocket) into what a
// Connection and a request line need. Pure.
#ifndef LEAKPROBE_WIRE_STREAM_URL_H_
#define LEAKPROBE_WIRE_STREAM_URL_H_

#include <string>

#include "base/status.h"

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

}  // namespace leakprobe

#endif  // LEAKPROBE_WIRE_STREAM_URL_H_
