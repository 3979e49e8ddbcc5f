// What a run produced, as plain values: the harness fills it, the report writers read it.
// No I/O.
#ifndef LEAKPROBE_REPORTS_RESULTS_H_
#define LEAKPROBE_REPORTS_RESULTS_H_

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace leakprobe {

// One group of leaked goroutines with identical stacks, for tools (--json). Optional: a
// report that has only CaseResult::detail still says everything to people.
struct LeakGroup {
  std::string function;            // the name the message uses: "main.(*Server).logsContainer"
  int64_t count = 0;               // goroutines in the group
  std::vector<int64_t> ids;        // their ids, as the dump gave them
  std::string state;               // "chan receive"
  int wait_minutes = 0;            // from "[chan receive, 5 minutes]"; 0 when not shown
  std::vector<std::string> stack;  // "main.(*Server).logsContainer /src/logs.go:67", innermost first
  std::string created_by;          // "net/http.(*Server).Serve /usr/lib/go/src/net/http/server.go:3102"
  std::string created_during;      // the step during which they were created; "" when unknown
  bool proven = false;             // the Go runtime's leak detector proved they can never wake
  std::vector<std::pair<std::string, std::string>> labels;  // their pprof labels, key -> value
  // When a repeat's growth check found them: goroutines gained per iteration, and their count
  // before the first iteration and after each round. 0 and empty otherwise.
  double per_iteration = 0;
  std::vector<int64_t> series;
  std::string signature;           // their GrowthSignature: ties them to their timeline series (not reported)
  // Why they are shown, set once where the group is made: "proven" (the runtime's leak
  // detector), "growing" (a growth check's fit) or "leaked" (a leak check's rules). Their
  // timeline series says the same.
  std::string why = "leaked";
  // Their signature's series in the case's Timeline::series; -1 when it has none. Not reported.
  int timeline_series = -1;
};

// Every dump leakprobe took during one scenario, as a shape over time: what the HTML chart,
// the Markdown chart and the JSON report draw. Small: counts and names, never the dumps.
struct Timeline {
  struct Point {
    double t = 0;            // seconds since the scenario started
    int64_t total = 0;       // goroutines in the dump
    // "baseline", "step" (after a step), "snapshot", "check" (a leak check's first dump),
    // "growth" (before and after iterations), "settle" (a check's or a growth's later polls),
    // "final" (for artifacts)
    std::string kind;
    std::string label;       // "after step 3 \"follow\"", "iteration 7", "settle poll 2"
    int64_t fds = -1;        // the target's open fds and threads then; -1 when not measured
    int64_t threads = -1;
  };
  // One stack's count at every point (0 where it was absent): the leaked and growing ones.
  struct Series {
    std::string name;        // "main.(*Server).statsContainer"
    std::string why;         // "proven", "leaked", "growing"
    std::vector<int64_t> counts;  // one per point
  };
  struct Band {
    std::string label;       // "step 3 \"follow for 3s and hang up\""
    double start = 0, end = 0;
  };
  std::vector<Point> points;
  std::vector<Series> series;
  std::vector<Band> steps;   // the scenario's steps (setup, steps, teardown), in order
  double verdict_t = -1;     // when the outcome was decided; -1 when unknown
  bool empty() const { return points.empty(); }
};

// Goroutines an ignore entry with a `reason:` matched: never a failure, always reported, so a
// team can ship with a known leak without the check going hollow.
struct KnownLeak {
  std::string reason;      // "https://github.com/acme/app/issues/12", or a sentence
  std::string pattern;     // the entry: "top keyword main.(*Cache).refresh"
  std::string where;       // where it is written: "examples/scenarios/known.yaml:9:5"
  std::string function;    // NameOf what it matched: "main.(*Cache).refresh"; "" when nothing
  int64_t count = 0;       // goroutines it matched, at the scenario's last leak check
};

// A sweep variant's place in its matrix (harness/sweep_plan.h): which step of which scenario
// ended with which fault. The cell shows the outcome: passed is clean, skipped is "not
// applicable" (the fault's moment never came), failed carries the growing leaks.
struct SweepCell {
  std::string scenario;      // "lifecycle"
  std::string step;          // "step 3 (GET ${api}/containers/${cid}/logs)"; "" for the control
  std::string fault;         // "reset at body"; "as written" for the control
  int rounds = 0;
  // The variant grew, but no more than the scenario does as written (harness/sweep_control.h):
  // the fault is not the cause; the control's case reports the leak.
  bool as_written = false;
};

struct CaseResult {
  enum class Outcome { kPassed, kFailed, kError, kSkipped };
  std::string classname;     // the suite name
  std::string name;          // the scenario name
  double seconds = 0;
  Outcome outcome = Outcome::kPassed;
  std::string type;          // "GoroutineLeak", "ExpectationFailed", "TargetError", ...
  std::string message;       // one line: "2 leaked goroutines: main.(*Server).logsContainer ×2"
  std::string detail;        // the body: grouped stacks, counts, ids
  std::string system_out;    // the step log
  std::string system_err;    // the target's stderr tail
  // Where the scenario is written, for annotations: "examples/scenarios/logs.yaml", 14.
  // Empty / 0 when unknown.
  std::string scenario_file;
  int scenario_line = 0;
  std::vector<LeakGroup> leaks;  // filled when the harness has them; see LeakGroup
  Timeline timeline;             // every dump it took; empty when it took none
  std::vector<KnownLeak> known_leaks;  // what ignore entries with a reason matched in it
  std::optional<SweepCell> sweep;      // set when the case is a sweep variant
};

// "passed", "failed", "error" or "skipped": the outcome's name in JSON and the HTML page.
inline const char* OutcomeName(CaseResult::Outcome outcome) {
  switch (outcome) {
    case CaseResult::Outcome::kPassed: return "passed";
    case CaseResult::Outcome::kFailed: return "failed";
    case CaseResult::Outcome::kError: return "error";
    case CaseResult::Outcome::kSkipped: return "skipped";
  }
  return "error";
}

struct SuiteResult {
  std::string name;
  std::string file;
  double seconds = 0;
  std::string timestamp;     // ISO 8601, "2026-11-28T07:15:09"
  std::vector<std::pair<std::string, std::string>> properties;
  std::vector<CaseResult> cases;
  // Ignore entries with a reason that matched nothing in any scenario of the suite: "known
  // leak no longer seen", so the entry can be deleted once the leak is fixed. count is 0.
  std::vector<KnownLeak> unseen_known_leaks;
};

struct RunResult {
  std::vector<SuiteResult> suites;
  bool interrupted = false;
  double seconds = 0;        // wall time of the whole run; 0 when unknown (then: sum of suites)
};

}  // namespace leakprobe

#endif  // LEAKPROBE_REPORTS_RESULTS_H_
