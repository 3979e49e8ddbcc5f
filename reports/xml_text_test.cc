#include "reports/xml_text.h"

#include <gtest/gtest.h>

#include <random>
#include <string>

namespace leakprobe {
namespace {

const std::string kFFFD = "\xEF\xBF\xBD";

// An independent check (decode anything, then judge the code point) rather than a copy of
// the decoder under test. Returns "" when `s` is valid UTF-8 whose characters are all legal
// in XML 1.0 and are not controls we promise to make visible; else the first problem.
std::string XmlProblem(const std::string& s) {
  for (std::size_t i = 0; i < s.size();) {
    const unsigned char b = s[i];
    std::size_t len;
    char32_t cp;
    if (b < 0x80) {
      len = 1, cp = b;
    } else if ((b & 0xe0) == 0xc0) {
      len = 2, cp = b & 0x1f;
    } else if ((b & 0xf0) == 0xe0) {
      len = 3, cp = b & 0x0f;
    } else if ((b & 0xf8) == 0xf0) {
      len = 4, cp = b & 0x07;
    } else {
      return "bad lead byte at " + std::to_string(i);
    }
    if (i + len > s.size()) return "truncated sequence at " + std::to_string(i);
    for (std::size_t k = 1; k < len; ++k) {
      const unsigned char c = s[i + k];
      if ((c & 0xc0) != 0x80) return "bad continuation at " + std::to_string(i + k);
      cp = (cp << 6) | (c & 0x3f);
    }
    static const char32_t kMinForLength[] = {0, 0, 0x80, 0x800, 0x10000};
    if (cp < kMinForLength[len]) return "overlong at " + std::to_string(i);
    const bool xml_char = cp == 0x9 || cp == 0xa || cp == 0xd || (cp >= 0x20 && cp <= 0xd7ff) ||
                          (cp >= 0xe000 && cp <= 0xfffd) || (cp >= 0x10000 && cp <= 0x10ffff);
    if (!xml_char) return "not an XML 1.0 char at " + std::to_string(i);
    if (cp == 0x7f || (cp >= 0x80 && cp <= 0x9f)) return "control at " + std::to_string(i);
    i += len;
  }
  return "";
}

struct Case {
  std::string in;
  std::string want;
};

void ExpectSanitized(const std::vector<Case>& cases) {
  for (const Case& c : cases) {
    EXPECT_EQ(SanitizeXmlText(c.in), c.want) << "input: " << testing::PrintToString(c.in);
  }
}

TEST(SanitizeXmlText, KeepsTextAsIs) {
  ExpectSanitized({
      {"", ""},
      {"goroutine 42 [chan receive, 3 minutes]:", "goroutine 42 [chan receive, 3 minutes]:"},
      {"tab\there\r\nCRLF stays\nLF\rCR", "tab\there\r\nCRLF stays\nLF\rCR"},
      {"<&>\"'", "<&>\"'"},
      {"\xC3\xA9 \xC3\x97" "2 \xE2\x80\xA6", "\xC3\xA9 \xC3\x97" "2 \xE2\x80\xA6"},  // é ×2 …
      {"\xC2\xA0", "\xC2\xA0"},                  // U+00A0, first after the C1 block
      {"\xF0\x9F\x98\x80", "\xF0\x9F\x98\x80"},  // U+1F600
      {"\xF4\x8F\xBF\xBF", "\xF4\x8F\xBF\xBF"},  // U+10FFFF
      {"\xED\x9F\xBF", "\xED\x9F\xBF"},          // U+D7FF, last before the surrogates
      {"\xEE\x80\x80", "\xEE\x80\x80"},          // U+E000, first after them
      {"\xEF\xB7\x90", "\xEF\xB7\x90"},          // U+FDD0: a noncharacter, but legal XML
      {kFFFD, kFFFD},
  });
}

TEST(SanitizeXmlText, StripsAnsiEscapes) {
  ExpectSanitized({
      {"\x1b[31mred\x1b[0m", "red"},
      {"\x1b[1;31;40mX\x1b[m", "X"},
      {"\x1b[?25lhidden cursor", "hidden cursor"},
      {"\x1b[2J\x1b[H", ""},
      {"\x1b]0;window title\x07" "after", "after"},
      {"\x1b]8;;http://x/\x1b\\link\x1b]8;;\x1b\\", "link"},
      {"\x1b]0;never closed\nnext line", "\nnext line"},  // a line break ends the OSC
      {"\x1b]0;title \xC3\xA9\x07!", "!"},
      {"\x1b" "7saved\x1b" "8", "saved"},  // ESC + one char
      {"a\x1b", "a"},                      // ESC at the end
      {"a\x1b[31", "a"},                   // CSI cut off by the end
      {"\x1b[31\nx", "\nx"},               // CSI broken by a line break
      {"\x1b\xC3\xA9", "\xC3\xA9"},        // ESC before a multibyte char keeps the char
      {"\x1b\x1b[0mz", "z"},
      {"\x1b\n", "\n"},
  });
}

TEST(SanitizeXmlText, MakesControlsVisible) {
  ExpectSanitized({
      {std::string("a\0b", 3), "a\\x00b"},
      {"\x01", "\\x01"},
      {"\x08\x0b\x0c\x1f", "\\x08\\x0b\\x0c\\x1f"},
      {"del\x7f", "del\\x7f"},
      {"\xC2\x85", "\\x85"},  // U+0085 NEL, a C1 control
      {"\xC2\x9b" "31m", "\\x9b" "31m"},
  });
}

TEST(SanitizeXmlText, ReplacesInvalidUtf8) {
  ExpectSanitized({
      {"\xff\xfe", kFFFD + kFFFD},
      {"\x80", kFFFD},                             // stray continuation byte
      {"\xc0\xaf", kFFFD + kFFFD},                 // overlong '/'
      {"\xc1\xbf", kFFFD + kFFFD},
      {"\xe0\x80\xaf", kFFFD + kFFFD + kFFFD},     // overlong, 3 bytes
      {"\xf0\x80\x80\xaf", kFFFD + kFFFD + kFFFD + kFFFD},
      {"\xed\xa0\x80", kFFFD + kFFFD + kFFFD},     // surrogate U+D800
      {"\xed\xbf\xbf", kFFFD + kFFFD + kFFFD},     // surrogate U+DFFF
      {"\xf4\x90\x80\x80", kFFFD + kFFFD + kFFFD + kFFFD},  // U+110000
      {"\xf5\x80", kFFFD + kFFFD},
      {"\xe2\x82", kFFFD},                         // truncated "€"
      {"\xe2\x82x", kFFFD + "x"},
      {"\xf0\x9f\x98", kFFFD},
      {"\xf0\x9f\x98\xc3\xa9", kFFFD + "\xc3\xa9"},
      {"\xef\xbf\xbe", kFFFD},                     // U+FFFE
      {"\xef\xbf\xbf", kFFFD},                     // U+FFFF
      {"ok\xe2\x82\xac", "ok\xe2\x82\xac"},        // "€" whole
  });
}

// Bytes that reach the interesting states: escapes, lead bytes at range edges, controls.
const unsigned char kInteresting[] = {0x1b, '[',  ']',  0x07, '\\', '\n', '\r', 'm',  ';',
                                      '0',  0x00, 0x7f, 0x80, 0x8f, 0x90, 0x9f, 0xa0, 0xbf,
                                      0xbe, 0xc0, 0xc2, 0xdf, 0xe0, 0xed, 0xef, 0xf0, 0xf4,
                                      0xf5, 0xff};

TEST(SanitizeXmlText, RandomBytesGiveLegalIdempotentText) {
  std::mt19937 rng(20261128);
  std::uniform_int_distribution<int> length(0, 64), byte(0, 255), coin(0, 1);
  std::uniform_int_distribution<std::size_t> pick(0, sizeof kInteresting - 1);
  for (int iteration = 0; iteration < 50000; ++iteration) {
    std::string in(length(rng), '\0');
    for (char& c : in) c = static_cast<char>(coin(rng) ? byte(rng) : kInteresting[pick(rng)]);
    const std::string out = SanitizeXmlText(in);
    ASSERT_EQ(XmlProblem(out), "") << "input: " << testing::PrintToString(in);
    ASSERT_EQ(SanitizeXmlText(out), out) << "input: " << testing::PrintToString(in);
  }
}

TEST(SanitizeXmlText, RandomPrintableAsciiIsUnchanged) {
  std::mt19937 rng(7);
  std::uniform_int_distribution<int> length(0, 200), byte(0x20, 0x7e);
  for (int iteration = 0; iteration < 2000; ++iteration) {
    std::string in(length(rng), ' ');
    for (char& c : in) c = static_cast<char>(byte(rng));
    ASSERT_EQ(SanitizeXmlText(in), in);
  }
}

TEST(OneLine, FoldsLineBreaksAndTrims) {
  EXPECT_EQ(OneLine("a\r\nb\tc\rd\ne", 1000), "a b c d e");
  EXPECT_EQ(OneLine("  exit status 2\n", 1000), "exit status 2");
  EXPECT_EQ(OneLine("\n\n", 1000), "");
  EXPECT_EQ(OneLine("a\n\nb", 1000), "a  b");
}

TEST(OneLine, CutsAtACharacterBoundary) {
  EXPECT_EQ(OneLine("abcdef", 6), "abcdef");
  EXPECT_EQ(OneLine("abcdefg", 6), "abc\xE2\x80\xA6");

  std::string many_e_acute;
  for (int i = 0; i < 600; ++i) many_e_acute += "\xC3\xA9";  // 1200 bytes
  const std::string cut = OneLine(many_e_acute, 1000);
  EXPECT_LE(cut.size(), 1000u);
  EXPECT_EQ(cut.size(), 996u + 3u);
  EXPECT_EQ(cut.substr(cut.size() - 3), "\xE2\x80\xA6");
  EXPECT_EQ(XmlProblem(cut), "");
}

}  // namespace
}  // namespace leakprobe
