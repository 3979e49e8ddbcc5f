// A WebSocket client that leaves the way a scenario says (scenarios/hang_up.h): a close frame
// and the server's answer (close_frame, the polite way), a TCP close with no close frame
// (close), a reset, or a stall (it stops reading, so the server's pings and writes go
// unanswered), or it sees the server close first. ws://, wss:// and ws over a unix socket.
// Built on Boost.Beast; every Beast and Asio line lives in websocket_client.cc alone, since
// each Asio translation unit costs seconds and hundreds of MB to compile. The socket comes
// from wire/Connection and goes back to EndSocket to leave, so there is one way to end a
// connection. Does I/O; blocks the calling thread until the exchange ends.
#ifndef LEAKPROBE_WIRE_WEBSOCKET_CLIENT_H_
#define LEAKPROBE_WIRE_WEBSOCKET_CLIENT_H_

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "base/duration.h"
#include "base/status.h"
#include "scenarios/hang_up.h"
#include "wire/http1.h"

namespace leakprobe {

struct WsMessage {
  std::string data;
  bool binary = false;
};

struct WsSend {
  std::string data;
  bool binary = false;
  Millis pause{0};  // reading meanwhile
};

struct WebSocketRequest {
  std::string url;     // ws://host:port/path, wss://...; with socket also "/path"
  std::string socket;  // unix socket path; "" for TCP
  HeaderList headers;
  std::vector<std::string> subprotocols;
  std::vector<WsSend> sends;
  // No hang_up: after the sends, read this long (default 0), then a close frame.
  std::optional<Millis> read_for;
  std::optional<HangUpSpec> hang_up;
  Millis timeout{Millis(30000)};
  bool insecure = false;       // wss: no certificate check
  size_t max_messages = 10000;  // kept; the rest only counted
  std::function<bool()> abort;  // may be empty
};

struct WebSocketResult {
  int status = 0;              // the handshake's: 101, or the refusal's; 0 when left first
  HeaderList headers;
  std::string refusal_body;    // a refused upgrade's body
  std::vector<WsMessage> messages;
  size_t message_count = 0;    // all of them
  size_t bytes = 0;            // message payload bytes received
  int pings = 0;               // pings the server sent that were read (and answered)
  int close_code = -1;         // the server's close frame's code, when one came
  bool hung_up = false;        // the client left on purpose (hang_up, or the closing handshake)
  // How it ended, for the step log: "close frame sent; server answered 1000", "hang_up after
  // 2 messages: reset (RST sent)", "server closed: close frame 1001 \"bye\"", "upgrade refused".
  std::string ended;
  Millis elapsed{0};
};

// Runs the exchange. Errors: "bad URL ...", Connection::Open's, "ws://h/x: no response within
// 30s" (the step's timeout came before the exchange ended), a TLS or protocol error.
Result<WebSocketResult> RunWebSocket(const WebSocketRequest& req);

}  // namespace leakprobe

#endif  // LEAKPROBE_WIRE_WEBSOCKET_CLIENT_H_
