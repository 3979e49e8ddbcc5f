// wait_until, repeat, parallel and snapshot (step_kinds.h). repeat and parallel run
// branches on threads: each branch works on its own ScenarioContext::Branch(), merged back
// under a mutex when it ends, because a ScenarioContext is used by one thread at a time.
#include <algorithm>
#include <atomic>
#include <chrono>
#include <mutex>
#include <optional>
#include <thread>

#include "harness/step_kinds.h"
#include "harness/steps.h"
#include "wire/interrupt.h"

namespace leakprobe {

namespace {

using Clock = std::chrono::steady_clock;
constexpr int kLoggedIterations = 3;

}  // namespace

Outcome RunNestedSteps(const std::vector<Step>& steps, const std::string& prefix,
                       ScenarioContext* ctx) {
  int number = 0;
  for (const Step& step : steps) {
    ++number;
    if (Interrupted()) return Outcome::Error("Interrupted", prefix + "interrupted before " + StepLabel(step, number));
    // The label names the parent, so a message says where it comes from.
    Outcome o = RunLabeledStep(step, prefix + StepLabel(step, number), ctx);
    if (!o.ok()) return o;
    if (ctx->TargetDied()) return Outcome::Ok();  // the caller says what died
  }
  return Outcome::Ok();
}

Outcome RunSnapshotStep(const Step& step, const std::string& label, ScenarioContext* ctx) {
  auto dump = ctx->TakeDump("snapshot", label);
  if (!dump.ok()) return Outcome::Error("DumpError", label + ": " + dump.status().message());
  ctx->snapshots[step.snapshot] = std::make_shared<const IdSet>(dump->Ids());
  ctx->Log(label + ": " + std::to_string(dump->Total()) + " goroutines");
  ctx->LogDumpWarnings(label, dump.value());
  return Outcome::Ok();
}

Outcome RunWaitUntilStep(const Step& step, const std::string& label, ScenarioContext* ctx) {
  auto start = Clock::now();
  auto deadline = start + step.timeout;
  Outcome first_miss;
  for (int attempt = 1;; ++attempt) {
    ScenarioContext branch = ctx->Branch();
    Outcome o = RunNestedSteps(step.steps, label + " > ", &branch);
    if (o.ok() || o.type == "Interrupted" || branch.TargetDied()) {
      if (o.ok()) {
        ctx->Merge(branch, "");
        ctx->Log(label + ": held at attempt " + std::to_string(attempt) + " after " +
                 FormatDuration(std::chrono::duration_cast<Millis>(Clock::now() - start)));
      }
      return o;
    }
    if (attempt == 1) {
      ctx->Log(label + ": not yet: " + o.message);
      first_miss = o;
    }
    auto now = Clock::now();
    if (now + step.interval > deadline) {
      ctx->Merge(branch, "");  // the last attempt's log shows how it ended
      return Outcome::Failed("ExpectationFailed",
                             label + ": did not hold within " + FormatDuration(step.timeout) + " (" +
                                 std::to_string(attempt) + " attempts); last: " + o.message,
                             o.detail);
    }
    if (!ctx->Pause(step.interval)) {
      if (ctx->TargetDied()) return Outcome::Error("StepError", label + ": the target died");
      return Outcome::Error("Interrupted", label + ": interrupted");
    }
  }
}

Outcome RunIterations(const Step& step, const std::string& label, int first, int count, ScenarioContext* ctx,
                      int* done) {
  const int workers = std::max(1, std::min(step.concurrency, count));
  std::mutex mu;
  std::atomic<int> next{first};
  std::atomic<bool> stop{false};
  std::optional<std::pair<int, Outcome>> failure;  // the lowest failing iteration
  auto work = [&] {
    for (;;) {
      if (stop.load() || Interrupted()) return;
      int i = next.fetch_add(1);
      if (i >= first + count) return;
      ScenarioContext branch;
      {
        std::lock_guard<std::mutex> lock(mu);
        branch = ctx->Branch();
      }
      branch.vars["repeat.index"] = std::to_string(i);
      std::string prefix = label + " > iteration " + std::to_string(i + 1) + " > ";
      Outcome o = RunNestedSteps(step.steps, prefix, &branch);
      std::lock_guard<std::mutex> lock(mu);
      // A few iterations show how it went; the rest only when they fail.
      ctx->Merge(branch, "[" + std::to_string(i + 1) + "] ", i < kLoggedIterations || !o.ok());
      ++*done;
      if (!o.ok() && (!failure || i < failure->first)) failure.emplace(i, std::move(o));
      if (failure || branch.TargetDied()) stop.store(true);
    }
  };
  if (workers == 1) {
    work();
  } else {
    std::vector<std::thread> threads;
    threads.reserve(workers);
    for (int w = 0; w < workers; ++w) threads.emplace_back(work);
    for (std::thread& t : threads) t.join();
  }
  if (failure) return failure->second;
  if (Interrupted()) return Outcome::Error("Interrupted", label + ": interrupted");
  return Outcome::Ok();
}

Outcome RunRepeatStep(const Step& step, const std::string& label, ScenarioContext* ctx) {
  if (step.growth) return RunGrowthRepeat(step, label, ctx);
  const int times = step.times;
  int done = 0;
  auto start = Clock::now();
  std::optional<std::string> outer_index;
  if (auto it = ctx->vars.find("repeat.index"); it != ctx->vars.end()) outer_index = it->second;
  Outcome o = RunIterations(step, label, 0, times, ctx, &done);
  const int workers = std::max(1, std::min(step.concurrency, times));
  ctx->Log(label + ": " + std::to_string(done) + " of " + std::to_string(times) +
           " iterations in " +
           FormatDuration(std::chrono::duration_cast<Millis>(Clock::now() - start)) +
           (workers > 1 ? " (" + std::to_string(workers) + " at once)" : "") +
           (times > kLoggedIterations ? "; the log shows the first " + std::to_string(kLoggedIterations) +
                                            " and any that failed"
                                      : ""));
  // ${repeat.index} belongs to the iterations (an enclosing repeat's comes back).
  if (outer_index) ctx->vars["repeat.index"] = *outer_index;
  else ctx->vars.erase("repeat.index");
  return o;
}

Outcome RunParallelStep(const Step& step, const std::string& label, ScenarioContext* ctx) {
  const size_t n = step.steps.size();
  std::vector<ScenarioContext> branches;
  branches.reserve(n);
  for (size_t i = 0; i < n; ++i) branches.push_back(ctx->Branch());
  std::vector<Outcome> outcomes(n);
  std::vector<std::thread> threads;
  auto start = Clock::now();
  for (size_t i = 0; i < n; ++i) {
    threads.emplace_back([&, i] {
      outcomes[i] = RunLabeledStep(step.steps[i], label + " > " + StepLabel(step.steps[i], static_cast<int>(i + 1)),
                                   &branches[i]);
    });
  }
  for (std::thread& t : threads) t.join();
  for (size_t i = 0; i < n; ++i) ctx->Merge(branches[i], "[" + std::to_string(i + 1) + "] ");
  ctx->Log(label + ": " + std::to_string(n) + " steps at once in " +
           FormatDuration(std::chrono::duration_cast<Millis>(Clock::now() - start)));
  for (Outcome& o : outcomes) {
    if (!o.ok()) return o;
  }
  return Outcome::Ok();
}

}  // namespace leakprobe
