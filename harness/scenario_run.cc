#include "harness/scenario_run.h"

#include <signal.h>
#include <unistd.h>

#include <chrono>
#include <ctime>
#include <map>
#include <memory>
#include <set>

#include <re2/re2.h>

#include "base/timestamp.h"
#include "harness/artifacts.h"
#include "harness/count_polls.h"
#include "harness/crash_detail.h"
#include "harness/leak_check.h"
#include "harness/leak_groups.h"
#include "harness/ready_probe.h"
#include "harness/scenario_context.h"
#include "harness/step_marks.h"
#include "harness/steps.h"
#include "harness/suite_session.h"
#include "matchers/bucket.h"
#include "matchers/dump_parser.h"
#include "scenarios/template.h"
#include "wire/dump_source.h"
#include "wire/http_client.h"
#include "wire/interrupt.h"
#include "wire/leak_profile.h"
#include "wire/target_process.h"

namespace leakprobe {

namespace {

using Clock = std::chrono::steady_clock;
constexpr size_t kStderrTail = 16 * 1024;
constexpr size_t kArtifactTail = 1 << 20;
constexpr int64_t kMaxAttributionGoroutines = 10000;

// The target's Go version, when the standard library's paths in a dump show its GOROOT:
// "/usr/lib/go-1.19/src/net/http/server.go" (Debian) -> "go1.19",
// "/home/u/sdk/go1.23.0/src/runtime/proc.go" -> "go1.23.0". "" when they do not (-trimpath).
std::string GoVersionOf(const GroupedDump& dump) {
  static const re2::RE2 kGoroot(R"(/go-?(1\.\d+(?:\.\d+)?)/src/(?:runtime|net|internal|sync|os)/)");
  std::string version;
  for (const Bucket& b : dump.buckets) {
    for (const Frame& f : b.sample.frames) {
      if (re2::RE2::PartialMatch(f.file, kGoroot, &version)) return "go" + version;
    }
  }
  return "";
}

// "port" and every "port.NAME" the suite's own strings refer to: each gets a free port. A
// step can only need a port the target was told, so the target's and the suite's strings
// name them all.
std::set<std::string> PortNames(const Suite& suite) {
  std::set<std::string> names = {"port"};
  std::vector<std::string> texts = suite.target.run;
  for (const auto& [k, v] : suite.target.env) texts.push_back(v);
  for (const auto& [k, v] : suite.vars) texts.push_back(v);
  for (const std::string& t : {suite.target.cwd, suite.dump.url, suite.dump.socket, suite.target.ready.http,
                               suite.target.ready.tcp, suite.target.ready.unix_socket}) {
    texts.push_back(t);
  }
  for (const std::string& t : texts) {
    for (const std::string& name : TemplateNames(t)) {
      if (name.rfind("port.", 0) == 0) names.insert(name);
    }
  }
  return names;
}

// Runs a list of steps; stops at the first that does not pass.
Outcome RunSteps(const std::vector<Step>& steps, const char* phase, int* number,
                 ScenarioContext* ctx, StepMarks* marks = nullptr) {
  for (const Step& step : steps) {
    ++*number;
    if (Interrupted()) return Outcome::Error("Interrupted", "interrupted before " + StepLabel(step, *number));
    if (ctx->timeline) ctx->timeline->StepStarted((*phase ? std::string(phase) + " " : "") + StepLabel(step, *number));
    Outcome o = RunStep(step, *number, ctx);
    if (ctx->timeline) ctx->timeline->StepEnded();
    // A step that could not be carried out because the target is dying (its listener gone,
    // the process not yet reaped) is the target's error, not the step's: give it a moment to
    // finish dying. A leak or an unmet expectation needs no such wait.
    for (int i = 0; o.kind == Outcome::Kind::kError && ctx->target && i < 25 && ctx->target->Running(); ++i) {
      SleepUnlessInterrupted(Millis(20));
    }
    if (ctx->target && !ctx->target->Running()) {
      return Outcome::Error("TargetError", "target " + ctx->target->exit_info().Describe() +
                                               " during " + std::string(phase) +
                                               (*phase ? " " : "") + StepLabel(step, *number));
    }
    // A step that found a leak (a check, a growth) still tells which goroutines it created.
    if (marks && (o.ok() || o.type == "GoroutineLeak")) {
      auto dump = ctx->TakeDump("step", "after " + StepLabel(step, *number));
      if (dump.ok()) marks->After(StepLabel(step, *number), dump->Ids());
    }
    if (!o.ok()) return o;
  }
  return Outcome::Ok();
}

class ScenarioRun {
 public:
  ScenarioRun(const Suite& suite, const Scenario& scenario, const RunOptions& options,
              SuiteSession* session, std::shared_ptr<LeakProfile> leak_profile)
      : suite_(suite),
        scenario_(scenario),
        options_(options),
        session_(session),
        artifacts_(options.artifacts_dir, suite.name, scenario.name) {
    ctx_.suite = &suite;
    ctx_.scenario = scenario.name;
    ctx_.leak_profile = std::move(leak_profile);
    ctx_.timeline = std::make_shared<TimelineRecorder>(ctx_.start);
  }

