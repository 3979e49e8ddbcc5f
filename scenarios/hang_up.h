// How a streaming step leaves its connection on purpose: when (`after: 3s`, or at a moment of
// the request: `at: sent | status | body`, or after N received messages on gRPC and WebSocket
// steps) and how (`close`, `reset`, `stall`, `half_close`, and for gRPC `cancel`, `keep_open`).
// Every streaming step (http, grpc, websocket, upgraded http) carries one; the wire layer ends
// the socket the same way for all of them (wire/connection.h). Plain values; no I/O.
//
//   hang_up: { after: 3s, how: close }          # disconnect_after: 3s is the short form
//   hang_up: { at: status, how: stall, stall_for: 5s }
//   hang_up: { at: body, how: reset }
//   hang_up: { messages: 2, how: cancel }        # grpc / websocket
#ifndef LEAKPROBE_SCENARIOS_HANG_UP_H_
#define LEAKPROBE_SCENARIOS_HANG_UP_H_

#include <string>
#include <vector>

#include "base/duration.h"
#include "base/status.h"

namespace leakprobe {

struct HangUpSpec {
  // The moment the client leaves.
  enum class At {
    kAfter,     // `after: D`: D after the request was sent, whatever arrived meanwhile
    kSent,      // the request (headers and body) was written, nothing read yet
    kStatus,    // the status line and headers (gRPC: response headers) were read
    kBody,      // the first body bytes (gRPC/WebSocket: the first message) arrived
    kMessages,  // `messages: N`: N messages were received (gRPC, WebSocket)
  };
  // What the client does then.
  enum class How {
    kClose,      // close the socket: FIN (unread bytes drained first so Linux sends no RST)
    kReset,      // RST: SO_LINGER 0, then close (on a unix socket: a plain close)
    kStall,      // stop reading, socket open, small receive buffer; close after stall_for
    kHalfClose,  // shut down the write side, keep reading until the server ends or the timeout
    kCancel,     // gRPC: RST_STREAM CANCEL on the stream, then close the connection
    kKeepOpen,   // gRPC: never half-close the request stream; close at the step's end
    kCloseFrame, // WebSocket: a close frame, wait for the peer's answer (the polite way)
  };
  At at = At::kAfter;
  Millis after{0};                 // with kAfter
  int messages = 0;                // with kMessages
  How how = How::kClose;
  Millis stall_for{Millis(5000)};  // with kStall: how long the client stops reading
};

// "close", "reset", "stall", "half_close", "cancel", "keep_open", "close_frame".
const char* HowName(HangUpSpec::How how);
// "sent", "status", "body", "after", "messages".
const char* AtName(HangUpSpec::At at);
// For step logs, test case names and the sweep's matrix: "close after 3s", "reset at body",
// "stall 2s at status", "cancel after 2 messages", "half_close at sent".
std::string DescribeHangUp(const HangUpSpec& h);

// The inverse of DescribeHangUp for the ways an http step leaves, as the sweep's fault lists
// are written: "close at sent", "reset at body", "stall 2s at status", "half_close at status",
// "close after 1s". Error (the text is quoted by the caller): "want HOW at sent|status|body
// or HOW after DURATION, with HOW one of close, reset, stall [DURATION], half_close".
Result<HangUpSpec> ParseFault(const std::string& text);

// The sweep's default set: close at sent, close at status, reset at body, stall 2s at status.
const std::vector<HangUpSpec>& DefaultSweepFaults();

}  // namespace leakprobe

#endif  // LEAKPROBE_SCENARIOS_HANG_UP_H_
