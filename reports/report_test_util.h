// Helpers shared by the report tests: one fixed set of results that every format renders
// (a golden file per format in testdata/), golden comparison, and running xmllint.
// Test-only; does file I/O and runs commands.
#ifndef LEAKPROBE_REPORTS_REPORT_TEST_UTIL_H_
#define LEAKPROBE_REPORTS_REPORT_TEST_UTIL_H_

#include <gtest/gtest.h>
#include <sys/wait.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "reports/results.h"

namespace leakprobe {
namespace testutil {

// The known leak both logs-follow scenarios report.
inline KnownLeak GoldenMonitor() {
  KnownLeak monitor;
  monitor.reason = "https://github.com/acme/minipouchd/issues/12";
  monitor.pattern = "top keyword main.(*Monitor).loop";
  monitor.where = "examples/scenarios/logs-follow.yaml:16:5";
  monitor.function = "main.(*Monitor).loop";
  monitor.count = 1;
  return monitor;
}

// The failing logs-follow scenario: its groups, its timeline and a known leak.
inline CaseResult GoldenLeakCase() {
  using Outcome = CaseResult::Outcome;
  CaseResult leak;
  leak.classname = "logs-follow";
  leak.name = "follow logs of a silent container, then disconnect";
  leak.seconds = 8.0744;
  leak.outcome = Outcome::kFailed;
  leak.type = "GoroutineLeak";
  leak.message = "3 leaked goroutines: main.(*Server).logsContainer \u00d72, main.readLoop \u00d71";
  leak.detail =
      "Suspect goroutines, grouped by identical stack:\n"
      "\n"
      "2 goroutines [chan receive, 3 minutes], ids 25, 31\n"
      "    main.(*Server).logsContainer(...)\n"
      "        /src/minipouchd/logs.go:67\n"
      "    created by net/http.(*Server).Serve\n"
      "        /usr/lib/go-1.19/src/net/http/server.go:3102\n"
      "\n"
      "1 goroutine [select], id 12\n"
      "    main.readLoop(...)\n"
      "        /src/minipouchd/logs.go:108 `x` | <y> & z\n";
  leak.system_out = "[   0.000s] starting target: minipouchd\n[   8.063s] leak check: 3 leaked\n";
  leak.system_err = "2026/11/28 07:29:27 listening on 127.0.0.1:55663\n";
  leak.scenario_file = "examples/scenarios/logs-follow.yaml";
  leak.scenario_line = 14;
  LeakGroup g1;
  g1.function = "main.(*Server).logsContainer";
  g1.count = 2;
  g1.ids = {25, 31};
  g1.state = "chan receive";
  g1.wait_minutes = 3;
  g1.stack = {"main.(*Server).logsContainer /src/minipouchd/logs.go:67"};
  g1.created_by = "net/http.(*Server).Serve /usr/lib/go-1.19/src/net/http/server.go:3102";
  g1.created_during = "step 3 \"follow for 3s and hang up\"";
  LeakGroup g2;
  g2.function = "main.readLoop";
  g2.count = 1;
  g2.ids = {12};
  g2.state = "select";
  g2.stack = {"main.readLoop /src/minipouchd/logs.go:108"};
  g1.timeline_series = 0;
  g2.timeline_series = 1;
  leak.leaks = {g1, g2};
  // Baseline, a dump after each step, then the leak check's settle polls; the target's fds
  // and threads measured at two of them.
  Timeline& t = leak.timeline;
  t.points = {{0.0594, 6, "baseline", "baseline", 9, 7},
              {0.0611, 6, "step", "after step 1 \"create\"", -1, -1},
              {0.0702, 7, "step", "after step 2 \"start\"", -1, -1},
              {3.0751, 9, "step", "after step 3 \"follow for 3s and hang up\"", -1, -1},
              {3.1312, 9, "check", "settle poll 1", -1, -1},
              {5.1802, 9, "check", "settle poll 2", -1, -1},
              {8.0633, 9, "check", "settle poll 3", 11, 7}};
  t.series = {{"main.(*Server).logsContainer", "leaked", {0, 0, 0, 2, 2, 2, 2}},
              {"main.readLoop", "leaked", {0, 0, 0, 1, 1, 1, 1}}};
  t.steps = {{"step 1 \"create\"", 0.0598, 0.0609},
             {"step 2 \"start\"", 0.0612, 0.0699},
             {"step 3 \"follow for 3s and hang up\"", 0.0703, 3.0748},
             {"teardown step 4 (DELETE http://127.0.0.1:55663/v1.24/containers/x?force=1)", 8.0641, 8.0702}};
  t.verdict_t = 8.0636;
  leak.known_leaks = {GoldenMonitor()};
  return leak;
}

// A target error (no timeline) and a skipped case.
inline SuiteResult GoldenCliSuite() {
  using Outcome = CaseResult::Outcome;
  SuiteResult cli;
  cli.name = "cli";
  cli.file = "examples/scenarios/cli.yaml";
  cli.seconds = 0.5;
  cli.timestamp = "2026-11-28T07:29:37";
  CaseResult broken;
  broken.classname = "cli";
  broken.name = "ps | grep, 50% of the time";
  broken.seconds = 0.4999;
  broken.outcome = Outcome::kError;
  broken.type = "TargetError";
  broken.message = "target exited with status 2 before it became ready";
  broken.system_err = "panic: bind: address already in use\n";
  broken.scenario_file = "examples/scenarios/cli.yaml";
  broken.scenario_line = 7;
  cli.cases.push_back(broken);
  CaseResult skipped;
  skipped.classname = "cli";
  skipped.name = "after the interrupt";
  skipped.outcome = Outcome::kSkipped;
  skipped.message = "interrupted";
  skipped.scenario_file = "examples/scenarios/cli.yaml";
  skipped.scenario_line = 20;
  cli.cases.push_back(skipped);

  return cli;
}

// Two suites: a leak with its groups, its timeline and a known leak, a pass with a known
// leak, a known leak no longer seen, a target error (no timeline), a skipped case, and text
// with every kind of hostile byte kept out (the sanitizer has its own tests).
inline RunResult GoldenRun() {
  SuiteResult logs;
  logs.name = "logs-follow";
  logs.file = "examples/scenarios/logs-follow.yaml";
  logs.seconds = 9.1434;
  logs.timestamp = "2026-11-28T07:29:27";
  logs.properties = {{"leakprobe.version", "0.1.0"},
                     {"target", "./build/examples/minipouchd --listen 127.0.0.1:55663 --leaky=true"},
                     {"dump.url", "http://127.0.0.1:55663/debug/pprof/goroutine?debug=2"}};

  logs.cases.push_back(GoldenLeakCase());

  CaseResult pass;
  pass.classname = "logs-follow";
  pass.name = "nothing outlives a container's whole life";
  pass.seconds = 1.0691;
  pass.system_out = "[   0.000s] starting target: minipouchd\n";
  pass.scenario_file = "examples/scenarios/logs-follow.yaml";
  pass.scenario_line = 33;
  pass.timeline.points = {{0.0512, 6, "baseline", "baseline", -1, -1}, {1.0433, 6, "check", "settle poll 1", -1, -1}};
  pass.timeline.steps = {{"step 1 (POST http://127.0.0.1:55663/v1.24/containers/create)", 0.0515, 1.0401}};
  pass.timeline.verdict_t = 1.0434;
  pass.known_leaks = {GoldenMonitor()};
  logs.cases.push_back(pass);
  KnownLeak cache;
  cache.reason = "fixed in 1.4; delete this entry after the release";
  cache.pattern = "keyword main.(*Cache).refresh";
  cache.where = "examples/scenarios/logs-follow.yaml:18:5";
  logs.unseen_known_leaks = {cache};

  RunResult run;
  run.suites = {logs, GoldenCliSuite()};
  run.seconds = 9.7012;
  return run;
}

inline std::string ReadFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream buf;
  buf << in.rdbuf();
  return buf.str();
}

inline void WriteFile(const std::filesystem::path& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary);
  out << text;
}