  CaseResult Run() {
    CaseResult c;
    c.classname = suite_.name;
    c.name = scenario_.name;
    c.scenario_file = suite_.file;
    c.scenario_line = scenario_.pos.line;
    auto start = Clock::now();
    Outcome o = Prepare();
    int number = 0;
    StepMarks* marks = attribute_steps_ ? &marks_ : nullptr;
    if (o.ok()) o = RunSteps(scenario_.setup, "setup", &number, &ctx_, marks);
    if (o.ok()) o = RunSteps(scenario_.steps, "", &number, &ctx_, marks);
    if (o.ok() && !scenario_.leaks && ctx_.LeakProfileMayServe() && !quit_) {
      // Proven leaks fail every scenario, also one that names no leaks block.
      ctx_.Log("leaks: looking for proven leaks (the scenario has no leaks block)");
      o = CheckLeaks(LeaksSpec(), &ctx_);
    }
    if (o.ok() && scenario_.leaks) {
      ctx_.Log("leaks: checking (settle " + FormatDuration(scenario_.leaks->settle) + ")");
      o = suite_.dump.sigquit ? SigquitCheck(*scenario_.leaks) : CheckLeaks(*scenario_.leaks, &ctx_);
      if (!o.ok() && !quit_ && ctx_.target && !ctx_.target->Running()) {
        o = Outcome::Error("TargetError", "target " + ctx_.target->exit_info().Describe() +
                                              " during the leak check");
      }
    }
    ctx_.timeline->Verdict();
    if (artifacts_.enabled() && !ctx_.dump_url.empty() && (!ctx_.target || ctx_.target->Running())) {
      std::string text;
      auto dump = ctx_.TakeDump("final", "after the scenario", &text);
      Keep("final-dump.txt", dump.ok() ? text : dump.status().message() + "\n");
    }
    if (quit_) {
      ctx_.Log("teardown skipped: the target ended with its SIGQUIT dump");
    } else if (target_ || suite_.target.run.empty()) {
      Outcome t = RunSteps(scenario_.teardown, "teardown", &number, &ctx_);
      if (!t.ok()) {
        ctx_.Log("teardown: " + t.message);
        if (o.ok()) o = t;
      }
    }
    if (Interrupted() && o.ok()) o = Outcome::Error("Interrupted", "interrupted");
    bool died = target_ && !target_->Running();
    // With target.shared the target goes on to the next scenario, and StopTarget has none.
    if (session_ && !died && session_->Keep(ctx_, &target_, command_)) ctx_.target = nullptr;
    StopTarget(&o);
    if (died && o.type == "TargetError") o.detail = CrashDetail(stderr_tail_) + o.detail;

    c.seconds = std::chrono::duration<double>(Clock::now() - start).count();
    switch (o.kind) {
      case Outcome::Kind::kOk: c.outcome = CaseResult::Outcome::kPassed; break;
      case Outcome::Kind::kFailed: c.outcome = CaseResult::Outcome::kFailed; break;
      case Outcome::Kind::kError: c.outcome = CaseResult::Outcome::kError; break;
    }
    c.type = o.type;
    c.message = o.message;
    c.detail = o.type == "GoroutineLeak" ? marks_.Annotate(o.detail) : o.detail;
    c.leaks = o.leaks;
    std::vector<TimelineRecorder::Wanted> wanted;
    for (LeakGroup& g : c.leaks) {
      if (g.created_during.empty() && !g.ids.empty() && !marks_.empty()) g.created_during = marks_.StepOf(g.ids[0]);
      wanted.push_back({g.signature, g.function, g.proven ? "proven" : g.per_iteration > 0 ? "growing" : "leaked"});
    }
    c.timeline = ctx_.timeline->Take(wanted);
    for (const auto& [where, known] : ctx_.known_leaks) {
      if (known.count > 0) c.known_leaks.push_back(known);
    }
    c.system_out = (session_ ? session_->TakeSetupLog() : std::string()) + ctx_.log;
    c.system_err = stderr_tail_.size() > kStderrTail ? stderr_tail_.substr(stderr_tail_.size() - kStderrTail)
                                                      : stderr_tail_;
    if (artifacts_.enabled()) {
      Keep("result.txt", (o.ok() ? std::string("passed\n") : o.type + ": " + o.message + "\n\n" + o.detail));
      Keep("steps.log", ctx_.log);
      if (!command_.empty()) {
        Keep("target-stdout.txt", stdout_tail_);
        Keep("target-stderr.txt", stderr_tail_);
      }
    }
    return c;
  }

