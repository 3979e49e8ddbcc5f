#include "reports/junit.h"

#include "base/timestamp.h"

#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <string_view>

#include <pugixml.hpp>

#include "reports/atomic_file.h"
#include "reports/run_totals.h"
#include "reports/xml_document.h"
#include "reports/sweep_matrix.h"
#include "reports/xml_text.h"

namespace leakprobe {
namespace {

// CI tools show the message in one line; a multi-MB message attribute helps nobody.
constexpr std::size_t kMaxMessageBytes = 1000;

// junit-10.xsd allows at most 3 decimals and no exponent on suite times; a stopped clock or
// NaN must not make the file invalid.
double ClampSeconds(double s) { return std::isfinite(s) && s > 0 ? s : 0; }

std::string FormatSeconds(double s) {
  char buf[400];  // "%.3f" of DBL_MAX is 313 characters
  std::snprintf(buf, sizeof buf, "%.3f", ClampSeconds(s));
  return buf;
}

std::string ThisHostname() {
  char buf[256] = {};
  if (::gethostname(buf, sizeof buf - 1) != 0 || buf[0] == '\0') return "localhost";
  return buf;
}


void AddAttr(pugi::xml_node node, const char* name, std::string_view raw) {
  node.append_attribute(name).set_value(SanitizeXmlText(raw).c_str());
}

void AddCount(pugi::xml_node node, const char* name, int n) {
  node.append_attribute(name).set_value(n);
}

void AddMessage(pugi::xml_node node, std::string_view raw) {
  if (raw.empty()) return;
  node.append_attribute("message").set_value(
      OneLine(SanitizeXmlText(raw), kMaxMessageBytes).c_str());
}

void AddTextChild(pugi::xml_node parent, const char* name, std::string_view raw) {
  if (raw.empty()) return;
  parent.append_child(name).text().set(SanitizeXmlText(raw).c_str());
}

void AddProblem(pugi::xml_node testcase, const char* element, const char* default_type,
                const CaseResult& c) {
  pugi::xml_node node = testcase.append_child(element);
  AddAttr(node, "type", c.type.empty() ? std::string_view(default_type) : c.type);
  AddMessage(node, c.message);
  if (!c.detail.empty()) node.text().set(SanitizeXmlText(c.detail).c_str());
}

void AddCase(pugi::xml_node suite_node, const SuiteResult& suite, const CaseResult& c,
             JUnitFlavor flavor) {
  pugi::xml_node node = suite_node.append_child("testcase");
  AddAttr(node, "classname", c.classname.empty() ? suite.name : c.classname);
  AddAttr(node, "name", c.name);
  node.append_attribute("time").set_value(FormatSeconds(c.seconds).c_str());
  switch (c.outcome) {
    case CaseResult::Outcome::kPassed:
      break;
    case CaseResult::Outcome::kFailed:
      AddProblem(node, "failure", "Failure", c);
      break;
    case CaseResult::Outcome::kError:
      AddProblem(node, "error", "Error", c);
      break;
    case CaseResult::Outcome::kSkipped:
      AddMessage(node.append_child("skipped"), c.message);
      break;
  }
  if (flavor == JUnitFlavor::kAnt) return;  // JUnit.xsd: output only at suite level
  AddTextChild(node, "system-out", c.system_out);
  AddTextChild(node, "system-err", c.system_err);
}

void AddProperties(pugi::xml_node node, const SuiteResult& suite, std::string_view prefix,
                   bool even_when_empty) {
  bool swept = std::any_of(suite.cases.begin(), suite.cases.end(), [](const CaseResult& c) { return c.sweep.has_value(); });
  if (suite.properties.empty() && !swept && !even_when_empty) return;
  pugi::xml_node properties = node.child("properties");
  if (!properties) properties = node.append_child("properties");
  for (const auto& [name, value] : suite.properties) {
    pugi::xml_node property = properties.append_child("property");
    AddAttr(property, "name", std::string(prefix) + name);
    AddAttr(property, "value", value);
  }
  // A sweep's matrix, steps by faults, for whoever reads the file rather than the CI's view.
  RunResult one;
  one.suites.push_back(suite);
  for (const SweepMatrix& m : SweepMatrices(one)) {
    pugi::xml_node property = properties.append_child("property");
    AddAttr(property, "name", std::string(prefix) + "sweep " + m.scenario);
    AddAttr(property, "value", SweepMatrixText(m));
  }
}

// Ant keeps output at suite level: every case's, each under a header naming its scenario.
std::string JoinedOutput(const SuiteResult& suite, std::string CaseResult::*field) {
  std::string out;
  for (const CaseResult& c : suite.cases) {
    const std::string& text = c.*field;
    if (text.empty()) continue;
    out += "=== " + c.name + " ===\n" + text;
    if (text.back() != '\n') out += '\n';
  }
  return out;
}

// Returns the suite's totals, which the root element sums.
RunTotals AddSuite(pugi::xml_node root, const SuiteResult& suite, const std::string& hostname,
                   JUnitFlavor flavor, int id) {
  const RunTotals totals = TotalsOf(suite);

  pugi::xml_node node = root.append_child("testsuite");
  if (flavor == JUnitFlavor::kAnt) {
    // Only what JUnit.xsd declares; name and hostname are non-empty tokens.
    const std::string clean_name = OneLine(SanitizeXmlText(suite.name), 100000);
    const bool blank = clean_name.find_first_not_of(' ') == std::string::npos;
    AddAttr(node, "name", blank ? "unnamed" : suite.name);
    AddAttr(node, "package", blank ? "unnamed" : suite.name);
    AddCount(node, "id", id);
  } else {
    AddAttr(node, "name", suite.name);
    if (!suite.file.empty()) AddAttr(node, "file", suite.file);
  }
  AddCount(node, "tests", totals.tests);
  AddCount(node, "failures", totals.failed);
  AddCount(node, "errors", totals.errors);
  AddCount(node, "skipped", totals.skipped);
  node.append_attribute("time").set_value(FormatSeconds(suite.seconds).c_str());
  if (flavor == JUnitFlavor::kAnt) {
    AddAttr(node, "timestamp", suite.timestamp.empty() ? LocalTimestampNow() : suite.timestamp);
  } else if (!suite.timestamp.empty()) {
    AddAttr(node, "timestamp", suite.timestamp);
  }
  AddAttr(node, "hostname", hostname);

  AddProperties(node, suite, "", flavor == JUnitFlavor::kAnt);
  for (const CaseResult& c : suite.cases) AddCase(node, suite, c, flavor);
  if (flavor == JUnitFlavor::kAnt) {
    node.append_child("system-out").text().set(
        SanitizeXmlText(JoinedOutput(suite, &CaseResult::system_out)).c_str());
    node.append_child("system-err").text().set(
        SanitizeXmlText(JoinedOutput(suite, &CaseResult::system_err)).c_str());
  }
  return totals;
}

// Surefire: one <testsuite> root for the whole run.
void AddSurefireRoot(pugi::xml_document* doc, const RunResult& run, double seconds) {
  const RunTotals all = TotalsOf(run);
  const bool single = run.suites.size() == 1;
  pugi::xml_node node = doc->append_child("testsuite");
  AddAttr(node, "name", single ? run.suites[0].name : "leakprobe");
  AddCount(node, "tests", all.tests);
  AddCount(node, "errors", all.errors);
  AddCount(node, "skipped", all.skipped);
  AddCount(node, "failures", all.failed);
  node.append_attribute("time").set_value(FormatSeconds(seconds).c_str());
  if (!run.suites.empty() && !run.suites[0].timestamp.empty()) {
    AddAttr(node, "timestamp", run.suites[0].timestamp);
  }
  for (const SuiteResult& suite : run.suites) {
    AddProperties(node, suite, single ? "" : suite.name + ": ", false);
  }
  for (const SuiteResult& suite : run.suites) {
    for (const CaseResult& c : suite.cases) AddCase(node, suite, c, JUnitFlavor::kSurefire);
  }
}

}  // namespace

Result<JUnitFlavor> ParseJUnitFlavor(std::string_view name) {
  if (name == "default") return JUnitFlavor::kDefault;
  if (name == "ant") return JUnitFlavor::kAnt;
  if (name == "surefire") return JUnitFlavor::kSurefire;
  return Status::Error("unknown JUnit flavor \"" + std::string(name) +
                       "\" (want default, ant or surefire)");
}

std::string RenderJUnit(const RunResult& run, const JUnitOptions& options) {
  const std::string hostname = options.hostname.empty() ? ThisHostname() : options.hostname;
  double suite_seconds = 0;
  for (const SuiteResult& suite : run.suites) suite_seconds += ClampSeconds(suite.seconds);
  const double seconds = ClampSeconds(run.seconds) > 0 ? run.seconds : suite_seconds;

  pugi::xml_document doc;
  pugi::xml_node decl = doc.append_child(pugi::node_declaration);
  decl.append_attribute("version").set_value("1.0");
  decl.append_attribute("encoding").set_value("UTF-8");

  if (options.flavor == JUnitFlavor::kSurefire) {
    AddSurefireRoot(&doc, run, seconds);
  } else {
    pugi::xml_node root = doc.append_child("testsuites");
    // The root's totals go first in the file but are known only after the suites: add the
    // attributes now, fill them in afterwards. junit-10 rejects "skipped" on <testsuites>,
    // Ant's schema any attribute at all.
    const bool ant = options.flavor == JUnitFlavor::kAnt;
    pugi::xml_attribute tests, failures, errors, time;
    if (!ant) {
      root.append_attribute("name").set_value("leakprobe");
      tests = root.append_attribute("tests");
      failures = root.append_attribute("failures");
      errors = root.append_attribute("errors");
      time = root.append_attribute("time");
    }
    RunTotals all;
    int id = 0;
    for (const SuiteResult& suite : run.suites) all.Add(AddSuite(root, suite, hostname, options.flavor, id++));
    if (!ant) {
      tests.set_value(all.tests);
      failures.set_value(all.failed);
      errors.set_value(all.errors);
      time.set_value(FormatSeconds(seconds).c_str());
    }
  }

  return XmlDocumentText(doc);
}

Status WriteJUnitFile(const RunResult& run, const std::string& path,
                      const JUnitOptions& options) {
  return WriteFileAtomically(path, RenderJUnit(run, options));
}

}  // namespace leakprobe
