// One HTTP request with a real total deadline, over TCP or a unix socket. Does I/O; each
// call is independent and may run on any thread.
//
// cpp-httplib's read timeout restarts with every chunk, so a watchdog thread calls stop()
// at the deadline: a silent stream and a chatty one end on time alike. The connection is
// closed when the call returns, so the harness keeps no idle connection to the target.
#ifndef LEAKPROBE_WIRE_HTTP_CLIENT_H_
#define LEAKPROBE_WIRE_HTTP_CLIENT_H_

#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/duration.h"
#include "base/status.h"

namespace leakprobe {

struct HttpRequest {
  std::string method = "GET";
  std::string url;     // "http://127.0.0.1:8080/_ping"; with `socket`, "http://localhost/_ping" or "/_ping"
  std::string socket;  // unix socket path; "" for TCP
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  std::string content_type;           // for a body; "application/json" for json steps
  Millis timeout{Millis(30000)};      // no complete response by then: an error
  Millis disconnect_after{Millis(0)}; // > 0: hang up then, keep what arrived, not an error
  size_t max_body = 4 << 20;          // bytes kept; the rest is counted, not stored
  bool verify_tls = true;             // https: check the server's certificate
  // When set, a 200 response's body goes here chunk by chunk instead of into
  // HttpResponse::body (a 200 MB dump streams into the parser); other statuses' bodies are
  // kept as usual, for the error message. Returning false hangs up at once: the request
  // then succeeds with HttpResponse::stopped set.
  std::function<bool(std::string_view)> on_body;
  // Polled while the request runs; true ends it at once as an error ("aborted"), e.g. when
  // the target died: no reason to wait for a timeout. May be empty.
  std::function<bool()> abort;
};

struct HttpResponse {
  int status = 0;                      // 0 when hung up before the status line
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;                    // at most max_body bytes
  size_t body_bytes = 0;               // all that arrived
  bool hung_up = false;                // disconnect_after fired
  bool stopped = false;                // on_body asked to stop
  Millis elapsed{0};
};

// Performs `req`. Errors name the request: `GET http://127.0.0.1:1/x: no response within 3s`,
// `POST http://127.0.0.1:1/x: Connection refused`, `bad URL "ftp://x"`.
Result<HttpResponse> DoHttp(const HttpRequest& req);

// Whether DoHttp's error says the request's own timeout expired ("no response within 3s").
bool IsTimeout(const Status& status);

// Splits "http://127.0.0.1:8080/a?b" into "http://127.0.0.1:8080" and "/a?b". False on an
// unsupported scheme or a URL without a host.
bool SplitUrl(const std::string& url, std::string* origin, std::string* path_query);

}  // namespace leakprobe

#endif  // LEAKPROBE_WIRE_HTTP_CLIENT_H_
