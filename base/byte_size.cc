#include "base/byte_size.h"

#include <cstdio>

namespace leakprobe {

namespace {
constexpr uint64_t kMaxSize = uint64_t(1) << 40;

struct Unit {
  const char* name;
  uint64_t factor;
};
const Unit kUnits[] = {
    {"", 1},  {"B", 1},  {"KiB", 1ull << 10}, {"MiB", 1ull << 20}, {"GiB", 1ull << 30},
    {"k", 1ull << 10},   {"K", 1ull << 10},   {"M", 1ull << 20},   {"G", 1ull << 30},
    {"KB", 1000},        {"kB", 1000},        {"MB", 1000 * 1000}, {"GB", 1000 * 1000 * 1000},
};
}  // namespace

Result<uint64_t> ParseByteSize(std::string_view text) {
  auto bad = [&] {
    return Status::Error("bad size \"" + std::string(text) + "\" (write e.g. 64MiB, 512KiB, 1GiB)");
  };
  size_t i = 0;
  uint64_t whole = 0;
  while (i < text.size() && text[i] >= '0' && text[i] <= '9') {
    whole = whole * 10 + static_cast<uint64_t>(text[i] - '0');
    if (whole > kMaxSize) return bad();
    ++i;
  }
  if (i == 0) return bad();
  // A fraction: "1.5GiB".
  double fraction = 0, scale = 0.1;
  if (i < text.size() && text[i] == '.') {
    ++i;
    size_t digits = i;
    while (i < text.size() && text[i] >= '0' && text[i] <= '9') {
      fraction += (text[i] - '0') * scale;
      scale /= 10;
      ++i;
    }
    if (i == digits) return bad();
  }
  if (i < text.size() && text[i] == ' ') ++i;
  std::string_view unit = text.substr(i);
  for (const Unit& u : kUnits) {
    if (unit != u.name) continue;
    if (fraction > 0 && u.factor == 1) return bad();
    long double bytes = (static_cast<long double>(whole) + fraction) * u.factor;
    if (bytes > kMaxSize) return Status::Error("size \"" + std::string(text) + "\" is over 1 TiB");
    return static_cast<uint64_t>(bytes);
  }
  return bad();
}

std::string FormatByteSize(uint64_t bytes) {
  const char* const names[] = {"KiB", "MiB", "GiB", "TiB"};
  if (bytes < 1024) return std::to_string(bytes) + (bytes == 1 ? " byte" : " bytes");
  double v = static_cast<double>(bytes);
  int u = -1;
  while (v >= 1024 && u < 3) {
    v /= 1024;
    ++u;
  }
  char buf[32];
  if (v == static_cast<double>(static_cast<uint64_t>(v))) {
    std::snprintf(buf, sizeof buf, "%llu %s", static_cast<unsigned long long>(v), names[u]);
  } else {
    std::snprintf(buf, sizeof buf, "%.1f %s", v, names[u]);
  }
  return buf;
}

}  // namespace leakprobe
