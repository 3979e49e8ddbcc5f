// The totals of a run or a suite: scenarios by outcome, and known leaks seen and no longer
// seen. Counted here once for every report (JUnit's attributes, the console's summary line,
// the JSON summary, the HTML header and suites table). Pure; no I/O.
#ifndef LEAKPROBE_REPORTS_RUN_TOTALS_H_
#define LEAKPROBE_REPORTS_RUN_TOTALS_H_

#include <string>

#include "reports/results.h"

namespace leakprobe {

struct RunTotals {
  int tests = 0, passed = 0, failed = 0, errors = 0, skipped = 0;
  int known_leaks = 0;         // KnownLeak entries of the cases
  int unseen_known_leaks = 0;  // of the suites

  void Add(CaseResult::Outcome outcome);
  void Add(const CaseResult& c);      // its outcome and its known leaks
  void Add(const SuiteResult& suite);  // its cases and its unseen known leaks
  void Add(const RunTotals& other);

  bool bad() const { return failed + errors > 0; }
  // "2 passed, 1 failed, 0 errors", with ", 1 skipped" when any were.
  std::string Text() const;
};

RunTotals TotalsOf(const SuiteResult& suite);
RunTotals TotalsOf(const RunResult& run);

}  // namespace leakprobe

#endif  // LEAKPROBE_REPORTS_RUN_TOTALS_H_
