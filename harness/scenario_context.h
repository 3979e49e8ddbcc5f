// What the steps of one scenario share while it runs: its variables, its target, its dump
// source, its baseline, its snapshots and its step log. Used by one thread: steps that run
// branches at once (repeat, parallel) give each branch its own Branch() and Merge() it back
// under their own lock.
#ifndef LEAKPROBE_HARNESS_SCENARIO_CONTEXT_H_
#define LEAKPROBE_HARNESS_SCENARIO_CONTEXT_H_

#include <atomic>
#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "base/status.h"
#include "harness/timeline_recorder.h"
#include "matchers/grouped_dump.h"
#include "matchers/id_set.h"
#include "matchers/stack_counts.h"
#include "reports/results.h"
#include "scenarios/suite.h"
#include "wire/count_poll.h"
#include "wire/dump_source.h"
#include "wire/leak_profile.h"
#include "wire/target_process.h"

namespace leakprobe {

// How a step (or a whole scenario) ended. A leak or an unmet expectation is kFailed (a
// <failure>); a step that could not be carried out or a dead target is kError (an <error>).
struct Outcome {
  enum class Kind { kOk, kFailed, kError };
  Kind kind = Kind::kOk;
  std::string type;     // "GoroutineLeak", "ExpectationFailed", "StepError", "TargetError"
  std::string message;  // one line
  std::string detail;   // the body
  std::vector<LeakGroup> leaks;  // a GoroutineLeak's groups, for the JSON report

  bool ok() const { return kind == Kind::kOk; }
  static Outcome Ok() { return Outcome(); }
  static Outcome Failed(std::string type, std::string message, std::string detail = "") {
    return Outcome{Kind::kFailed, std::move(type), std::move(message), std::move(detail), {}};
  }
  static Outcome Error(std::string type, std::string message, std::string detail = "") {
    return Outcome{Kind::kError, std::move(type), std::move(message), std::move(detail), {}};
  }
};

// How the planned hang-ups (`hang_up:`) of one scenario went, over all its branches: the
// client left as planned, or the moment never came (the response ended first). The sweep
// calls a variant whose fault never applied "not applicable", not clean. Thread-safe.
struct HangUpTally {
  std::atomic<int> left{0};
  std::atomic<int> missed{0};
  std::mutex mu;
  std::string last_missed;  // the last reason the moment never came, under mu

  // Counts one step that had a hang_up: `left` when the client left as it said, else the
  // moment never came and `why_not` says why. Thread-safe (parallel and repeat branches).
  void Record(bool left_as_planned, const std::string& why_not);
};

struct ScenarioContext {
  const Suite* suite = nullptr;
  std::string scenario;                     // its name, for messages
  std::map<std::string, std::string> vars;  // port, suite vars, --var, captures
  TargetProcess* target = nullptr;          // null in attach mode
  std::string dump_url;                     // expanded; "" when the suite has no dump
  std::string dump_socket;
  DumpLimits dump_limits;                   // the suite's dump.max_bytes and dump.timeout
  std::string leak_url;                     // the goroutineleak profile beside dump_url; "" for none
  std::shared_ptr<LeakProfile> leak_profile;  // the suite's: whether the target serves it
  // Shared, not copied, by the branches of repeat and parallel: a baseline may hold millions.
  std::shared_ptr<const IdSet> baseline_ids;  // null until the baseline dump is taken
  std::shared_ptr<const IdSet> baseline_leaked;  // what the runtime had proven leaked by then
  int64_t baseline_total = 0;
  // The baseline per stack, for polls that read counts (harness/count_polls.h); null until taken.
  std::shared_ptr<const StackCounts> baseline_counts;
  Millis full_dump_cost{0};                 // how long the baseline's full dump took
  // Whether the target serves per-stack counts beside the dump; shared by the branches.
  std::shared_ptr<CountPoll> count_poll = std::make_shared<CountPoll>();
  std::map<std::string, std::shared_ptr<const IdSet>> snapshots;  // `snapshot: NAME` -> goroutine ids
  std::string log;                          // the step log, for <system-out>
  std::chrono::steady_clock::time_point start = std::chrono::steady_clock::now();
  std::shared_ptr<TimelineRecorder> timeline;  // every dump taken, for the reports; may be null
  // What the ignore entries with a reason matched at their last check, by where they are
  // written ("x.yaml:9:5"); an entry a check used that matched nothing is there with count 0.
  std::map<std::string, KnownLeak> known_leaks;
  // Shared with the branches, like the baseline.
  std::shared_ptr<HangUpTally> hang_ups = std::make_shared<HangUpTally>();

