// Text that is safe inside an HTML page, as element content or as a quoted attribute value,
// whatever bytes it came from. Dumps, target output and scenario names end up in the HTML
// report; none of their bytes may end an element, open a tag or start a script there.
// Pure; no I/O; thread-safe.
#ifndef LEAKPROBE_REPORTS_HTML_TEXT_H_
#define LEAKPROBE_REPORTS_HTML_TEXT_H_

#include <string>
#include <string_view>

namespace leakprobe {

// `text` with & < > written as &amp; &lt; &gt; and, with `quotes`, " ' as &quot; &#39; (as
// a quoted attribute value needs; Markdown text leaves quotes as they are). The one escape
// of every HTML and Markdown report. REQUIRES: sanitized text (SanitizeXmlText).
std::string EscapeHtml(std::string_view text, bool quotes = true);

// Returns SanitizeXmlText(raw) (xml_text.h: escape sequences gone, controls as \xNN, valid
// UTF-8) with & < > " ' written as &amp; &lt; &gt; &quot; &#39;. Never fails.
// Example: "</script><img src=x onerror=alert(1)>\x01" ->
//          "&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;\\x01".
std::string HtmlText(std::string_view raw);

// HtmlText of OneLine(SanitizeXmlText(raw), max_bytes): for a <summary> or a table cell.
// REQUIRES: max_bytes >= 3.
std::string HtmlLine(std::string_view raw, std::size_t max_bytes);

}  // namespace leakprobe

#endif  // LEAKPROBE_REPORTS_HTML_TEXT_H_
