// The page around the scenarios: head, header, suites, the order of the scenarios and the
// size budget. One scenario's section is html_case.cc.
#include "reports/html_report.h"

#include <algorithm>
#include <utility>
#include <vector>

#include "reports/console.h"
#include "reports/html_assets.h"
#include "reports/html_case.h"
#include "reports/html_text.h"
#include "reports/run_totals.h"
#include "reports/sweep_matrix.h"

namespace leakprobe {
namespace {

constexpr std::size_t kMaxFactBytes = 1000;
constexpr std::size_t kMaxListedTargets = 3;

std::string Property(const SuiteResult& suite, const std::string& name) {
  for (const auto& [key, value] : suite.properties) {
    if (key == name) return value;
  }
  return "";
}

// The distinct non-empty values of a property over the suites, in order.
std::vector<std::string> Distinct(const RunResult& run, const std::string& name) {
  std::vector<std::string> out;
  for (const SuiteResult& suite : run.suites) {
    std::string v = Property(suite, name);
    if (!v.empty() && std::find(out.begin(), out.end(), v) == out.end()) out.push_back(v);
  }
  return out;
}

std::string JoinFacts(const std::vector<std::string>& values, std::size_t max_listed) {
  std::string out;
  for (std::size_t i = 0; i < values.size() && i < max_listed; ++i) {
    out += (i ? "<br>" : "") + std::string("<code>") + HtmlLine(values[i], kMaxFactBytes) + "</code>";
  }
  if (values.size() > max_listed) {
    out += "<br>and " + std::to_string(values.size() - max_listed) + " more (see the suites below)";
  }
  return out;
}

std::string Header(const RunResult& run, const RunTotals& n, const HtmlReportOptions& options) {
  std::string verdict = "PASSED", verdict_class = "passed";
  if (run.interrupted) {  // what did run matters less than that the rest did not
    verdict = "INTERRUPTED";
    verdict_class = "interrupted";
  } else if (n.bad()) {
    verdict = "FAILED";
    verdict_class = "failed";
  } else if (n.tests == 0) {
    verdict = "NO SCENARIO RAN";
    verdict_class = "skipped";
  }
  std::string out = "<header><h1><span class=\"pill " + verdict_class + "\">" + verdict +
                    "</span> leakprobe report</h1><dl class=\"facts\"><dt>Result</dt><dd>" +
                    HtmlLine(FormatSummary(run), kMaxFactBytes);
  if (n.known_leaks > 0) out += "; " + std::to_string(n.known_leaks) + " known leak" + (n.known_leaks == 1 ? "" : "s");
  if (n.unseen_known_leaks > 0) {
    out += "; " + std::to_string(n.unseen_known_leaks) + " known leak" + (n.unseen_known_leaks == 1 ? "" : "s") +
           " no longer seen";
  }
  out += "</dd>";
  auto fact = [&out](const char* name, const std::string& html) {
    if (!html.empty()) out += std::string("<dt>") + name + "</dt><dd>" + html + "</dd>";
  };
  fact("Target", JoinFacts(Distinct(run, "target"), kMaxListedTargets));
  fact("Go", JoinFacts(Distinct(run, "go.version"), kMaxListedTargets));
  std::string version = options.leakprobe_version;
  if (version.empty()) {
    std::vector<std::string> versions = Distinct(run, "leakprobe.version");
    if (!versions.empty()) version = versions[0];
  }
  fact("leakprobe", version.empty() ? "" : HtmlLine(version, kMaxFactBytes));
  std::string when;
  for (const SuiteResult& suite : run.suites) {
    if (!suite.timestamp.empty() && (when.empty() || suite.timestamp < when)) when = suite.timestamp;
  }
  fact("Started", when.empty() ? "" : "<time>" + HtmlLine(when, kMaxFactBytes) + "</time>");
  out += "</dl></header>";
  return out;
}

std::string SuitesTable(const RunResult& run) {
  const bool go = !Distinct(run, "go.version").empty();
  std::string out = std::string("<h2>Suites</h2><table class=\"wide\"><tr><th>Suite</th><th>File</th><th>Target</th>") +
                    (go ? "<th>Go</th>" : "") + "<th>Result</th><th>Time</th></tr>";
  for (const SuiteResult& suite : run.suites) {
    const RunTotals n = TotalsOf(suite);
    out += "<tr><td>" + HtmlLine(suite.name, kMaxFactBytes) + "</td><td class=\"nowrap\"><code>" +
           HtmlLine(suite.file, kMaxFactBytes) + "</code></td><td><code>" +
           HtmlLine(Property(suite, "target"), kMaxFactBytes) + "</code></td>" +
           (go ? "<td class=\"nowrap\">" + HtmlLine(Property(suite, "go.version"), kMaxFactBytes) + "</td>" : "") + "<td>" +
           n.Text() + "</td><td class=\"nowrap\">" + FormatSecondsShort(suite.seconds) + "</td></tr>";
  }
  return out + "</table>";
}

// Each sweep's matrix: steps by faults, a leak's cell red.
std::string SweepTables(const RunResult& run) {
  std::string out;
  for (const SweepMatrix& m : SweepMatrices(run)) {
    out += "<h2>Sweep: " + HtmlLine(m.suite, kMaxFactBytes) + " / " + HtmlLine(m.scenario, kMaxFactBytes) + "</h2>";
    if (!m.control.kind.empty()) {
      out += "<p>As written: <span class=\"st " + std::string(m.control.kind == "clean" ? "passed" : "failed") +
             "\">" + HtmlLine(m.control.text, 300) + "</span></p>";
    }
    out += "<table class=\"wide sweep\"><tr><th>Step</th>";
    for (const std::string& f : m.faults) out += "<th>" + HtmlLine(f, kMaxFactBytes) + "</th>";
    out += "</tr>";
    for (size_t i = 0; i < m.steps.size(); ++i) {
      out += "<tr><td>" + HtmlLine(m.steps[i], kMaxFactBytes) + "</td>";
      for (const SweepMatrix::Cell& cell : m.cells[i]) {
        std::string cls = cell.kind == "leak" || cell.kind == "failed" ? "failed"
                          : cell.kind == "clean" || cell.kind == "as written" ? "passed"
                          : cell.kind == "error"                        ? "error"
                                                                        : "skipped";
        out += "<td class=\"st " + cls + "\">" + HtmlLine(cell.text, 300) + "</td>";
      }
      out += "</tr>";
    }
    out += "</table>";
  }
  return out;
}

std::string UnseenKnownLeaks(const RunResult& run) {
  std::string rows;
  for (const SuiteResult& suite : run.suites) {
    for (const KnownLeak& k : suite.unseen_known_leaks) {
      rows += "<tr><td>" + HtmlLine(suite.name, kMaxFactBytes) + "</td><td>" + HtmlLine(k.reason, kMaxFactBytes) +
              "</td><td><code>" + HtmlLine(k.pattern, kMaxFactBytes) + "</code></td><td><code>" +
              HtmlLine(k.where, kMaxFactBytes) + "</code></td></tr>";
    }
  }
  if (rows.empty()) return "";
  return "<h2>Known leaks no longer seen</h2><p class=\"muted\">These ignore entries have a reason but matched "
         "nothing in the whole run: the leak may be fixed, and the entry can go.</p><table><tr><th>Suite</th>"
         "<th>Reason</th><th>Entry</th><th>Written at</th></tr>" +
         rows + "</table>";
}

bool Bad(const CaseResult& c) {
  return c.outcome == CaseResult::Outcome::kFailed || c.outcome == CaseResult::Outcome::kError;
}

}  // namespace

std::string RenderHtmlReport(const RunResult& run, const HtmlReportOptions& options) {
  const RunTotals n = TotalsOf(run);
  std::string out =
      "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
      "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; "
      "img-src data:; script-src " +
      std::string(kHtmlReportScriptHash) +
      "; base-uri 'none'; form-action 'none'\">"
      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
      "<meta name=\"color-scheme\" content=\"light dark\"><title>leakprobe: " +
      HtmlLine(FormatSummary(run), kMaxFactBytes) + "</title><style>" + kHtmlReportCss + "</style></head>\n<body><main>";
  out += Header(run, n, options);

  // Failed and broken scenarios first, in run order; then the rest, in run order.
  std::vector<std::pair<std::size_t, std::size_t>> order;
  for (std::size_t s = 0; s < run.suites.size(); ++s) {
    for (std::size_t c = 0; c < run.suites[s].cases.size(); ++c) order.emplace_back(s, c);
  }
  std::stable_partition(order.begin(), order.end(),
                        [&run](const auto& sc) { return Bad(run.suites[sc.first].cases[sc.second]); });

  if (n.bad()) {
    out += "<h2>Failures</h2><ul>";
    for (const auto& [s, c] : order) {
      const CaseResult& r = run.suites[s].cases[c];
      if (!Bad(r)) break;
      out += "<li><a href=\"#" + CaseAnchor(s, c) + "\">" + HtmlLine(run.suites[s].name, kMaxFactBytes) + " / " +
             HtmlLine(r.name, kMaxFactBytes) + "</a>: " + HtmlLine(r.message, 300) + "</li>";
    }
    out += "</ul>";
  }
  out += UnseenKnownLeaks(run);
  if (!run.suites.empty()) out += SuitesTable(run);
  out += SweepTables(run);

  out += "<h2>Scenarios</h2>";
  if (order.empty()) {
    out += "<p>No scenario ran.</p>";
  } else {
    out += "<div class=\"tools\" id=\"tools\" hidden><button type=\"button\" data-act=\"open\">Expand all</button>"
           "<button type=\"button\" data-act=\"close\">Collapse all</button><label><input type=\"checkbox\" "
           "id=\"only-failed\"> failures only</label></div>";
  }
  std::size_t lean_from = order.size();
  for (std::size_t k = 0; k < order.size(); ++k) {
    const auto [s, c] = order[k];
    const bool lean = out.size() > options.max_total_bytes;
    if (lean && lean_from == order.size()) lean_from = k;
    out += RenderHtmlCase(run.suites[s], run.suites[s].cases[c], CaseAnchor(s, c), lean, options);
  }
  if (lean_from < order.size()) {
    out += "<p class=\"muted\">The page reached its size limit (" + std::to_string(options.max_total_bytes) +
           " bytes): the last " + std::to_string(order.size() - lean_from) +
           " scenarios show their charts and leak groups without their logs; the JUnit and JSON reports have "
           "them.</p>";
  }
  out += "</main><script>" + std::string(kHtmlReportScript) + "</script></body></html>\n";
  return out;
}

}  // namespace leakprobe
