// The leak check: which goroutines of a dump are suspects or new, after ignore lists, and
// whether that breaks the rules. Pure; no I/O. Like goleak, options are predicates and the
// check only filters.
#ifndef LEAKPROBE_MATCHERS_VERDICT_H_
#define LEAKPROBE_MATCHERS_VERDICT_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "matchers/bucket.h"
#include "matchers/goroutine.h"
#include "matchers/grouped_dump.h"
#include "matchers/id_set.h"
#include "matchers/pattern.h"

namespace leakprobe {

struct LeakRules {
  std::vector<Pattern> suspects;
  // suspect_max[i], when set, limits suspects[i] alone (`- keyword: X, max: 2`); the
  // patterns without one share max_suspects. Shorter than suspects: the rest have none.
  std::vector<std::optional<int>> suspect_max;
  std::vector<Pattern> ignore;            // on top of the built-in list
  // ignore[i]'s reason ("" for a plain entry); may be shorter than ignore. What an entry with
  // a reason keeps out is a known leak: counted (Verdict::known_counts), never a failure.
  std::vector<std::string> ignore_reasons;
  bool builtin_ignores = true;
  std::optional<int> max_new_goroutines;  // unset: the count of new goroutines is not checked
  int max_suspects = 0;
  int min_wait_minutes = 0;               // younger waits ("[chan receive]" < N minutes) are not counted
  // Goroutines the Go runtime proved leaked ("[chan send (leaked)]") allowed; past it they
  // are a leak whatever the other rules say. They count against this alone.
  int max_proven = 0;
};

// The runtime's own code: package runtime and, from Go 1.23, internal/runtime/...
bool IsRuntimeFunc(const std::string& func);

// True for the goroutines no server can be blamed for: the Go runtime's own background
// goroutines (every frame in runtime.*), signal handling, and the goroutines that serve the
// dump request itself (runtime/pprof, net/http/pprof, the connection's background read).
bool IsBuiltinIgnored(const Goroutine& g);

// Which entry of rules.ignore matches `g` first; -1 for none. The built-in list is apart.
int MatchingIgnore(const Goroutine& g, const LeakRules& rules);
// Whether `g` is left out: the built-in list (when on), or an ignore entry.
bool IsIgnored(const Goroutine& g, const LeakRules& rules);

// The function a report names a goroutine by: the first frame in user code (package main
// or an import path with a dot, e.g. github.com/x), else the created-by, else the top frame.
std::string NameOf(const Goroutine& g);

struct Verdict {
  bool leaked = false;                 // proven_leaked || rules_broken
  bool proven_leaked = false;          // more proven leaks than max_proven
  bool rules_broken = false;           // the suspect and new-goroutine limits
  int64_t proven_count = 0;            // goroutines the runtime proved leaked (not at baseline)
  int64_t suspect_count = 0;           // goroutines matching a suspect, counted
  int64_t new_count = 0;               // goroutines not in the baseline, counted (0 without one)
  std::vector<Bucket> proven_buckets;  // the proven leaks, apart from the rest
  std::vector<Bucket> suspect_buckets;  // of the limits that broke; every suspect when none did
  std::vector<Bucket> new_buckets;     // new goroutines that are not suspects
  // Per rules.ignore entry with a reason: the goroutines it kept out (new since the baseline,
  // or proven leaked since), and the name of the first; 0 and "" for the other entries.
  std::vector<int64_t> known_counts;
  std::vector<std::string> known_names;
  // One line: "2 leaked goroutines: main.(*Server).logsContainer ×1, main.readLogMessages ×1";
  // proven leaks first: "1 proven leak (Go runtime leak detector):
  // main.(*Server).execContainer.func1 ×1 [chan send]". "" when nothing leaked.
  std::string message;
  // The grouped stacks behind the message, for a <failure> body.
  std::string detail;
};

// Judges `dump` by `rules`. With `baseline_ids`, only goroutines whose id is not in it count
// (suspects too: what was there before the scenario is not its leak). A goroutine the runtime
// marked leaked is a proven leak unless its id is in `baseline_leaked` (already leaked then);
// proven leaks skip min_wait (the proof needs no waiting) but not the ignore lists.
Verdict Judge(const GroupedDump& dump, const IdSet* baseline_ids, const LeakRules& rules,
              const IdSet* baseline_leaked = nullptr);
// The same for a parsed dump (grouped first).
Verdict Judge(const Dump& dump, const IdSet* baseline_ids, const LeakRules& rules,
              const IdSet* baseline_leaked = nullptr);

}  // namespace leakprobe

#endif  // LEAKPROBE_MATCHERS_VERDICT_H_
