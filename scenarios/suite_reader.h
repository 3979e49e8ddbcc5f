// Reads a parsed scenario document into a Suite: the top level, `target`, `dump`,
// `vars`, `ignore` and each scenario. Internal to scenarios/; no I/O.
#ifndef LEAKPROBE_SCENARIOS_SUITE_READER_H_
#define LEAKPROBE_SCENARIOS_SUITE_READER_H_

#include <optional>
#include <string_view>

#include <yaml-cpp/yaml.h>

#include "scenarios/suite.h"
#include "scenarios/yaml_reader.h"

namespace leakprobe {

// Fills a Suite from `root`; every problem goes to `errors` (the Suite is meaningful only
// when none was recorded). The suite's name defaults to the file's stem
// ("ci/logs-follow.yaml" -> "logs-follow"). Errors, among others:
//   a scenario file must be a map with a "scenarios" list
//   missing key "scenarios"
//   run takes a list (argv), not a string: write run: [./server, --flag]
//   bad signal "SIGFOO" (write SIGTERM, SIGINT, SIGKILL, SIGQUIT, SIGHUP, SIGUSR1, SIGUSR2 or a number)
//   duplicate scenario name "x" (first at line 14)
Suite ReadSuite(const YAML::Node& root, ErrorList* errors);

// "SIGTERM", "TERM", "sigterm" and "15" -> 15; the names above, or a number 1..64.
std::optional<int> ParseSignal(std::string_view text);

}  // namespace leakprobe

#endif  // LEAKPROBE_SCENARIOS_SUITE_READER_H_
