#include "harness/suite_runner.h"

#include <signal.h>
#include <unistd.h>

#include <chrono>
#include <ctime>
#include <memory>

#include <re2/re2.h>

#include "harness/interrupt.h"
#include "harness/leak_check.h"
#include "harness/http_client.h"
#include "harness/scenario_context.h"
#include "harness/steps.h"
#include "harness/target_process.h"

namespace leakprobe {

namespace {

using Clock = std::chrono::steady_clock;
constexpr size_t kStderrTail = 16 * 1024;

std::string Timestamp() {
  std::time_t t = std::time(nullptr);
  std::tm tm{};
  localtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm);
  return buf;
}

// Waits until the ready probe (or, without one, the dump URL) answers 2xx/3xx.
Outcome WaitReady(const Suite& suite, ScenarioContext* ctx) {
  std::string url_tmpl = suite.target.ready.http;
  std::string socket;
  if (url_tmpl.empty()) {
    if (ctx->dump_url.empty()) return Outcome::Ok();
    url_tmpl = ctx->dump_url;
    socket = ctx->dump_socket;
  }
  auto url = ctx->Expand(url_tmpl);
  if (!url.ok()) return Outcome::Error("TargetError", "target.ready: " + url.status().message());
  Millis timeout = suite.target.ready.timeout;
  auto deadline = Clock::now() + timeout;
  std::string last = "no attempt";
  while (!Interrupted()) {
    if (ctx->target && !ctx->target->Running()) {
      return Outcome::Error("TargetError", "target " + ctx->target->exit_info().Describe() +
                                               " before it became ready");
    }
    HttpRequest req;
    req.url = url.value();
    req.socket = socket;
    req.timeout = Millis(1000);
    auto res = DoHttp(req);
    if (res.ok() && res->status >= 200 && res->status < 400) {
      ctx->Log("target ready: GET " + req.url + " -> " + std::to_string(res->status));
      return Outcome::Ok();
    }
    last = res.ok() ? "status " + std::to_string(res->status) : res.status().message();
    if (Clock::now() >= deadline) {
      return Outcome::Error("TargetError", "target never became ready: GET " + req.url +
                                               " did not answer 2xx within " +
                                               FormatDuration(timeout) + " (last: " + last + ")");
    }
    SleepUnlessInterrupted(Millis(50));
  }
  return Outcome::Error("Interrupted", "interrupted while waiting for the target");
}

// Runs a list of steps; stops at the first that does not pass.
Outcome RunSteps(const std::vector<Step>& steps, const char* phase, int* number,
                 ScenarioContext* ctx) {
  for (const Step& step : steps) {
    ++*number;
    if (Interrupted()) return Outcome::Error("Interrupted", "interrupted before " + StepLabel(step, *number));
    Outcome o = RunStep(step, *number, ctx);
    if (ctx->target && !ctx->target->Running()) {
      return Outcome::Error("TargetError", "target " + ctx->target->exit_info().Describe() +
                                               " during " + std::string(phase) + " " +
                                               StepLabel(step, *number));
    }
    if (!o.ok()) return o;
  }
  return Outcome::Ok();
}

class ScenarioRun {
 public:
  ScenarioRun(const Suite& suite, const Scenario& scenario, const RunOptions& options)
      : suite_(suite), scenario_(scenario), options_(options) {
    ctx_.suite = &suite;
    ctx_.scenario = scenario.name;
  }

  CaseResult Run() {
    CaseResult c;
    c.classname = suite_.name;
    c.name = scenario_.name;
    auto start = Clock::now();
    Outcome o = Prepare();
    int number = 0;
    if (o.ok()) o = RunSteps(scenario_.setup, "setup", &number, &ctx_);
    if (o.ok()) o = RunSteps(scenario_.steps, "", &number, &ctx_);
    if (o.ok() && scenario_.leaks) {
      ctx_.Log("leaks: checking (settle " + FormatDuration(scenario_.leaks->settle) + ")");
      o = CheckLeaks(*scenario_.leaks, &ctx_);
      if (!o.ok() && ctx_.target && !ctx_.target->Running()) {
        o = Outcome::Error("TargetError", "target " + ctx_.target->exit_info().Describe() +
                                              " during the leak check");
      }
    }
    if (target_ || suite_.target.run.empty()) {
      Outcome t = RunSteps(scenario_.teardown, "teardown", &number, &ctx_);
      if (!t.ok()) {
        ctx_.Log("teardown: " + t.message);
        if (o.ok()) o = t;
      }
    }
    if (Interrupted() && o.ok()) o = Outcome::Error("Interrupted", "interrupted");
    StopTarget(&o);

    c.seconds = std::chrono::duration<double>(Clock::now() - start).count();
    switch (o.kind) {
      case Outcome::Kind::kOk: c.outcome = CaseResult::Outcome::kPassed; break;
      case Outcome::Kind::kFailed: c.outcome = CaseResult::Outcome::kFailed; break;
      case Outcome::Kind::kError: c.outcome = CaseResult::Outcome::kError; break;
    }
    c.type = o.type;
    c.message = o.message;
    c.detail = o.detail;
    c.system_out = ctx_.log;
    c.system_err = stderr_tail_;
    return c;
  }

