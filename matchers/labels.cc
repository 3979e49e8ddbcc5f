#include "matchers/labels.h"

#include "matchers/text_scan.h"

namespace leakprobe {

namespace {

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

void AppendUtf8(unsigned long cp, std::string* out) {
  if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) cp = 0xFFFD;
  if (cp < 0x80) {
    out->push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out->push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out->push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out->push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

// Reads the Go-quoted string at the front of `s` (which starts with '"'), advancing past
// its closing quote. False when it does not close or holds a bad escape.
bool TakeQuoted(std::string_view* s, std::string* out) {
  size_t i = 1;
  while (i < s->size()) {
    char c = (*s)[i];
    if (c == '"') {
      s->remove_prefix(i + 1);
      return true;
    }
    if (c != '\\') {
      out->push_back(c);
      ++i;
      continue;
    }
    if (i + 1 >= s->size()) return false;
    char e = (*s)[i + 1];
    i += 2;
    switch (e) {
      case 'n': out->push_back('\n'); break;
      case 'r': out->push_back('\r'); break;
      case 't': out->push_back('\t'); break;
      case 'a': out->push_back('\a'); break;
      case 'b': out->push_back('\b'); break;
      case 'f': out->push_back('\f'); break;
      case 'v': out->push_back('\v'); break;
      case '\\': case '"': case '\'': out->push_back(e); break;
      case 'x': case 'u': case 'U': {
        size_t digits = e == 'x' ? 2 : e == 'u' ? 4 : 8;
        if (i + digits > s->size()) return false;
        unsigned long v = 0;
        for (size_t k = 0; k < digits; ++k) {
          int h = HexValue((*s)[i + k]);
          if (h < 0) return false;
          v = v * 16 + static_cast<unsigned long>(h);
        }
        i += digits;
        if (e == 'x') out->push_back(static_cast<char>(v));  // a byte, UTF-8 or not
        else AppendUtf8(v, out);
        break;
      }
      default:
        if (e >= '0' && e <= '7' && i + 1 < s->size()) {  // octal \NNN
          unsigned v = static_cast<unsigned>(e - '0');
          for (int k = 0; k < 2; ++k) {
            char d = (*s)[i++];
            if (d < '0' || d > '7') return false;
            v = v * 8 + static_cast<unsigned>(d - '0');
          }
          out->push_back(static_cast<char>(v & 0xFF));
          break;
        }
        return false;
    }
  }
  return false;
}

// A key or value: quoted, or bare up to the next ':', ',' or '}' (Go 1.27 leaves text of
// [A-Za-z0-9./_] bare, the empty string too).
bool TakeToken(std::string_view* s, std::string* out) {
  out->clear();
  if (!s->empty() && (*s)[0] == '"') return TakeQuoted(s, out);
  size_t end = s->find_first_of(":,}\"");
  if (end == std::string_view::npos) return false;
  out->assign(s->data(), end);
  s->remove_prefix(end);
  return true;
}

void SkipSpaces(std::string_view* s) {
  while (!s->empty() && (*s)[0] == ' ') s->remove_prefix(1);
}

bool NeedsQuoting(const std::string& s) {
  if (s.empty()) return false;
  for (char c : s) {
    bool plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                 c == '.' || c == '/' || c == '_';
    if (!plain) return true;
  }
  return false;
}

// The length of the valid UTF-8 sequence at s[i], or 0 when it is not one.
size_t Utf8Length(const std::string& s, size_t i) {
  unsigned char c = static_cast<unsigned char>(s[i]);
  size_t n = c >= 0xF0 && c <= 0xF4 ? 4 : c >= 0xE0 ? 3 : c >= 0xC2 && c < 0xE0 ? 2 : 0;
  if (n == 0 || i + n > s.size()) return 0;
  for (size_t k = 1; k < n; ++k) {
    if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) return 0;
  }
  return n;
}

// As Go's runtime quotes: \n \r \t \\ \" escaped, other control bytes and bytes that are
// not UTF-8 as \xNN, the rest of UTF-8 as it is.
void AppendQuoted(const std::string& s, std::string* out) {
  if (!NeedsQuoting(s)) {
    out->append(s);
    return;
  }
  static const char kHex[] = "0123456789abcdef";
  out->push_back('"');
  for (size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    unsigned char u = static_cast<unsigned char>(c);
    if (u >= 0x80) {
      size_t n = Utf8Length(s, i);
      if (n > 0) {
        out->append(s, i, n);
        i += n - 1;
      } else {
        out->append("\\x");
        out->push_back(kHex[u >> 4]);
        out->push_back(kHex[u & 0xF]);
      }
      continue;
    }
    switch (c) {
      case '\n': out->append("\\n"); break;
      case '\r': out->append("\\r"); break;
      case '\t': out->append("\\t"); break;
      case '\\': out->append("\\\\"); break;
      case '"': out->append("\\\""); break;
      default:
        if (u < 0x20 || u == 0x7f) {
          out->append("\\x");
          out->push_back(kHex[u >> 4]);
          out->push_back(kHex[u & 0xF]);
        } else {
          out->push_back(c);
        }
    }
  }
  out->push_back('"');
}

}  // namespace

size_t LabelsEnd(std::string_view text) {
  if (text.empty() || text[0] != '{') return std::string_view::npos;
  return FindOutsideQuotes(text, "}", 1);
}

bool ParseLabels(std::string_view text, Labels* out) {
  out->clear();
  if (text.empty() || text.front() != '{') return false;
  std::string_view s = text.substr(1);
  SkipSpaces(&s);
  if (s == "}") return true;
  std::string key, value;
  for (;;) {
    SkipSpaces(&s);
    if (!TakeToken(&s, &key)) return false;
    SkipSpaces(&s);
    if (s.empty() || s[0] != ':') return false;
    s.remove_prefix(1);
    SkipSpaces(&s);
    if (!TakeToken(&s, &value)) return false;
    out->emplace_back(key, value);
    SkipSpaces(&s);
    if (s == "}") return true;
    if (s.empty() || s[0] != ',') return false;
    s.remove_prefix(1);
  }
}

std::string FormatLabels(const Labels& labels) {
  if (labels.empty()) return "";
  std::string out = "{";
  for (size_t i = 0; i < labels.size(); ++i) {
    if (i) out += ", ";
    AppendQuoted(labels[i].first, &out);
    out += ": ";
    AppendQuoted(labels[i].second, &out);
  }
  return out + "}";
}

std::string LabelText(const std::pair<std::string, std::string>& label) {
  return label.first + "=" + label.second;
}

}  // namespace leakprobe
