// Dumps captured live, now, from examples/dumpgen built with each Go toolchain of this build
// (Debian's default Go 1.19 always; a Go 1.21-1.23 and Go 1.27 when scripts/setup fetched them),
// read by the parser and checked exactly against what the Go program says about itself
// (dumpgen -manifest-json): every parked goroutine by id, with its state, function, pprof
// labels, created-by and parent; the goroutine leak profile's leaked set; and that suspect
// patterns find the labelled goroutines. Captures: goroutine debug=2 and debug=1, the
// goroutineleak profile at debug=2 and debug=1, a panic trace and a SIGQUIT trace.
#include <sys/wait.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "matchers/dump_parser.h"
#include "matchers/grouped_dump.h"
#include "matchers/pattern.h"
#include "matchers/stack_counts.h"
#include "matchers/verdict.h"

namespace leakprobe {
namespace {

// One build of dumpgen: "go1.27.4" and its path, from LEAKPROBE_DUMPGEN_BUILDS
// ("go1.19.8=/b/examples/dumpgen|go1.27.4=/b/examples/go1.27/dumpgen").
struct Build {
  std::string version;
  int minor = 0;  // 27
  std::string dumpgen;
};

std::vector<Build> Builds() {
  std::vector<Build> out;
  std::stringstream all(LEAKPROBE_DUMPGEN_BUILDS);
  for (std::string item; std::getline(all, item, '|');) {
    size_t eq = item.find('=');
    if (eq == std::string::npos || item.compare(0, 4, "go1.") != 0) continue;
    Build b{item.substr(0, eq), std::atoi(item.c_str() + 4), item.substr(eq + 1)};
    out.push_back(b);
  }
  return out;
}

// The toolchains the suite promises, each a range of Go minor versions.
struct Slot {
  const char* name;
  int lo, hi;
  const char* package;  // what scripts/setup fetches for it ("" for Debian's default)
};
const Slot kSlots[] = {
    {"Go119", 19, 19, ""},
    {"Go121to123", 21, 23, "golang-1.23-go"},
    {"Go127", 27, 27, "golang-1.27-go"},
};

void PrintTo(const Slot& slot, std::ostream* os) { *os << slot.name; }

std::string Slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

bool Exists(const std::string& path) { return std::ifstream(path).good(); }

// What -manifest-json says about one goroutine.
struct Truth {
  int64_t id;
  std::string kind, state, func;
  Labels labels;
  std::string created_by;
  int64_t parent;
  bool leaked;
};

struct Manifest {
  std::string go_version;
  bool leak_profile = false;
  int64_t main_id = -1;
  std::vector<Truth> goroutines;
};

Manifest ReadManifest(const std::string& path) {
  nlohmann::json j = nlohmann::json::parse(Slurp(path));
  Manifest m;
  m.go_version = j.at("go_version").get<std::string>();
  m.leak_profile = j.at("leak_profile").get<bool>();
  m.main_id = j.at("main").at("id").get<int64_t>();
  for (const auto& g : j.at("goroutines")) {
    Truth t{g.at("id").get<int64_t>(), g.at("kind").get<std::string>(),
            g.at("state").get<std::string>(), g.at("func").get<std::string>(), {},
            g.at("created_by").get<std::string>(), g.at("parent").get<int64_t>(),
            g.at("leaked").get<bool>()};
    for (const auto& kv : g.at("labels")) t.labels.emplace_back(kv.at(0), kv.at(1));
    m.goroutines.push_back(t);
  }
  return m;
}

bool HasFrame(const Goroutine& g, const std::string& func) {
  for (const Frame& f : g.frames) {
    if (f.func == func) return true;
  }
  return false;
}

// The runtime's own goroutines, which crash traces show: every frame in package runtime or
// internal/runtime/... ("goroutine 0 [idle]" in internal/runtime/syscall/linux.EpollWait,
// "[GC sweep wait]", Go 1.23's unique map cleanup, "created by
// unique.runtime_registerUniqueMapCleanup").
bool AllRuntime(const Goroutine& g) {
  for (const Frame& f : g.frames) {
    std::string pkg = f.Package();
    if (pkg != "runtime" && pkg.rfind("internal/runtime/", 0) != 0) return false;
  }
  return !g.frames.empty();
}

// Judges `dump` with one suspect pattern, or (`ignore`) with it as the one ignore pattern.
Verdict JudgeWith(const Dump& dump, PatternTarget target, const std::string& text, bool ignore) {
  Result<Pattern> p = Pattern::Make(target, false, text);
  EXPECT_TRUE(p.ok()) << text;
  LeakRules rules;
  if (p.ok()) (ignore ? rules.ignore : rules.suspects).push_back(p.value());
  return Judge(dump, nullptr, rules);
}

class LiveDump : public ::testing::TestWithParam<Slot> {
 protected:
  void SetUp() override {
    const Slot& slot = GetParam();
    for (const Build& b : Builds()) {
      if (b.minor >= slot.lo && b.minor <= slot.hi && b.minor >= build_.minor) build_ = b;
    }
    if (build_.dumpgen.empty()) {
      std::string range = slot.lo == slot.hi ? "Go 1." + std::to_string(slot.lo)
                                             : "Go 1." + std::to_string(slot.lo) + "-1." +
                                                   std::to_string(slot.hi);
      GTEST_SKIP() << "no dumpgen built with " << range << " in this build: scripts/setup fetches "
                   << (*slot.package ? slot.package : "golang-go") << " into build/toolchains/ "
                   << "(from deb.debian.org; see docs/dependencies.md), then build again";
    }
    char tmpl[] = "/tmp/leakprobe-livedump-XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
  }
  void TearDown() override {
    if (!dir_.empty()) std::system(("rm -rf " + dir_).c_str());
  }

