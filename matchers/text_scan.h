// Small scanners over dump text that the parsers share. Pure; no I/O; thread-safe; internal
// to matchers/.
#ifndef LEAKPROBE_MATCHERS_TEXT_SCAN_H_
#define LEAKPROBE_MATCHERS_TEXT_SCAN_H_

#include <cstdint>
#include <string>
#include <string_view>

namespace leakprobe {

inline bool StartsWith(std::string_view s, std::string_view prefix) {
  return s.size() >= prefix.size() && s.compare(0, prefix.size(), prefix) == 0;
}

inline bool EndsWith(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

inline bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// A short, printable excerpt of a line for a warning: at most 80 bytes, tabs as "\t",
// other controls as "?", "..." when cut.
inline std::string Excerpt(std::string_view line) {
  std::string out;
  for (char c : line.substr(0, 80)) {
    unsigned char u = static_cast<unsigned char>(c);
    if (c == '\t') out += "\\t";
    else out += (u < 0x20 || u == 0x7f) ? '?' : c;
  }
  if (line.size() > 80) out += "...";
  return out;
}

// Reads the decimal number at the front of `s`, advancing it: "42 [select]" gives 42 and
// leaves " [select]". False, `s` unchanged, when there is none or it does not fit.
inline bool TakeNumber(std::string_view* s, int64_t* out) {
  size_t i = 0;
  int64_t n = 0;
  while (i < s->size() && IsDigit((*s)[i])) {
    if (n > (INT64_MAX - 9) / 10) return false;
    n = n * 10 + ((*s)[i] - '0');
    ++i;
  }
  if (i == 0) return false;
  *out = n;
  s->remove_prefix(i);
  return true;
}

// Where `needle` first stands in `s` outside Go-quoted text ("a]b" with its \" escapes), from
// `from` on; npos when it does not. Label values may hold any of "]", "}" and ", ".
inline size_t FindOutsideQuotes(std::string_view s, std::string_view needle, size_t from = 0) {
  bool quoted = false;
  for (size_t i = from; i < s.size(); ++i) {
    char c = s[i];
    if (quoted) {
      if (c == '\\') ++i;
      else if (c == '"') quoted = false;
    } else if (c == '"') {
      quoted = true;
    } else if (c == needle[0] && s.compare(i, needle.size(), needle) == 0) {
      return i;
    }
  }
  return std::string_view::npos;
}

}  // namespace leakprobe

#endif  // LEAKPROBE_MATCHERS_TEXT_SCAN_H_
