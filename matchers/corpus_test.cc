// Every real dump in ../shared/corpus/go-dumps/ read with exact expected values: the true
// goroutine count (for debug=1 the "total" line), the states, created-by and parent ids.
#include <fstream>
#include <map>
#include <sstream>
#include <string>

#include <gtest/gtest.h>

#include "matchers/dump_parser.h"

namespace leakprobe {
namespace {

std::string CorpusDir() { return std::string(LEAKPROBE_SHARED_DIR) + "/corpus/go-dumps/"; }

bool ReadCorpus(const std::string& name, std::string* text) {
  std::ifstream in(CorpusDir() + name, std::ios::binary);
  if (!in) return false;
  std::stringstream ss;
  ss << in.rdbuf();
  *text = ss.str();
  return true;
}

struct CorpusCase {
  const char* file;
  const char* format;
  int64_t total;          // goroutines in the dump, counted independently (grep / total line)
  int64_t records;        // Goroutine values delivered (debug=1 records are groups)
  int created_by;         // goroutines with a created-by line
  int with_parent;        // ... that name their parent ("in goroutine N")
  size_t warnings;
  std::map<std::string, int64_t> states;
};

const CorpusCase kCases[] = {
    {"andreW2KELO_debug1_concatenated_utf8paths_goUNKNOWN.txt", "debug=1", 16, 16, 0, 0, 0, {{"", 16}}},
    {"erigon_debug1_total20161_go1.21_trimpath.txt", "debug=1", 20161, 168, 0, 0, 0, {{"", 20161}}},
    {"goleak_http_go1.20.txt", "debug=2", 5, 5, 4, 0, 0, {{"IO wait", 2}, {"running", 1}, {"select", 2}}},
    {"goleak_http_go1.21plus.txt", "debug=2", 5, 5, 4, 4, 0, {{"IO wait", 2}, {"running", 1}, {"select", 2}}},
    {"goleak_http_tracebackancestors_go1.21plus.txt", "debug=2", 5, 5, 4, 4, 0, {{"IO wait", 2}, {"running", 1}, {"select", 2}}},
    {"goprofilernotes_debug1_labels_go1.15.txt", "debug=1", 9, 8, 0, 0, 0, {{"", 9}}},
    {"goprofilernotes_nethttppprof_debug2_go1.15.txt", "debug=2", 10, 10, 9, 0, 0,
     {{"IO wait", 3}, {"chan receive", 1}, {"running", 1}, {"select", 2}, {"sleep", 3}}},
    {"gostackparse_cgo_locked_go1.15.txt", "debug=2", 3, 3, 2, 0, 0, {{"running", 1}, {"sleep", 1}, {"syscall", 1}}},
    {"gostackparse_createdby_in_goroutine_go1.21.txt", "debug=2", 2, 2, 1, 1, 0, {{"running", 1}, {"semacquire", 1}}},
    {"gostackparse_frameselided_go1.15.txt", "debug=2", 1, 1, 0, 0, 0, {{"running", 1}}},
    {"gostackparse_frameselided_goroutine_go1.15.txt", "debug=2", 2, 2, 1, 0, 0, {{"chan receive", 1}, {"running", 1}}},
    {"gostackparse_lockedm_go1.15.txt", "debug=2", 1, 1, 1, 0, 0, {{"running", 1}}},
    {"gostackparse_malformed_errorhandling.txt", "debug=2", 3, 3, 1, 0, 2, {{"running", 3}}},
    {"gostackparse_tracebackancestors.txt", "debug=2", 3, 3, 2, 0, 0, {{"chan receive", 2}, {"running", 1}}},
    {"gostackparse_truncated_createdby.txt", "debug=2", 2, 2, 2, 0, 0, {{"running", 2}}},
    {"gostackparse_waitsince_minutes_go1.15.txt", "debug=2", 9, 9, 8, 0, 0,
     {{"IO wait", 3}, {"chan receive", 1}, {"running", 1}, {"select", 1}, {"sleep", 3}}},
    {"gostackparse_windows_paths.txt", "debug=2", 1, 1, 0, 0, 0, {{"running", 1}}},
    {"kvstore_windows_debug2_go1.24_mutexlock.txt", "debug=2", 13, 13, 12, 12, 0,
     {{"IO wait", 3}, {"chan receive", 4}, {"runnable", 1}, {"running", 1}, {"select", 2}, {"sync.Mutex.Lock", 1}, {"syscall", 1}}},
    {"local_go1.19.8_followlogs_after_leak_debug1.txt", "debug=1", 13, 9, 0, 0, 0, {{"", 13}}},
    {"local_go1.19.8_followlogs_after_leak_debug2.txt", "debug=2", 13, 13, 12, 0, 0,
     {{"IO wait", 1}, {"chan receive", 6}, {"runnable", 1}, {"running", 1}, {"select (no cases)", 2}, {"semacquire", 2}}},
    {"local_go1.19.8_followlogs_before_debug2.txt", "debug=2", 7, 7, 6, 0, 0,
     {{"IO wait", 2}, {"running", 1}, {"select (no cases)", 2}, {"semacquire", 2}}},
    {"local_go1.19.8_large_10k_deep_truncated_debug2.txt", "debug=2", 10008, 10008, 10007, 0, 0,
     {{"IO wait", 2}, {"chan receive", 10000}, {"running", 1}, {"select (no cases)", 3}, {"semacquire", 2}}},
    {"local_go1.19.8_large_10k_labels_debug1.txt", "debug=1", 10008, 11, 0, 0, 0, {{"", 10008}}},
    {"local_go1.19.8_panic_running_other_thread_unavailable.txt", "debug=2", 4, 4, 3, 0, 0, {{"running", 4}}},
    {"local_go1.19.8_sigquit_gotraceback_system.txt", "debug=2", 15, 15, 14, 0, 0,
     {{"GC scavenge wait", 1}, {"GC sweep wait", 1}, {"IO wait", 1}, {"chan receive", 3}, {"finalizer wait", 1},
      {"force gc (idle)", 1}, {"runnable", 2}, {"running", 1}, {"select (no cases)", 2}, {"semacquire", 2}}},
    {"stapelberg_blog_sigquit_gp_m_go1.23.0.txt", "debug=2", 3, 3, 1, 1, 0, {{"IO wait", 1}, {"force gc (idle)", 1}, {"idle", 1}}},
};

TEST(Corpus, EveryFileReadsExactly) {
  std::string probe;
  if (!ReadCorpus("SOURCES.md", &probe)) {
    GTEST_SKIP() << "../shared is absent (" << CorpusDir() << "): the real-dump corpus tests are skipped";
  }
  for (const CorpusCase& c : kCases) {
    SCOPED_TRACE(c.file);
    std::string text;
    ASSERT_TRUE(ReadCorpus(c.file, &text));
    Dump d = ParseDump(text);
    EXPECT_EQ(d.format, c.format);
    EXPECT_EQ(d.Total(), c.total);
    EXPECT_EQ(static_cast<int64_t>(d.goroutines.size()), c.records);
    if (std::string(c.format) == "debug=1") {
      EXPECT_EQ(d.declared_total, c.total);
    }
    int created_by = 0, with_parent = 0;
    std::map<std::string, int64_t> states;
    for (const Goroutine& g : d.goroutines) {
      created_by += g.has_created_by;
      with_parent += g.parent_id >= 0;
      states[g.state] += g.count;
    }
    EXPECT_EQ(created_by, c.created_by);
    EXPECT_EQ(with_parent, c.with_parent);
    EXPECT_EQ(states, c.states);
    EXPECT_EQ(d.warnings.size(), c.warnings) << (d.warnings.empty() ? "" : d.warnings[0]);
  }
}

TEST(Corpus, LeakedFollowersAreReadWithTheirStacks) {
  std::string text;
  if (!ReadCorpus("local_go1.19.8_followlogs_after_leak_debug2.txt", &text)) {
    GTEST_SKIP() << "../shared is absent: corpus test skipped";
  }
  Dump d = ParseDump(text);
  int handlers = 0;
  for (const Goroutine& g : d.goroutines) {
    if (!g.frames.empty() && g.frames[0].func == "main.(*Server).logsContainer") {
      ++handlers;
      EXPECT_EQ(g.state, "chan receive");
      EXPECT_EQ(g.created_by.func, "net/http.(*Server).Serve");
    }
  }
  EXPECT_EQ(handlers, 3);
}

TEST(Corpus, StreamingInTinyChunksGivesTheSameResult) {
  std::string text;
  if (!ReadCorpus("kvstore_windows_debug2_go1.24_mutexlock.txt", &text)) {
    GTEST_SKIP() << "../shared is absent: corpus test skipped";
  }
  Dump whole = ParseDump(text);
  std::vector<Goroutine> got;
  DumpParser parser([&got](Goroutine& g) { got.push_back(g); });
  for (size_t i = 0; i < text.size(); i += 7) parser.Feed(std::string_view(text).substr(i, 7));
  parser.Finish();
  ASSERT_EQ(got.size(), whole.goroutines.size());
  for (size_t i = 0; i < got.size(); ++i) {
    EXPECT_EQ(got[i].id, whole.goroutines[i].id);
    ASSERT_EQ(got[i].frames.size(), whole.goroutines[i].frames.size());
    for (size_t j = 0; j < got[i].frames.size(); ++j) {
      EXPECT_EQ(got[i].frames[j].file, whole.goroutines[i].frames[j].file);
    }
  }
}

}  // namespace
}  // namespace leakprobe
