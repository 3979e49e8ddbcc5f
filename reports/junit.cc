#include "reports/junit.h"

#include <unistd.h>

#include <cmath>
#include <cstdio>
#include <string_view>

#include <pugixml.hpp>

#include "reports/atomic_file.h"
#include "reports/xml_text.h"

namespace leakprobe {
namespace {

// CI tools show the message in one line; a multi-MB message attribute helps nobody.
constexpr std::size_t kMaxMessageBytes = 1000;

struct Totals {
  int tests = 0, failures = 0, errors = 0, skipped = 0;
  void Add(CaseResult::Outcome outcome) {
    ++tests;
    if (outcome == CaseResult::Outcome::kFailed) ++failures;
    if (outcome == CaseResult::Outcome::kError) ++errors;
    if (outcome == CaseResult::Outcome::kSkipped) ++skipped;
  }
};

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

void AddCase(pugi::xml_node suite_node, const SuiteResult& suite, const CaseResult& c) {
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
  AddTextChild(node, "system-out", c.system_out);
  AddTextChild(node, "system-err", c.system_err);
}

// Returns the suite's totals, which the root element sums.
Totals AddSuite(pugi::xml_node root, const SuiteResult& suite, const std::string& hostname) {
  Totals totals;
  for (const CaseResult& c : suite.cases) totals.Add(c.outcome);

  // Only attributes junit-10.xsd declares on <testsuite>.
  pugi::xml_node node = root.append_child("testsuite");
  AddAttr(node, "name", suite.name);
  if (!suite.file.empty()) AddAttr(node, "file", suite.file);
  AddCount(node, "tests", totals.tests);
  AddCount(node, "failures", totals.failures);
  AddCount(node, "errors", totals.errors);
  AddCount(node, "skipped", totals.skipped);
  node.append_attribute("time").set_value(FormatSeconds(suite.seconds).c_str());
  if (!suite.timestamp.empty()) AddAttr(node, "timestamp", suite.timestamp);
  AddAttr(node, "hostname", hostname);

  if (!suite.properties.empty()) {
    pugi::xml_node properties = node.append_child("properties");
    for (const auto& [name, value] : suite.properties) {
      pugi::xml_node property = properties.append_child("property");
      AddAttr(property, "name", name);
      AddAttr(property, "value", value);
    }
  }
  for (const CaseResult& c : suite.cases) AddCase(node, suite, c);
  return totals;
}

struct StringWriter : pugi::xml_writer {
  std::string out;
  void write(const void* data, std::size_t size) override {
    out.append(static_cast<const char*>(data), size);
  }
};

}  // namespace

std::string RenderJUnit(const RunResult& run, const JUnitOptions& options) {
  const std::string hostname = options.hostname.empty() ? ThisHostname() : options.hostname;

  pugi::xml_document doc;
  pugi::xml_node decl = doc.append_child(pugi::node_declaration);
  decl.append_attribute("version").set_value("1.0");
  decl.append_attribute("encoding").set_value("UTF-8");

  // The root's totals go first in the file but are known only after the suites: add the
  // attributes now, fill them in afterwards. junit-10 rejects "skipped" on <testsuites>.
  pugi::xml_node root = doc.append_child("testsuites");
  root.append_attribute("name").set_value("leakprobe");
  pugi::xml_attribute tests = root.append_attribute("tests");
  pugi::xml_attribute failures = root.append_attribute("failures");
  pugi::xml_attribute errors = root.append_attribute("errors");
  pugi::xml_attribute time = root.append_attribute("time");

  Totals all;
  double seconds = 0;
  for (const SuiteResult& suite : run.suites) {
    const Totals t = AddSuite(root, suite, hostname);
    all.tests += t.tests;
    all.failures += t.failures;
    all.errors += t.errors;
    seconds += ClampSeconds(suite.seconds);
  }
  tests.set_value(all.tests);
  failures.set_value(all.failures);
  errors.set_value(all.errors);
  time.set_value(FormatSeconds(seconds).c_str());

  StringWriter writer;
  doc.save(writer, "  ", pugi::format_indent, pugi::encoding_utf8);
  return std::move(writer.out);
}

Status WriteJUnitFile(const RunResult& run, const std::string& path,
                      const JUnitOptions& options) {
  return WriteFileAtomically(path, RenderJUnit(run, options));
}

}  // namespace leakprobe
