#include "reports/markdown.h"

#include <algorithm>

#include "reports/console.h"
#include "reports/xml_text.h"

namespace leakprobe {
namespace {

constexpr std::size_t kMaxCellBytes = 300;

const char* Icon(CaseResult::Outcome outcome) {
  switch (outcome) {
    case CaseResult::Outcome::kPassed: return "\u2705";
    case CaseResult::Outcome::kFailed: return "\u274C";
    case CaseResult::Outcome::kError: return "\U0001F4A5";
    case CaseResult::Outcome::kSkipped: return "\u23ED\uFE0F";
  }
  return "?";
}

// One line of inline text that neither HTML nor (with `in_table`) a table row can misread.
std::string Inline(const std::string& raw, std::size_t max_bytes, bool in_table = true) {
  const std::string line = OneLine(SanitizeXmlText(raw), max_bytes);
  std::string out;
  out.reserve(line.size());
  for (char ch : line) {
    switch (ch) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '|': out += in_table ? "\\|" : "|"; break;
      default: out += ch;
    }
  }
  return out;
}

// A fenced code block that no run of backticks inside `body` can close early.
std::string Fenced(const std::string& body) {
  std::size_t longest = 0, run = 0;
  for (char ch : body) {
    run = ch == '`' ? run + 1 : 0;
    longest = std::max(longest, run);
  }
  const std::string fence(std::max<std::size_t>(3, longest + 1), '`');
  std::string out = fence + "text\n" + body;
  if (!body.empty() && body.back() != '\n') out += '\n';
  return out + fence + "\n";
}

std::string Cut(const std::string& text, std::size_t max_bytes) {
  if (text.size() <= max_bytes) return text;
  std::size_t end = max_bytes;
  while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xc0) == 0x80) --end;
  return text.substr(0, end) + "\n\u2026 (cut at " + std::to_string(max_bytes) + " bytes)\n";
}

}  // namespace

std::string RenderMarkdown(const RunResult& run, const MarkdownOptions& options) {
  std::string out = "### leakprobe: " + Inline(FormatSummary(run), kMaxCellBytes) + "\n\n";
  int cases = 0;
  for (const SuiteResult& suite : run.suites) cases += static_cast<int>(suite.cases.size());
  if (cases == 0) return out + "No scenario ran.\n";

  out += "| | Suite | Scenario | Time | Result |\n|---|---|---|---:|---|\n";
  for (const SuiteResult& suite : run.suites) {
    for (const CaseResult& c : suite.cases) {
      std::string result = c.message.empty()
                               ? std::string(c.outcome == CaseResult::Outcome::kPassed
                                                 ? "passed" : "")
                               : Inline(c.message, kMaxCellBytes);
      out += "| " + std::string(Icon(c.outcome)) + " | " +
             Inline(c.classname.empty() ? suite.name : c.classname, kMaxCellBytes) + " | " +
             Inline(c.name, kMaxCellBytes) + " | " + FormatSecondsShort(c.seconds) + " | " + result + " |\n";
    }
  }

  int left_out = 0;
  for (const SuiteResult& suite : run.suites) {
    for (const CaseResult& c : suite.cases) {
      if (c.outcome != CaseResult::Outcome::kFailed && c.outcome != CaseResult::Outcome::kError) {
        continue;
      }
      std::string block = "\n<details><summary>" + std::string(Icon(c.outcome)) + " " +
                          Inline(c.classname.empty() ? suite.name : c.classname, kMaxCellBytes,
                                 false) +
                          " / " + Inline(c.name, kMaxCellBytes, false);
      if (!c.message.empty()) block += ": " + Inline(c.message, kMaxCellBytes, false);
      block += "</summary>\n\n";
      std::string where;
      if (!c.scenario_file.empty()) {
        where = "`" + Inline(c.scenario_file, kMaxCellBytes, false);
        if (c.scenario_line > 0) where += ":" + std::to_string(c.scenario_line);
        where += "`";
      }
      if (!c.type.empty()) where += (where.empty() ? "" : " \u00B7 ") + Inline(c.type, kMaxCellBytes, false);
      if (!where.empty()) block += where + "\n\n";
      const std::string body = SanitizeXmlText(!c.detail.empty() ? c.detail : c.message);
      block += Fenced(Cut(body, options.max_detail_bytes));
      if (!c.system_err.empty()) {
        block += "\nTarget stderr (tail):\n\n" +
                 Fenced(Cut(SanitizeXmlText(c.system_err), options.max_detail_bytes / 4));
      }
      block += "\n</details>\n";
      if (out.size() + block.size() > options.max_total_bytes) {
        ++left_out;
        continue;
      }
      out += block;
    }
  }
  if (left_out > 0) {
    out += "\n" + std::to_string(left_out) +
           " more failure block(s) left out to stay within the summary size limit; see the "
           "JUnit or JSON report.\n";
  }
  return out;
}

}  // namespace leakprobe
