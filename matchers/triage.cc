#include "matchers/triage.h"

#include <algorithm>

namespace leakprobe {

namespace {

bool StartsWith(const std::string& s, const char* prefix) {
  return s.rfind(prefix, 0) == 0;
}

// Frames that mark the goroutine serving a dump request, or signal plumbing.
const char* const kServingFrames[] = {
    "runtime/pprof.writeGoroutine",
    "runtime/pprof.writeGoroutineStacks",
    "runtime/pprof.(*Profile).WriteTo",
    "net/http/pprof.handler.ServeHTTP",
    "net/http/pprof.Index",
    "net/http.(*connReader).backgroundRead",
    "os/signal.signal_recv",
    "os/signal.loop",
    "runtime.ensureSigM",
};

}  // namespace

bool IsRuntimeFunc(const std::string& func) {
  return StartsWith(func, "runtime.") || StartsWith(func, "internal/runtime/");
}

bool IsBuiltinIgnored(const Goroutine& g) {
  bool all_runtime = !g.frames.empty();
  for (const Frame& f : g.frames) {
    // Every serving frame is in runtime..., net/... or os/...: most frames are not looked up.
    const char first = f.func.empty() ? '\0' : f.func[0];
    if (first == 'r' || first == 'n' || first == 'o') {
      for (const char* serving : kServingFrames) {
        if (f.func == serving) return true;
      }
    }
    if (all_runtime && !IsRuntimeFunc(f.func)) all_runtime = false;
  }
  // The pre-started read of the connection that asks for the dump.
  if (g.created_by.func == "net/http.(*connReader).startBackgroundRead") return true;
  // Started by the runtime, or for it by a package hook the runtime links to
  // (Go 1.23's "created by unique.runtime_registerUniqueMapCleanup").
  return all_runtime && (!g.has_created_by || IsRuntimeFunc(g.created_by.func) ||
                         g.created_by.func.find(".runtime_") != std::string::npos);
}

int MatchingIgnore(const Goroutine& g, const LeakRules& rules) {
  for (size_t i = 0; i < rules.ignore.size(); ++i) {
    if (rules.ignore[i].Matches(g)) return static_cast<int>(i);
  }
  return -1;
}

bool IsIgnored(const Goroutine& g, const LeakRules& rules) {
  return (rules.builtin_ignores && IsBuiltinIgnored(g)) || MatchingIgnore(g, rules) >= 0;
}

Triage TriageStack(const Goroutine& g, const LeakRules& rules) {
  if (rules.builtin_ignores && IsBuiltinIgnored(g)) return {Fate::kBuiltinIgnored, -1};
  if (int i = MatchingIgnore(g, rules); i >= 0) return {Fate::kIgnored, i};
  if (g.leaked) return {Fate::kProven, -1};
  for (size_t i = 0; i < rules.suspects.size(); ++i) {
    if (rules.suspects[i].Matches(g)) return {Fate::kSuspect, static_cast<int>(i)};
  }
  return {Fate::kOther, -1};
}

Triage TriageGoroutine(const Goroutine& g, const LeakRules& rules) {
  Triage t = TriageStack(g, rules);
  if ((t.fate == Fate::kSuspect || t.fate == Fate::kOther) && g.wait_minutes < rules.min_wait_minutes) {
    t.fate = Fate::kTooYoung;
  }
  return t;
}

Bucket NewMembers(const Bucket& b, const IdSet* baseline, int min_wait) {
  Bucket out;
  out.sample = b.sample;
  if (b.ids.empty()) {
    if (b.sample.wait_minutes >= min_wait) out.count = b.count;
    out.min_wait_minutes = b.min_wait_minutes;
    out.max_wait_minutes = b.max_wait_minutes;
    return out;
  }
  bool first = true;
  for (size_t i = 0; i < b.ids.size(); ++i) {
    int wait = i < b.waits.size() ? b.waits[i] : 0;
    if (wait < min_wait || (baseline && baseline->Contains(b.ids[i]))) continue;
    out.ids.push_back(b.ids[i]);
    out.waits.push_back(wait);
    out.min_wait_minutes = first ? wait : std::min(out.min_wait_minutes, wait);
    out.max_wait_minutes = first ? wait : std::max(out.max_wait_minutes, wait);
    first = false;
  }
  out.count = static_cast<int64_t>(out.ids.size());
  return out;
}

void EarlierStackCounts::Add(const Goroutine& g) { counts_[StackKey(g)] += g.count; }

int64_t EarlierStackCounts::Growth(const Bucket& b) const {
  auto it = counts_.find(StackKey(b.sample));
  return std::max<int64_t>(0, b.count - (it == counts_.end() ? 0 : it->second));
}

}  // namespace leakprobe
