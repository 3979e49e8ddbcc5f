// The subcommands behind the command line, each returning its exit code. Do I/O.
#ifndef LEAKPROBE_CLI_COMMANDS_H_
#define LEAKPROBE_CLI_COMMANDS_H_

#include <string>
#include <utility>
#include <vector>

#include "base/duration.h"
#include "wire/dump_source.h"

namespace leakprobe {

constexpr int kExitPassed = 0;
constexpr int kExitFailed = 1;
constexpr int kExitUsage = 2;
constexpr int kExitInternal = 3;
constexpr int kExitInterrupted = 130;

struct RunCommand {
  std::vector<std::string> paths;
  std::string junit;
  std::string junit_flavor = "default";  // default | ant | surefire
  std::string json;               // --json FILE
  std::string markdown;           // --markdown FILE (and $GITHUB_STEP_SUMMARY when set)
  std::string html;               // --html FILE
  std::string shard;              // --shard I/N; "" for all
  std::vector<std::string> vars;  // "NAME=VALUE"
  std::string filter;
  Millis timeout{0};              // 0: none
  int jobs = 1;                   // suites run at once
  std::string artifacts;          // folder for each scenario's dumps, output and step log
  bool quiet = false;
  bool verbose = false;
  // The sweep (harness/sweep_plan.h): --sweep, --sweep-faults LIST, --sweep-steps REGEX,
  // --sweep-times N, --sweep-all.
  bool sweep = false;
  std::string sweep_faults;
  std::string sweep_steps;
  int sweep_times = 0;            // 0: the files' or the default
  bool sweep_all = false;
};
int Run(const RunCommand& cmd);

// `scan SOURCE`: exit 1 when a goroutine is a suspect or proven leaked, after ignores, the
// built-in ones included unless no_builtin_ignores (matchers/triage.h, as run and diff).
struct ScanCommand {
  std::string source;
  std::vector<std::string> suspects;  // keyword, or regex:RE2
  std::vector<std::string> ignores;
  std::string format = "text";
  int min_wait_minutes = 0;  // goroutines waiting less are left out
  bool no_builtin_ignores = false;
  DumpLimits limits;         // --max-bytes, --timeout
};
int Scan(const ScanCommand& cmd);

// `diff BEFORE AFTER`: exit 1 when AFTER has new goroutines (with --suspect: new suspects)
// or new proven leaks, after ignores, the built-in ones included unless no_builtin_ignores
// (matchers/triage.h, as run and scan).
struct DiffCommand {
  std::string before;
  std::string after;
  std::vector<std::string> suspects;
  std::vector<std::string> ignores;
  std::string format = "text";
  int min_wait_minutes = 0;
  bool no_builtin_ignores = false;
  DumpLimits limits;  // for each of the two dumps
};
int Diff(const DiffCommand& cmd);

// `validate PATH... [--var NAME=VALUE]...`: 0 when every file loads, 2 otherwise; the
// --var names count as defined for the undefined-variable check.
int Validate(const std::vector<std::string>& paths, const std::vector<std::string>& vars = {});

// `schema`: prints the JSON Schema of the scenario format to stdout; 0.
int Schema();

// `leakprobe merge OUT IN...`: 0 when OUT was written (whatever the merged results say),
// 2 when an input cannot be read or is not JUnit, 3 when OUT cannot be written.
int Merge(const std::string& out, const std::vector<std::string>& inputs);

// Every *.yaml / *.yml under the folders of `paths`, sorted; files as given.
// Error: `no such file or folder: x.yaml`.
Result<std::vector<std::string>> ExpandPaths(const std::vector<std::string>& paths);

}  // namespace leakprobe

#endif  // LEAKPROBE_CLI_COMMANDS_H_
