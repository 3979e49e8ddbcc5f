#include "base/duration.h"

#include <cstdio>

namespace leakprobe {

namespace {
Status BadDuration(std::string_view text) {
  return Status::Error("bad duration \"" + std::string(text) +
                       "\" (write e.g. 250ms, 3s, 2m)");
}
}  // namespace

Result<Millis> ParseDuration(std::string_view text) {
  if (text == "0") return Millis(0);
  if (text.empty()) return BadDuration(text);
  double total_ms = 0;
  size_t i = 0;
  while (i < text.size()) {
    size_t start = i;
    bool dot = false;
    while (i < text.size() && ((text[i] >= '0' && text[i] <= '9') || (text[i] == '.' && !dot))) {
      if (text[i] == '.') dot = true;
      ++i;
    }
    if (i == start || (i - start == 1 && dot)) return BadDuration(text);
    double number = std::stod(std::string(text.substr(start, i - start)));
    size_t unit_start = i;
    while (i < text.size() && text[i] >= 'a' && text[i] <= 'z') ++i;
    std::string_view unit = text.substr(unit_start, i - unit_start);
    double scale;
    if (unit == "ms") scale = 1;
    else if (unit == "s") scale = 1000;
    else if (unit == "m") scale = 60 * 1000;
    else if (unit == "h") scale = 3600 * 1000;
    else return BadDuration(text);
    total_ms += number * scale;
  }
  if (total_ms > 1e12) return BadDuration(text);
  return Millis(static_cast<long long>(total_ms + 0.5));
}

std::string FormatDuration(Millis d) {
  long long ms = d.count();
  char buf[64];
  if (ms % 1000 != 0 && ms < 1000) {
    std::snprintf(buf, sizeof buf, "%lldms", ms);
  } else if (ms % 1000 == 0) {
    std::snprintf(buf, sizeof buf, "%llds", ms / 1000);
  } else {
    std::snprintf(buf, sizeof buf, "%.3gs", ms / 1000.0);
  }
  return buf;
}

std::string FormatSpan(Millis d) {
  long long s = (d.count() + 500) / 1000;
  char buf[64];
  if (s < 60) {
    std::snprintf(buf, sizeof buf, "%llds", s);
  } else if (s < 3600) {
    std::snprintf(buf, sizeof buf, "%lldm%02llds", s / 60, s % 60);
  } else {
    std::snprintf(buf, sizeof buf, "%lldh%02lldm", s / 3600, (s % 3600) / 60);
  }
  return buf;
}

}  // namespace leakprobe
