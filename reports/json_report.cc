#include "reports/json_report.h"

#include <cmath>
#include <vector>

#include <nlohmann/json.hpp>

#include "reports/run_totals.h"
#include "reports/sweep_matrix.h"
#include "reports/xml_text.h"

namespace leakprobe {
namespace {

using nlohmann::ordered_json;

double Seconds(double s) {
  if (!std::isfinite(s) || s <= 0) return 0;
  return std::round(s * 1000) / 1000;
}

std::string Text(const std::string& raw) { return SanitizeXmlText(raw); }

ordered_json LeakJson(const LeakGroup& g) {
  ordered_json stack = ordered_json::array();
  for (const std::string& frame : g.stack) stack.push_back(Text(frame));
  ordered_json labels = ordered_json::object();
  for (const auto& [k, v] : g.labels) labels[Text(k)] = Text(v);
  return ordered_json{{"function", Text(g.function)},
                      {"proven", g.proven},
                      {"count", g.count},
                      {"ids", g.ids},
                      {"state", Text(g.state)},
                      {"wait_minutes", g.wait_minutes},
                      {"stack", stack},
                      {"created_by", Text(g.created_by)},
                      {"created_during", Text(g.created_during)},
                      {"labels", labels},
                      {"per_iteration", std::isfinite(g.per_iteration) ? std::round(g.per_iteration * 1000) / 1000 : 0.0},
                      {"series", g.series}};
}

// A moment of the timeline: seconds rounded to milliseconds, or -1 when unknown.
double Moment(double t) { return std::isfinite(t) && t >= 0 ? std::round(t * 1000) / 1000 : -1; }

ordered_json TimelineJson(const Timeline& t) {
  ordered_json points = ordered_json::array();
  for (const Timeline::Point& p : t.points) {
    points.push_back(ordered_json{{"t", Seconds(p.t)},   {"total", p.total},  {"kind", Text(p.kind)},
                                  {"label", Text(p.label)}, {"fds", p.fds}, {"threads", p.threads}});
  }
  ordered_json series = ordered_json::array();
  for (const Timeline::Series& s : t.series) {
    series.push_back(ordered_json{{"name", Text(s.name)}, {"why", Text(s.why)}, {"counts", s.counts}});
  }
  ordered_json steps = ordered_json::array();
  for (const Timeline::Band& b : t.steps) {
    steps.push_back(ordered_json{{"label", Text(b.label)}, {"start", Seconds(b.start)}, {"end", Seconds(b.end)}});
  }
  return ordered_json{{"points", points}, {"series", series}, {"steps", steps}, {"verdict_t", Moment(t.verdict_t)}};
}

ordered_json KnownLeaksJson(const std::vector<KnownLeak>& known) {
  ordered_json out = ordered_json::array();
  for (const KnownLeak& k : known) {
    out.push_back(ordered_json{{"reason", Text(k.reason)},
                               {"pattern", Text(k.pattern)},
                               {"where", Text(k.where)},
                               {"function", Text(k.function)},
                               {"count", k.count}});
  }
  return out;
}

ordered_json SweepCellJson(const SweepCell& s) {
  return ordered_json{{"scenario", Text(s.scenario)}, {"step", Text(s.step)}, {"fault", Text(s.fault)},
                      {"rounds", s.rounds}};
}

ordered_json CaseJson(const CaseResult& c, const SuiteResult& suite) {
  ordered_json leaks = ordered_json::array();
  for (const LeakGroup& g : c.leaks) leaks.push_back(LeakJson(g));
  return ordered_json{{"name", Text(c.name)},
                      {"classname", Text(c.classname.empty() ? suite.name : c.classname)},
                      {"outcome", OutcomeName(c.outcome)},
                      {"seconds", Seconds(c.seconds)},
                      {"type", Text(c.type)},
                      {"message", Text(c.message)},
                      {"detail", Text(c.detail)},
                      {"system_out", Text(c.system_out)},
                      {"system_err", Text(c.system_err)},
                      {"file", Text(c.scenario_file)},
                      {"line", c.scenario_line},
                      {"leaks", leaks},
                      {"known_leaks", KnownLeaksJson(c.known_leaks)},
                      {"timeline", TimelineJson(c.timeline)}};
}

// The sweep's matrices: {suite, scenario, as_written: {kind, text}, steps, faults, cells: [[{kind, text}]]}.
ordered_json SweepsJson(const RunResult& run) {
  ordered_json out = ordered_json::array();
  for (const SweepMatrix& m : SweepMatrices(run)) {
    ordered_json rows = ordered_json::array();
    for (const auto& row : m.cells) {
      ordered_json cells = ordered_json::array();
      for (const SweepMatrix::Cell& cell : row) cells.push_back({{"kind", cell.kind}, {"text", Text(cell.text)}});
      rows.push_back(cells);
    }
    ordered_json steps = ordered_json::array(), faults = ordered_json::array();
    for (const std::string& s : m.steps) steps.push_back(Text(s));
    for (const std::string& f : m.faults) faults.push_back(Text(f));
    ordered_json sweep = {{"suite", Text(m.suite)}, {"scenario", Text(m.scenario)}};
    if (!m.control.kind.empty()) sweep["as_written"] = {{"kind", m.control.kind}, {"text", Text(m.control.text)}};
    sweep["steps"] = steps;
    sweep["faults"] = faults;
    sweep["cells"] = rows;
    out.push_back(sweep);
  }
  return out;
}

}  // namespace

std::string RenderJsonReport(const RunResult& run, const JsonReportOptions& options) {
  const RunTotals totals = TotalsOf(run);
  double suite_seconds = 0;
  ordered_json suites = ordered_json::array();
  for (const SuiteResult& suite : run.suites) {
    suite_seconds += Seconds(suite.seconds);
    ordered_json properties = ordered_json::array();
    for (const auto& [name, value] : suite.properties) {
      properties.push_back({{"name", Text(name)}, {"value", Text(value)}});
    }
    ordered_json cases = ordered_json::array();
    for (const CaseResult& c : suite.cases) {
      cases.push_back(CaseJson(c, suite));
      if (c.sweep) cases.back()["sweep"] = SweepCellJson(*c.sweep);
    }
    suites.push_back(ordered_json{{"name", Text(suite.name)},
                                  {"file", Text(suite.file)},
                                  {"timestamp", Text(suite.timestamp)},
                                  {"seconds", Seconds(suite.seconds)},
                                  {"properties", properties},
                                  {"cases", cases},
                                  {"unseen_known_leaks", KnownLeaksJson(suite.unseen_known_leaks)}});
  }
  const double seconds = Seconds(run.seconds) > 0 ? Seconds(run.seconds) : Seconds(suite_seconds);

  ordered_json doc;
  doc["format"] = "leakprobe-report";
  doc["version"] = kJsonReportVersion;
  if (!options.leakprobe_version.empty()) doc["leakprobe_version"] = options.leakprobe_version;
  doc["summary"] = ordered_json{{"tests", totals.tests},     {"passed", totals.passed},
                                {"failed", totals.failed},   {"errors", totals.errors},
                                {"skipped", totals.skipped}, {"seconds", seconds},
                                {"interrupted", run.interrupted}};
  doc["suites"] = suites;
  ordered_json sweeps = SweepsJson(run);
  if (!sweeps.empty()) doc["sweeps"] = sweeps;
  return doc.dump(2) + "\n";
}

}  // namespace leakprobe
