// A gRPC call over HTTP/2 (nghttp2) on a Connection leakprobe owns (connection.h), so a call
// can leave the way real clients do and the way careless ones do: RST_STREAM CANCEL, a TCP
// close without GOAWAY, an RST, a reader that stops reading, a request stream never
// half-closed. Messages are bytes here (the step maps them to and from JSON with
// scenarios/grpc_schema.h). Plaintext HTTP/2 (h2c, prior knowledge), or TLS with ALPN h2
// (tls_session.h) on the same socket. Does I/O; each call is one connection; thread-safe (no
// shared state).
#ifndef LEAKPROBE_WIRE_GRPC_CLIENT_H_
#define LEAKPROBE_WIRE_GRPC_CLIENT_H_

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "base/duration.h"
#include "base/status.h"
#include "scenarios/hang_up.h"
#include "wire/connection.h"

namespace leakprobe {

struct GrpcCall {
  ConnectOptions connect;                      // host_port or unix_path, abort
  std::string authority = "localhost";
  bool tls = false;                            // TLS (ALPN h2); SNI and verification use tls_host
  bool verify_tls = true;                      // false: any certificate (insecure: true)
  std::string tls_host = "localhost";
  std::string path;                            // "/etcdserverpb.KV/Range"
  std::vector<std::pair<std::string, std::string>> metadata;
  struct Message {
    std::string bytes;                         // serialized; ignored when pause_only
    Millis pause_before{0};
    bool pause_only = false;                   // a pause at the end: the request stays open that long
  };
  std::vector<Message> messages;
  // End the request stream after the last message (a client's CloseSend). False with
  // hang_up how: keep_open.
  bool half_close = true;
  std::optional<HangUpSpec> hang_up;
  Millis timeout{Millis(30000)};               // the whole call
  size_t max_kept = 1000;                      // messages kept (the last always is)
};

struct GrpcReply {
  bool hung_up = false;          // left as hang_up said, before the call ended
  std::string how_ended;         // "cancelled after 2 messages: RST_STREAM CANCEL, PING answered, closed (FIN)"
  std::optional<int> code;       // grpc-status (or from the server's RST_STREAM); none when we left first
  std::string grpc_message;
  int http_status = 0;
  std::vector<std::pair<std::string, std::string>> headers;  // response headers and trailers
  std::vector<std::string> messages;                         // kept, in order
  size_t message_count = 0;                                  // all that arrived
  Millis elapsed{0};
};

// Makes the call. Errors (a step error unless it is IsTimedOut: the call outlived timeout):
//   "connect 127.0.0.1:1: Connection refused", "timed out after 30s (2 messages arrived)",
//   "the server closed the connection before the call ended", "HTTP/2: ..." , "aborted".
Result<GrpcReply> DoGrpc(const GrpcCall& call);

}  // namespace leakprobe

#endif  // LEAKPROBE_WIRE_GRPC_CLIENT_H_