  Outcome Prepare() {
    for (const auto& [k, v] : options_.vars) ctx_.vars[k] = v;
    if (!suite_.target.run.empty()) {
      auto port = PickFreePort();
      if (!port.ok()) return Outcome::Error("TargetError", port.status().message());
      ctx_.vars["port"] = std::to_string(port.value());
    }
    for (const auto& [name, tmpl] : suite_.vars) {
      bool overridden = false;
      for (const auto& [k, v] : options_.vars) overridden |= k == name;
      if (overridden) continue;
      auto v = ctx_.Expand(tmpl);
      if (!v.ok()) return Outcome::Error("StepError", "vars." + name + ": " + v.status().message());
      ctx_.vars[name] = v.value();
    }
    auto url = ctx_.Expand(suite_.dump.url);
    auto socket = ctx_.Expand(suite_.dump.socket);
    if (!url.ok()) return Outcome::Error("StepError", "dump.url: " + url.status().message());
    if (!socket.ok()) return Outcome::Error("StepError", "dump.socket: " + socket.status().message());
    ctx_.dump_url = url.value();
    ctx_.dump_socket = socket.value();

    if (!suite_.target.run.empty()) {
      TargetOptions opts;
      for (const std::string& arg : suite_.target.run) {
        auto a = ctx_.Expand(arg);
        if (!a.ok()) return Outcome::Error("TargetError", "target.run: " + a.status().message());
        opts.argv.push_back(a.value());
      }
      for (const auto& [k, v] : suite_.target.env) {
        auto e = ctx_.Expand(v);
        if (!e.ok()) return Outcome::Error("TargetError", "target.env." + k + ": " + e.status().message());
        opts.env.emplace_back(k, e.value());
      }
      auto cwd = ctx_.Expand(suite_.target.cwd);
      if (!cwd.ok()) return Outcome::Error("TargetError", "target.cwd: " + cwd.status().message());
      opts.cwd = cwd.value();
      std::string cmd;
      for (const std::string& a : opts.argv) cmd += (cmd.empty() ? "" : " ") + a;
      ctx_.Log("starting target: " + cmd);
      command_ = cmd;
      auto target = TargetProcess::Start(opts);
      if (!target.ok()) return Outcome::Error("TargetError", target.status().message());
      target_ = std::move(target.value());
      ctx_.target = target_.get();
      ctx_.Log("target pid " + std::to_string(target_->pid()));
    }
    Outcome ready = WaitReady(suite_, &ctx_);
    if (!ready.ok()) return ready;

    if (!ctx_.dump_url.empty()) {
      auto dump = ctx_.TakeDump();
      if (!dump.ok()) return Outcome::Error("DumpError", "baseline " + dump.status().message());
      for (const Goroutine& g : dump->goroutines) ctx_.baseline_ids.insert(g.id);
      ctx_.has_baseline = true;
      ctx_.baseline_total = dump->Total();
      ctx_.Log("baseline: " + std::to_string(dump->Total()) + " goroutines");
    }
    return Outcome::Ok();
  }

  // What the target was started as and where its dump came from, expanded.
  const std::string& command() const { return command_; }
  const std::string& dump_url() const { return ctx_.dump_url; }

 private:
  void StopTarget(Outcome* o) {
    if (!target_) return;
    bool was_running = target_->Running();
    ExitInfo e = target_->Stop(suite_.target.stop.signal, suite_.target.stop.grace);
    ctx_.Log("target stopped: " + e.Describe() + (was_running ? "" : " (before the harness stopped it)"));
    stderr_tail_ = target_->StderrTail(kStderrTail);
    target_.reset();
  }

  const Suite& suite_;
  const Scenario& scenario_;
  const RunOptions& options_;
  ScenarioContext ctx_;
  std::unique_ptr<TargetProcess> target_;
  std::string stderr_tail_;
  std::string command_;
};

}  // namespace

const char* LeakprobeVersion() { return "0.1.0"; }

SuiteResult RunSuite(const Suite& suite, const RunOptions& options) {
  SuiteResult result;
  result.name = suite.name;
  result.file = suite.file;
  result.timestamp = Timestamp();
  result.properties.emplace_back("leakprobe.version", LeakprobeVersion());
  bool described = false;

  std::unique_ptr<re2::RE2> filter;
  if (!options.filter.empty()) filter = std::make_unique<re2::RE2>(options.filter, re2::RE2::Quiet);
  auto start = Clock::now();
  for (const Scenario& scenario : suite.scenarios) {
    if (filter && !re2::RE2::PartialMatch(suite.name + "/" + scenario.name, *filter)) continue;
    if (Interrupted()) break;
    ScenarioRun run(suite, scenario, options);
    CaseResult c = run.Run();
    if (!described && (!run.command().empty() || !run.dump_url().empty())) {
      // As the first scenario expanded them; later ones differ only in their port.
      if (!run.command().empty()) result.properties.emplace_back("target", run.command());
      if (!run.dump_url().empty()) result.properties.emplace_back("dump.url", run.dump_url());
      described = true;
    }
    if (options.on_case) options.on_case(c);
    result.cases.push_back(std::move(c));
  }
  result.seconds = std::chrono::duration<double>(Clock::now() - start).count();
  return result;
}

}  // namespace leakprobe
