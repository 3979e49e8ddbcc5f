#include "wire/dump_source.h"

#include <fcntl.h>
#include <poll.h>
#include <unistd.h>

#include <netdb.h>
#include <sys/socket.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <memory>
#include <vector>

#include "base/byte_size.h"
#include "wire/http_client.h"
#include "wire/interrupt.h"

namespace leakprobe {

namespace {

using Clock = std::chrono::steady_clock;

// Passes bytes on until the cap, then refuses more and says so.
class CappedSink {
 public:
  CappedSink(const DumpSink& sink, uint64_t max_bytes) : sink_(sink), max_bytes_(max_bytes) {}
  bool operator()(std::string_view chunk) {
    if (bytes_ + chunk.size() > max_bytes_) {
      chunk = chunk.substr(0, max_bytes_ - bytes_);
      capped_ = true;
    }
    bytes_ += chunk.size();
    if (!chunk.empty() && !sink_(chunk)) stopped_ = true;
    return !capped_ && !stopped_;
  }
  bool capped() const { return capped_; }
  uint64_t bytes() const { return bytes_; }

 private:
  const DumpSink& sink_;
  uint64_t max_bytes_;
  uint64_t bytes_ = 0;
  bool capped_ = false;
  bool stopped_ = false;
};

std::string CapWarning(uint64_t max_bytes) {
  return "the dump was cut at the " + FormatByteSize(max_bytes) +
         " cap: the rest was not read (raise dump.max_bytes, or scan --max-bytes)";
}

std::string DeadlineWarning(Millis timeout) {
  return "the dump was cut off after " + FormatDuration(timeout) +
         ": the rest was not read (dump.timeout, or scan --timeout)";
}

// "Unknown profile" from a body like "Unknown profile\n": what a server said with its error.
std::string FirstLine(const std::string& body) {
  std::string line = body.substr(0, body.find('\n'));
  if (line.size() > 80) line = line.substr(0, 77) + "...";
  for (char& c : line) {
    if (static_cast<unsigned char>(c) < 0x20) c = ' ';
  }
  return line;
}

Result<std::string> StreamHttp(const DumpAddress& where, const DumpLimits& limits, CappedSink* sink) {
  HttpRequest req;
  req.url = where.url;
  req.socket = where.socket;
  req.timeout = limits.timeout;
  req.disconnect_after = limits.timeout;  // at the deadline keep what arrived
  req.on_body = [sink](std::string_view chunk) { return (*sink)(chunk); };
  auto res = DoHttp(req);
  if (!res.ok()) return Status::Error("dump " + res.status().message());
  if (res->status == 0) {
    return Status::Error("dump GET " + where.url + ": no response within " + FormatDuration(limits.timeout));
  }
  if (res->status != 200) {
    std::string said = FirstLine(res->body);
    return Status::Error("dump GET " + where.url + ": status " + std::to_string(res->status) +
                         (said.empty() ? "" : " (" + said + ")"));
  }
  if (sink->capped()) return CapWarning(limits.max_bytes);
  if (res->hung_up) return DeadlineWarning(limits.timeout);
  return std::string();
}

// A gops agent's stack dump: connect to "host:port", send the one byte 0x1 (StackTrace),
// read until the agent closes.
Result<std::string> StreamGops(const std::string& address, const DumpLimits& limits, CappedSink* sink) {
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
  auto deadline = Clock::now() + limits.timeout;
  std::vector<char> buf(1 << 16);
  for (;;) {
    ssize_t n = read(fd, buf.data(), buf.size());
    if (n > 0) {
      if (!(*sink)(std::string_view(buf.data(), static_cast<size_t>(n)))) {
        return sink->capped() ? CapWarning(limits.max_bytes) : std::string();
      }
    } else if (n == 0) {
      return std::string();
    } else if (errno != EINTR && errno != EAGAIN && errno != EWOULDBLOCK) {
      return Status::Error(what + ": " + std::strerror(errno));
    }
    if (Interrupted()) return Status::Error(what + ": interrupted");
    if (Clock::now() >= deadline) {
      if (sink->bytes() == 0) return Status::Error(what + ": no answer within " + FormatDuration(limits.timeout));
      return DeadlineWarning(limits.timeout);
    }
  }
}

// A file or a pipe, polled so that a silent endless pipe still meets the deadline.
Result<std::string> StreamFd(int fd, const std::string& name, const DumpLimits& limits, CappedSink* sink) {
  auto deadline = Clock::now() + limits.timeout;
  std::vector<char> buf(1 << 20);
  for (;;) {
    if (Interrupted()) return Status::Error("reading " + name + ": interrupted");
    auto left = std::chrono::duration_cast<Millis>(deadline - Clock::now());
    if (left.count() <= 0) return DeadlineWarning(limits.timeout);
    pollfd p{fd, POLLIN, 0};
    int ready = poll(&p, 1, static_cast<int>(std::min<long long>(left.count(), 1000)));
    if (ready < 0 && errno == EINTR) continue;
    if (ready == 0) continue;
    ssize_t n = read(fd, buf.data(), buf.size());
    if (n < 0 && (errno == EINTR || errno == EAGAIN)) continue;
    if (n < 0) return Status::Error("cannot read " + name + ": " + std::strerror(errno));
    if (n == 0) return std::string();
    if (!(*sink)(std::string_view(buf.data(), static_cast<size_t>(n)))) {
      return sink->capped() ? CapWarning(limits.max_bytes) : std::string();
    }
  }
}

}  // namespace

Result<DumpAddress> ParseDumpSource(const std::string& source) {
  DumpAddress a;
  if (source == "-") {
    a.kind = DumpAddress::Kind::kStdin;
  } else if (source.rfind("unix:", 0) == 0) {
    size_t sep = source.find(":http", 5);
    if (sep == std::string::npos) {
      return Status::Error("bad source \"" + source + "\" (write unix:PATH:http://localhost/URL-PATH)");
    }
    a.socket = source.substr(5, sep - 5);
    a.url = source.substr(sep + 1);
  } else if (source.rfind("http://", 0) == 0 || source.rfind("https://", 0) == 0) {
    a.url = source;
  } else if (source.rfind("gops://", 0) == 0) {
    a.kind = DumpAddress::Kind::kGops;
    a.path = source.substr(7);
  } else {
    a.kind = DumpAddress::Kind::kFile;
    a.path = source;
  }
  return a;
}

DumpAddress DumpAt(const std::string& url, const std::string& socket) {
  DumpAddress a;
  if (url.rfind("gops://", 0) == 0) {
    a.kind = DumpAddress::Kind::kGops;
    a.path = url.substr(7);
  } else {
    a.url = url;
    a.socket = socket;
  }
  return a;
}

Result<std::string> StreamDump(const DumpAddress& where, const DumpLimits& limits, const DumpSink& sink) {
  CappedSink capped(sink, limits.max_bytes);
  switch (where.kind) {
    case DumpAddress::Kind::kHttp:
      return StreamHttp(where, limits, &capped);
    case DumpAddress::Kind::kGops:
      return StreamGops(where.path, limits, &capped);
    case DumpAddress::Kind::kStdin:
      return StreamFd(0, "standard input", limits, &capped);
    case DumpAddress::Kind::kFile: {
      int fd = open(where.path.c_str(), O_RDONLY | O_CLOEXEC);
      if (fd < 0) return Status::Error("cannot read " + where.path + ": " + std::strerror(errno));
      auto r = StreamFd(fd, where.path, limits, &capped);
      close(fd);
      return r;
    }
  }
  return Status::Error("unknown dump source");
}

Result<GroupedDump> FetchGroupedDump(const DumpAddress& where, const DumpLimits& limits, std::string* text) {
  DumpGrouper grouper;
  DumpParser* parser = grouper.parser();
  auto cut = StreamDump(where, limits, [parser, text](std::string_view chunk) {
    parser->Feed(chunk);
    if (text) text->append(chunk.data(), chunk.size());
    return true;
  });
  if (!cut.ok()) return cut.status();
  std::vector<std::string> warnings;
  if (!cut->empty()) warnings.push_back(cut.value());
  return grouper.Finish(std::move(warnings));
}

}  // namespace leakprobe
