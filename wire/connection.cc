#include "wire/connection.h"

#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstring>
#include <thread>

namespace leakprobe {

namespace {

constexpr Millis kAbortPoll{20};

std::string Errno(const std::string& what) { return what + ": " + std::strerror(errno); }

// "[::1]:80" -> "::1", "80"; "127.0.0.1:80" -> "127.0.0.1", "80".
bool SplitHostPort(const std::string& hp, std::string* host, std::string* port) {
  size_t colon = hp.rfind(':');
  if (colon == std::string::npos || colon + 1 == hp.size()) return false;
  *host = hp.substr(0, colon);
  *port = hp.substr(colon + 1);
  if (host->size() >= 2 && host->front() == '[' && host->back() == ']') {
    *host = host->substr(1, host->size() - 2);
  }
  return !host->empty();
}

// Reads and drops whatever is already there, without waiting, so that close() sends FIN:
// Linux answers a close with unread data with RST (RFC 2525).
size_t DrainNow(int fd) {
  char buf[16384];
  size_t total = 0;
  for (;;) {
    ssize_t n = recv(fd, buf, sizeof buf, MSG_DONTWAIT);
    if (n <= 0) return total;
    total += static_cast<size_t>(n);
  }
}

std::string ResetAndClose(int fd) {
  struct linger lg = {1, 0};
  setsockopt(fd, SOL_SOCKET, SO_LINGER, &lg, sizeof lg);
  close(fd);
  return "reset (RST sent)";
}

std::string CloseWithFin(int fd) {
  DrainNow(fd);
  shutdown(fd, SHUT_WR);
  close(fd);
  return "closed (FIN)";
}

bool IsUnixSocket(int fd) {
  sockaddr_storage addr{};
  socklen_t len = sizeof addr;
  return getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) == 0 && addr.ss_family == AF_UNIX;
}

}  // namespace

bool IsTimedOut(const Status& status) { return !status.ok() && status.message() == "timed out"; }

std::string EndSocket(int fd, HangUpSpec::How how) {
  if (fd < 0) return "already closed";
  if (how == HangUpSpec::How::kReset) {
    if (IsUnixSocket(fd)) {  // a unix socket has no RST: the peer sees a close
      close(fd);
      return "closed (a unix socket has no reset)";
    }
    return ResetAndClose(fd);
  }
  return CloseWithFin(fd);
}

Connection::Connection(int fd, bool is_unix, std::function<bool()> abort)
    : fd_(fd), is_unix_(is_unix), abort_(std::move(abort)) {}

Connection::Connection(Connection&& other) noexcept
    : fd_(other.fd_), is_unix_(other.is_unix_), abort_(std::move(other.abort_)) {
  other.fd_ = -1;
}

Connection& Connection::operator=(Connection&& other) noexcept {
  if (this != &other) {
    if (fd_ >= 0) CloseWithFin(fd_);
    fd_ = other.fd_;
    is_unix_ = other.is_unix_;
    abort_ = std::move(other.abort_);
    other.fd_ = -1;
  }
  return *this;
}

Connection::~Connection() {
  if (fd_ >= 0) CloseWithFin(fd_);
}

void Connection::ShutdownWrite() {
  if (fd_ >= 0) shutdown(fd_, SHUT_WR);
}

int Connection::Release() {
  int fd = fd_;
  fd_ = -1;
  return fd;
}

int Connection::Wait(short events, SteadyTime deadline) {
  for (;;) {
    if (abort_ && abort_()) return -1;
    auto left = std::chrono::duration_cast<Millis>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) return 0;
    pollfd p{fd_, events, 0};
    int n = poll(&p, 1, static_cast<int>(std::min(left, kAbortPoll).count()) + 1);
    if (n > 0) return 1;
    if (n < 0 && errno != EINTR) return -1;
  }
}

