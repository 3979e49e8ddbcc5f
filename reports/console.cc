#include "reports/console.h"

#include <cmath>
#include <cstdio>

#include "reports/run_totals.h"
#include "reports/xml_text.h"

namespace leakprobe {
namespace {

// Long enough for a leak message naming a few functions, short enough for one log line.
constexpr std::size_t kMaxMessageBytes = 500;
// Names are short in practice; the cap only stops a runaway one.
constexpr std::size_t kMaxNameBytes = 1000;

constexpr char kReset[] = "\x1b[0m";

std::string Clean(const std::string& raw, std::size_t max_bytes) {
  return OneLine(SanitizeXmlText(raw), max_bytes);
}

const char* Colour(CaseResult::Outcome outcome) {
  switch (outcome) {
    case CaseResult::Outcome::kPassed: return "\x1b[32m";
    case CaseResult::Outcome::kFailed: return "\x1b[31m";
    case CaseResult::Outcome::kError: return "\x1b[1;31m";
    case CaseResult::Outcome::kSkipped: return "\x1b[33m";
  }
  return "";
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

std::string FormatSecondsShort(double s) {
  char buf[400];  // "%.2f" of DBL_MAX is 312 characters
  std::snprintf(buf, sizeof buf, "%.2fs", std::isfinite(s) && s > 0 ? s : 0.0);
  return buf;
}

std::string FormatCaseLine(const CaseResult& c, bool colour) {
  std::string line;
  if (colour) {
    // The label keeps its 5 columns; only the visible word is coloured.
    std::string label = Label(c.outcome);
    const std::size_t end = label.find_last_not_of(' ') + 1;
    line = std::string(Colour(c.outcome)) + label.substr(0, end) + kReset + label.substr(end);
  } else {
    line = Label(c.outcome);
  }
  line += ' ';
  line += Clean(c.classname, kMaxNameBytes);
  line += " / ";
  line += Clean(c.name, kMaxNameBytes);
  line += " (" + FormatSecondsShort(c.seconds) + ")";
  const std::string message = Clean(c.message, kMaxMessageBytes);
  if (!message.empty()) line += ": " + message;
  return line;
}

std::string FormatSummary(const RunResult& run, bool colour) {
  double seconds = 0;
  for (const SuiteResult& suite : run.suites) {
    if (std::isfinite(suite.seconds) && suite.seconds > 0) seconds += suite.seconds;
  }
  const RunTotals totals = TotalsOf(run);
  std::string line = totals.Text();
  if (std::isfinite(run.seconds) && run.seconds > 0) seconds = run.seconds;
  line += " (" + FormatSecondsShort(seconds) + ")";
  if (run.interrupted) line += "; interrupted";
  if (colour) line = (totals.bad() ? "\x1b[1;31m" : "\x1b[1;32m") + line + kReset;
  return line;
}

std::vector<std::string> FormatKnownLeaks(const CaseResult& c) {
  std::vector<std::string> lines;
  for (const KnownLeak& k : c.known_leaks) {
    lines.push_back("      known leak: " + Clean(k.function, kMaxNameBytes) + " \xC3\x97" + std::to_string(k.count) +
                    " (reason: " + Clean(k.reason, kMaxMessageBytes) + ") [" + Clean(k.where, kMaxNameBytes) + "]");
  }
  return lines;
}

std::vector<std::string> FormatUnseenKnownLeaks(const RunResult& run) {
  std::vector<std::string> lines;
  for (const SuiteResult& suite : run.suites) {
    for (const KnownLeak& k : suite.unseen_known_leaks) {
      lines.push_back("known leak no longer seen: " + Clean(k.pattern, kMaxNameBytes) + " [" +
                      Clean(k.where, kMaxNameBytes) + "] (reason: " + Clean(k.reason, kMaxMessageBytes) +
                      "): delete the entry if the leak is fixed");
    }
  }
  return lines;
}

std::string FormatProgress(int done, int total, double seconds, const std::string& current) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "[%d/%d] %.1fs", done, total,
                std::isfinite(seconds) && seconds > 0 ? seconds : 0.0);
  std::string line = buf;
  if (!current.empty()) line += "  running " + Clean(current, kMaxNameBytes);
  return line;
}

}  // namespace leakprobe
