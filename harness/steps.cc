#include "harness/steps.h"

#include "harness/leak_check.h"
#include "harness/step_kinds.h"
#include "wire/interrupt.h"

namespace leakprobe {

std::string StepLabel(const Step& step, int number) {
  std::string label = "step " + std::to_string(number);
  if (!step.name.empty()) return label + " \"" + step.name + "\"";
  switch (step.kind) {
    case Step::Kind::kHttp: return label + " (" + step.http.method + " " + step.http.url + ")";
    case Step::Kind::kExec: {
      std::string cmd;
      for (const std::string& a : step.exec.run) cmd += " " + a;
      if (cmd.size() > 60) cmd = cmd.substr(0, 57) + "...";
      return label + " (exec" + cmd + ")";
    }
    case Step::Kind::kSleep: return label + " (sleep " + FormatDuration(step.sleep) + ")";
    case Step::Kind::kCheck: return label + " (check)";
    case Step::Kind::kSnapshot: return label + " (snapshot " + step.snapshot + ")";
    case Step::Kind::kWaitUntil: return label + " (wait_until)";
    case Step::Kind::kRepeat:
      return label + " (repeat " + std::to_string(step.times) + "x" +
             (step.concurrency > 1 ? ", " + std::to_string(step.concurrency) + " at once" : "") + ")";
    case Step::Kind::kParallel: return label + " (parallel)";
    case Step::Kind::kWebSocket: return label + " (websocket " + step.websocket.url + ")";
    case Step::Kind::kGrpc: return label + " (grpc " + step.grpc.method + ")";
  }
  return label;
}

Outcome RunStep(const Step& step, int number, ScenarioContext* ctx) {
  return RunLabeledStep(step, StepLabel(step, number), ctx);
}

Outcome RunLabeledStep(const Step& step, const std::string& label, ScenarioContext* ctx) {
  switch (step.kind) {
    case Step::Kind::kHttp:
      return step.http.upgrade ? RunUpgradeStep(step, label, ctx) : RunHttpStep(step, label, ctx);
    case Step::Kind::kWebSocket:
      return RunWebSocketStep(step, label, ctx);
    case Step::Kind::kExec:
      return RunExecStep(step, label, ctx);
    case Step::Kind::kGrpc:
      return RunGrpcStep(step, label, ctx);
    case Step::Kind::kSleep:
      ctx->Log(label);
      if (!ctx->Pause(step.sleep)) {
        if (ctx->TargetDied()) return Outcome::Error("StepError", label + ": the target died");
        return Outcome::Error("Interrupted", label + ": interrupted");
      }
      return Outcome::Ok();
    case Step::Kind::kCheck: {
      ctx->Log(label + ": checking for leaks" +
               (step.check.against.empty() ? "" : " against snapshot " + step.check.against));
      Outcome o = CheckLeaks(step.check, ctx);
      if (!o.ok() && o.type != "GoroutineLeak") o.message = label + ": " + o.message;
      return o;
    }
    case Step::Kind::kSnapshot:
      return RunSnapshotStep(step, label, ctx);
    case Step::Kind::kWaitUntil:
      return RunWaitUntilStep(step, label, ctx);
    case Step::Kind::kRepeat:
      return RunRepeatStep(step, label, ctx);
    case Step::Kind::kParallel:
      return RunParallelStep(step, label, ctx);
  }
  return Outcome::Ok();
}

}  // namespace leakprobe
