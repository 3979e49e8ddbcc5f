// gRPC's length-prefixed messages on an HTTP/2 stream: one byte of flags (compressed or not),
// four bytes of length (big-endian), then the message. Pure; no I/O; not thread-safe.
#ifndef LEAKPROBE_WIRE_GRPC_FRAME_H_
#define LEAKPROBE_WIRE_GRPC_FRAME_H_

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"

namespace leakprobe {

// The five-byte prefix and the message, uncompressed.
std::string EncodeGrpcMessage(std::string_view message);

// Cuts a response stream's bytes, arriving in any pieces, into messages.
class GrpcFrameReader {
 public:
  // At most `max_message` bytes per message (gRPC's default limit is 4 MiB).
  explicit GrpcFrameReader(size_t max_message = 16 << 20) : max_message_(max_message) {}
  // Appends `bytes`; each message completed is appended to *out. Errors (the stream is
  // unusable afterwards): "message of 20000000 bytes is over the limit of 16777216",
  // "compressed message (flag 1): leakprobe asks for none".
  Status Feed(std::string_view bytes, std::vector<std::string>* out);
  // Bytes of a message begun but not complete (a stream that ends here was cut).
  size_t pending() const { return buffer_.size(); }

 private:
  size_t max_message_;
  std::string buffer_;
};

}  // namespace leakprobe

#endif  // LEAKPROBE_WIRE_GRPC_FRAME_H_
