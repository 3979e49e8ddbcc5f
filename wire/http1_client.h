// One HTTP/1.1 request that leaves at a given moment and in a given way (scenarios/hang_up.h):
// the http step's `hang_up:`. It runs over a socket leakprobe owns (wire/connection.h) so the
// way of leaving really happens on the wire: FIN, RST, a stalled reader with a small receive
// window, a half-close. http or https (TLS on that socket, byte_stream.h), over TCP or a unix
// socket. Does I/O; each call is independent and may run on any thread.
#ifndef LEAKPROBE_WIRE_HTTP1_CLIENT_H_
#define LEAKPROBE_WIRE_HTTP1_CLIENT_H_

#include <string>

#include "base/status.h"
#include "scenarios/hang_up.h"
#include "wire/http_client.h"

namespace leakprobe {

// The receive buffer a stalling client asks for: small, so the server's writes block soon.
constexpr int kStallReceiveBuffer = 4096;

struct HangUpResponse {
  HttpResponse response;      // what arrived before the client left; hung_up when it did
  // Why the moment never came, "" when the client did leave as planned: "the response ended
  // before its body (204)", "the whole response arrived with its status line", "the response
  // ended after 12ms, before 3s".
  std::string not_applicable;
  std::string how;            // what the socket did, for the step log: "reset (RST sent)"
};

// Sends `req` (its disconnect_after and on_body are not used) and leaves as `hang_up` says:
//   at sent: once the request is written, before reading anything;
//   at status: once the status line and headers are read;
//   at body: once the first body bytes are read;
//   after D: D after the request was written.
// When the response ends before the moment, it is read whole and not_applicable says why;
// the call still succeeds. Errors name the request like DoHttp's (IsTimeout recognises the
// timeout): `GET http://127.0.0.1:1/x: connect 127.0.0.1:1: Connection refused`,
// `GET http://h/x: no response within 3s`, `GET https://h/x: TLS handshake: certificate
// verify failed`, `GET http://h/x: connection closed before the status line`.
Result<HangUpResponse> DoHttpHangUp(const HttpRequest& req, const HangUpSpec& hang_up);

}  // namespace leakprobe

#endif  // LEAKPROBE_WIRE_HTTP1_CLIENT_H_