  // Runs dumpgen with `flags` (its stderr to dir_/stderr), reads its manifest; the exit status.
  int Run(const std::string& flags) {
    // GOTRACEBACK and GODEBUG from the caller's environment would change what is printed.
    std::string cmd = "GOTRACEBACK=single GODEBUG= " + build_.dumpgen + " -n " + std::to_string(kN) +
                      " -manifest-json " + dir_ + "/manifest.json " + flags + " 2>" + dir_ + "/stderr";
    int status = std::system(cmd.c_str());
    manifest_ = ReadManifest(dir_ + "/manifest.json");
    EXPECT_EQ(manifest_.go_version.rfind(build_.version, 0), 0u) << manifest_.go_version;
    EXPECT_EQ(manifest_.goroutines.size(), size_t{kN});
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  }
  Dump Parse(const std::string& file) { return ParseDump(Slurp(dir_ + "/" + file)); }

  // Labels in traceback headers: Go 1.27, since its build's module says go 1.27.
  bool HeaderLabels() const { return build_.minor >= 27; }
  // "created by F in goroutine N": Go 1.21 and later.
  bool ParentIds() const { return build_.minor >= 21; }

  // A dump with every goroutine's stack: each parked one by id, exactly as the manifest says;
  // main; and, in a crash trace (`runtime_others`), the runtime's own goroutines and nothing
  // else. `leaked_marks`: the leak detector has run, so leaked ones say "(leaked)".
  void CheckFullDump(const Dump& d, bool leaked_marks, bool runtime_others, const char* main_state) {
    EXPECT_EQ(d.format, "debug=2");
    EXPECT_TRUE(d.warnings.empty()) << d.warnings.size() << " warnings, first: " << d.warnings[0];
    std::map<int64_t, const Goroutine*> by_id;
    for (const Goroutine& g : d.goroutines) {
      EXPECT_EQ(g.count, 1);
      EXPECT_TRUE(by_id.emplace(g.id, &g).second) << "goroutine " << g.id << " twice";
    }
    std::map<std::string, int64_t> want_states, states;
    for (const Truth& t : manifest_.goroutines) {
      SCOPED_TRACE("goroutine " + std::to_string(t.id) + " (" + t.kind + ")");
      auto it = by_id.find(t.id);
      if (it == by_id.end()) {
        ADD_FAILURE() << "missing from the dump";
        continue;
      }
      const Goroutine& g = *it->second;
      want_states[t.state] += 1;
      states[g.state] += 1;
      EXPECT_EQ(g.state, t.state);
      EXPECT_TRUE(HasFrame(g, t.func)) << "no frame " << t.func;
      EXPECT_EQ(g.labels, HeaderLabels() ? t.labels : Labels{}) << FormatLabels(g.labels);
      EXPECT_TRUE(g.has_created_by);
      EXPECT_EQ(g.created_by.func, t.created_by);
      EXPECT_EQ(g.parent_id, ParentIds() ? t.parent : -1);
      EXPECT_EQ(g.leaked, leaked_marks && t.leaked);
      EXPECT_FALSE(g.durable);
      EXPECT_EQ(g.wait_minutes, 0);
      by_id.erase(it);
    }
    EXPECT_EQ(states, want_states);
    auto main = by_id.find(manifest_.main_id);
    if (main == by_id.end()) {
      ADD_FAILURE() << "main (goroutine " << manifest_.main_id << ") missing";
    } else {
      EXPECT_TRUE(HasFrame(*main->second, "main.main"));
      if (main_state) {
        EXPECT_EQ(main->second->state, main_state);
      }
      by_id.erase(main);
    }
    for (const auto& [id, g] : by_id) {
      EXPECT_TRUE(runtime_others && AllRuntime(*g))
          << "goroutine " << id << " [" << g->state << "] is neither in the manifest nor the runtime's";
    }
  }

