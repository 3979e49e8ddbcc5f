#include "base/timestamp.h"

#include <ctime>

namespace leakprobe {

std::string LocalTimestampNow() {
  std::time_t t = std::time(nullptr);
  std::tm tm{};
  localtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm);
  return buf;
}

}  // namespace leakprobe