// Compares `got` with testdata/NAME. LEAKPROBE_UPDATE_GOLDEN=1 rewrites the file instead.
inline void ExpectGolden(const std::string& name, const std::string& got) {
  const std::filesystem::path path = std::filesystem::path(LEAKPROBE_REPORTS_TESTDATA) / name;
  const char* update = std::getenv("LEAKPROBE_UPDATE_GOLDEN");
  if (update != nullptr && std::string(update) == "1") {
    WriteFile(path, got);
    return;
  }
  ASSERT_TRUE(std::filesystem::exists(path)) << path << " is missing; run with LEAKPROBE_UPDATE_GOLDEN=1";
  EXPECT_EQ(got, ReadFile(path)) << "differs from " << path
                                 << " (LEAKPROBE_UPDATE_GOLDEN=1 rewrites it)";
}

// Runs `command` through the shell; returns its exit status and, in *out, stdout+stderr.
inline int RunShell(const std::string& command, std::string* out) {
  FILE* pipe = popen((command + " 2>&1").c_str(), "r");
  if (pipe == nullptr) return -1;
  char buf[4096];
  std::size_t n;
  while ((n = fread(buf, 1, sizeof buf, pipe)) > 0) out->append(buf, n);
  const int status = pclose(pipe);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

inline std::filesystem::path SchemaPath(const std::string& file) {
  return std::filesystem::path(LEAKPROBE_SHARED_DIR) / "junit-schemas" / file;
}

}  // namespace testutil
}  // namespace leakprobe

#endif  // LEAKPROBE_REPORTS_REPORT_TEST_UTIL_H_
