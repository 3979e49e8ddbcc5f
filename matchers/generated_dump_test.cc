// Dumps made here and now by examples/dumpgen, which parks goroutines of known kinds and
// records runtime.NumGoroutine() at the moment of the dump: the parser's counts, states and
// created-by lines are checked against that truth, in debug=2 and debug=1.
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>
#include <sstream>
#include <string>

#include <gtest/gtest.h>

#include "matchers/dump_parser.h"

namespace leakprobe {
namespace {

std::string Slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// The state Go 1.19 prints for each dumpgen kind. Newer Go names the sync waits itself.
std::map<std::string, std::string> StateOfKind(bool go119) {
  return {
      {"request (chan receive, 4 frames)", "chan receive"},
      {"chan send", "chan send"},
      {"select", "select"},
      {"select (no cases)", "select (no cases)"},
      {"sync.Mutex.Lock", go119 ? "semacquire" : "sync.Mutex.Lock"},
      {"sync.WaitGroup.Wait", go119 ? "semacquire" : "sync.WaitGroup.Wait"},
      {"sync.Cond.Wait", "sync.Cond.Wait"},
      {"sleep", "sleep"},
      {"IO wait (pipe read)", "IO wait"},
      {"nil chan receive", "chan receive (nil chan)"},
      {"nil chan send", "chan send (nil chan)"},
      {"pprof labels", "chan receive"},
      {"generic F[...]", "chan receive"},
      {"closure func1 (go func(){...}())", "chan receive"},
      {"created by another goroutine", "chan receive"},
      {"deep recursion (150)", "chan receive"},
      {"chan send (orphan channel, leaked)", "chan send"},
      {"pprof labels (quoted values), leaked", "chan send"},
      {"pprof labels inherited from the creator", "chan receive"},
  };
}

class GeneratedDump : public ::testing::Test {
 protected:
  static constexpr int kN = 3000;
  void SetUp() override {
    char tmpl[] = "/tmp/leakprobe-dumpgen-XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
    std::string cmd = std::string(LEAKPROBE_DUMPGEN) + " -n " + std::to_string(kN) + " -debug2 " +
                      dir_ + "/d2.txt -debug1 " + dir_ + "/d1.txt -count " + dir_ + "/count.txt -manifest " +
                      dir_ + "/manifest.txt 2>/dev/null";
    ASSERT_EQ(std::system(cmd.c_str()), 0) << cmd;
    count_ = std::stoll(Slurp(dir_ + "/count.txt"));
    std::istringstream manifest(Slurp(dir_ + "/manifest.txt"));
    std::string line;
    while (std::getline(manifest, line)) {
      size_t tab = line.find('\t');
      kinds_[line.substr(tab + 1)] = std::stoll(line.substr(0, tab));
    }
  }
  void TearDown() override { std::system(("rm -rf " + dir_).c_str()); }

  std::string dir_;
  int64_t count_ = 0;
  std::map<std::string, int64_t> kinds_;
};

TEST_F(GeneratedDump, Debug2CountsStatesAndCreators) {
  ASSERT_EQ(count_, kN + 1);  // the parked ones and main
  Dump d = ParseDump(Slurp(dir_ + "/d2.txt"));
  EXPECT_EQ(d.format, "debug=2");
  EXPECT_EQ(d.Total(), count_);
  EXPECT_TRUE(d.warnings.empty()) << d.warnings[0];

  bool go119 = std::string(LEAKPROBE_GO_VERSION).rfind("go1.19", 0) == 0;
  std::map<std::string, int64_t> want_states = {{"running", 1}};  // main, writing the dump
  const std::map<std::string, std::string> state_of = StateOfKind(go119);
  for (const auto& [kind, n] : kinds_) {
    auto it = state_of.find(kind);
    ASSERT_NE(it, state_of.end()) << "dumpgen has a kind this test does not know: " << kind;
    if (n) want_states[it->second] += n;
  }
  std::map<std::string, int64_t> states, creators;
  int64_t with_creator = 0, labels_seen = 0;
  for (const Goroutine& g : d.goroutines) {
    states[g.state] += 1;
    EXPECT_EQ(g.wait_minutes, 0);
    if (g.has_created_by) {
      ++with_creator;
      creators[g.created_by.func] += 1;
      EXPECT_FALSE(g.created_by.file.empty());
      EXPECT_GT(g.created_by.line, 0);
    }
    for (const Frame& f : g.frames) {
      EXPECT_FALSE(f.func.empty());
      EXPECT_GT(f.line, 0) << f.func;
    }
    labels_seen += !g.labels.empty();
  }
  EXPECT_EQ(states, want_states);
  EXPECT_EQ(with_creator, kN);
  int64_t closures = kinds_["closure func1 (go func(){...}())"];
  int64_t relays = kinds_["created by another goroutine"];
  int64_t inherited = kinds_["pprof labels inherited from the creator"];
  std::map<std::string, int64_t> want_creators = {{"main.spawnAll", kN - closures - relays - inherited},
                                                  {"main.spawnClosure", closures},
                                                  {"main.startRelay", 1},
                                                  {"main.relay", relays - 1},
                                                  {"main.startInherited.func1", inherited}};
  EXPECT_EQ(creators, want_creators);
}

TEST_F(GeneratedDump, Debug1TotalsAndLabels) {
  Dump d = ParseDump(Slurp(dir_ + "/d1.txt"));
  EXPECT_EQ(d.format, "debug=1");
  EXPECT_EQ(d.declared_total, count_);
  EXPECT_EQ(d.Total(), count_);
  EXPECT_TRUE(d.warnings.empty()) << d.warnings[0];
  int64_t workers = 0, labeled = 0;
  for (const Goroutine& g : d.goroutines) {
    if (g.labels.empty()) continue;
    labeled += g.count;
    if (g.labels[0].second != "worker") continue;
    workers += g.count;
    ASSERT_EQ(g.labels.size(), 2u) << FormatLabels(g.labels);
    EXPECT_EQ(g.labels[0], (std::pair<std::string, std::string>("component", "worker")));
    EXPECT_EQ(g.labels[1].first, "shard");
  }
  EXPECT_EQ(workers, kinds_["pprof labels"]);
  // live_dump_test.cc checks every label of every kind against dumpgen's own account.
  EXPECT_EQ(labeled, kinds_["pprof labels"] + kinds_["pprof labels (quoted values), leaked"] +
                         kinds_["pprof labels inherited from the creator"]);
}

}  // namespace
}  // namespace leakprobe
