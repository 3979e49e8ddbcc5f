#include "wire/docker_frames.h"

#include <gtest/gtest.h>

namespace leakprobe {
namespace {

std::string Frame(char stream, const std::string& payload) {
  std::string h = {stream, 0, 0, 0};
  size_t n = payload.size();
  h += static_cast<char>((n >> 24) & 0xff);
  h += static_cast<char>((n >> 16) & 0xff);
  h += static_cast<char>((n >> 8) & 0xff);
  h += static_cast<char>(n & 0xff);
  return h + payload;
}

struct Case {
  const char* name;
  std::string input;
  size_t cut;  // fed in pieces of this many bytes
  std::string want;
  std::string error;  // "" when it decodes
  size_t stdout_bytes, stderr_bytes;
  bool boundary;
};

TEST(DockerFrameDecoderTest, Table) {
  const std::string big(70000, 'x');
  const Case cases[] = {
      {"one stdout frame", Frame(1, "hello\n"), 1000, "hello\n", "", 6, 0, true},
      {"stdout then stderr", Frame(1, "out") + Frame(2, "err"), 1000, "outerr", "", 3, 3, true},
      {"byte by byte", Frame(1, "ab") + Frame(2, "c"), 1, "abc", "", 2, 1, true},
      {"header cut in two", Frame(1, "abcdef"), 5, "abcdef", "", 6, 0, true},
      {"empty frame", Frame(1, "") + Frame(1, "z"), 3, "z", "", 1, 0, true},
      {"a frame over 64 KiB", Frame(2, big), 4096, big, "", 0, big.size(), true},
      {"a cut frame waits", Frame(1, "abcdef").substr(0, 11), 1000, "abc", "", 3, 0, false},
      {"raw text is no frame", "HTTP/1.1", 1000, "", "not a docker stream frame: header 48 54 54 50 2f 31 2e 31", 0,
       0, false},
      {"stream 3 is no frame", std::string("\x03\0\0\0\0\0\0\x01x", 9), 1000, "",
       "not a docker stream frame: header 03 00 00 00 00 00 00 01", 0, 0, false},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    DockerFrameDecoder d;
    std::string out;
    Status st = Status::Ok();
    for (size_t i = 0; i < c.input.size() && st.ok(); i += c.cut) {
      st = d.Feed(std::string_view(c.input).substr(i, c.cut), &out);
    }
    if (c.error.empty()) {
      ASSERT_TRUE(st.ok()) << st.message();
      EXPECT_EQ(out, c.want);
      EXPECT_EQ(d.bytes(1), c.stdout_bytes);
      EXPECT_EQ(d.bytes(2), c.stderr_bytes);
      EXPECT_EQ(d.at_frame_boundary(), c.boundary);
    } else {
      EXPECT_EQ(st.message(), c.error);
      EXPECT_EQ(d.Feed("more", &out).message(), c.error);  // stays failed
    }
  }
}

}  // namespace
}  // namespace leakprobe
