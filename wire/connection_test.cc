// Each way of leaving, seen from the other end of a real loopback socket: a raw server thread
// records what it saw (FIN is recv() == 0, RST is ECONNRESET, a stalled reader blocks its
// sends, a half-close is EOF while the client still reads), and when (nothing written yet,
// the status line written, ...). Timeouts here are hang guards only.
#include "wire/connection.h"

#include <errno.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstring>
#include <functional>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "wire/http1_client.h"

namespace leakprobe {
namespace {

using Seen = std::vector<std::string>;

// A listening socket on 127.0.0.1 whose first connection `serve` handles on its own thread.
class RawServer {
 public:
  explicit RawServer(std::function<void(int fd, Seen* seen)> serve) {
    listen_fd_ = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    bind(listen_fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
    listen(listen_fd_, 1);
    socklen_t len = sizeof addr;
    getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&addr), &len);
    port_ = ntohs(addr.sin_port);
    thread_ = std::thread([this, serve] {
      int fd = accept(listen_fd_, nullptr, nullptr);
      if (fd < 0) return;
      timeval guard{10, 0};  // a hang guard, never reached when the client behaves
      setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &guard, sizeof guard);
      setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &guard, sizeof guard);
      serve(fd, &seen_);
      close(fd);
    });
  }
  ~RawServer() {
    Join();
    close(listen_fd_);
  }
  std::string host_port() const { return "127.0.0.1:" + std::to_string(port_); }
  std::string url(const std::string& path) const { return "http://" + host_port() + path; }
  // What the server saw, once its connection is over.
  const Seen& Done() {
    Join();
    return seen_;
  }

 private:
  void Join() {
    if (thread_.joinable()) thread_.join();
  }
  int listen_fd_ = -1;
  int port_ = 0;
  std::thread thread_;
  Seen seen_;
};

// Reads until the client's end: "FIN", "RST", "timed out" (the hang guard), with any bytes
// read before it recorded as "read N bytes".
std::string AwaitEnd(int fd) {
  char buf[4096];
  size_t total = 0;
  for (;;) {
    ssize_t n = recv(fd, buf, sizeof buf, 0);
    if (n > 0) {
      total += static_cast<size_t>(n);
      continue;
    }
    std::string end = n == 0 ? "FIN" : errno == ECONNRESET ? "RST" : std::string("error: ") + std::strerror(errno);
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) end = "timed out";
    return total ? "read " + std::to_string(total) + " bytes, then " + end : end;
  }
}

// Reads a request head ("...\r\n\r\n"); "request" when it came whole.
std::string ReadHead(int fd) {
  std::string got;
  char c;
  while (got.find("\r\n\r\n") == std::string::npos) {
    if (recv(fd, &c, 1, 0) != 1) return "no request: " + got;
    got += c;
  }
  return "request";
}

void Send(int fd, const std::string& bytes) { send(fd, bytes.data(), bytes.size(), MSG_NOSIGNAL); }

// Writes up to 4 MiB, blocking, until the client is gone: "wrote N bytes, then the client left"
// when it stopped reading before taking it all.
std::string WriteUntilGone(int fd, const std::string& chunk_framing_prefix) {
  int small = 4096;
  setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &small, sizeof small);
  std::string chunk(16384, 'x');
  if (!chunk_framing_prefix.empty()) chunk = chunk_framing_prefix + chunk + "\r\n";
  size_t total = 0;
  while (total < (4u << 20)) {
    ssize_t n = send(fd, chunk.data(), chunk.size(), MSG_NOSIGNAL);
    if (n <= 0) {
      return errno == EAGAIN ? "send blocked for the hang guard's 10s" : "the client left after " + std::to_string(total) + " bytes";
    }
    total += static_cast<size_t>(n);
  }
  return "the client took all 4 MiB";
}

SteadyTime In(int ms) { return std::chrono::steady_clock::now() + Millis(ms); }

Connection Dial(const RawServer& server, int receive_buffer = 0) {
  ConnectOptions opts;
  opts.host_port = server.host_port();
  opts.receive_buffer = receive_buffer;
  auto conn = Connection::Open(opts);
  EXPECT_TRUE(conn.ok()) << conn.status().message();
  return std::move(conn.value());
}

TEST(Connection, CloseSendsFinAndResetSendsRst) {
  struct Case {
    HangUpSpec::How how;
    std::string want_log, want_seen;
  } cases[] = {
      {HangUpSpec::How::kClose, "closed (FIN)", "read 5 bytes, then FIN"},
      {HangUpSpec::How::kReset, "reset (RST sent)", "read 5 bytes, then RST"},
  };
  for (const Case& c : cases) {
    RawServer server([](int fd, Seen* seen) { seen->push_back(AwaitEnd(fd)); });
    Connection conn = Dial(server);
    ASSERT_TRUE(conn.WriteAll("hello", In(5000)).ok());
    EXPECT_EQ(conn.End(c.how, Millis(0), In(5000)), c.want_log);
    EXPECT_FALSE(conn.is_open());
    EXPECT_EQ(server.Done(), Seen{c.want_seen}) << HowName(c.how);
  }
}

