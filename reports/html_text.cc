#include "reports/html_text.h"

#include "reports/xml_text.h"

namespace leakprobe {

std::string EscapeHtml(std::string_view text, bool quotes) {
  std::string out;
  out.reserve(text.size() + text.size() / 8);
  for (char ch : text) {
    switch (ch) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += quotes ? "&quot;" : "\""; break;
      case '\'': out += quotes ? "&#39;" : "'"; break;
      default: out += ch;
    }
  }
  return out;
}

std::string HtmlText(std::string_view raw) { return EscapeHtml(SanitizeXmlText(raw)); }

std::string HtmlLine(std::string_view raw, std::size_t max_bytes) {
  return EscapeHtml(OneLine(SanitizeXmlText(raw), max_bytes));
}

}  // namespace leakprobe
