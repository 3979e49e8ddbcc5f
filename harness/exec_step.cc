// The `exec` step (step_kinds.h): a CLI client as a first-class step.
#include "harness/step_kinds.h"
#include "wire/exec_process.h"

namespace leakprobe {

Outcome RunExecStep(const Step& step, const std::string& label, ScenarioContext* ctx) {
  const ExecSpec& spec = step.exec;
  ProcessSpec p;
  for (const std::string& arg : spec.run) {
    auto a = ctx->Expand(arg);
    if (!a.ok()) return Outcome::Error("StepError", label + ": " + a.status().message());
    p.argv.push_back(a.value());
  }
  if (spec.shell) p.argv = {"/bin/sh", "-c", p.argv.empty() ? "" : p.argv[0]};
  for (const auto& [k, v] : spec.env) {
    auto e = ctx->Expand(v);
    if (!e.ok()) return Outcome::Error("StepError", label + ": env " + k + ": " + e.status().message());
    p.env.emplace_back(k, e.value());
  }
  auto cwd = ctx->Expand(spec.cwd);
  if (!cwd.ok()) return Outcome::Error("StepError", label + ": cwd: " + cwd.status().message());
  p.cwd = cwd.value();
  p.timeout = spec.timeout;
  // A CLI client of a target that died waits in vain: end it now, not at its timeout.
  if (ctx->target) p.abort = [ctx] { return ctx->TargetDied(); };

  std::string cmd;
  for (const std::string& a : p.argv) cmd += (cmd.empty() ? "" : " ") + a;
  auto run = RunProcess(p);
  if (!run.ok()) {
    ctx->Log(label + ": " + run.status().message());
    return Outcome::Error("StepError", label + ": " + run.status().message());
  }
  const ProcessResult& r = run.value();
  ctx->Log(label + ": " + cmd + " -> " + r.Describe() + " in " + FormatDuration(r.elapsed) + ", " +
           std::to_string(r.out_bytes) + " bytes of stdout, " + std::to_string(r.err_bytes) +
           " of stderr");
  if (r.aborted) return Outcome::Error("StepError", label + ": " + cmd + " stopped: the target died");
  StepResult result;
  result.exec = true;
  result.body = r.out;
  result.body_bytes = r.out_bytes;
  result.err = r.err;
  result.exit_code = r.exit_code;
  result.describe_exit = r.Describe();
  if (r.timed_out) {
    return Outcome::Failed("ExpectationFailed", label + ": " + cmd + " " + r.Describe(),
                           ResultDetail(result));
  }
  return CheckExpectAndCapture(step, label, result, ctx);
}

}  // namespace leakprobe
