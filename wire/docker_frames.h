// Docker's multiplexed stream framing (attach, exec and logs without a tty): each write is an
// 8-byte header { stream: 0 stdin | 1 stdout | 2 stderr, 0, 0, 0, size: uint32 big-endian }
// then `size` bytes. The decoder undoes it incrementally, however the bytes are cut. Pure;
// not thread-safe (one decoder per stream).
#ifndef LEAKPROBE_WIRE_DOCKER_FRAMES_H_
#define LEAKPROBE_WIRE_DOCKER_FRAMES_H_

#include <cstddef>
#include <string>
#include <string_view>

#include "base/status.h"

namespace leakprobe {

class DockerFrameDecoder {
 public:
  // Appends the payloads in `raw` (stdout and stderr alike, in arrival order) to *out; a
  // frame cut short waits for the next Feed. Error, for bytes that are no frame header:
  // "not a docker stream frame: header 48 54 54 50 2f 31 2e 31" (then every Feed fails).
  Status Feed(std::string_view raw, std::string* out);
  // Payload bytes per stream so far: [1] stdout, [2] stderr ([0] stdin, never sent).
  size_t bytes(int stream) const { return bytes_[stream]; }
  // Whether the input ended between frames (a cut frame is incomplete).
  bool at_frame_boundary() const { return header_.empty() && left_ == 0; }

 private:
  std::string header_;  // up to 8 bytes of a header not complete yet
  size_t left_ = 0;     // payload bytes of the current frame still to come
  int stream_ = 1;
  size_t bytes_[3] = {0, 0, 0};
  std::string error_;
};

}  // namespace leakprobe

#endif  // LEAKPROBE_WIRE_DOCKER_FRAMES_H_
