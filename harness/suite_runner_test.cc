// The harness must not leak what it hunts: after 50 scenarios, each with its own real
// minipouchd target, a follow that hangs up and a leak check, this process has the same
// open file descriptors and threads as before.
#include "harness/suite_runner.h"

#include <dirent.h>

#include <string>

#include <gtest/gtest.h>

#include "scenarios/loader.h"

namespace leakprobe {
namespace {

int CountEntries(const char* dir) {
  int n = 0;
  DIR* d = opendir(dir);
  if (!d) return -1;
  while (dirent* e = readdir(d)) n += e->d_name[0] != '.';
  closedir(d);
  return n - (std::string(dir) == "/proc/self/fd");  // the DIR's own descriptor
}

std::string FiftyScenarios() {
  std::string text = std::string(R"(suite: fifty
target:
  run: [")") + LEAKPROBE_MINIPOUCHD + R"(", --listen, "127.0.0.1:${port}", --leaky]
  ready: { http: "http://127.0.0.1:${port}/_ping", timeout: 20s }
  stop: { signal: SIGTERM, grace: 100ms }   # its leaked follower would hold shutdown for 2s
dump:
  url: "http://127.0.0.1:${port}/debug/pprof/goroutine?debug=2"
scenarios:
)";
  for (int i = 0; i < 50; ++i) {
    text += "  - name: s" + std::to_string(i) + R"(
    steps:
      - http: { method: POST, url: "http://127.0.0.1:${port}/containers/create", json: { Cmd: [silent] } }
        capture: { cid: { json: /Id } }
      - http: { method: POST, url: "http://127.0.0.1:${port}/containers/${cid}/start" }
      - http: { url: "http://127.0.0.1:${port}/containers/${cid}/logs?follow=1", disconnect_after: 20ms }
    leaks:
      suspects: [ { top: "main.(*Server).logsContainer" } ]
      settle: 10ms
)";
  }
  return text;
}

TEST(SuiteRunner, FiftyScenariosLeaveNoDescriptorOrThread) {
  auto suite = ParseSuite(FiftyScenarios(), "fifty.yaml");
  ASSERT_TRUE(suite.ok()) << suite.status().message();
  // One scenario first: lazily made process-wide state (resolver, locale) is not a leak.
  Suite one = suite.value();
  one.scenarios.resize(1);
  RunSuite(one, RunOptions());

  int fds = CountEntries("/proc/self/fd");
  int threads = CountEntries("/proc/self/task");
  SuiteResult r = RunSuite(suite.value(), RunOptions());
  ASSERT_EQ(r.cases.size(), 50u);
  for (const CaseResult& c : r.cases) {
    // The daemon is leaky: every scenario must find its follower, none may break.
    EXPECT_EQ(c.outcome, CaseResult::Outcome::kFailed) << c.name << ": " << c.message;
    EXPECT_EQ(c.type, "GoroutineLeak") << c.name << ": " << c.message;
  }
  EXPECT_EQ(CountEntries("/proc/self/fd"), fds);
  EXPECT_EQ(CountEntries("/proc/self/task"), threads);
}

}  // namespace
}  // namespace leakprobe