  // A debug=1 profile of `want` (the manifest's goroutines it holds) plus `extra` others:
  // the declared total, and per function and per label set the counts the manifest gives.
  void CheckProfile(const Dump& d, const std::vector<const Truth*>& want, int64_t extra, bool leaked) {
    EXPECT_EQ(d.format, "debug=1");
    EXPECT_TRUE(d.warnings.empty()) << d.warnings.size() << " warnings, first: " << d.warnings[0];
    EXPECT_EQ(d.declared_total, int64_t(want.size()) + extra);
    EXPECT_EQ(d.Total(), d.declared_total);
    std::map<std::string, int64_t> want_funcs, funcs;
    std::map<Labels, int64_t> want_labels, labels;
    for (const Truth* t : want) {
      want_funcs[t->func] += 1;
      want_labels[t->labels] += 1;
    }
    if (extra) want_labels[Labels{}] += extra;
    for (const Goroutine& g : d.goroutines) {
      EXPECT_EQ(g.leaked, leaked);
      labels[g.labels] += g.count;
      for (const auto& [func, n] : want_funcs) {
        if (HasFrame(g, func)) funcs[func] += g.count;
      }
    }
    EXPECT_EQ(funcs, want_funcs);
    EXPECT_EQ(labels, want_labels);
  }

  // The leak check finds every labelled goroutine of `held` (the manifest's goroutines in `d`):
  // one the runtime proved leaked (`leaked_marks`) is a proven leak, named by its function,
  // without any pattern, and an ignore pattern on one of its labels takes it out; any other is
  // found by a suspect keyword on its function and by a label pattern on each of its labels
  // (only where the dump shows labels).
  void CheckSuspects(const Dump& d, const std::vector<const Truth*>& held, bool shows_labels,
                     bool leaked_marks) {
    int64_t proven = 0, labelled = 0;
    std::map<std::string, int64_t> open_funcs, open_labels, proven_labels;
    std::set<std::string> proven_funcs;
    for (const Truth* t : held) {
      bool is_proven = leaked_marks && t->leaked;
      proven += is_proven;
      if (t->labels.empty()) continue;
      ++labelled;
      if (is_proven) {
        proven_funcs.insert(t->func);
      } else {
        open_funcs[t->func] += 1;
      }
      for (const auto& kv : t->labels) (is_proven ? proven_labels : open_labels)[LabelText(kv)] += 1;
    }
    EXPECT_GT(labelled, 0) << "no labelled goroutine to look for";
    Verdict plain = Judge(d, nullptr, LeakRules{});
    EXPECT_EQ(plain.proven_count, proven);
    EXPECT_EQ(plain.leaked, proven > 0);
    for (const std::string& func : proven_funcs) {
      EXPECT_NE(plain.message.find(func), std::string::npos) << plain.message;
    }
    for (const auto& [func, n] : open_funcs) {
      EXPECT_EQ(JudgeWith(d, PatternTarget::kAnyFrame, func, false).suspect_count, n) << func;
    }
    for (const auto& [label, n] : open_labels) {
      EXPECT_EQ(JudgeWith(d, PatternTarget::kLabel, label, false).suspect_count, shows_labels ? n : 0)
          << label;
    }
    for (const auto& [label, n] : proven_labels) {
      EXPECT_EQ(JudgeWith(d, PatternTarget::kLabel, label, true).proven_count,
                proven - (shows_labels ? n : 0))
          << label;
    }
  }

  std::vector<const Truth*> All() const {
    std::vector<const Truth*> out;
    for (const Truth& t : manifest_.goroutines) out.push_back(&t);
    return out;
  }
  std::vector<const Truth*> Leaked() const {
    std::vector<const Truth*> out;
    for (const Truth& t : manifest_.goroutines) {
      if (t.leaked) out.push_back(&t);
    }
    return out;
  }

