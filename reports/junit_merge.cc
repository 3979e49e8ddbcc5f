#include "reports/junit_merge.h"

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <set>
#include <utility>

#include <pugixml.hpp>

#include "reports/xml_document.h"

namespace leakprobe {
namespace {

struct MergedSuite {
  std::string name, file, timestamp, hostname;
  double seconds = 0;
  std::vector<std::pair<std::string, std::string>> properties;
  std::set<std::pair<std::string, std::string>> seen_properties;
  std::vector<pugi::xml_node> cases;  // nodes of the parsed inputs, still alive
  std::string system_out, system_err;
};

double ParseSeconds(const char* text) {
  // "1,234.5" is valid for junit-10; drop the thousands separators.
  std::string digits;
  for (const char* p = text; *p; ++p) {
    if (*p != ',') digits += *p;
  }
  char* end = nullptr;
  const double s = std::strtod(digits.c_str(), &end);
  return std::isfinite(s) && s > 0 ? s : 0;
}

std::string FormatSeconds(double s) {
  char buf[400];
  std::snprintf(buf, sizeof buf, "%.3f", std::isfinite(s) && s > 0 ? s : 0.0);
  return buf;
}

void AddSuite(pugi::xml_node suite, std::vector<MergedSuite>* merged,
              std::map<std::pair<std::string, std::string>, std::size_t>* index) {
  const std::string name = suite.attribute("name").value();
  const std::string file = suite.attribute("file").value();
  auto [it, inserted] = index->emplace(std::make_pair(name, file), merged->size());
  if (inserted) {
    merged->emplace_back();
    merged->back().name = name;
    merged->back().file = file;
  }
  MergedSuite& m = (*merged)[it->second];
  m.seconds += ParseSeconds(suite.attribute("time").value());
  const std::string timestamp = suite.attribute("timestamp").value();
  // ISO 8601 without zone sorts as text.
  if (!timestamp.empty() && (m.timestamp.empty() || timestamp < m.timestamp)) m.timestamp = timestamp;
  if (m.hostname.empty()) m.hostname = suite.attribute("hostname").value();
  for (pugi::xml_node child : suite.children()) {
    const std::string tag = child.name();
    if (tag == "properties") {
      for (pugi::xml_node p : child.children("property")) {
        auto property = std::make_pair(std::string(p.attribute("name").value()),
                                       std::string(p.attribute("value").value()));
        if (m.seen_properties.insert(property).second) m.properties.push_back(property);
      }
    } else if (tag == "testcase") {
      m.cases.push_back(child);
    } else if (tag == "system-out") {
      m.system_out += child.text().get();
    } else if (tag == "system-err") {
      m.system_err += child.text().get();
    }
  }
}

}  // namespace

Result<std::string> MergeJUnit(const std::vector<JUnitInput>& inputs) {
  std::vector<pugi::xml_document> docs(inputs.size());
  std::vector<MergedSuite> merged;
  std::map<std::pair<std::string, std::string>, std::size_t> index;
  for (std::size_t i = 0; i < inputs.size(); ++i) {
    const pugi::xml_parse_result parsed = docs[i].load_buffer(
        inputs[i].contents.data(), inputs[i].contents.size(),
        pugi::parse_default | pugi::parse_ws_pcdata_single, pugi::encoding_utf8);
    if (!parsed) {
      return Status::Error(inputs[i].name + ": not XML: " + parsed.description() + " at byte " +
                           std::to_string(parsed.offset));
    }
    pugi::xml_node root = docs[i].document_element();
    const std::string tag = root.name();
    if (tag == "testsuite") {
      AddSuite(root, &merged, &index);
    } else if (tag == "testsuites") {
      // Jenkins' schema lets <testsuites> nest; flatten them.
      for (const pugi::xpath_node& suite : root.select_nodes(".//testsuite")) {
        AddSuite(suite.node(), &merged, &index);
      }
    } else {
      return Status::Error(inputs[i].name + ": not a JUnit file: the root element is <" + tag + ">");
    }
  }

  pugi::xml_document out;
  pugi::xml_node decl = out.append_child(pugi::node_declaration);
  decl.append_attribute("version").set_value("1.0");
  decl.append_attribute("encoding").set_value("UTF-8");
  pugi::xml_node root = out.append_child("testsuites");
  root.append_attribute("name").set_value("leakprobe");
  pugi::xml_attribute all_tests = root.append_attribute("tests");
  pugi::xml_attribute all_failures = root.append_attribute("failures");
  pugi::xml_attribute all_errors = root.append_attribute("errors");
  pugi::xml_attribute all_time = root.append_attribute("time");
  int tests_sum = 0, failures_sum = 0, errors_sum = 0;
  double seconds_sum = 0;

  for (const MergedSuite& m : merged) {
    int tests = 0, failures = 0, errors = 0, skipped = 0;
    for (pugi::xml_node c : m.cases) {
      ++tests;
      if (c.child("failure")) ++failures;
      else if (c.child("error")) ++errors;
      else if (c.child("skipped")) ++skipped;
    }
    pugi::xml_node suite = root.append_child("testsuite");
    suite.append_attribute("name").set_value(m.name.c_str());
    if (!m.file.empty()) suite.append_attribute("file").set_value(m.file.c_str());
    suite.append_attribute("tests").set_value(tests);
    suite.append_attribute("failures").set_value(failures);
    suite.append_attribute("errors").set_value(errors);
    suite.append_attribute("skipped").set_value(skipped);
    suite.append_attribute("time").set_value(FormatSeconds(m.seconds).c_str());
    if (!m.timestamp.empty()) suite.append_attribute("timestamp").set_value(m.timestamp.c_str());
    if (!m.hostname.empty()) suite.append_attribute("hostname").set_value(m.hostname.c_str());
    if (!m.properties.empty()) {
      pugi::xml_node properties = suite.append_child("properties");
      for (const auto& [name, value] : m.properties) {
        pugi::xml_node p = properties.append_child("property");
        p.append_attribute("name").set_value(name.c_str());
        p.append_attribute("value").set_value(value.c_str());
      }
    }
    for (pugi::xml_node c : m.cases) suite.append_copy(c);
    if (!m.system_out.empty()) suite.append_child("system-out").text().set(m.system_out.c_str());
    if (!m.system_err.empty()) suite.append_child("system-err").text().set(m.system_err.c_str());
    tests_sum += tests;
    failures_sum += failures;
    errors_sum += errors;
    seconds_sum += m.seconds;
  }
  all_tests.set_value(tests_sum);
  all_failures.set_value(failures_sum);
  all_errors.set_value(errors_sum);
  all_time.set_value(FormatSeconds(seconds_sum).c_str());

  return XmlDocumentText(out);
}

}  // namespace leakprobe
