#include "reports/markdown.h"

#include <gtest/gtest.h>

#include <regex>
#include <set>
#include <sstream>
#include <vector>

#include "reports/report_test_util.h"

namespace leakprobe {
namespace {

TEST(RenderMarkdown, Golden) {
  testutil::ExpectGolden("golden.md", RenderMarkdown(testutil::GoldenRun()));
}

TEST(RenderMarkdown, EmptyRun) {
  EXPECT_EQ(RenderMarkdown(RunResult{}),
            "### leakprobe: 0 passed, 0 failed, 0 errors (0.00s)\n\nNo scenario ran.\n");
}

TEST(RenderMarkdown, DumpTextCannotBreakTheLayout) {
  RunResult run = testutil::GoldenRun();
  CaseResult& c = run.suites[0].cases[0];
  c.name = "a | b </summary><script>";
  c.message = "x\ny | z";
  c.detail = "```\n</details>\n````";
  const std::string md = RenderMarkdown(run);
  EXPECT_NE(md.find("| a \\| b &lt;/summary&gt;&lt;script&gt; |"), std::string::npos) << md;
  EXPECT_NE(md.find("| x y \\| z |"), std::string::npos) << md;
  EXPECT_NE(md.find("`````text\n```\n</details>\n````\n`````\n"), std::string::npos) << md;
}

TEST(RenderMarkdown, BodiesAndTotalAreCapped) {
  RunResult run = testutil::GoldenRun();
  run.suites[0].cases[0].detail = std::string(5000, 'x');
  MarkdownOptions options;
  options.max_detail_bytes = 100;
  std::string md = RenderMarkdown(run, options);
  EXPECT_NE(md.find(std::string(100, 'x') + "\n\u2026 (cut at 100 bytes)\n"), std::string::npos) << md;
  EXPECT_EQ(md.find(std::string(101, 'x')), std::string::npos);

  options.max_total_bytes = 1000;
  md = RenderMarkdown(run, options);
  EXPECT_LE(md.size(), 1200u);
  EXPECT_NE(md.find("more failure block(s) left out"), std::string::npos) << md;
}

// The ```mermaid blocks of `md`, without their fences.
std::vector<std::string> MermaidBlocks(const std::string& md) {
  std::vector<std::string> out;
  const std::string open = "```mermaid\n";
  for (std::size_t at = md.find(open); at != std::string::npos; at = md.find(open, at + 1)) {
    const std::size_t body = at + open.size();
    out.push_back(md.substr(body, md.find("```\n", body) - body));
  }
  return out;
}

// Checks one block against Mermaid's xychart grammar (xychart.jison) as the chart uses it:
// the init directive, then `xychart-beta`, a quoted title, a band x-axis of quoted labels,
// a y-axis range, and lines of integers, one per label. Returns the number of points.
std::size_t ExpectValidXyChart(const std::string& block) {
  std::istringstream in(block);
  std::string line;
  std::vector<std::string> lines;
  while (std::getline(in, line)) lines.push_back(line);
  EXPECT_GE(lines.size(), 6u) << block;
  if (lines.size() < 6) return 0;
  EXPECT_TRUE(std::regex_match(
      lines[0], std::regex(R"(%%\{init: \{"xyChart": \{"width": 900, "height": 300, "xAxis": \{"labelFontSize": 11\}\}, )"
                           R"("themeVariables": \{"xyChart": \{"plotColorPalette": "(#[0-9a-f]{6}(, )?)+"\}\}\}\}%%)")))
      << lines[0];
  EXPECT_EQ(lines[1], "xychart-beta");
  EXPECT_TRUE(std::regex_match(lines[2], std::regex(R"(    title "[^"%\n]*")"))) << lines[2];
  std::smatch m;
  EXPECT_TRUE(std::regex_match(lines[3], m, std::regex(R"(    x-axis "[^"%]*" \[("[^"%\]]*"(, "[^"%\]]*")*)\])"))) << lines[3];
  std::set<std::string> labels;
  const std::string band = m.size() > 1 ? m[1].str() : "";
  const std::regex quoted("\"([^\"]*)\"");
  std::size_t points = 0;
  for (auto it = std::sregex_iterator(band.begin(), band.end(), quoted); it != std::sregex_iterator(); ++it, ++points) {
    labels.insert((*it)[1].str());
  }
  EXPECT_EQ(labels.size(), points) << "labels must be distinct: " << lines[3];
  EXPECT_TRUE(std::regex_match(lines[4], std::regex(R"(    y-axis "[^"%]*" 0 --> [0-9]+)"))) << lines[4];
  for (std::size_t i = 5; i < lines.size(); ++i) {
    EXPECT_TRUE(std::regex_match(lines[i], m, std::regex(R"(    line \[(-?[0-9]+(, -?[0-9]+)*)\])"))) << lines[i];
    const std::string numbers = m.size() > 1 ? m[1].str() : "";
    EXPECT_EQ(static_cast<std::size_t>(std::count(numbers.begin(), numbers.end(), ',') + 1), points) << lines[i];
  }
  return points;
}

TEST(RenderMarkdown, EachFailureWithATimelineGetsAValidChart) {
  const std::string md = RenderMarkdown(testutil::GoldenRun());
  const std::vector<std::string> blocks = MermaidBlocks(md);
  ASSERT_EQ(blocks.size(), 1u) << "the leak has a timeline; the pass gets none, the error has none";
  EXPECT_EQ(ExpectValidXyChart(blocks[0]), 7u);
  EXPECT_NE(md.find("Lines: grey, all goroutines; red, `main.(*Server).logsContainer` (leaked); purple, "
                    "`main.readLoop` (leaked).\n"),
            std::string::npos) << md;
}

TEST(RenderMarkdown, ChartsAreSampledAndCapped) {
  struct Case {
    int points;
    std::size_t max_points;
    std::size_t want;
  };
  for (const Case& c : {Case{500, 30, 30}, Case{31, 30, 30}, Case{12, 30, 12}, Case{400, 10, 10}}) {
    RunResult run = testutil::GoldenRun();
    Timeline& t = run.suites[0].cases[0].timeline;
    t.points.clear();
    for (auto& s : t.series) s.counts.clear();
    for (int i = 0; i < c.points; ++i) {
      // Many dumps within the same millisecond: the labels must still differ.
      t.points.push_back({i < 5 ? 0.0001 * i : 0.01 * i, 100000 + i, "growth", "", -1, -1});
      for (auto& s : t.series) s.counts.push_back(i / 3);
    }
    MarkdownOptions options;
    options.max_chart_points = c.max_points;
    const std::vector<std::string> blocks = MermaidBlocks(RenderMarkdown(run, options));
    ASSERT_EQ(blocks.size(), 1u);
    EXPECT_EQ(ExpectValidXyChart(blocks[0]), c.want) << c.points;
  }
  RunResult run = testutil::GoldenRun();
  run.suites[1].cases[0].timeline = run.suites[0].cases[0].timeline;  // the error too
  MarkdownOptions options;
  EXPECT_EQ(MermaidBlocks(RenderMarkdown(run, options)).size(), 2u);
  options.max_charts = 1;
  EXPECT_EQ(MermaidBlocks(RenderMarkdown(run, options)).size(), 1u);
}

TEST(RenderMarkdown, NamesStayOutOfTheChart) {
  RunResult run = testutil::GoldenRun();
  run.suites[0].cases[0].timeline.series[0].name = "x\"]\n    line [9]\n%%{init}%% ```";
  const std::string md = RenderMarkdown(run);
  const std::vector<std::string> blocks = MermaidBlocks(md);
  ASSERT_EQ(blocks.size(), 1u);
  ExpectValidXyChart(blocks[0]);
  EXPECT_EQ(blocks[0].find("line [9]"), std::string::npos);
}

TEST(RenderMarkdown, KnownLeaksAndThoseNoLongerSeen) {
  const std::string md = RenderMarkdown(testutil::GoldenRun());
  const std::string line =
      "- `top keyword main.(*Monitor).loop` matched 1 \u00d7 `main.(*Monitor).loop`: "
      "https://github.com/acme/minipouchd/issues/12 (examples/scenarios/logs-follow.yaml:16:5)\n";
  const std::size_t in_failure = md.find("Known leaks (ignored, with a reason):\n\n" + line);
  const std::size_t passed = md.find("#### Known leaks\n\nlogs-follow / nothing outlives a container's whole life:\n\n" + line);
  const std::size_t unseen = md.find("#### Known leaks no longer seen\n");
  EXPECT_NE(in_failure, std::string::npos) << md;
  EXPECT_NE(passed, std::string::npos) << md;
  EXPECT_NE(unseen, std::string::npos) << md;
  EXPECT_NE(md.find("- `keyword main.(*Cache).refresh`: fixed in 1.4; delete this entry after the release "
                    "(examples/scenarios/logs-follow.yaml:18:5)\n", unseen),
            std::string::npos) << md;
}

}  // namespace
}  // namespace leakprobe
