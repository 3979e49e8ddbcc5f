#include "reports/github_annotations.h"

#include "reports/xml_text.h"

namespace leakprobe {
namespace {

constexpr std::size_t kMaxBodyLines = 40;
constexpr std::size_t kMaxMessageBytes = 4000;

std::string FirstLines(const std::string& text, std::size_t lines) {
  std::size_t at = 0;
  for (std::size_t n = 0; n < lines; ++n) {
    at = text.find('\n', at);
    if (at == std::string::npos) return text;
    ++at;
  }
  return text.substr(0, at) + "\u2026";
}

std::string Cut(const std::string& text, std::size_t max_bytes) {
  if (text.size() <= max_bytes) return text;
  std::size_t end = max_bytes - 3;
  while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xc0) == 0x80) --end;
  return text.substr(0, end) + "\u2026";
}

}  // namespace

std::string EscapeGitHubData(const std::string& text) {
  std::string out;
  for (char ch : text) {
    switch (ch) {
      case '%': out += "%25"; break;
      case '\r': out += "%0D"; break;
      case '\n': out += "%0A"; break;
      default: out += ch;
    }
  }
  return out;
}

std::string EscapeGitHubProperty(const std::string& text) {
  std::string out;
  for (char ch : EscapeGitHubData(text)) {
    switch (ch) {
      case ':': out += "%3A"; break;
      case ',': out += "%2C"; break;
      default: out += ch;
    }
  }
  return out;
}

std::string FormatGitHubAnnotations(const RunResult& run) {
  std::string out;
  for (const SuiteResult& suite : run.suites) {
    for (const CaseResult& c : suite.cases) {
      if (c.outcome != CaseResult::Outcome::kFailed && c.outcome != CaseResult::Outcome::kError) {
        continue;
      }
      const std::string type = c.type.empty()
          ? std::string(c.outcome == CaseResult::Outcome::kFailed ? "Failure" : "Error")
          : c.type;
      const std::string title = OneLine(
          SanitizeXmlText(type + ": " + (c.classname.empty() ? suite.name : c.classname) + " / " +
                          c.name),
          300);
      std::string message = OneLine(SanitizeXmlText(c.message), 1000);
      if (message.empty()) message = title;
      if (!c.detail.empty()) {
        message += "\n\n" + FirstLines(SanitizeXmlText(c.detail), kMaxBodyLines);
      }
      out += "::error ";
      if (!c.scenario_file.empty()) {
        out += "file=" + EscapeGitHubProperty(SanitizeXmlText(c.scenario_file)) + ",";
        if (c.scenario_line > 0) out += "line=" + std::to_string(c.scenario_line) + ",";
      }
      out += "title=" + EscapeGitHubProperty(title) + "::" +
             EscapeGitHubData(Cut(message, kMaxMessageBytes)) + "\n";
    }
  }
  return out;
}

}  // namespace leakprobe