  static constexpr int kN = 60;  // every dumpgen kind at least once
  Build build_;
  std::string dir_;
  Manifest manifest_;
};

TEST_P(LiveDump, GoroutineProfiles) {
  ASSERT_EQ(Run("-debug2 " + dir_ + "/d2.txt -debug1 " + dir_ + "/d1.txt"), 0) << Slurp(dir_ + "/stderr");
  Dump d2 = Parse("d2.txt");
  CheckFullDump(d2, /*leaked_marks=*/false, /*runtime_others=*/false, "running");
  CheckSuspects(d2, All(), HeaderLabels(), /*leaked_marks=*/false);
  Dump d1 = Parse("d1.txt");
  CheckProfile(d1, All(), /*extra=*/1, /*leaked=*/false);  // and main
  CheckSuspects(d1, All(), /*shows_labels=*/true, /*leaked_marks=*/false);
}

// The two views of the same moment meet stack by stack (stack_counts.h): every stack of the
// debug=1 profile has the count the debug=2 dump gives it, but main's, which each prints
// from where it stood while it dumped.
TEST_P(LiveDump, CountsMeetTheFullStacks) {
  ASSERT_EQ(Run("-debug2 " + dir_ + "/d2.txt -debug1 " + dir_ + "/d1.txt"), 0) << Slurp(dir_ + "/stderr");
  GroupedDump d2 = GroupDump(Parse("d2.txt"));
  GroupedDump d1 = GroupDump(Parse("d1.txt"));
  StackCounts full(d2), counts(d1);
  int64_t met = 0;
  std::set<std::string> seen;  // records that differ in labels only share a key
  for (const Bucket& b : d1.buckets) {
    std::string key = CountKey(b.sample);
    if (key.find("main.main ") != std::string::npos || !seen.insert(key).second) continue;
    EXPECT_EQ(full.Count(key), counts.Count(key)) << key;
    met += counts.Count(key);
  }
  EXPECT_EQ(met, d1.Total() - 1);
  EXPECT_GE(met, kN);
}

TEST_P(LiveDump, LeakProfile) {
  ASSERT_EQ(Run("-leak2 " + dir_ + "/l2.txt -leak1 " + dir_ + "/l1.txt"), 0) << Slurp(dir_ + "/stderr");
  if (build_.minor < 26) {  // the runtime has none, and says so
    EXPECT_FALSE(manifest_.leak_profile);
    EXPECT_FALSE(Exists(dir_ + "/l2.txt"));
    EXPECT_NE(Slurp(dir_ + "/stderr").find("has no goroutineleak profile"), std::string::npos);
    return;
  }
  ASSERT_TRUE(manifest_.leak_profile);
  ASSERT_FALSE(Leaked().empty());
  Dump l2 = Parse("l2.txt");
  CheckFullDump(l2, /*leaked_marks=*/true, /*runtime_others=*/false, "running");
  Dump l1 = Parse("l1.txt");
  CheckProfile(l1, Leaked(), /*extra=*/0, /*leaked=*/true);
  CheckSuspects(l1, Leaked(), /*shows_labels=*/true, /*leaked_marks=*/true);
  CheckSuspects(l2, All(), HeaderLabels(), /*leaked_marks=*/true);
}

TEST_P(LiveDump, PanicTrace) {
  EXPECT_EQ(Run("-crash panic"), 2);
  std::string trace = Slurp(dir_ + "/stderr");
  ASSERT_NE(trace.find("panic: dumpgen: -crash panic"), std::string::npos) << trace;
  Dump d = ParseDump(trace);
  CheckFullDump(d, /*leaked_marks=*/false, /*runtime_others=*/false, "running");
  CheckSuspects(d, All(), HeaderLabels(), /*leaked_marks=*/false);
}

TEST_P(LiveDump, SigquitTrace) {
  EXPECT_EQ(Run("-crash sigquit"), 2);
  std::string trace = Slurp(dir_ + "/stderr");
  ASSERT_NE(trace.find("SIGQUIT: quit"), std::string::npos) << trace;
  // The signal finds main sending it or already asleep: its state is not checked.
  Dump d = ParseDump(trace);
  CheckFullDump(d, /*leaked_marks=*/false, /*runtime_others=*/true, nullptr);
  CheckSuspects(d, All(), HeaderLabels(), /*leaked_marks=*/false);
}

INSTANTIATE_TEST_SUITE_P(Toolchains, LiveDump, ::testing::ValuesIn(kSlots),
                         [](const ::testing::TestParamInfo<Slot>& info) { return info.param.name; });

}  // namespace
}  // namespace leakprobe
