#include "wire/docker_frames.h"

#include <cstdio>

namespace leakprobe {

Status DockerFrameDecoder::Feed(std::string_view raw, std::string* out) {
  if (!error_.empty()) return Status::Error(error_);
  while (!raw.empty()) {
    if (left_ > 0) {
      size_t n = std::min(left_, raw.size());
      out->append(raw.data(), n);
      bytes_[stream_] += n;
      left_ -= n;
      raw.remove_prefix(n);
      continue;
    }
    size_t need = 8 - header_.size();
    size_t n = std::min(need, raw.size());
    header_.append(raw.data(), n);
    raw.remove_prefix(n);
    if (header_.size() < 8) break;
    const auto* h = reinterpret_cast<const unsigned char*>(header_.data());
    if (h[0] > 2 || h[1] != 0 || h[2] != 0 || h[3] != 0) {
      error_ = "not a docker stream frame: header";
      for (int i = 0; i < 8; ++i) {
        char hex[4];
        std::snprintf(hex, sizeof hex, " %02x", h[i]);
        error_ += hex;
      }
      return Status::Error(error_);
    }
    stream_ = h[0];
    left_ = (size_t(h[4]) << 24) | (size_t(h[5]) << 16) | (size_t(h[6]) << 8) | size_t(h[7]);
    header_.clear();
  }
  return Status::Ok();
}

}  // namespace leakprobe
