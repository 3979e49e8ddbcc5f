// One scenario, start to end: its target started (or a shared one borrowed), made ready and
// baseline-dumped, its setup, steps, leak check (or proven-leak check) and teardown run, the
// target stopped, and what happened turned into a CaseResult with its timeline and known
// leaks. Does I/O; returns when every process it started is gone (a shared target excepted).
// Internal to harness/: RunSuite (suite_runner.h) calls it once per scenario.
#ifndef LEAKPROBE_HARNESS_SCENARIO_RUN_H_
#define LEAKPROBE_HARNESS_SCENARIO_RUN_H_

#include <map>
#include <memory>
#include <string>

#include "harness/run_options.h"
#include "harness/suite_session.h"
#include "reports/results.h"
#include "scenarios/suite.h"
#include "wire/leak_profile.h"

namespace leakprobe {

struct ScenarioOutcome {
  CaseResult result;
  // What the target was started as, where its dump came from (expanded), and its Go version
  // as the baseline's GOROOT paths tell it; "" when unknown.
  std::string command;
  std::string dump_url;
  std::string go_version;
  // Every ignore entry with a reason that a check used, with what it matched (count 0 too).
  std::map<std::string, KnownLeak> known_leaks;
};

// Never fails as a whole: trouble is the scenario's <failure> or <error>. `session` holds
// what the suite's scenarios share; `leak_profile` whether the target serves one.
ScenarioOutcome RunScenario(const Suite& suite, const Scenario& scenario, const RunOptions& options,
                            SuiteSession* session, std::shared_ptr<LeakProfile> leak_profile);

}  // namespace leakprobe

#endif  // LEAKPROBE_HARNESS_SCENARIO_RUN_H_
