#include "reports/console.h"

#include <cmath>
#include <cstdio>

#include "reports/xml_text.h"

namespace leakprobe {
namespace {

// Long enough for a leak message naming a few functions, short enough for one log line.
constexpr std::size_t kMaxMessageBytes = 500;
// Names are short in practice; the cap only stops a runaway one.
constexpr std::size_t kMaxNameBytes = 1000;

std::string FormatSeconds(double s) {
  char buf[400];  // "%.2f" of DBL_MAX is 312 characters
  std::snprintf(buf, sizeof buf, "%.2fs", std::isfinite(s) && s > 0 ? s : 0.0);
  return buf;
}

std::string Clean(const std::string& raw, std::size_t max_bytes) {
  return OneLine(SanitizeXmlText(raw), max_bytes);
}

const char* Label(CaseResult::Outcome outcome) {
  switch (outcome) {
    case CaseResult::Outcome::kPassed: return "PASS ";
    case CaseResult::Outcome::kFailed: return "FAIL ";
    case CaseResult::Outcome::kError: return "ERROR";
    case CaseResult::Outcome::kSkipped: return "SKIP ";
  }
  return "?    ";
}

}  // namespace

std::string FormatCaseLine(const CaseResult& c) {
  std::string line = Label(c.outcome);
  line += ' ';
  line += Clean(c.classname, kMaxNameBytes);
  line += " / ";
  line += Clean(c.name, kMaxNameBytes);
  line += " (" + FormatSeconds(c.seconds) + ")";
  const std::string message = Clean(c.message, kMaxMessageBytes);
  if (!message.empty()) line += ": " + message;
  return line;
}

std::string FormatSummary(const RunResult& run) {
  int passed = 0, failed = 0, errors = 0, skipped = 0;
  double seconds = 0;
  for (const SuiteResult& suite : run.suites) {
    if (std::isfinite(suite.seconds) && suite.seconds > 0) seconds += suite.seconds;
    for (const CaseResult& c : suite.cases) {
      switch (c.outcome) {
        case CaseResult::Outcome::kPassed: ++passed; break;
        case CaseResult::Outcome::kFailed: ++failed; break;
        case CaseResult::Outcome::kError: ++errors; break;
        case CaseResult::Outcome::kSkipped: ++skipped; break;
      }
    }
  }
  std::string line = std::to_string(passed) + " passed, " + std::to_string(failed) +
                     " failed, " + std::to_string(errors) + " errors";
  if (skipped > 0) line += ", " + std::to_string(skipped) + " skipped";
  line += " (" + FormatSeconds(seconds) + ")";
  if (run.interrupted) line += "; interrupted";
  return line;
}

}  // namespace leakprobe