Result<Connection> Connection::Open(const ConnectOptions& options) {
  bool is_unix = !options.unix_path.empty();
  std::string where = is_unix ? options.unix_path : options.host_port;
  int fd = -1;
  sockaddr_storage addr{};
  socklen_t addr_len = 0;
  if (is_unix) {
    sockaddr_un un{};
    un.sun_family = AF_UNIX;
    if (options.unix_path.size() >= sizeof un.sun_path) {
      return Status::Error("connect " + where + ": socket path too long");
    }
    std::memcpy(un.sun_path, options.unix_path.c_str(), options.unix_path.size() + 1);
    std::memcpy(&addr, &un, sizeof un);
    addr_len = sizeof un;
    fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
  } else {
    std::string host, port;
    if (!SplitHostPort(options.host_port, &host, &port)) {
      return Status::Error("bad address \"" + where + "\": want host:port");
    }
    addrinfo hints{};
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    addrinfo* res = nullptr;
    int rc = getaddrinfo(host.c_str(), port.c_str(), &hints, &res);
    if (rc != 0 || !res) return Status::Error("connect " + where + ": " + gai_strerror(rc));
    std::memcpy(&addr, res->ai_addr, res->ai_addrlen);
    addr_len = res->ai_addrlen;
    fd = socket(res->ai_family, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    freeaddrinfo(res);
  }
  if (fd < 0) return Status::Error(Errno("socket"));
  Connection conn(fd, is_unix, options.abort);
  if (options.receive_buffer > 0) {
    int size = options.receive_buffer;
    setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof size);
  }
  if (!is_unix) {
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  }
  if (connect(fd, reinterpret_cast<sockaddr*>(&addr), addr_len) != 0 && errno != EINPROGRESS) {
    return Status::Error(Errno("connect " + where));
  }
  int ready = conn.Wait(POLLOUT, std::chrono::steady_clock::now() + options.connect_timeout);
  if (ready < 0) return Status::Error("aborted");
  if (ready == 0) {
    return Status::Error("connect " + where + ": no connection within " +
                         FormatDuration(options.connect_timeout));
  }
  int err = 0;
  socklen_t len = sizeof err;
  getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len);
  if (err != 0) return Status::Error("connect " + where + ": " + std::strerror(err));
  return conn;
}

Status Connection::WriteAll(std::string_view bytes, SteadyTime deadline) {
  while (!bytes.empty()) {
    if (fd_ < 0) return Status::Error("write: connection closed");
    ssize_t n = send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
    if (n > 0) {
      bytes.remove_prefix(static_cast<size_t>(n));
      continue;
    }
    if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) {
      return Status::Error(Errno("write"));
    }
    int ready = Wait(POLLOUT, deadline);
    if (ready < 0) return Status::Error("aborted");
    if (ready == 0) return Status::Error("timed out");
  }
  return Status::Ok();
}

Result<size_t> Connection::ReadSome(std::string* out, size_t max, SteadyTime deadline) {
  if (fd_ < 0) return Status::Error("read: connection closed");
  for (;;) {
    size_t old = out->size();
    out->resize(old + max);
    ssize_t n = recv(fd_, &(*out)[old], max, 0);
    out->resize(old + (n > 0 ? static_cast<size_t>(n) : 0));
    if (n >= 0) return static_cast<size_t>(n);
    if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) return Status::Error(Errno("read"));
    int ready = Wait(POLLIN, deadline);
    if (ready < 0) return Status::Error("aborted");
    if (ready == 0) return Status::Error("timed out");
  }
}

std::string Connection::End(HangUpSpec::How how, Millis stall_for, SteadyTime deadline, size_t* drained) {
  if (fd_ < 0) return "already closed";
  std::string what;
  switch (how) {
    case HangUpSpec::How::kReset:
      what = EndSocket(Release(), how);
      break;
    case HangUpSpec::How::kStall: {
      // Reads nothing: the server's writes fill our small window, then its send buffer.
      auto until = std::chrono::steady_clock::now() + stall_for;
      while (std::chrono::steady_clock::now() < until && !(abort_ && abort_())) {
        std::this_thread::sleep_for(kAbortPoll);
      }
      what = "stalled " + FormatDuration(stall_for) + ", then " + EndSocket(Release(), HangUpSpec::How::kClose);
      break;
    }
    case HangUpSpec::How::kHalfClose: {
      auto start = std::chrono::steady_clock::now();
      ShutdownWrite();
      std::string sink;
      size_t total = 0;
      std::string end = "the step's deadline came first";
      for (;;) {
        sink.clear();
        auto n = ReadSome(&sink, 65536, deadline);
        if (!n.ok()) {
          if (!IsTimedOut(n.status())) end = n.status().message();
          break;
        }
        if (n.value() == 0) {
          end = "server closed after " +
                FormatDuration(std::chrono::duration_cast<Millis>(std::chrono::steady_clock::now() - start));
          break;
        }
        total += n.value();
      }
      if (drained) *drained = total;
      close(Release());
      what = "half-closed; " + end;
      break;
    }
    default:
      what = EndSocket(Release(), HangUpSpec::How::kClose);
  }
  return what;
}

}  // namespace leakprobe
