#include "cli/sweep_run.h"

#include <algorithm>

namespace leakprobe {

Result<std::vector<HangUpSpec>> ParseFaultList(const std::string& list) {
  std::vector<HangUpSpec> out;
  size_t i = 0;
  while (i <= list.size()) {
    size_t j = std::min(list.find(',', i), list.size());
    std::string item = list.substr(i, j - i);
    while (!item.empty() && item.front() == ' ') item.erase(0, 1);
    while (!item.empty() && item.back() == ' ') item.pop_back();
    if (!item.empty()) {
      auto fault = ParseFault(item);
      if (!fault.ok()) return Status::Error("--sweep-faults \"" + item + "\": " + fault.status().message());
      out.push_back(fault.value());
    }
    i = j + 1;
  }
  if (out.empty()) return Status::Error("--sweep-faults: no fault given");
  return out;
}

Status SweepSuites(const SweepFlags& flags, int jobs, std::vector<Suite>* suites, std::vector<size_t>* origin,
                   SweepPlan* plan) {
  std::vector<Suite> out;
  origin->clear();
  for (size_t i = 0; i < suites->size(); ++i) {
    Suite& suite = (*suites)[i];
    Status st = PlanSweep(&suite, flags, plan);
    if (!st.ok()) return Status::Error(suite.file + ": " + st.message());
    bool swept = std::any_of(suite.scenarios.begin(), suite.scenarios.end(),
                             [](const Scenario& s) { return s.variant_of.has_value(); });
    bool own_targets = !suite.target.shared && suite.setup.empty() && suite.teardown.empty();
    if (jobs > 1 && swept && own_targets && suite.scenarios.size() > 1) {
      for (Scenario& sc : suite.scenarios) {
        Suite one = suite;
        one.scenarios = {std::move(sc)};
        out.push_back(std::move(one));
        origin->push_back(i);
      }
      continue;
    }
    out.push_back(std::move(suite));
    origin->push_back(i);
  }
  *suites = std::move(out);
  return Status::Ok();
}

std::vector<SuiteResult> JoinSplitResults(std::vector<SuiteResult> results, const std::vector<size_t>& origin) {
  std::vector<SuiteResult> out;
  for (size_t i = 0; i < results.size(); ++i) {
    if (i > 0 && i < origin.size() && origin[i] == origin[i - 1] && !out.empty()) {
      SuiteResult& joined = out.back();
      for (CaseResult& c : results[i].cases) joined.cases.push_back(std::move(c));
      // They ran at once: the suite took as long as its longest part.
      joined.seconds = std::max(joined.seconds, results[i].seconds);
      continue;
    }
    out.push_back(std::move(results[i]));
  }
  return out;
}

}  // namespace leakprobe
