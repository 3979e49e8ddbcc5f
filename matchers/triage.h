// The rules that decide what each goroutine of a dump is to a leak check: the one set that
// `run`'s leak check (verdict.h), `leakprobe scan` and `leakprobe diff` all apply. Pure; no
// I/O; thread-safe (LeakRules is read only).
//
// A goroutine's fate is the first of these that holds:
//   1. built-in ignored: the Go runtime's own goroutines, signal handling, and those serving
//      the dump request (IsBuiltinIgnored), unless LeakRules::builtin_ignores is off;
//   2. ignored: an entry of LeakRules::ignore matches it (the first one counts);
//   3. proven: the Go runtime's leak detector marked it ("[chan send (leaked)]"); proven
//      leaks need no waiting, so min-wait does not apply to them;
//   4. too young: it has waited fewer than LeakRules::min_wait_minutes
//      ("[chan receive, 2 minutes]" against min_wait 5);
//   5. suspect: an entry of LeakRules::suspects matches it (the first one counts);
//   6. other: the rest.
// The baseline diff says which goroutines of a later dump were not in an earlier one: by id
// (debug=2 dumps), or, for dumps without ids (debug=1), by how much each stack's count grew.
#ifndef LEAKPROBE_MATCHERS_TRIAGE_H_
#define LEAKPROBE_MATCHERS_TRIAGE_H_

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "matchers/bucket.h"
#include "matchers/goroutine.h"
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

enum class Fate { kBuiltinIgnored, kIgnored, kProven, kTooYoung, kSuspect, kOther };

struct Triage {
  Fate fate = Fate::kOther;
  // The entry that decided it: of rules.ignore for kIgnored, of rules.suspects for kSuspect
  // (and for kTooYoung when a suspect matches it); -1 otherwise.
  int rule = -1;
};

// Rules 1-6 for one goroutine, its own wait included.
Triage TriageGoroutine(const Goroutine& g, const LeakRules& rules);
// Rules 1, 2, 3, 5 and 6 for a stack: what every member of a bucket is, whatever each waits.
// A caller that holds buckets applies min-wait per member (NewMembers).
Triage TriageStack(const Goroutine& sample, const LeakRules& rules);

// The members of `b` that count: not among `baseline` (when given) and waiting at least
// `min_wait` minutes. A bucket without ids (debug=1 records show no waits either) counts
// whole when its sample's wait passes. The result keeps b's sample, its ids and their waits.
Bucket NewMembers(const Bucket& b, const IdSet* baseline, int min_wait);

// An earlier dump without ids, as its count per stack (StackKey), to diff a later one by.
class EarlierStackCounts {
 public:
  void Add(const Goroutine& g);
  // How many goroutines more `b`'s stack has than the earlier dump had; 0 when no more.
  int64_t Growth(const Bucket& b) const;

 private:
  std::map<std::string, int64_t> counts_;
};

}  // namespace leakprobe

#endif  // LEAKPROBE_MATCHERS_TRIAGE_H_
