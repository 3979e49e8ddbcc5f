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

// Two suites: a leak with its groups, a pass, a target error, a skipped case, and text with
// every kind of hostile byte kept out (the sanitizer has its own tests).
inline RunResult GoldenRun() {
  using Outcome = CaseResult::Outcome;
  SuiteResult logs;
  logs.name = "logs-follow";
  logs.file = "examples/scenarios/logs-follow.yaml";
  logs.seconds = 9.1434;
  logs.timestamp = "2026-11-28T07:29:27";
  logs.properties = {{"leakprobe.version", "0.1.0"},
                     {"target", "./build/examples/minipouchd --listen 127.0.0.1:55663 --leaky=true"},
                     {"dump.url", "http://127.0.0.1:55663/debug/pprof/goroutine?debug=2"}};

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
  leak.leaks = {g1, g2};
  logs.cases.push_back(leak);

  CaseResult pass;
  pass.classname = "logs-follow";
  pass.name = "nothing outlives a container's whole life";
  pass.seconds = 1.0691;
  pass.system_out = "[   0.000s] starting target: minipouchd\n";
  pass.scenario_file = "examples/scenarios/logs-follow.yaml";
  pass.scenario_line = 33;
  logs.cases.push_back(pass);

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

  RunResult run;
  run.suites = {logs, cli};
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
