// `leakprobe merge OUT IN...`: JUnit files from CI shards into one (reports/junit_merge.h).
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <sstream>

#include "cli/commands.h"
#include "reports/atomic_file.h"
#include "reports/junit_merge.h"

namespace leakprobe {

int Merge(const std::string& out, const std::vector<std::string>& inputs) {
  std::vector<JUnitInput> files;
  for (const std::string& path : inputs) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
      std::fprintf(stderr, "leakprobe: cannot read %s: %s\n", path.c_str(), std::strerror(errno));
      return kExitUsage;
    }
    std::stringstream buf;
    buf << in.rdbuf();
    files.push_back({path, buf.str()});
  }
  auto merged = MergeJUnit(files);
  if (!merged.ok()) {
    std::fprintf(stderr, "leakprobe: %s\n", merged.status().message().c_str());
    return kExitUsage;
  }
  Status s = WriteFileAtomically(out, merged.value());
  if (!s.ok()) {
    std::fprintf(stderr, "leakprobe: %s\n", s.message().c_str());
    return kExitInternal;
  }
  return kExitPassed;
}

}  // namespace leakprobe
