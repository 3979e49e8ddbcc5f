#include "matchers/goroutine_header.h"

#include <gtest/gtest.h>

#include "matchers/labels.h"

namespace leakprobe {
namespace {

// Each header as a Go runtime printed it (runtime/traceback.go goroutineheader, 1.19-1.27;
// the 1.27 label lines are copied from a live Go 1.27.4 program), and what it holds.
TEST(GoroutineHeader, EveryFormThroughGo127) {
  struct Case {
    const char* line;
    int64_t id;
    const char* state;
    int minutes;
    bool locked;
    bool leaked;
    bool durable;
    int64_t bubble;
    Labels labels;
  } cases[] = {
      {"goroutine 18 [chan receive, 5 minutes]:", 18, "chan receive", 5, false, false, false, -1, {}},
      {"goroutine 7 [select, locked to thread]:", 7, "select", 0, true, false, false, -1, {}},
      {"goroutine 1 [running]:", 1, "running", 0, false, false, false, -1, {}},
      {"goroutine 3 [running (scan)]:", 3, "running", 0, false, false, false, -1, {}},
      {"goroutine 1 gp=0xc0000061c0 m=nil [IO wait]:", 1, "IO wait", 0, false, false, false, -1, {}},
      {"goroutine 0 gp=0x6e6020 m=0 mp=0x6e6ec0 [idle]:", 0, "idle", 0, false, false, false, -1, {}},
      {"goroutine 9 [sleep, 1 minutes, locked to thread]:", 9, "sleep", 1, true, false, false, -1, {}},
      {"goroutine 12 [select (no cases)]:", 12, "select (no cases)", 0, false, false, false, -1, {}},
      {"goroutine 5 [chan receive, synctest, 2 minutes]:", 5, "chan receive", 2, false, false, false, 0, {}},
      {"goroutine 99999999999 [sync.Mutex.Lock]:", 99999999999, "sync.Mutex.Lock", 0, false, false, false, -1, {}},
      // Go 1.25+: synctest bubbles, durable blocking.
      {"goroutine 6 [chan receive (durable), synctest bubble 2]:", 6, "chan receive", 0, false, false, true, 2, {}},
      {"goroutine 6 [sleep (durable), 3 minutes, synctest bubble 14]:", 6, "sleep", 3, false, false, true, 14, {}},
      // Go 1.26+: the leak detector's marker, before scan and durable.
      {"goroutine 23 [chan send (leaked)]:", 23, "chan send", 0, false, true, false, -1, {}},
      {"goroutine 23 [chan send (leaked) (scan), 4 minutes]:", 23, "chan send", 4, false, true, false, -1, {}},
      {"goroutine 8 gp=0xc000102380 m=nil [select (leaked), 2 minutes, locked to thread]:", 8, "select", 2, true,
       true, false, -1, {}},
      // Go 1.26 with GODEBUG=tracebacklabels=1: inside the brackets, always quoted.
      {"goroutine 9 [select, 2 minutes labels:{\"job\": \"x\", \"t\": \"a]b\"}]:", 9, "select", 2, false, false,
       false, -1, {{"job", "x"}, {"t", "a]b"}}},
      {"goroutine 9 [chan receive labels:{\"k\": \"v\"}]:", 9, "chan receive", 0, false, false, false, -1, {{"k", "v"}}},
      // Go 1.27 (module go >= 1.27): after the brackets, quoted only when needed.
      {"goroutine 21 [select (no cases)] {job: x, \"q\\\"uo{te}\": \"a, b: c\\n\\xff\", tenant: \"t 0\"}:", 21,
       "select (no cases)", 0, false, false, false, -1,
       {{"job", "x"}, {"q\"uo{te}", "a, b: c\n\xff"}, {"tenant", "t 0"}}},
      {"goroutine 22 [select (no cases) (leaked)] {job: x, tenant: \"t 1\"}:", 22, "select (no cases)", 0, false,
       true, false, -1, {{"job", "x"}, {"tenant", "t 1"}}},
      {"goroutine 4 gp=0xc000007340 m=3 mp=0xc000100008 [chan receive, 12 minutes, locked to thread, synctest "
       "bubble 1] {path: /v1/x, empty: }:", 4, "chan receive", 12, true, false, false, 1, {{"path", "/v1/x"}, {"empty", ""}}},
      {"goroutine 30 [IO wait] {\"r\\u00e9gion\": \"\\U0001F600\", b: \"}\"}:", 30, "IO wait", 0, false, false, false,
       -1, {{"r\xC3\xA9gion", "\xF0\x9F\x98\x80"}, {"b", "}"}}},
  };
  for (const Case& c : cases) {
    Goroutine g;
    std::string problem = "stale";
    ASSERT_TRUE(ParseGoroutineHeader(c.line, &g, &problem)) << c.line;
    EXPECT_EQ(problem, "") << c.line;
    EXPECT_EQ(g.id, c.id) << c.line;
    EXPECT_EQ(g.state, c.state) << c.line;
    EXPECT_EQ(g.wait_minutes, c.minutes) << c.line;
    EXPECT_EQ(g.locked_to_thread, c.locked) << c.line;
    EXPECT_EQ(g.leaked, c.leaked) << c.line;
    EXPECT_EQ(g.durable, c.durable) << c.line;
    EXPECT_EQ(g.synctest_bubble, c.bubble) << c.line;
    EXPECT_EQ(g.labels, c.labels) << c.line;
  }
}

TEST(GoroutineHeader, NotAHeader) {
  for (const char* line : {"goroutine profile: total 3", "goroutine 5 exited", "goroutines: 3",
                           "goroutine x [running]:", "goroutine 12abc [running]:", "created by main.main"}) {
    Goroutine g;
    std::string problem;
    EXPECT_FALSE(ParseGoroutineHeader(line, &g, &problem)) << line;
    EXPECT_EQ(g.id, -1) << line;
  }
}

// What cannot be read is named, and the goroutine keeps its id and what could be read.
TEST(GoroutineHeader, ReadInPart) {
  struct Case {
    const char* line;
    int64_t id;
    const char* state;
    const char* problem;
    Labels labels;
  } cases[] = {
      {"goroutine 12 [chan rec", 12, "chan rec", "no \"]\" closes the state", {}},
      {"goroutine 12 [chan receive] {job: x, tenant: \"t 0", 12, "chan receive", "labels do not close", {{"job", "x"}}},
      {"goroutine 12 [chan receive] {job x}:", 12, "chan receive", "unreadable labels {job x}", {}},
      {"goroutine 12 [chan receive] {job: x} extra:", 12, "chan receive", "unexpected text after the labels",
       {{"job", "x"}}},
      {"goroutine 12 [select] trailing:", 12, "select", "unexpected text after the state", {}},
      {"goroutine 12 [select]", 12, "select", "no \":\" ends the header", {}},
      {"goroutine 12 gp=0xc0 m=nil:", 12, "", "no \"[\" opens the state", {}},
  };
  for (const Case& c : cases) {
    Goroutine g;
    std::string problem;
    ASSERT_TRUE(ParseGoroutineHeader(c.line, &g, &problem)) << c.line;
    EXPECT_EQ(g.id, c.id) << c.line;
    EXPECT_EQ(g.state, c.state) << c.line;
    EXPECT_EQ(problem, c.problem) << c.line;
    EXPECT_EQ(g.labels, c.labels) << c.line;
  }
}

TEST(Labels, ParseAndFormatRoundTrip) {
  struct Case {
    const char* text;
    Labels labels;
    const char* formatted;  // as Go 1.27 prints them
  } cases[] = {
      {"{}", {}, ""},
      {"{job: x}", {{"job", "x"}}, "{job: x}"},
      {"{\"job\":\"a\"}", {{"job", "a"}}, "{job: a}"},  // debug=1
      {"{\"job\":\"x\", \"q\\\"uo{te}\":\"a, b: c\\n\\xff\", \"tenant\":\"t 0\"}",
       {{"job", "x"}, {"q\"uo{te}", "a, b: c\n\xff"}, {"tenant", "t 0"}},
       "{job: x, \"q\\\"uo{te}\": \"a, b: c\\n\\xff\", tenant: \"t 0\"}"},
      {"{\"k\": \"tab\\there\\\\\"}", {{"k", "tab\there\\"}}, "{k: \"tab\\there\\\\\"}"},
      {"{a: \"\\101\\x42\\u0043\"}", {{"a", "ABC"}}, "{a: ABC}"},
      {"{\"r\u00e9gion\": \"\\xc3\\xa9t\\xe9\"}", {{"r\xC3\xA9gion", "\xC3\xA9t\xE9"}},
       "{\"r\xC3\xA9gion\": \"\xC3\xA9t\\xe9\"}"},
  };
  for (const Case& c : cases) {
    Labels got;
    EXPECT_TRUE(ParseLabels(c.text, &got)) << c.text;
    EXPECT_EQ(got, c.labels) << c.text;
    EXPECT_EQ(FormatLabels(got), c.formatted) << c.text;
    Labels again;
    if (!got.empty()) {
      EXPECT_TRUE(ParseLabels(FormatLabels(got), &again)) << c.text;
      EXPECT_EQ(again, got) << c.text;
    }
  }
  for (const char* bad : {"", "{", "{job: \"x}", "{job}", "{\"a\":\"b\" \"c\":\"d\"}", "{a: \"\\q\"}", "job: x"}) {
    Labels got;
    EXPECT_FALSE(ParseLabels(bad, &got)) << bad;
  }
  EXPECT_EQ(LabelText({"tenant", "t 1"}), "tenant=t 1");
}

}  // namespace
}  // namespace leakprobe
