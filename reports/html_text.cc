#include "reports/html_text.h"

#include "reports/xml_text.h"

namespace leakprobe {
namespace {

std::string Escape(const std::string& text) {
  std::string out;
  out.reserve(text.size() + text.size() / 8);
  for (char ch : text) {
    switch (ch) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += ch;
    }
  }
  return out;
}

}  // namespace

std::string HtmlText(std::string_view raw) { return Escape(SanitizeXmlText(raw)); }

std::string HtmlLine(std::string_view raw, std::size_t max_bytes) {
  return Escape(OneLine(SanitizeXmlText(raw), max_bytes));
}

}  // namespace leakprobe
