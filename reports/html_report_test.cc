#include "reports/html_report.h"

#include <gtest/gtest.h>

#include <regex>
#include <string>

#include "reports/html_assets.h"
#include "reports/html_text.h"
#include "reports/report_test_util.h"
#include "reports/svg_chart.h"
#include "reports/xml_text.h"

namespace leakprobe {
namespace {

std::size_t Count(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (std::size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + what.size())) ++n;
  return n;
}

HtmlReportOptions Options() {
  HtmlReportOptions options;
  options.leakprobe_version = "0.1.0";
  return options;
}

TEST(RenderHtmlReport, Golden) {
  testutil::ExpectGolden("golden.html", RenderHtmlReport(testutil::GoldenRun(), Options()));
}

TEST(RenderHtmlReport, IsOneSelfContainedPage) {
  const std::string html = RenderHtmlReport(testutil::GoldenRun(), Options());
  EXPECT_EQ(html.rfind("<!DOCTYPE html>\n<html lang=\"en\">", 0), 0u);
  EXPECT_EQ(html.substr(html.size() - 15), "</body></html>\n");
  EXPECT_NE(html.find("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "), std::string::npos);
  // Nothing to fetch: no element that loads a resource, no URL in CSS, every link an anchor.
  for (const char* tag : {"<link", "<img", "<iframe", "<object", "<embed", "<audio", "<video", "@import", "url("}) {
    EXPECT_EQ(html.find(tag), std::string::npos) << tag;
  }
  const std::regex attribute(R"re(\b(src|href|xlink:href|action)\s*=\s*"([^"]*)")re");
  for (auto it = std::sregex_iterator(html.begin(), html.end(), attribute); it != std::sregex_iterator(); ++it) {
    EXPECT_EQ((*it)[1].str(), "href") << (*it)[0];
    EXPECT_EQ((*it)[2].str().rfind("#", 0), 0u) << (*it)[0];
  }
  EXPECT_EQ(Count(html, "<script"), 1u);
  EXPECT_EQ(SanitizeXmlText(html), html) << "the page is valid UTF-8 without control characters";
}

TEST(RenderHtmlReport, TheScriptIsTheOneItsHashAllows) {
  const std::string path = ::testing::TempDir() + "/html-report-script.js";
  testutil::WriteFile(path, kHtmlReportScript);
  std::string out;
  const int status = testutil::RunShell(
      "/usr/bin/python3 -c 'import base64, hashlib, sys; "
      "print(base64.b64encode(hashlib.sha256(open(sys.argv[1], \"rb\").read()).digest()).decode())' " + path,
      &out);
  std::remove(path.c_str());
  ASSERT_EQ(status, 0) << out;
  EXPECT_EQ("'sha256-" + out.substr(0, out.find('\n')) + "'", kHtmlReportScriptHash)
      << "kHtmlReportScript changed: put the new hash in kHtmlReportScriptHash";
}

TEST(RenderHtmlReport, FailuresComeFirstAndOpen) {
  RunResult run = testutil::GoldenRun();
  std::swap(run.suites[0].cases[0], run.suites[0].cases[1]);  // the pass first in the run
  const std::string html = RenderHtmlReport(run, Options());
  const std::size_t failed = html.find("<details class=\"case failed bad\" id=\"s0c1\" open>");
  const std::size_t error = html.find("<details class=\"case error bad\" id=\"s1c0\" open>");
  const std::size_t passed = html.find("<details class=\"case passed\" id=\"s0c0\">");
  const std::size_t skipped = html.find("<details class=\"case skipped\" id=\"s1c1\">");
  ASSERT_NE(failed, std::string::npos) << html;
  ASSERT_NE(error, std::string::npos);
  ASSERT_NE(passed, std::string::npos);
  ASSERT_NE(skipped, std::string::npos);
  EXPECT_LT(failed, error);
  EXPECT_LT(error, passed);
  EXPECT_LT(passed, skipped);
  EXPECT_NE(html.find("<a href=\"#s0c1\">logs-follow / follow logs of a silent container, then disconnect</a>"),
            std::string::npos);
}

TEST(RenderHtmlReport, ShowsTheTimelineTheGroupsAndTheKnownLeaks) {
  const std::string html = RenderHtmlReport(testutil::GoldenRun(), Options());
  EXPECT_EQ(Count(html, "<svg class=\"chart\""), 2u);       // the leak and the pass; the error has none
  EXPECT_EQ(Count(html, "<svg class=\"chart proc\""), 1u);  // fds and threads measured in the leak only
  EXPECT_EQ(Count(html, "<circle class=\"mark "), 9u);      // a marker per dump
  EXPECT_NE(html.find("<polyline class=\"series s0 w1 why-leaked\""), std::string::npos);
  EXPECT_NE(html.find("<title>main.(*Server).logsContainer (leaked)</title>"), std::string::npos);
  EXPECT_NE(html.find("<line class=\"verdict\""), std::string::npos);
  EXPECT_NE(html.find("<text class=\"bl\""), std::string::npos);
  EXPECT_NE(html.find("<b class=\"n\">2</b> \u00d7 <code class=\"fn\">main.(*Server).logsContainer</code>"),
            std::string::npos);
  EXPECT_NE(html.find("created during step 3 &quot;follow for 3s and hang up&quot; \u00b7 ids 25, 31"),
            std::string::npos);
  EXPECT_NE(html.find("<details class=\"stack\"><summary><code>main.(*Server).logsContainer /src/minipouchd/logs.go:67"),
            std::string::npos);
  EXPECT_NE(html.find("No goroutine dump was taken in this scenario."), std::string::npos);
  EXPECT_EQ(Count(html, "https://github.com/acme/minipouchd/issues/12"), 2u);  // both scenarios' known leak
  EXPECT_NE(html.find("<h2>Known leaks no longer seen</h2>"), std::string::npos);
  EXPECT_NE(html.find("keyword main.(*Cache).refresh"), std::string::npos);
  EXPECT_NE(html.find("2 known leaks; 1 known leak no longer seen"), std::string::npos);
}

TEST(RenderHtmlReport, GrowthAndProvenGroupsSayWhy) {
  RunResult run = testutil::GoldenRun();
  CaseResult& c = run.suites[0].cases[0];
  c.leaks[0].proven = true;
  c.leaks[1].per_iteration = 3;
  c.leaks[1].series = {0, 3, 6, 9};
  c.timeline.series[0].why = "proven";
  c.timeline.series[1].why = "growing";
  const std::string html = RenderHtmlReport(run, Options());
  EXPECT_NE(html.find("<span class=\"badge proven\""), std::string::npos);
  EXPECT_NE(html.find("<span class=\"badge rate\">+3.0 per iteration</span>"), std::string::npos);
  EXPECT_NE(html.find("by iteration: 0 3 6 9"), std::string::npos);
  EXPECT_NE(html.find("<polyline class=\"series s1 w0 why-growing\""), std::string::npos);
  // The group wears its series' colour.
  EXPECT_NE(html.find("<p class=\"head\"><span class=\"sw s1\"></span><b class=\"n\">1</b>"), std::string::npos);
}

TEST(RenderHtmlReport, HostileTextStaysText) {
  RunResult run = testutil::GoldenRun();
  CaseResult& c = run.suites[0].cases[0];
  const std::string hostile = "</script><script>alert(1)</script><img src=x onerror=alert(2)>\"'&\x01\x1b[31m\xff\xc0\xaf";
  c.name = hostile;
  c.message = hostile;
  c.system_out = hostile + "\n";
  c.system_err = hostile + "\n";
  c.leaks[0].function = hostile;
  c.leaks[0].stack = {hostile};
  c.leaks[0].labels = {{hostile, hostile}};
  c.leaks[0].created_during = hostile;
  c.timeline.series[0].name = hostile;
  c.timeline.points[1].label = hostile;
  c.timeline.points[1].kind = hostile;
  c.timeline.steps[2].label = hostile;
  c.known_leaks[0].reason = hostile;
  run.suites[0].name = hostile;
  run.suites[0].properties = {{"target", hostile}, {"go.version", hostile}};
  const std::string html = RenderHtmlReport(run, Options());
  EXPECT_EQ(Count(html, "<script"), 1u);
  EXPECT_EQ(html.find("<img"), std::string::npos);
  EXPECT_EQ(html.find("onerror=alert(2)>"), std::string::npos);
  EXPECT_EQ(Count(html, "<title>"), Count(html, "</title>"));
  EXPECT_EQ(Count(html, "<details"), Count(html, "</details>"));
  EXPECT_NE(html.find("&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=alert(2)&gt;"
                      "&quot;&#39;&amp;\\x01\uFFFD\uFFFD\uFFFD"),
            std::string::npos);
  EXPECT_NE(html.find("<circle class=\"mark k-scriptscriptalertscriptimgsrcxonerroralert"), std::string::npos)
      << "a kind becomes a class of letters only";
  EXPECT_EQ(SanitizeXmlText(html), html);
}

TEST(RenderHtmlReport, TheVerdictSaysInterruptedFirst) {
  RunResult run = testutil::GoldenRun();
  EXPECT_NE(RenderHtmlReport(run).find("<span class=\"pill failed\">FAILED</span>"), std::string::npos);
  run.interrupted = true;
  EXPECT_NE(RenderHtmlReport(run).find("<span class=\"pill interrupted\">INTERRUPTED</span>"), std::string::npos);
  run.suites.resize(1);
  run.suites[0].cases.resize(1);
  run.suites[0].cases[0].outcome = CaseResult::Outcome::kPassed;
  run.interrupted = false;
  EXPECT_NE(RenderHtmlReport(run).find("<span class=\"pill passed\">PASSED</span>"), std::string::npos);
}

TEST(RenderHtmlReport, AnEmptyRunSaysSo) {
  const std::string html = RenderHtmlReport(RunResult{});
  EXPECT_NE(html.find("<span class=\"pill skipped\">NO SCENARIO RAN</span>"), std::string::npos);
  EXPECT_NE(html.find("<p>No scenario ran.</p>"), std::string::npos);
  EXPECT_EQ(html.find("<svg"), std::string::npos);
}

TEST(RenderHtmlReport, LongLogsManyGroupsAndIdsAreCut) {
  RunResult run = testutil::GoldenRun();
  CaseResult& c = run.suites[0].cases[0];
  c.system_out = std::string(1000, 'a') + "\n" + std::string(200000, 'b') + "\n" + std::string(1000, 'z') + "\n";
  c.system_err = std::string(100000, 'e') + "\nthe last line\n";
  LeakGroup g = c.leaks[0];
  g.ids.clear();
  for (int i = 0; i < 100000; ++i) g.ids.push_back(i);
  g.stack.assign(500, "main.deep /src/deep.go:1");
  c.leaks.assign(120, g);
  HtmlReportOptions options = Options();
  const std::string html = RenderHtmlReport(run, options);
  EXPECT_LT(html.size(), 400u * 1024);
  EXPECT_NE(html.find(std::string(1000, 'a')), std::string::npos);  // the log's start
  EXPECT_NE(html.find(std::string(1000, 'z')), std::string::npos);  // and its end
  EXPECT_NE(html.find(" bytes cut here (the JUnit and JSON reports have them all)"), std::string::npos);
  EXPECT_NE(html.find("the last line"), std::string::npos);
  EXPECT_NE(html.find("and 70 more groups"), std::string::npos);
  EXPECT_NE(html.find("ids 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19 and 99980 more"),
            std::string::npos);
  EXPECT_NE(html.find("\u2026 436 more frames"), std::string::npos);
}

TEST(RenderHtmlReport, PastTheBudgetScenariosLoseTheirLogsNotTheirCharts) {
  RunResult run = testutil::GoldenRun();
  run.suites[0].cases[1].system_out = "the passing scenario's log\n";
  HtmlReportOptions options = Options();
  options.max_total_bytes = 1;  // reached before the first scenario
  const std::string html = RenderHtmlReport(run, options);
  EXPECT_EQ(html.find("the passing scenario&#39;s log"), std::string::npos);
  EXPECT_NE(html.find("Its logs are left out: the page reached its size limit."), std::string::npos);
  EXPECT_NE(html.find("the last 4 scenarios show their charts and leak groups without their logs"), std::string::npos);
  EXPECT_EQ(Count(html, "<svg class=\"chart\""), 2u);
}

TEST(RenderTimelineSvg, SamplesManyDumps) {
  Timeline t;
  for (int i = 0; i < 5000; ++i) t.points.push_back({i * 0.01, 100000 + i % 7, "growth", "", -1, -1});
  ChartOptions options;
  options.max_points = 100;
  const std::string svg = RenderTimelineSvg(t, options);
  EXPECT_EQ(Count(svg, "<circle "), 100u);
  EXPECT_NE(svg.find(">150k</text>"), std::string::npos) << "y ticks in thousands";
  EXPECT_EQ(RenderTimelineSvg(Timeline{}), "");
}

TEST(HtmlText, EscapesWhatHtmlReads) {
  EXPECT_EQ(HtmlText("</script><img src=x onerror=alert(1)>\x01"),
            "&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;\\x01");
  EXPECT_EQ(HtmlText("a\"b'c&d"), "a&quot;b&#39;c&amp;d");
  EXPECT_EQ(HtmlLine("a\nb\t<c>", 1000), "a b &lt;c&gt;");
}

}  // namespace
}  // namespace leakprobe
