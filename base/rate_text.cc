#include "base/rate_text.h"

#include <cmath>
#include <cstdio>

namespace leakprobe {

std::string FormatRate(double r) {
  char buf[400];  // "%.2f" of DBL_MAX is 312 characters
  const bool small = r != 0 && std::fabs(r) < 0.1;
  std::snprintf(buf, sizeof buf, small ? "%.2f" : "%.1f", r);
  return buf;
}

std::string FormatSignedRate(double r) {
  std::string text = FormatRate(r);
  return text[0] == '-' ? text : "+" + text;
}

}  // namespace leakprobe
