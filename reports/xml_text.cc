#include "reports/xml_text.h"

#include <array>

namespace leakprobe {
namespace {

constexpr unsigned char kEsc = 0x1b;
constexpr char kReplacement[] = "\xEF\xBF\xBD";  // U+FFFD

// Bytes copied as they are: printable ASCII, tab, LF, CR. A table keeps the hot loop, which
// runs over multi-MB stack texts, to one load and one branch per byte.
constexpr std::array<bool, 256> MakePlainTable() {
  std::array<bool, 256> t{};
  for (int b = 0x20; b < 0x7f; ++b) t[b] = true;
  t['\t'] = t['\n'] = t['\r'] = true;
  return t;
}
constexpr std::array<bool, 256> kPlain = MakePlainTable();

bool IsPrintableAscii(unsigned char b) { return b >= 0x20 && b < 0x7f; }

void AppendVisibleControl(std::string* out, unsigned code_point) {
  static const char kHex[] = "0123456789abcdef";
  const char text[4] = {'\\', 'x', kHex[(code_point >> 4) & 0xf], kHex[code_point & 0xf]};
  out->append(text, 4);
}

// REQUIRES: in[i] == ESC. Returns the index just past the escape sequence that starts there.
// A sequence broken by a byte that cannot belong to it ends before that byte, which is then
// read as ordinary text.
std::size_t SkipEscape(std::string_view in, std::size_t i) {
  const std::size_t n = in.size();
  if (i + 1 >= n) return n;
  const unsigned char next = in[i + 1];
  if (next == '[') {  // CSI: parameters 0x30-0x3F, intermediates 0x20-0x2F, final 0x40-0x7E
    for (std::size_t j = i + 2; j < n; ++j) {
      const unsigned char b = in[j];
      if (b >= 0x40 && b <= 0x7e) return j + 1;
      if (b < 0x20 || b > 0x3f) return j;
    }
    return n;
  }
  if (next == ']') {  // OSC: ends with BEL or ESC backslash
    for (std::size_t j = i + 2; j < n; ++j) {
      const unsigned char b = in[j];
      if (b == 0x07) return j + 1;
      if (b == kEsc) return (j + 1 < n && in[j + 1] == '\\') ? j + 2 : j;
      if (b < 0x20 || b == 0x7f) return j;  // a line break: the OSC was never closed
    }
    return n;
  }
  // ESC + one char (ESC 7, ESC =, ...). Anything else after ESC is left for the text.
  return IsPrintableAscii(next) ? i + 2 : i + 1;
}

struct Utf8Char {
  std::size_t length;     // bytes consumed: the sequence, or its maximal invalid subpart
  bool valid;
  char32_t code_point;    // when valid
};

// REQUIRES: in[i] >= 0x80. Decodes the sequence at `i` following the Unicode table of
// well-formed byte sequences, so overlongs, surrogates and > U+10FFFF are invalid.
Utf8Char DecodeMultibyte(std::string_view in, std::size_t i) {
  const unsigned char lead = in[i];
  std::size_t trail;
  unsigned char lo = 0x80, hi = 0xbf;  // allowed range of the first trailing byte
  char32_t cp;
  if (lead >= 0xc2 && lead <= 0xdf) {
    trail = 1;
    cp = lead & 0x1f;
  } else if (lead >= 0xe0 && lead <= 0xef) {
    trail = 2;
    cp = lead & 0x0f;
    if (lead == 0xe0) lo = 0xa0;  // overlong
    if (lead == 0xed) hi = 0x9f;  // surrogates
  } else if (lead >= 0xf0 && lead <= 0xf4) {
    trail = 3;
    cp = lead & 0x07;
    if (lead == 0xf0) lo = 0x90;  // overlong
    if (lead == 0xf4) hi = 0x8f;  // > U+10FFFF
  } else {
    return {1, false, 0};  // a stray continuation byte, C0, C1, F5-FF
  }
  std::size_t j = i + 1;
  for (std::size_t k = 0; k < trail; ++k, ++j) {
    if (j >= in.size()) return {j - i, false, 0};
    const unsigned char b = in[j];
    if (b < lo || b > hi) return {j - i, false, 0};
    cp = (cp << 6) | (b & 0x3f);
    lo = 0x80;
    hi = 0xbf;
  }
  return {trail + 1, true, cp};
}

}  // namespace

std::string SanitizeXmlText(std::string_view in) {
  std::string out;
  out.reserve(in.size());
  const std::size_t n = in.size();
  std::size_t i = 0;
  while (i < n) {
    const std::size_t run = i;
    while (i < n && kPlain[static_cast<unsigned char>(in[i])]) ++i;
    out.append(in.data() + run, i - run);
    if (i >= n) break;

    const unsigned char b = in[i];
    if (b == kEsc) {
      i = SkipEscape(in, i);
    } else if (b < 0x80) {  // C0 or DEL
      AppendVisibleControl(&out, b);
      ++i;
    } else {
      const Utf8Char c = DecodeMultibyte(in, i);
      if (!c.valid || c.code_point == 0xfffe || c.code_point == 0xffff) {
        out.append(kReplacement, 3);
      } else if (c.code_point < 0xa0) {  // C1 controls, U+0080-U+009F
        AppendVisibleControl(&out, c.code_point);
      } else {
        out.append(in.data() + i, c.length);
      }
      i += c.length;
    }
  }
  return out;
}

std::string OneLine(std::string_view in, std::size_t max_bytes) {
  const std::size_t first = in.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos) return "";
  in = in.substr(first, in.find_last_not_of(" \t\r\n") - first + 1);

  std::string out;
  out.reserve(in.size() < max_bytes ? in.size() : max_bytes + 1);
  for (std::size_t i = 0; i < in.size() && out.size() <= max_bytes; ++i) {
    const char c = in[i];
    if (c == '\r' && i + 1 < in.size() && in[i + 1] == '\n') ++i;
    out += (c == '\r' || c == '\n' || c == '\t') ? ' ' : c;
  }
  if (out.size() <= max_bytes) return out;

  std::size_t cut = max_bytes - 3;  // room for "…" (3 bytes)
  while (cut > 0 && (static_cast<unsigned char>(out[cut]) & 0xc0) == 0x80) --cut;
  out.resize(cut);
  out += "\xE2\x80\xA6";
  return out;
}

}  // namespace leakprobe
