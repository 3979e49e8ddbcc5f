// The subcommands behind the command line, each returning its exit code. Do I/O.
#ifndef LEAKPROBE_HARNESS_COMMANDS_H_
#define LEAKPROBE_HARNESS_COMMANDS_H_

#include <string>
#include <utility>
#include <vector>

#include "base/duration.h"

namespace leakprobe {

constexpr int kExitPassed = 0;
constexpr int kExitFailed = 1;
constexpr int kExitUsage = 2;
constexpr int kExitInternal = 3;
constexpr int kExitInterrupted = 130;

struct RunCommand {
  std::vector<std::string> paths;
  std::string junit;
  std::vector<std::string> vars;  // "NAME=VALUE"
  std::string filter;
  Millis timeout{0};              // 0: none
  bool quiet = false;
  bool verbose = false;
};
int Run(const RunCommand& cmd);

struct ScanCommand {
  std::string source;
  std::vector<std::string> suspects;  // keyword, or regex:RE2
  std::vector<std::string> ignores;
  std::string format = "text";
};
int Scan(const ScanCommand& cmd);

int Validate(const std::vector<std::string>& paths);

// Every *.yaml / *.yml under the folders of `paths`, sorted; files as given.
// Error: `no such file or folder: x.yaml`.
Result<std::vector<std::string>> ExpandPaths(const std::vector<std::string>& paths);

}  // namespace leakprobe

#endif  // LEAKPROBE_HARNESS_COMMANDS_H_
