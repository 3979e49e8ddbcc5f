#include "matchers/stack_counts.h"

#include <algorithm>
#include <vector>

#include "matchers/triage.h"

namespace leakprobe {

namespace {

constexpr size_t kKeyFrames = 20;

// The frames both views print: debug=2 hides the runtime's unexported frames (Go 1.21+ keeps
// the ones on top, runtime.gopark...), debug=1 hides those on top and prints the rest
// (runtime.main below main.main). So neither counts, unless every frame is the runtime's.
std::vector<const Frame*> Shown(const Goroutine& g) {
  std::vector<const Frame*> out;
  for (const Frame& f : g.frames) {
    if (!IsRuntimeFunc(f.func)) out.push_back(&f);
  }
  if (out.empty()) {
    for (const Frame& f : g.frames) out.push_back(&f);
  }
  return out;
}

}  // namespace

std::string CountKey(const Goroutine& g) {
  std::string key;
  std::vector<const Frame*> shown = Shown(g);
  for (size_t i = 0; i < shown.size() && i < kKeyFrames; ++i) {
    key += shown[i]->func + " " + shown[i]->file + ":" + std::to_string(shown[i]->line) + "\n";
  }
  return key;
}

std::string CountSignature(const Goroutine& g) {
  std::string sig;
  for (const Frame* f : Shown(g)) {
    sig += f->func;
    sig += '\n';
  }
  return sig;
}

std::string CountSignatureOf(const std::string& growth_signature) {
  std::vector<std::string> funcs;
  bool all_runtime = true;
  size_t pos = 0;
  while (pos < growth_signature.size()) {
    size_t end = growth_signature.find('\n', pos);
    if (end == std::string::npos) end = growth_signature.size();
    std::string func = growth_signature.substr(pos, end - pos);
    pos = end + 1;
    if (func.empty() || func[0] == '<') continue;
    all_runtime = all_runtime && IsRuntimeFunc(func);
    funcs.push_back(std::move(func));
  }
  std::string sig;
  for (const std::string& f : funcs) {
    if (all_runtime || !IsRuntimeFunc(f)) sig += f + "\n";
  }
  return sig;
}

bool CountedUnder(const Goroutine& g, const std::string& signature) {
  std::string mine = CountSignature(g);
  if (mine == signature) return true;
  // debug=1 stops at 32 program counters, its hidden runtime frames among them.
  size_t depth = static_cast<size_t>(std::count(signature.begin(), signature.end(), '\n'));
  return depth >= kKeyFrames && mine.compare(0, signature.size(), signature) == 0;
}

StackCounts::StackCounts(const GroupedDump& dump) {
  const bool full = dump.format != "debug=1";
  for (const Bucket& b : dump.buckets) {
    Entry& e = entries_[CountKey(b.sample)];
    e.count += b.count;
    if (b.sample.leaked) e.leaked += b.count;
    if (full && !e.has_sample) {
      e.has_sample = true;
      e.sample = b.sample;
      e.sample.leaked = false;
    }
  }
}

void StackCounts::MaxWith(const StackCounts& other) {
  for (const auto& [key, theirs] : other.entries_) {
    Entry& mine = entries_[key];
    mine.count = std::max(mine.count, theirs.count);
    mine.leaked = std::max(mine.leaked, theirs.leaked);
    if (!mine.has_sample && theirs.has_sample) {
      mine.has_sample = true;
      mine.sample = theirs.sample;
    }
  }
}

int64_t StackCounts::Count(const std::string& key) const {
  auto it = entries_.find(key);
  return it == entries_.end() ? 0 : it->second.count;
}

int64_t StackCounts::Leaked(const std::string& key) const {
  auto it = entries_.find(key);
  return it == entries_.end() ? 0 : it->second.leaked;
}

const Goroutine* StackCounts::Sample(const std::string& key) const {
  auto it = entries_.find(key);
  return it == entries_.end() || !it->second.has_sample ? nullptr : &it->second.sample;
}

void UseFullSamples(const StackCounts& baseline, GroupedDump* counts) {
  for (Bucket& b : counts->buckets) {
    const Goroutine* full = b.sample.frames.empty() ? nullptr : baseline.Sample(CountKey(b.sample));
    if (!full) continue;
    Goroutine g = *full;
    g.labels = std::move(b.sample.labels);
    g.leaked = b.sample.leaked;
    g.count = b.sample.count;
    b.sample = std::move(g);
  }
}

GroupedDump ExcessOverBaseline(const GroupedDump& poll, const GroupedDump* leaked, const StackCounts* baseline) {
  const StackCounts none;
  if (!baseline) baseline = &none;
  StackCounts now(poll);
  StackCounts proven = leaked ? StackCounts(*leaked) : StackCounts();
  GroupedDump out;
  out.format = "debug=1";
  out.declared_total = poll.declared_total;
  out.warnings = poll.warnings;
  auto add = [&](const Goroutine& shown, const std::string& key, int64_t excess, bool is_leaked) {
    if (excess <= 0) return;
    Bucket b;
    const Goroutine* full = baseline->Sample(key);
    b.sample = full ? *full : shown;
    b.sample.leaked = is_leaked;
    b.sample.count = excess;
    b.count = excess;
    out.buckets.push_back(std::move(b));
  };
  // Proven first: what the runtime proved leaked since the baseline, per stack.
  std::map<std::string, int64_t> proven_excess;
  if (leaked) {
    std::map<std::string, bool> seen;
    for (const Bucket& b : leaked->buckets) {
      std::string key = CountKey(b.sample);
      if (seen[key]) continue;
      seen[key] = true;
      int64_t excess = proven.Leaked(key) - baseline->Leaked(key);
      proven_excess[key] = std::max<int64_t>(0, excess);
      add(b.sample, key, excess, true);
    }
  }
  std::map<std::string, bool> seen;
  for (const Bucket& b : poll.buckets) {
    // "1 @ 0x491c41": a goroutine that has not run yet shows only runtime.goexit, which
    // debug=1 hides. It is judged once it has a stack.
    if (b.sample.frames.empty()) continue;
    std::string key = CountKey(b.sample);
    if (seen[key]) continue;
    seen[key] = true;
    auto p = proven_excess.find(key);
    int64_t already = p == proven_excess.end() ? 0 : p->second;
    add(b.sample, key, now.Count(key) - baseline->Count(key) - already, false);
  }
  SortBuckets(&out.buckets);
  return out;
}

}  // namespace leakprobe
