// gRPC message framing (grpc_frame.h).
#include "wire/grpc_frame.h"

#include <cstdint>

namespace leakprobe {

std::string EncodeGrpcMessage(std::string_view message) {
  std::string out;
  out.reserve(5 + message.size());
  const uint32_t n = static_cast<uint32_t>(message.size());
  out.push_back('\0');
  for (int shift = 24; shift >= 0; shift -= 8) out.push_back(static_cast<char>((n >> shift) & 0xff));
  out.append(message);
  return out;
}

Status GrpcFrameReader::Feed(std::string_view bytes, std::vector<std::string>* out) {
  buffer_.append(bytes);
  size_t pos = 0;
  while (buffer_.size() - pos >= 5) {
    const auto* p = reinterpret_cast<const unsigned char*>(buffer_.data() + pos);
    if (p[0] != 0) {
      return Status::Error("compressed message (flag " + std::to_string(p[0]) + "): leakprobe asks for none");
    }
    const size_t n = (size_t(p[1]) << 24) | (size_t(p[2]) << 16) | (size_t(p[3]) << 8) | size_t(p[4]);
    if (n > max_message_) {
      return Status::Error("message of " + std::to_string(n) + " bytes is over the limit of " +
                           std::to_string(max_message_));
    }
    if (buffer_.size() - pos - 5 < n) break;
    out->push_back(buffer_.substr(pos + 5, n));
    pos += 5 + n;
  }
  buffer_.erase(0, pos);
  return Status::Ok();
}

}  // namespace leakprobe
