// HTTP/1.1 on a socket leakprobe owns (wire/connection.h): writing a request head and reading
// a response head and body, as the http step does when it must leave at a given moment
// (`hang_up: { at: status }`) or in a given way (reset, stall, half-close), and as upgraded
// streams (`Upgrade: tcp`, WebSocket) do before the connection turns into raw bytes. The text
// functions are pure; ReadResponseHead does I/O through a ByteStream (in the clear or TLS).
#ifndef LEAKPROBE_WIRE_HTTP1_H_
#define LEAKPROBE_WIRE_HTTP1_H_

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/status.h"
#include "wire/byte_stream.h"

namespace leakprobe {

using HeaderList = std::vector<std::pair<std::string, std::string>>;

// "GET /x?y HTTP/1.1\r\nHost: h\r\n<headers>Content-Length: N\r\n\r\n" (Content-Length only
// when body_size > 0 or the method usually has a body). `headers` go out in order; a
// caller-given Host or Content-Length replaces ours.
std::string RequestHead(const std::string& method, const std::string& path_query,
                        const std::string& host, const HeaderList& headers, size_t body_size);

struct ResponseHead {
  int status = 0;
  std::string reason;
  HeaderList headers;
  // The body's framing, from the headers: chunked, a Content-Length, or until close.
  bool chunked = false;
  std::optional<size_t> content_length;
};

// Parses "HTTP/1.1 200 OK\r\nA: b\r\n\r\n" at the start of `bytes`. Returns the head's length
// in bytes (what follows is body or upgraded stream), 0 when the head is not complete yet, or
// an error: "bad status line \"SSH-2.0\"", "response head over 64 KiB".
Result<size_t> ParseResponseHead(std::string_view bytes, ResponseHead* head);

// The value of header `name` (case-insensitive), or "".
std::string HeaderValue(const HeaderList& headers, std::string_view name);

// Reads from `stream` until a whole head is in *buffer (which keeps what came after it).
// Errors: ParseResponseHead's, "connection closed before the status line", ReadSome's ("timed
// out").
Result<ResponseHead> ReadResponseHead(ByteStream* stream, std::string* buffer, SteadyTime deadline);

// Undoes Transfer-Encoding: chunked incrementally: Feed raw bytes, get body bytes out.
class ChunkedDecoder {
 public:
  // Appends the decoded bytes of `raw` to *out. Error: "bad chunk size line".
  Status Feed(std::string_view raw, std::string* out);
  bool done() const { return state_ == State::kDone; }

 private:
  enum class State { kSize, kData, kDataEnd, kTrailer, kDone };
  State state_ = State::kSize;
  size_t left_ = 0;
  std::string line_;
};

}  // namespace leakprobe

#endif  // LEAKPROBE_WIRE_HTTP1_H_
