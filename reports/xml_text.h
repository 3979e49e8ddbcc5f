// Text that is safe to put in an XML 1.0 file, whatever bytes it came from.
//
// Goroutine dumps, target stderr and scenario names arrive over the network and from child
// processes: they may hold colour codes, NULs, backspaces and broken UTF-8. pugixml escapes
// `< & > "` but would copy the rest through and make the report unreadable. Every string
// that goes into a report passes through SanitizeXmlText first. Pure; no I/O; thread-safe.
#ifndef LEAKPROBE_REPORTS_XML_TEXT_H_
#define LEAKPROBE_REPORTS_XML_TEXT_H_

#include <cstddef>
#include <string>
#include <string_view>

namespace leakprobe {

// Returns `in` as valid UTF-8 in which every character is legal in XML 1.0. In one pass:
//  - ANSI escape sequences are removed: CSI (`ESC [` params, final byte 0x40-0x7E), OSC
//    (`ESC ]` ... BEL or `ESC \`; a line break or another control cuts it short, so a
//    stray `ESC ]` never swallows the rest of a dump), and ESC + one printable ASCII char.
//  - Other control characters (C0, DEL, C1) except tab, LF and CR become the visible text
//    `\xNN` (NN = the code point, lower-case hex): "a\x01b" -> "a\\x01b".
//  - Invalid UTF-8 (stray continuation bytes, overlongs like C0 AF, surrogates like
//    ED A0 80, code points above U+10FFFF, truncated sequences) becomes U+FFFD, one per
//    maximal invalid subpart (as the WHATWG decoder does); so do U+FFFE and U+FFFF.
// Everything else, CR-LF included, is copied unchanged. Never fails.
// Example: "\x1b[31mFAIL\x1b[0m \xff" -> "FAIL \xEF\xBF\xBD".
std::string SanitizeXmlText(std::string_view in);

// Returns sanitized text folded onto one line, for an attribute or a console line: each
// CR-LF, CR, LF or tab becomes one space; if the result is longer than `max_bytes` it is
// cut at a character boundary and ends in "…", the whole staying within `max_bytes`.
// REQUIRES: `in` is valid UTF-8 (e.g. SanitizeXmlText's output); max_bytes >= 3.
// Example: OneLine("a\r\nb\tc", 1000) -> "a b c".
std::string OneLine(std::string_view in, std::size_t max_bytes);

}  // namespace leakprobe

#endif  // LEAKPROBE_REPORTS_XML_TEXT_H_
