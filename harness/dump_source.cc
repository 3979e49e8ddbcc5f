#include "harness/dump_source.h"

#include <fcntl.h>
#include <unistd.h>

#include <netdb.h>
#include <sys/socket.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <memory>
#include <vector>

#include "harness/http_client.h"
#include "harness/interrupt.h"

namespace leakprobe {

Result<std::string> FetchGopsDump(const std::string& address, Millis timeout) {
  using Clock = std::chrono::steady_clock;
  std::string what = "gops " + address;
  size_t colon = address.rfind(':');
  if (colon == std::string::npos) return Status::Error(what + ": write host:port");
  addrinfo hints{};
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* res = nullptr;
  int rc = getaddrinfo(address.substr(0, colon).c_str(), address.c_str() + colon + 1, &hints, &res);
  if (rc != 0) return Status::Error(what + ": " + gai_strerror(rc));
  int fd = socket(res->ai_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) {
    freeaddrinfo(res);
    return Status::Error(what + ": " + std::strerror(errno));
  }
  std::unique_ptr<int, void (*)(int*)> closer(&fd, [](int* f) { close(*f); });
  timeval tv{1, 0};  // each read wakes up at least once a second to check the deadline
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
  int c = connect(fd, res->ai_addr, res->ai_addrlen);
  freeaddrinfo(res);
  if (c != 0) return Status::Error(what + ": " + std::strerror(errno));
  const char kStackTrace = 0x1;
  if (write(fd, &kStackTrace, 1) != 1) return Status::Error(what + ": " + std::strerror(errno));
  auto deadline = Clock::now() + timeout;
  std::string text;
  char buf[65536];
  for (;;) {
    ssize_t n = read(fd, buf, sizeof buf);
    if (n > 0) {
      text.append(buf, static_cast<size_t>(n));
    } else if (n == 0) {
      return text;
    } else if (errno != EINTR && errno != EAGAIN && errno != EWOULDBLOCK) {
      return Status::Error(what + ": " + std::strerror(errno));
    }
    if (Clock::now() >= deadline || Interrupted()) {
      return Status::Error(what + ": no complete answer within " + FormatDuration(timeout));
    }
  }
}

Result<std::string> FetchDump(const std::string& url, const std::string& socket, Millis timeout) {
  if (url.rfind("gops://", 0) == 0) return FetchGopsDump(url.substr(7), timeout);
  HttpRequest req;
  req.url = url;
  req.socket = socket;
  req.timeout = timeout;
  req.max_body = size_t(1) << 30;
  auto res = DoHttp(req);
  if (!res.ok()) return Status::Error("dump " + res.status().message());
  if (res->status != 200) {
    return Status::Error("dump GET " + url + ": status " + std::to_string(res->status));
  }
  return std::move(res->body);
}

namespace {
Status FeedFd(int fd, const std::string& name, DumpParser* parser) {
  std::vector<char> buf(1 << 20);
  for (;;) {
    ssize_t n = read(fd, buf.data(), buf.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return Status::Error("cannot read " + name + ": " + std::strerror(errno));
    if (n == 0) break;
    parser->Feed(std::string_view(buf.data(), static_cast<size_t>(n)));
  }
  parser->Finish();
  return Status::Ok();
}
}  // namespace

Status ReadDumpSource(const std::string& source, DumpParser* parser) {
  if (source == "-") return FeedFd(0, "standard input", parser);
  std::string url = source, socket;
  if (source.rfind("unix:", 0) == 0) {
    size_t sep = source.find(":http", 5);
    if (sep == std::string::npos) {
      return Status::Error("bad source \"" + source + "\" (write unix:PATH:http://localhost/URL-PATH)");
    }
    socket = source.substr(5, sep - 5);
    url = source.substr(sep + 1);
  }
  if (!socket.empty() || source.rfind("http://", 0) == 0 || source.rfind("https://", 0) == 0) {
    // Streamed into the parser as it arrives: a huge dump is never held whole.
    HttpRequest req;
    req.url = url;
    req.socket = socket;
    req.timeout = Millis(60000);
    req.on_body = [parser](std::string_view chunk) { parser->Feed(chunk); };
    auto res = DoHttp(req);
    if (!res.ok()) return Status::Error("dump " + res.status().message());
    if (res->status != 200) return Status::Error("dump GET " + url + ": status " + std::to_string(res->status));
    parser->Finish();
    return Status::Ok();
  }
  if (source.rfind("gops://", 0) == 0) {
    auto text = FetchDump(url, socket, Millis(60000));
    if (!text.ok()) return text.status();
    parser->Feed(text.value());
    parser->Finish();
    return Status::Ok();
  }
  int fd = open(source.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return Status::Error("cannot read " + source + ": " + std::strerror(errno));
  Status s = FeedFd(fd, source, parser);
  close(fd);
  return s;
}

}  // namespace leakprobe
