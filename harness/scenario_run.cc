#include "harness/scenario_run.h"

#include <chrono>
#include <map>
#include <memory>

#include "harness/artifacts.h"
#include "harness/count_polls.h"
#include "harness/crash_detail.h"
#include "harness/leak_check.h"
#include "harness/leak_groups.h"
#include "harness/ready_probe.h"
#include "harness/scenario_context.h"
#include "harness/scenario_start.h"
#include "harness/step_marks.h"
#include "harness/steps.h"
#include "harness/suite_session.h"
#include "matchers/bucket.h"
#include "wire/dump_source.h"
#include "wire/interrupt.h"
#include "wire/leak_profile.h"
#include "wire/target_process.h"

namespace leakprobe {

namespace {

using Clock = std::chrono::steady_clock;
constexpr size_t kStderrTail = 16 * 1024;
constexpr size_t kArtifactTail = 1 << 20;
constexpr int64_t kMaxAttributionGoroutines = 10000;

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
    auto start = Clock::now();
    int number = 0;
    Outcome o = RunUpToTheVerdict(&number);
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
    CaseResult c = ResultOf(o);
    c.seconds = std::chrono::duration<double>(Clock::now() - start).count();
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

  // The target started and baselined, the setup and the steps run, the leak check made.
  Outcome RunUpToTheVerdict(int* number) {
    Outcome o = Prepare();
    StepMarks* marks = attribute_steps_ ? &marks_ : nullptr;
    if (o.ok()) o = RunSteps(scenario_.setup, "setup", number, &ctx_, marks);
    if (o.ok()) o = RunSteps(scenario_.steps, "", number, &ctx_, marks);
    if (o.ok() && !scenario_.leaks && ctx_.LeakProfileMayServe() && !quit_) {
      // Proven leaks fail every scenario, also one that names no leaks block.
      ctx_.Log("leaks: looking for proven leaks (the scenario has no leaks block)");
      o = CheckLeaks(LeaksSpec(), &ctx_);
    }
    if (!o.ok() || !scenario_.leaks) return o;
    ctx_.Log("leaks: checking (settle " + FormatDuration(scenario_.leaks->settle) + ")");
    if (suite_.dump.sigquit) {
      std::string trace;
      o = CheckLeaksBySigquit(*scenario_.leaks, suite_.target.stop.grace, &ctx_, &trace);
      quit_ = ctx_.target && !ctx_.target->Running();
      if (quit_) Keep("final-dump.txt", trace);
    } else {
      o = CheckLeaks(*scenario_.leaks, &ctx_);
    }
    if (!o.ok() && !quit_ && ctx_.target && !ctx_.target->Running()) {
      o = Outcome::Error("TargetError", "target " + ctx_.target->exit_info().Describe() + " during the leak check");
    }
    return o;
  }

  // The report's view of the scenario once its target is stopped.
  CaseResult ResultOf(const Outcome& o) {
    CaseResult c;
    c.classname = suite_.name;
    c.name = scenario_.name;
    c.scenario_file = suite_.file;
    c.scenario_line = scenario_.pos.line;
    switch (o.kind) {
      case Outcome::Kind::kOk: c.outcome = CaseResult::Outcome::kPassed; break;
      case Outcome::Kind::kFailed: c.outcome = CaseResult::Outcome::kFailed; break;
      case Outcome::Kind::kError: c.outcome = CaseResult::Outcome::kError; break;
    }
    c.type = o.type;
    c.message = o.message;
    if (scenario_.variant_of) {
      const SweepVariantOf& v = *scenario_.variant_of;
      c.sweep = SweepCell{v.scenario, v.step, v.fault, v.rounds};
    }
    // (The control, the scenario as written, has no fault of its own to miss.)
    if (o.ok() && scenario_.variant_of && !scenario_.variant_of->step.empty() && ctx_.hang_ups->left == 0 &&
        ctx_.hang_ups->missed > 0) {
      // The fault's moment never came in any round: not clean, just not tested.
      c.outcome = CaseResult::Outcome::kSkipped;
      c.type = "NotApplicable";
      std::lock_guard<std::mutex> lock(ctx_.hang_ups->mu);
      c.message = ctx_.hang_ups->last_missed;
    }
    c.detail = o.type == "GoroutineLeak" ? marks_.Annotate(o.detail) : o.detail;
    c.leaks = o.leaks;
    for (LeakGroup& g : c.leaks) {
      if (g.created_during.empty() && !g.ids.empty() && !marks_.empty()) g.created_during = marks_.StepOf(g.ids[0]);
    }
    c.timeline = ctx_.timeline->Take(&c.leaks);
    for (const auto& [where, known] : ctx_.known_leaks) {
      if (known.count > 0) c.known_leaks.push_back(known);
    }
    c.system_out = (session_ ? session_->TakeSetupLog() : std::string()) + ctx_.log;
    c.system_err = stderr_tail_.size() > kStderrTail ? stderr_tail_.substr(stderr_tail_.size() - kStderrTail)
                                                      : stderr_tail_;
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
    Outcome o = ExpandScenarioSettings(suite_, options_, &ctx_);
    if (o.ok() && !suite_.target.run.empty()) o = StartTarget(suite_, &ctx_, &target_, &command_);
    return o.ok() ? WaitReady(suite_.target.ready, &ctx_) : o;
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
