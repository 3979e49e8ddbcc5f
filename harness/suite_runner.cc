#include "harness/suite_runner.h"

#include <chrono>
#include <map>
#include <memory>

#include <re2/re2.h>

#include "base/timestamp.h"
#include "harness/scenario_run.h"
#include "harness/suite_session.h"
#include "wire/interrupt.h"
#include "wire/leak_profile.h"

namespace leakprobe {

namespace {
using Clock = std::chrono::steady_clock;
}  // namespace

const char* LeakprobeVersion() { return "0.1.0"; }

SuiteResult RunSuite(const Suite& suite, const RunOptions& options) {
  SuiteResult result;
  result.name = suite.name;
  result.file = suite.file;
  result.timestamp = LocalTimestampNow();
  result.properties.emplace_back("leakprobe.version", LeakprobeVersion());
  bool described = false;

  std::unique_ptr<re2::RE2> filter;
  if (!options.filter.empty()) filter = std::make_unique<re2::RE2>(options.filter, re2::RE2::Quiet);
  auto start = Clock::now();
  SuiteSession session(suite, options.vars);
  session.SetupBeforeTargets();
  auto leak_profile = std::make_shared<LeakProfile>(suite.dump.leak_profile);
  std::map<std::string, KnownLeak> known_entries;  // every entry with a reason a check used
  for (const Scenario& scenario : suite.scenarios) {
    if (filter && !re2::RE2::PartialMatch(suite.name + "/" + scenario.name, *filter)) continue;
    if (Interrupted()) break;
    ScenarioOutcome run = RunScenario(suite, scenario, options, &session, leak_profile);
    CaseResult c = std::move(run.result);
    for (const auto& [where, known] : run.known_leaks) {
      auto [it, first] = known_entries.emplace(where, known);
      if (!first) it->second.count += known.count;
    }
    if (!described && (!run.command.empty() || !run.dump_url.empty())) {
      // As the first scenario expanded them; later ones differ only in their port.
      if (!run.command.empty()) result.properties.emplace_back("target", run.command);
      if (!run.dump_url.empty()) result.properties.emplace_back("dump.url", run.dump_url);
      if (!run.go_version.empty()) result.properties.emplace_back("go.version", run.go_version);
      described = true;
    }
    if (options.on_case) options.on_case(c);
    result.cases.push_back(std::move(c));
  }
  // The suite's teardown (always), then a shared target's stop; a failed teardown is a
  // case of its own.
  CaseResult teardown;
  Outcome t = session.Finish(&teardown.system_out, &teardown.system_err);
  if (!t.ok()) {
    teardown.classname = suite.name;
    teardown.name = "(suite teardown)";
    teardown.scenario_file = suite.file;
    teardown.outcome = t.kind == Outcome::Kind::kFailed ? CaseResult::Outcome::kFailed
                                                        : CaseResult::Outcome::kError;
    teardown.type = t.type;
    teardown.message = t.message;
    teardown.detail = t.detail;
    if (options.on_case) options.on_case(teardown);
    result.cases.push_back(std::move(teardown));
  }
  // A known leak that no check of the run saw any more: its entry can go.
  int unseen = 0;
  for (const auto& [where, known] : known_entries) {
    if (known.count > 0) continue;
    result.unseen_known_leaks.push_back(known);
    result.properties.emplace_back("known_leak.no_longer_seen." + std::to_string(++unseen),
                                   known.pattern + " [" + where + "]: " + known.reason);
  }
  int listed = 0;
  for (const CaseResult& c : result.cases) {
    for (const KnownLeak& k : c.known_leaks) {
      result.properties.emplace_back("known_leak." + std::to_string(++listed),
                                     c.name + ": " + k.function + " \xC3\x97" + std::to_string(k.count) + " (" +
                                         k.reason + ") [" + k.where + "]");
    }
  }
  std::string leak_state = leak_profile->Describe();
  if (!leak_state.empty()) result.properties.emplace_back("go.leak_profile", leak_state);
  result.seconds = std::chrono::duration<double>(Clock::now() - start).count();
  return result;
}

}  // namespace leakprobe
