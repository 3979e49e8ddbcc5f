#include "reports/markdown.h"

#include <gtest/gtest.h>

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

}  // namespace
}  // namespace leakprobe