  Outcome Prepare() {
    for (const auto& [k, v] : options_.vars) ctx_.vars[k] = v;
    Outcome o;
    // A failed suite setup fails every scenario before it starts anything.
    if (session_ && !session_->setup_outcome().ok()) return session_->setup_outcome();
    // With target.shared, the target an earlier scenario started goes on.
    bool reused = session_ && session_->Lend(&ctx_, &target_, &command_);
    // A free port can be taken by someone else before the target binds it: start again
    // with new ports when that is why it died.
    for (int attempt = 1; !reused; ++attempt) {
      o = StartAndWait();
      if (o.ok() || attempt == 3 || !target_ || target_->Running() ||
          target_->StderrTail(64 * 1024).find("address already in use") == std::string::npos) {
        break;
      }
      ctx_.Log("the target lost the race for its port (" + target_->exit_info().Describe() +
               "); starting it again on new ports");
      StopTarget(nullptr);
    }
    if (!o.ok()) return o;
    // With target.shared the suite's setup runs once its target is ready.
    if (session_ && !(o = session_->SetupOnTarget(&ctx_)).ok()) return o;

    if (!ctx_.dump_url.empty()) {
      std::string text;
      bool proven_checked = false;
      auto asked = Clock::now();
      auto dump = ctx_.TakeLeakProfileOrDump("baseline", "baseline", &proven_checked,
                                             artifacts_.enabled() ? &text : nullptr);
      ctx_.full_dump_cost = std::chrono::duration_cast<Millis>(Clock::now() - asked);
      if (!dump.ok()) return Outcome::Error("DumpError", "baseline " + dump.status().message());
      // What the runtime had proven leaked before the scenario is not the scenario's leak.
      if (proven_checked) ctx_.baseline_leaked = std::make_shared<const IdSet>(dump->LeakedIds());
      Keep("baseline-dump.txt", text);
      // A dump after every step costs little on a small server and too much on a huge one.
      attribute_steps_ = dump->Total() <= kMaxAttributionGoroutines;
      IdSet ids = dump->Ids();
      marks_.Baseline(ids);
      go_version_ = GoVersionOf(dump.value());
      ctx_.baseline_ids = std::make_shared<const IdSet>(std::move(ids));
      ctx_.baseline_total = dump->Total();
      ctx_.baseline_counts = CountBaseline(&ctx_, dump.value());  // for polls that read counts
      ctx_.Log("baseline: " + std::to_string(dump->Total()) + " goroutines" +
               (proven_checked ? ", " + std::to_string(dump->LeakedCount()) + " proven leaked (goroutineleak profile)"
                               : ""));
      ctx_.LogDumpWarnings("baseline", dump.value());
    }
    return Outcome::Ok();
  }

