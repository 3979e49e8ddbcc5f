#include "wire/http1.h"

#include <gtest/gtest.h>

namespace leakprobe {
namespace {

TEST(Http1, RequestHead) {
  struct Case {
    std::string method, path, host;
    HeaderList headers;
    size_t body;
    std::string want;
  } cases[] = {
      {"GET", "/x?y=1", "127.0.0.1:80", {}, 0, "GET /x?y=1 HTTP/1.1\r\nHost: 127.0.0.1:80\r\n\r\n"},
      {"POST", "/c", "h", {{"Content-Type", "application/json"}}, 2,
       "POST /c HTTP/1.1\r\nHost: h\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n"},
      {"POST", "", "h", {}, 0, "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 0\r\n\r\n"},
      {"GET", "/a", "h", {{"host", "localhost"}, {"Upgrade", "tcp"}}, 0,
       "GET /a HTTP/1.1\r\nhost: localhost\r\nUpgrade: tcp\r\n\r\n"},
  };
  for (const Case& c : cases) EXPECT_EQ(RequestHead(c.method, c.path, c.host, c.headers, c.body), c.want);
}

TEST(Http1, ParseResponseHead) {
  struct Case {
    std::string bytes;
    size_t want_len;  // 0: incomplete
    int status;
    bool chunked;
    std::optional<size_t> length;
    std::string error;
  } cases[] = {
      {"HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello", 38, 200, false, 5, ""},
      {"HTTP/1.1 101 Switching Protocols\r\nUpgrade: tcp\r\nConnection: Upgrade\r\n\r\n\x01\x00", 71, 101, false,
       std::nullopt, ""},
      {"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n", 47, 200, true, std::nullopt, ""},
      {"HTTP/1.1 204 No Content\r\n", 0, 0, false, std::nullopt, ""},
      {"SSH-2.0-OpenSSH\r\n", 0, 0, false, std::nullopt, "bad status line \"SSH-2.0-OpenSSH\""},
      {"HTTP/1.1 xx OK\r\n\r\n", 0, 0, false, std::nullopt, "bad status line \"HTTP/1.1 xx OK\""},
  };
  for (const Case& c : cases) {
    ResponseHead head;
    auto got = ParseResponseHead(c.bytes, &head);
    if (!c.error.empty()) {
      ASSERT_FALSE(got.ok()) << c.bytes;
      EXPECT_EQ(got.status().message(), c.error);
      continue;
    }
    ASSERT_TRUE(got.ok()) << got.status().message();
    EXPECT_EQ(got.value(), c.want_len) << c.bytes;
    if (c.want_len == 0) continue;
    EXPECT_EQ(head.status, c.status);
    EXPECT_EQ(head.chunked, c.chunked);
    EXPECT_EQ(head.content_length, c.length);
  }
}

TEST(Http1, ChunkedDecoderAcrossSplits) {
  const std::string raw = "5\r\nhello\r\n6;ext=1\r\n world\r\n0\r\nX-Trailer: 1\r\n\r\n";
  for (size_t split = 0; split <= raw.size(); ++split) {
    ChunkedDecoder d;
    std::string out;
    ASSERT_TRUE(d.Feed(std::string_view(raw).substr(0, split), &out).ok());
    ASSERT_TRUE(d.Feed(std::string_view(raw).substr(split), &out).ok());
    EXPECT_EQ(out, "hello world") << split;
    EXPECT_TRUE(d.done()) << split;
  }
  ChunkedDecoder bad;
  std::string out;
  EXPECT_EQ(bad.Feed("zz\r\n", &out).message(), "bad chunk size line");
}

}  // namespace
}  // namespace leakprobe
