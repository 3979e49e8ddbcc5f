#include "harness/ready_probe.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <functional>
#include <memory>

#include <re2/re2.h>

#include "wire/http_client.h"
#include "wire/interrupt.h"

namespace leakprobe {

namespace {

using Clock = std::chrono::steady_clock;

// One attempt of a probe: ok, or why not ("status 503", "Connection refused").
using Attempt = std::function<Status()>;

}  // namespace

std::string LastLines(const std::string& text, int n) {
  size_t end = text.size();
  while (end > 0 && text[end - 1] == '\n') --end;
  size_t start = end;
  for (int lines = 0; start > 0 && lines < n; --start) {
    if (text[start - 1] == '\n' && ++lines == n) break;
  }
  std::string out;
  size_t pos = start;
  while (pos < end) {
    size_t nl = text.find('\n', pos);
    if (nl == std::string::npos || nl > end) nl = end;
    out += "    " + text.substr(pos, nl - pos) + "\n";
    pos = nl + 1;
  }
  return out;
}

Status TryConnect(const std::string& address, bool is_unix, Millis timeout) {
  int fd = -1;
  sockaddr_storage addr{};
  socklen_t len = 0;
  if (is_unix) {
    auto* un = reinterpret_cast<sockaddr_un*>(&addr);
    if (address.size() >= sizeof un->sun_path) return Status::Error("socket path too long");
    un->sun_family = AF_UNIX;
    std::memcpy(un->sun_path, address.c_str(), address.size() + 1);
    len = sizeof(sockaddr_un);
    fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
  } else {
    size_t colon = address.rfind(':');
    if (colon == std::string::npos) return Status::Error("write host:port");
    std::string host = address.substr(0, colon);
    if (host.size() > 1 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
    addrinfo hints{};
    hints.ai_socktype = SOCK_STREAM;
    addrinfo* res = nullptr;
    int rc = getaddrinfo(host.c_str(), address.c_str() + colon + 1, &hints, &res);
    if (rc != 0) return Status::Error(gai_strerror(rc));
    std::memcpy(&addr, res->ai_addr, res->ai_addrlen);
    len = res->ai_addrlen;
    fd = socket(res->ai_family, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    freeaddrinfo(res);
  }
  if (fd < 0) return Status::Error(std::strerror(errno));
  std::unique_ptr<int, void (*)(int*)> closer(&fd, [](int* f) { close(*f); });
  if (connect(fd, reinterpret_cast<sockaddr*>(&addr), len) == 0) return Status::Ok();
  if (errno != EINPROGRESS) return Status::Error(std::strerror(errno));
  pollfd p{fd, POLLOUT, 0};
  if (poll(&p, 1, static_cast<int>(timeout.count())) <= 0) {
    return Status::Error("no connection within " + FormatDuration(timeout));
  }
  int err = 0;
  socklen_t err_len = sizeof err;
  getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &err_len);
  if (err != 0) return Status::Error(std::strerror(err));
  return Status::Ok();
}

Outcome WaitReady(const ReadySpec& ready, ScenarioContext* ctx) {
  std::string what;  // "GET http://..." as the messages name the probe
  Attempt attempt;
  auto expand = [ctx](const std::string& t, std::string* out) {
    auto v = ctx->Expand(t);
    if (!v.ok()) return v.status();
    *out = v.value();
    return Status::Ok();
  };
  std::string target_text;
  std::unique_ptr<re2::RE2> log_re;
  Status st;
  bool gops = ready.http.empty() && ready.log.empty() && ready.tcp.empty() && ready.unix_socket.empty() &&
              ctx->dump_url.rfind("gops://", 0) == 0;
  if (!ready.tcp.empty() || !ready.unix_socket.empty() || gops) {
    bool is_unix = ready.tcp.empty() && !gops;
    if (gops) target_text = ctx->dump_url.substr(7);  // the agent accepting is ready enough
    else st = expand(is_unix ? ready.unix_socket : ready.tcp, &target_text);
    what = (is_unix ? "connect to unix socket " : "connect to ") + target_text;
    attempt = [target_text, is_unix] { return TryConnect(target_text, is_unix, Millis(1000)); };
  } else if (!ready.log.empty()) {
    log_re = std::make_unique<re2::RE2>("(?m)" + ready.log, re2::RE2::Quiet);
    if (!log_re->ok()) return Outcome::Error("TargetError", "target.ready.log: bad regex: " + log_re->error());
    what = "a line of its output matching /" + ready.log + "/";
    if (!ctx->target) return Outcome::Error("TargetError", "target.ready.log needs target.run");
    re2::RE2* re = log_re.get();
    attempt = [ctx, re, &ready] {
      std::string group;
      for (const std::string& text : {ctx->target->StdoutTail(1 << 20), ctx->target->StderrTail(1 << 20)}) {
        bool hit = re->NumberOfCapturingGroups() > 0 ? re2::RE2::PartialMatch(text, *re, &group)
                                                      : re2::RE2::PartialMatch(text, *re);
        if (hit) {
          if (!ready.capture.empty()) ctx->vars[ready.capture] = group;
          return Status::Ok();
        }
      }
      return Status::Error("no such line yet");
    };
  } else {
    std::string url_tmpl = ready.http, socket;
    if (url_tmpl.empty()) {
      if (ctx->dump_url.empty()) return Outcome::Ok();
      url_tmpl = ctx->dump_url;
      socket = ctx->dump_socket;
    }
    st = expand(url_tmpl, &target_text);
    what = "GET " + target_text + (socket.empty() ? "" : " (unix socket " + socket + ")");
    attempt = [target_text, socket] {
      HttpRequest req;
      req.url = target_text;
      req.socket = socket;
      req.timeout = Millis(1000);
      auto res = DoHttp(req);
      if (!res.ok()) return res.status();
      if (res->status >= 200 && res->status < 400) return Status::Ok();
      return Status::Error("status " + std::to_string(res->status));
    };
  }
  if (!st.ok()) return Outcome::Error("TargetError", "target.ready: " + st.message());

  auto output = [ctx] {
    if (!ctx->target) return std::string();
    std::string out = ctx->target->StderrTail(64 * 1024), err;
    std::string detail;
    if (!out.empty()) detail += "The target's last lines on stderr:\n" + LastLines(out, 20);
    std::string so = ctx->target->StdoutTail(64 * 1024);
    if (!so.empty()) detail += "The target's last lines on stdout:\n" + LastLines(so, 10);
    return detail;
  };
  auto start = Clock::now();
  auto deadline = start + ready.timeout;
  std::string last = "no attempt";
  while (!Interrupted()) {
    if (ctx->target && !ctx->target->Running()) {
      return Outcome::Error("TargetError",
                            "target " + ctx->target->exit_info().Describe() + " before it became ready",
                            output());
    }
    Status s = attempt();
    if (s.ok()) {
      ctx->Log("target ready after " +
               FormatDuration(std::chrono::duration_cast<Millis>(Clock::now() - start)) + ": " + what);
      return Outcome::Ok();
    }
    last = s.message();
    if (Clock::now() >= deadline) {
      return Outcome::Error("TargetError",
                            "target never became ready: " + what + " did not succeed within " +
                                FormatDuration(ready.timeout) + " (last: " + last + ")",
                            output());
    }
    SleepUnlessInterrupted(Millis(50));
  }
  return Outcome::Error("Interrupted", "interrupted while waiting for the target");
}

}  // namespace leakprobe
