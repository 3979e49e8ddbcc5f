#include "harness/suite_session.h"

#include "harness/step_kinds.h"

namespace leakprobe {

namespace {

// Runs `steps`, numbered after `label`, on `ctx`; the first that does not pass ends it.
Outcome RunSuiteSteps(const std::vector<Step>& steps, const std::string& label, ScenarioContext* ctx) {
  if (steps.empty()) return Outcome::Ok();
  ctx->Log(label + ": " + std::to_string(steps.size()) + " step(s)");
  Outcome o = RunNestedSteps(steps, label + " > ", ctx);
  if (o.ok() && ctx->target && !ctx->target->Running()) {
    return Outcome::Error("TargetError", label + ": target " + ctx->target->exit_info().Describe());
  }
  return o;
}

}  // namespace

SuiteSession::SuiteSession(const Suite& suite, std::vector<std::pair<std::string, std::string>> vars)
    : suite_(suite), options_vars_(std::move(vars)) {
  shared_ctx_.suite = &suite;
  shared_ctx_.scenario = "(suite)";
}

SuiteSession::~SuiteSession() {
  if (target_) target_->Stop(suite_.target.stop.signal, suite_.target.stop.grace);
}

void SuiteSession::SetupBeforeTargets() {
  if (suite_.target.shared && !suite_.target.run.empty()) return;
  setup_done_ = true;
  if (suite_.setup.empty()) return;
  ScenarioContext ctx;
  ctx.suite = &suite_;
  ctx.scenario = "(suite setup)";
  for (const auto& [k, v] : options_vars_) ctx.vars[k] = v;
  for (const auto& [name, tmpl] : suite_.vars) {
    if (ctx.vars.count(name)) continue;  // --var wins
    auto v = ctx.Expand(tmpl);
    if (v.ok()) ctx.vars[name] = v.value();  // one that needs ${port} waits for the scenarios
  }
  std::map<std::string, std::string> before = ctx.vars;
  setup_outcome_ = RunSuiteSteps(suite_.setup, "suite setup", &ctx);
  for (const auto& [k, v] : ctx.vars) {
    auto it = before.find(k);
    if (it == before.end() || it->second != v) captured_[k] = v;
  }
  setup_log_ = ctx.log;
}

Outcome SuiteSession::SetupOnTarget(ScenarioContext* ctx) {
  if (setup_done_) return setup_outcome_;
  setup_done_ = true;
  std::map<std::string, std::string> before = ctx->vars;
  setup_outcome_ = RunSuiteSteps(suite_.setup, "suite setup", ctx);
  for (const auto& [k, v] : ctx->vars) {
    auto it = before.find(k);
    if (it == before.end() || it->second != v) captured_[k] = v;
  }
  return setup_outcome_;
}

std::string SuiteSession::TakeSetupLog() {
  std::string log;
  log.swap(setup_log_);
  return log;
}

bool SuiteSession::Lend(ScenarioContext* ctx, std::unique_ptr<TargetProcess>* target,
                        std::string* command) {
  if (!target_ || !target_->Running()) {
    for (const auto& [k, v] : captured_) ctx->vars[k] = v;
    return false;
  }
  ctx->vars = shared_ctx_.vars;
  for (const auto& [k, v] : captured_) ctx->vars[k] = v;
  ctx->dump_url = shared_ctx_.dump_url;
  ctx->dump_socket = shared_ctx_.dump_socket;
  *target = std::move(target_);
  ctx->target = target->get();
  *command = command_;
  ctx->Log("the suite's shared target, pid " + std::to_string((*target)->pid()) + ", goes on");
  return true;
}

bool SuiteSession::Keep(const ScenarioContext& ctx, std::unique_ptr<TargetProcess>* target,
                        const std::string& command) {
  if (!suite_.target.shared || !*target || !(*target)->Running()) return false;
  shared_ctx_.vars = ctx.vars;
  shared_ctx_.dump_url = ctx.dump_url;
  shared_ctx_.dump_socket = ctx.dump_socket;
  target_ = std::move(*target);
  shared_ctx_.target = target_.get();
  command_ = command;
  return true;
}

Outcome SuiteSession::Finish(std::string* log, std::string* stderr_tail) {
  Outcome o;
  if (!suite_.teardown.empty()) {
    ScenarioContext ctx = shared_ctx_;
    ctx.log.clear();
    ctx.scenario = "(suite teardown)";
    if (!target_) {
      ctx.target = nullptr;
      for (const auto& [k, v] : options_vars_) ctx.vars.emplace(k, v);
      for (const auto& [name, tmpl] : suite_.vars) {
        if (ctx.vars.count(name)) continue;
        auto v = ctx.Expand(tmpl);
        if (v.ok()) ctx.vars[name] = v.value();
      }
    }
    for (const auto& [k, v] : captured_) ctx.vars[k] = v;
    o = RunSuiteSteps(suite_.teardown, "suite teardown", &ctx);
    *log += ctx.log;
  }
  if (target_) {
    ExitInfo e = target_->Stop(suite_.target.stop.signal, suite_.target.stop.grace);
    *log += "shared target stopped: " + e.Describe() + "\n";
    *stderr_tail = target_->StderrTail(16 * 1024);
    target_.reset();
  }
  return o;
}

}  // namespace leakprobe