TEST(Connection, CloseDrainsUnreadBytesSoTheServerSeesFinNotRst) {
  RawServer server([](int fd, Seen* seen) {
    Send(fd, "unread by the client");
    seen->push_back(AwaitEnd(fd));
  });
  Connection conn = Dial(server);
  std::string got;
  ASSERT_TRUE(conn.ReadSome(&got, 1, In(5000)).ok());  // the bytes are there; most stay unread
  EXPECT_EQ(conn.End(HangUpSpec::How::kClose, Millis(0), In(5000)), "closed (FIN)");
  EXPECT_EQ(server.Done(), Seen{"FIN"});
}

TEST(Connection, StallStopsReadingSoTheServersWritesBlock) {
  RawServer server([](int fd, Seen* seen) { seen->push_back(WriteUntilGone(fd, "")); });
  Connection conn = Dial(server, kStallReceiveBuffer);
  EXPECT_EQ(conn.End(HangUpSpec::How::kStall, Millis(1000), In(5000)), "stalled 1s, then closed (FIN)");
  const Seen& seen = server.Done();
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_EQ(seen[0].rfind("the client left after ", 0), 0u) << seen[0];
  // It could write only what fits in the two small buffers before it blocked.
  EXPECT_LT(std::stoul(seen[0].substr(22)), 1u << 20) << seen[0];
}

TEST(Connection, HalfCloseLetsTheServerReadEofAndStillAnswer) {
  RawServer server([](int fd, Seen* seen) {
    seen->push_back(AwaitEnd(fd));  // EOF while the client still reads
    Send(fd, "bye");
    seen->push_back("answered");
  });
  Connection conn = Dial(server);
  ASSERT_TRUE(conn.WriteAll("ping", In(5000)).ok());
  size_t drained = 0;
  std::string what = conn.End(HangUpSpec::How::kHalfClose, Millis(0), In(5000), &drained);
  EXPECT_EQ(what.rfind("half-closed; server closed after ", 0), 0u) << what;
  EXPECT_EQ(drained, 3u);
  EXPECT_EQ(server.Done(), (Seen{"read 4 bytes, then FIN", "answered"}));
}

TEST(Connection, OpenErrors) {
  ConnectOptions opts;
  opts.unix_path = "/nonexistent/leakprobe.sock";
  auto conn = Connection::Open(opts);
  ASSERT_FALSE(conn.ok());
  EXPECT_EQ(conn.status().message(), "connect /nonexistent/leakprobe.sock: No such file or directory");
  opts = ConnectOptions();
  opts.host_port = "nohost";
  EXPECT_EQ(Connection::Open(opts).status().message(), "bad address \"nohost\": want host:port");
}

// --- the http step's hang_up, moment by moment -------------------------------------------

constexpr char kChunkedHead[] = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n";

HttpRequest Get(const RawServer& server) {
  HttpRequest req;
  req.url = server.url("/logs?follow=1");
  req.timeout = Millis(8000);
  return req;
}

HangUpSpec Spec(HangUpSpec::At at, HangUpSpec::How how, Millis after = Millis(0)) {
  HangUpSpec h;
  h.at = at;
  h.how = how;
  h.after = after;
  h.stall_for = Millis(1000);
  return h;
}

