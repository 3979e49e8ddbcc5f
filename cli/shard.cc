#include "cli/shard.h"

#include <cstdlib>

namespace leakprobe {
namespace {

// Digits only, no sign, no overflow: "07" is 7, "" and "1e3" are not numbers.
bool ParseCount(const std::string& text, int* out) {
  if (text.empty() || text.size() > 6) return false;
  for (char ch : text) {
    if (ch < '0' || ch > '9') return false;
  }
  *out = std::atoi(text.c_str());
  return true;
}

}  // namespace

Result<Shard> ParseShard(const std::string& text) {
  const std::size_t slash = text.find('/');
  Shard shard;
  if (slash == std::string::npos || !ParseCount(text.substr(0, slash), &shard.index) ||
      !ParseCount(text.substr(slash + 1), &shard.count) || shard.count < 1 ||
      shard.index < 1 || shard.index > shard.count) {
    return Status::Error("--shard " + text + ": write I/N with 1 <= I <= N, e.g. 2/4");
  }
  return shard;
}

}  // namespace leakprobe
