#include "harness/ready_probe.h"

#include <algorithm>
#include <chrono>
#include <functional>
#include <memory>

#include <re2/re2.h>

#include "wire/connect_probe.h"
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

namespace {

// What WaitReady polls, and how its messages name it ("GET http://...").
struct Probe {
  std::string what;
  Attempt attempt;
  std::unique_ptr<re2::RE2> log_re;  // what a log probe's attempt matches
};

// The probe of `ready`: a connect, a line of output, or an HTTP GET (of ready.http, else the
// dump URL). Error: a template or regex that does not work, a log probe without a target.
// Ok with no attempt when there is nothing to wait for (no probe and no dump).
Result<std::shared_ptr<Probe>> MakeProbe(const ReadySpec& ready, ScenarioContext* ctx) {
  auto probe = std::make_shared<Probe>();
  bool gops = ready.http.empty() && ready.log.empty() && ready.tcp.empty() && ready.unix_socket.empty() &&
              ctx->dump_url.rfind("gops://", 0) == 0;
  if (!ready.tcp.empty() || !ready.unix_socket.empty() || gops) {
    bool is_unix = ready.tcp.empty() && !gops;
    std::string address = ctx->dump_url.substr(std::min<size_t>(7, ctx->dump_url.size()));  // the agent accepting is ready enough
    if (!gops) {
      auto v = ctx->Expand(is_unix ? ready.unix_socket : ready.tcp);
      if (!v.ok()) return v.status();
      address = v.value();
    }
    probe->what = (is_unix ? "connect to unix socket " : "connect to ") + address;
    probe->attempt = [address, is_unix] { return TryConnect(address, is_unix, Millis(1000)); };
  } else if (!ready.log.empty()) {
    probe->log_re = std::make_unique<re2::RE2>("(?m)" + ready.log, re2::RE2::Quiet);
    if (!probe->log_re->ok()) return Status::Error("target.ready.log: bad regex: " + probe->log_re->error());
    probe->what = "a line of its output matching /" + ready.log + "/";
    if (!ctx->target) return Status::Error("target.ready.log needs target.run");
    re2::RE2* re = probe->log_re.get();
    std::string capture = ready.capture;
    probe->attempt = [ctx, re, capture] {
      std::string group;
      for (const std::string& text : {ctx->target->StdoutTail(1 << 20), ctx->target->StderrTail(1 << 20)}) {
        bool hit = re->NumberOfCapturingGroups() > 0 ? re2::RE2::PartialMatch(text, *re, &group)
                                                      : re2::RE2::PartialMatch(text, *re);
        if (hit) {
          if (!capture.empty()) ctx->vars[capture] = group;
          return Status::Ok();
        }
      }
      return Status::Error("no such line yet");
    };
  } else {
    std::string url_tmpl = ready.http, socket;
    if (url_tmpl.empty()) {
      if (ctx->dump_url.empty()) return probe;  // nothing to wait for
      url_tmpl = ctx->dump_url;
      socket = ctx->dump_socket;
    }
    auto url = ctx->Expand(url_tmpl);
    if (!url.ok()) return url.status();
    probe->what = "GET " + url.value() + (socket.empty() ? "" : " (unix socket " + socket + ")");
    probe->attempt = [url = url.value(), socket] { return TryHttpGet(url, socket, Millis(1000)); };
  }
  return probe;
}

// The target's last lines on stderr and stdout, for an error's detail; "" without a target.
std::string LastOutput(const ScenarioContext& ctx) {
  if (!ctx.target) return std::string();
  std::string detail;
  std::string err = ctx.target->StderrTail(64 * 1024);
  if (!err.empty()) detail += "The target's last lines on stderr:\n" + LastLines(err, 20);
  std::string out = ctx.target->StdoutTail(64 * 1024);
  if (!out.empty()) detail += "The target's last lines on stdout:\n" + LastLines(out, 10);
  return detail;
}

}  // namespace

Outcome WaitReady(const ReadySpec& ready, ScenarioContext* ctx) {
  auto made = MakeProbe(ready, ctx);
  if (!made.ok()) {
    const std::string& m = made.status().message();
    return Outcome::Error("TargetError", m.rfind("target.ready", 0) == 0 ? m : "target.ready: " + m);
  }
  const Probe& probe = *made.value();
  if (!probe.attempt) return Outcome::Ok();
  auto start = Clock::now();
  auto deadline = start + ready.timeout;
  while (!Interrupted()) {
    if (ctx->target && !ctx->target->Running()) {
      return Outcome::Error("TargetError",
                            "target " + ctx->target->exit_info().Describe() + " before it became ready",
                            LastOutput(*ctx));
    }
    Status s = probe.attempt();
    if (s.ok()) {
      ctx->Log("target ready after " +
               FormatDuration(std::chrono::duration_cast<Millis>(Clock::now() - start)) + ": " + probe.what);
      return Outcome::Ok();
    }
    if (Clock::now() >= deadline) {
      return Outcome::Error("TargetError",
                            "target never became ready: " + probe.what + " did not succeed within " +
                                FormatDuration(ready.timeout) + " (last: " + s.message() + ")",
                            LastOutput(*ctx));
    }
    SleepUnlessInterrupted(Millis(50));
  }
  return Outcome::Error("Interrupted", "interrupted while waiting for the target");
}

}  // namespace leakprobe