TEST(HttpHangUp, EachMomentAndWayAsTheServerSawIt) {
  using At = HangUpSpec::At;
  using How = HangUpSpec::How;
  struct Case {
    std::string name;
    std::function<void(int, Seen*)> serve;
    HangUpSpec spec;
    Seen want_seen;
    int want_status;
    std::string want_body;
  } cases[] = {
      {"close at sent: the client leaves before anything is written back",
       [](int fd, Seen* s) {
         s->push_back(ReadHead(fd));
         s->push_back(AwaitEnd(fd));
       },
       Spec(At::kSent, How::kClose), {"request", "FIN"}, 0, ""},
      {"reset at sent",
       [](int fd, Seen* s) {
         s->push_back(ReadHead(fd));
         s->push_back(AwaitEnd(fd));
       },
       Spec(At::kSent, How::kReset), {"request", "RST"}, 0, ""},
      {"reset at status: after the head, before any body",
       [](int fd, Seen* s) {
         s->push_back(ReadHead(fd));
         Send(fd, kChunkedHead);
         s->push_back("status written");
         s->push_back(AwaitEnd(fd));
       },
       Spec(At::kStatus, How::kReset), {"request", "status written", "RST"}, 200, ""},
      {"close at body: after the first chunk",
       [](int fd, Seen* s) {
         s->push_back(ReadHead(fd));
         Send(fd, kChunkedHead);
         Send(fd, "6\r\nhello\n\r\n");
         s->push_back("first chunk written");
         s->push_back(AwaitEnd(fd));
       },
       Spec(At::kBody, How::kClose), {"request", "first chunk written", "FIN"}, 200, "hello\n"},
      {"close after 300ms of a silent stream",
       [](int fd, Seen* s) {
         s->push_back(ReadHead(fd));
         Send(fd, kChunkedHead);
         s->push_back(AwaitEnd(fd));
       },
       Spec(At::kAfter, How::kClose, Millis(300)), {"request", "FIN"}, 200, ""},
      {"half_close at status: the server reads EOF and can still answer",
       [](int fd, Seen* s) {
         s->push_back(ReadHead(fd));
         Send(fd, kChunkedHead);
         s->push_back(AwaitEnd(fd));
         Send(fd, "4\r\nbye\n\r\n0\r\n\r\n");
         s->push_back("answered after EOF");
       },
       Spec(At::kStatus, How::kHalfClose), {"request", "FIN", "answered after EOF"}, 200, "bye\n"},
      {"stall at status: the server's writes block until the client leaves",
       [](int fd, Seen* s) {
         s->push_back(ReadHead(fd));
         Send(fd, kChunkedHead);
         std::string end = WriteUntilGone(fd, "4000\r\n");
         bool blocked = end.rfind("the client left after ", 0) == 0 && std::stoul(end.substr(22)) < (1u << 20);
         s->push_back(blocked ? "writes blocked, then the client left" : end);
       },
       Spec(At::kStatus, How::kStall), {"request", "writes blocked, then the client left"}, 200, ""},
  };
  for (const Case& c : cases) {
    RawServer server(c.serve);
    auto r = DoHttpHangUp(Get(server), c.spec);
    ASSERT_TRUE(r.ok()) << c.name << ": " << r.status().message();
    EXPECT_EQ(server.Done(), c.want_seen) << c.name;
    EXPECT_EQ(r->not_applicable, "") << c.name;
    EXPECT_TRUE(r->response.hung_up) << c.name;
    EXPECT_EQ(r->response.status, c.want_status) << c.name;
    if (c.spec.how != How::kStall) {
      EXPECT_EQ(r->response.body, c.want_body) << c.name;
    }
  }
}

TEST(HttpHangUp, AMomentThatNeverComesIsNotApplicable) {
  using At = HangUpSpec::At;
  struct Case {
    std::string response;
    HangUpSpec spec;
    std::string want;
    std::string want_body;
  } cases[] = {
      {"HTTP/1.1 204 No Content\r\n\r\n", Spec(At::kBody, HangUpSpec::How::kReset),
       "the response ended before its body (204)", ""},
      {"HTTP/1.1 201 Created\r\nContent-Length: 11\r\n\r\n{\"Id\":\"c1\"}", Spec(At::kBody, HangUpSpec::How::kReset),
       "the whole body (11 bytes) arrived at once", "{\"Id\":\"c1\"}"},
      {"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok", Spec(At::kStatus, HangUpSpec::How::kClose),
       "the whole response (200, 2 bytes) arrived with its status line", "ok"},
      {"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok", Spec(At::kAfter, HangUpSpec::How::kClose, Millis(5000)),
       "the response (200) ended before 5s", "ok"},
  };
  for (const Case& c : cases) {
    std::string response = c.response;
    RawServer server([response](int fd, Seen* s) {
      s->push_back(ReadHead(fd));
      Send(fd, response);
      s->push_back(AwaitEnd(fd));
    });
    auto r = DoHttpHangUp(Get(server), c.spec);
    ASSERT_TRUE(r.ok()) << r.status().message();
    EXPECT_EQ(r->not_applicable, c.want);
    EXPECT_FALSE(r->response.hung_up);
    EXPECT_EQ(r->response.body, c.want_body);
    EXPECT_EQ(server.Done(), (Seen{"request", "FIN"}));
  }
}

TEST(HttpHangUp, Errors) {
  HttpRequest req;
  req.url = "https://127.0.0.1:1/x";
  EXPECT_EQ(DoHttpHangUp(req, Spec(HangUpSpec::At::kSent, HangUpSpec::How::kClose)).status().message(),
            "GET https://127.0.0.1:1/x: connect 127.0.0.1:1: Connection refused");
  RawServer server([](int fd, Seen* s) {
    s->push_back(ReadHead(fd));
    s->push_back(AwaitEnd(fd));
  });
  req.url = server.url("/x");
  req.timeout = Millis(200);
  auto r = DoHttpHangUp(req, Spec(HangUpSpec::At::kStatus, HangUpSpec::How::kClose));
  EXPECT_TRUE(IsTimeout(r.status())) << r.status().message();
  EXPECT_EQ(r.status().message(), "GET " + req.url + ": no response within 200ms");
}

}  // namespace
}  // namespace leakprobe