  // Appends "[  1.234s] text" to the log.
  void Log(const std::string& text);
  // Whether the target leakprobe started has exited (never in attach mode). Thread-safe.
  bool TargetDied() const { return target && !target->Running(); }
  // Sleeps up to `d`, looking every 20 ms; false, early, when the run is interrupted or the
  // target died, so that no step outlives its target by more than a moment.
  bool Pause(Millis d) const;
  // Records what each ignore entry with a reason kept out at a check (`counts` and `names`
  // follow `specs`), and logs the known leaks: "known leak: main.x ×2 (reason: #12) [x.yaml:9:5]".
  void NoteKnownLeaks(const std::vector<const PatternSpec*>& specs, const std::vector<int64_t>& counts,
                      const std::vector<std::string>& names);
  // Logs the first of a dump's warnings (a cut dump's reason) and how many more there are.
  void LogDumpWarnings(const std::string& label, const GroupedDump& dump);
  // Expands ${name}: captures and vars, then ${env.NAME}. Error: `undefined variable "${cid}"`.
  Result<std::string> Expand(const std::string& text) const;
  // Expands every string leaf of a JSON value in place (an http body, an expected json).
  // Error: Expand's, for the first leaf that fails.
  Status ExpandJson(nlohmann::json* j) const;
  // Fetches and groups a dump from dump_url within dump_limits; one cut short is kept as far
  // as it was read, the reason first in its warnings. With `text`, its bytes too (for
  // artifacts). Error: no dump configured, or nothing could be fetched.
  // `kind` and `label` say why, on the timeline ("step", "after step 3"), with the target's
  // fds and threads when they were measured with it (-1: not).
  Result<GroupedDump> TakeDump(const std::string& kind, const std::string& label = "",
                               std::string* text = nullptr, int64_t fds = -1, int64_t threads = -1) const;
  // Whether the leak profile may be asked for: a URL beside the dump, not off, not found absent.
  bool LeakProfileMayServe() const { return !leak_url.empty() && leak_profile && leak_profile->MayServe(); }
  // The goroutineleak profile (every goroutine, the proven leaks marked) instead of a plain
  // dump; the first 404 of a suite logs that the target has none. Error: REQUIRES
  // LeakProfileMayServe(); the fetch failed (then see leak_profile->state()).
  Result<GroupedDump> TakeLeakProfile(const std::string& kind, const std::string& label,
                                      std::string* text = nullptr);
  // The leak profile while it may be served, else (or when it turns out absent) the plain
  // dump; sets *proven_checked to whether the runtime looked for leaks in it. Error: a
  // profile the suite says is on is absent, or no dump at all.
  Result<GroupedDump> TakeLeakProfileOrDump(const std::string& kind, const std::string& label,
                                            bool* proven_checked, std::string* text = nullptr);
  // The target's pid, for what /proc says of it: the one leakprobe started, else
  // target.pid or target.pid_file (attach mode). -1 when unknown, with *why saying so.
  pid_t TargetPid(std::string* why) const;

  // A copy for a branch that runs on another thread: same vars, target, dump and baseline,
  // an empty log.
  ScenarioContext Branch() const;
  // Takes back a branch's variables (its captures win) and snapshots and, with `with_log`,
  // its log lines, each prefixed with `prefix` ("[3] "). Not thread-safe: the caller
  // serialises merges.
  void Merge(const ScenarioContext& branch, const std::string& prefix, bool with_log = true);
};

}  // namespace leakprobe

#endif  // LEAKPROBE_HARNESS_SCENARIO_CONTEXT_H_