  // Picks the ports, expands the suite's variables, starts the target and waits until it
  // is ready.
  Outcome StartAndWait() {
    if (!suite_.target.run.empty()) {
      for (const std::string& name : PortNames(suite_)) {
        auto port = PickFreePort();
        if (!port.ok()) return Outcome::Error("TargetError", port.status().message());
        ctx_.vars[name] = std::to_string(port.value());
      }
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
    ctx_.dump_limits = {suite_.dump.max_bytes, suite_.dump.timeout};
    // The leak profile lives beside an HTTP dump; a gops agent or a SIGQUIT trace has none.
    if (suite_.dump.gops.empty() && !suite_.dump.sigquit) {
      ctx_.leak_url = LeakProfileUrl(ctx_.dump_url, suite_.dump.leak_profile);
    }
    if (!suite_.dump.gops.empty()) {
      auto gops = ctx_.Expand(suite_.dump.gops);
      if (!gops.ok()) return Outcome::Error("StepError", "dump.gops: " + gops.status().message());
      ctx_.dump_url = "gops://" + gops.value();  // FetchDump knows the scheme
    }

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
    return WaitReady(suite_.target.ready, &ctx_);
  }

  // `dump: { sigquit: true }`: the one dump a target without an HTTP or gops endpoint can
  // give. SIGQUIT makes Go print every goroutine to stderr and exit; no settle and no
  // baseline (so no max_new_goroutines), only suspects.
  Outcome SigquitCheck(const LeaksSpec& leaks) {
    if (!target_) return Outcome::Error("StepError", "dump.sigquit needs target.run");
    if (leaks.max_new_goroutines) {
      return Outcome::Error("StepError", "max_new_goroutines needs a baseline; a SIGQUIT dump has none");
    }
    auto rules = CompileRules(leaks, suite_.ignore);
    if (!rules.ok()) return Outcome::Error("StepError", rules.status().message());
    ctx_.Log("leaks: SIGQUIT to the target for its goroutine dump");
    kill(target_->pid(), SIGQUIT);
    auto deadline = Clock::now() + std::max(suite_.target.stop.grace, Millis(5000));
    while (target_->Running() && Clock::now() < deadline) SleepUnlessInterrupted(Millis(20));
    quit_ = true;
    target_->Stop(SIGKILL, Millis(0));  // reaps it and drains its output
    Dump dump = ParseDump(target_->StderrTail(kArtifactTail));
    Keep("final-dump.txt", target_->StderrTail(kArtifactTail));
    if (dump.goroutines.empty()) {
      return Outcome::Error("DumpError", "the target printed no goroutine dump on SIGQUIT (" +
                                             target_->exit_info().Describe() + ")");
    }
    Verdict v = Judge(dump, nullptr, rules.value());
    ctx_.Log("leak check: " + std::to_string(dump.Total()) + " goroutines in the SIGQUIT dump, " +
             std::to_string(v.suspect_count) + " suspects");
    if (!v.leaked) return Outcome::Ok();
    Outcome failed = Outcome::Failed("GoroutineLeak", v.message, v.detail);
    failed.leaks = LeakGroupsOf(v.suspect_buckets);
    return failed;
  }

  // Writes an artifact; a failure to write is logged, never the scenario's failure.
  void Keep(const std::string& name, std::string_view content) {
    Status st = artifacts_.Write(name, content);
    if (!st.ok()) ctx_.Log("artifacts: " + st.message());
  }

  // What the target was started as and where its dump came from, expanded.
  const std::string& command() const { return command_; }
  const std::string& dump_url() const { return ctx_.dump_url; }
  const std::string& go_version() const { return go_version_; }
  // Every ignore entry with a reason that a check of this scenario used, with what it matched.
  const std::map<std::string, KnownLeak>& known_leaks() const { return ctx_.known_leaks; }

 private:
  void StopTarget(Outcome* o) {
    if (!target_) return;
    bool was_running = target_->Running();
    ExitInfo e = target_->Stop(suite_.target.stop.signal, suite_.target.stop.grace);
    ctx_.Log("target stopped: " + e.Describe() + (was_running ? "" : " (before the harness stopped it)"));
    stderr_tail_ = target_->StderrTail(artifacts_.enabled() ? kArtifactTail : kStderrTail);
    if (artifacts_.enabled()) stdout_tail_ = target_->StdoutTail(kArtifactTail);
    ctx_.target = nullptr;
    target_.reset();
  }

  const Suite& suite_;
  const Scenario& scenario_;
  const RunOptions& options_;
  SuiteSession* session_;  // what the suite's scenarios share (setup captures, a shared target)
  ScenarioContext ctx_;
  std::unique_ptr<TargetProcess> target_;
  std::string stderr_tail_;
  std::string command_;
  std::string stdout_tail_;
  ScenarioArtifacts artifacts_;
  std::string go_version_;         // as the baseline dump's GOROOT paths tell it
  bool quit_ = false;              // the target was SIGQUIT for its dump
  bool attribute_steps_ = false;  // a dump after every step, to tell where leaks were born
  StepMarks marks_;
};

}  // namespace

ScenarioOutcome RunScenario(const Suite& suite, const Scenario& scenario, const RunOptions& options,
                            SuiteSession* session, std::shared_ptr<LeakProfile> leak_profile) {
  ScenarioRun run(suite, scenario, options, session, std::move(leak_profile));
  ScenarioOutcome out;
  out.result = run.Run();
  out.command = run.command();
  out.dump_url = run.dump_url();
  out.go_version = run.go_version();
  out.known_leaks = run.known_leaks();
  return out;
}

}  // namespace leakprobe
