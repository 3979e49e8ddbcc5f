// What the scenarios of one suite share: the captures of the suite's `setup:` steps, and,
// with `target: { shared: true }`, the running target itself. The suite runner asks it
// for the target before starting one, hands the target back after a scenario instead of
// stopping it, and calls Finish() after the last scenario: the suite's `teardown:` (always,
// once setup was attempted), then the shared target's stop. Does I/O; used by the suite
// runner's thread only.
#ifndef LEAKPROBE_HARNESS_SUITE_SESSION_H_
#define LEAKPROBE_HARNESS_SUITE_SESSION_H_

#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "harness/scenario_context.h"
#include "scenarios/suite.h"
#include "wire/target_process.h"

namespace leakprobe {

class SuiteSession {
 public:
  // `vars` are the --var values. Copying is not allowed: it may own a running target.
  SuiteSession(const Suite& suite, std::vector<std::pair<std::string, std::string>> vars);
  ~SuiteSession();  // stops a shared target that Finish() did not
  SuiteSession(const SuiteSession&) = delete;
  SuiteSession& operator=(const SuiteSession&) = delete;

  // For a suite whose targets are per scenario: runs the suite's setup steps now, before
  // any target exists, with the --vars and those suite vars that need no ${port}. With a
  // shared target this does nothing: SetupOnTarget runs them once the target is ready.
  // The outcome is kept: a failed setup fails every scenario (setup_outcome()).
  void SetupBeforeTargets();
  // With a shared target: runs the setup steps on the context of the scenario that started
  // it, the first time only. Returns their outcome (ok when there are none, or they ran).
  Outcome SetupOnTarget(ScenarioContext* ctx);
  const Outcome& setup_outcome() const { return setup_outcome_; }
  // The setup's step log, for the first scenario's <system-out>; cleared when taken.
  std::string TakeSetupLog();

  // Adds what the setup captured to `ctx`, and with a running shared target moves it into
  // `target` and fills ctx's target, dump and variables as its start left them. Returns
  // whether a shared target was lent.
  bool Lend(ScenarioContext* ctx, std::unique_ptr<TargetProcess>* target, std::string* command);
  // With target.shared and a running `target`: keeps it (and ctx's variables and dump) for
  // the next scenario, leaving `target` empty. Returns whether it kept it.
  bool Keep(const ScenarioContext& ctx, std::unique_ptr<TargetProcess>* target,
            const std::string& command);

  // Runs the suite's teardown steps (when setup was attempted or there was none), then stops
  // a shared target. Ok, or the teardown's failure; `log` receives its step log and
  // `stderr_tail` the shared target's stderr.
  Outcome Finish(std::string* log, std::string* stderr_tail);

 private:
  const Suite& suite_;
  std::vector<std::pair<std::string, std::string>> options_vars_;
  std::map<std::string, std::string> captured_;  // by the setup steps
  Outcome setup_outcome_;
  bool setup_done_ = false;
  std::string setup_log_;
  std::unique_ptr<TargetProcess> target_;        // the shared target, between scenarios
  ScenarioContext shared_ctx_;                   // its variables and dump
  std::string command_;
};

}  // namespace leakprobe

#endif  // LEAKPROBE_HARNESS_SUITE_SESSION_H_
