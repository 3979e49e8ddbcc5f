// --artifacts DIR: what a scenario leaves behind for the engineer who reads the report, in
// DIR/SUITE/SCENARIO/ (baseline-dump.txt, final-dump.txt, result.txt, target-stdout.txt,
// target-stderr.txt, steps.log). Does I/O; one object per scenario.
#ifndef LEAKPROBE_HARNESS_ARTIFACTS_H_
#define LEAKPROBE_HARNESS_ARTIFACTS_H_

#include <string>
#include <string_view>

#include "base/status.h"

namespace leakprobe {

// A name any file system takes: letters, digits, '.', '-' and '_' kept, every other byte
// run becomes one '_', at most 100 bytes, never "", "." or "..".
//   "follow logs of a silent container, then disconnect" -> "follow_logs_of_a_silent_container_then_disconnect"
std::string SafeFileName(std::string_view name);

class ScenarioArtifacts {
 public:
  // `root` "" disables every call.
  ScenarioArtifacts(const std::string& root, const std::string& suite, const std::string& scenario);
  bool enabled() const { return !dir_.empty(); }
  // Writes DIR/SUITE/SCENARIO/name (creating the folders). Error: `cannot write PATH: strerror`.
  Status Write(const std::string& name, std::string_view content) const;

 private:
  std::string dir_;
};

}  // namespace leakprobe

#endif  // LEAKPROBE_HARNESS_ARTIFACTS_H_
