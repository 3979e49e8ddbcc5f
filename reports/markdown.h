// The Markdown report (`--markdown FILE`, and $GITHUB_STEP_SUMMARY under GitHub Actions): what
// a person reads first. A heading with the summary line, a table of every scenario, then per
// failed or broken scenario its timeline as a Mermaid xychart-beta chart (GitHub renders it)
// and a collapsible <details> block with its message, stacks and known leaks; last, the
// known leaks of the scenarios that passed and those no longer seen.
//
// Text from dumps and targets is sanitized (SanitizeXmlText); in the table and the <summary>
// line it is also HTML-escaped and `|` is escaped, so no byte of a dump can break the layout;
// bodies go inside a code fence longer than any run of backticks they hold. Pure; no I/O;
// thread-safe.
#ifndef LEAKPROBE_REPORTS_MARKDOWN_H_
#define LEAKPROBE_REPORTS_MARKDOWN_H_

#include <cstddef>
#include <string>

#include "reports/results.h"

namespace leakprobe {

struct MarkdownOptions {
  // Each <details> body is cut to this many bytes (ending in "…"); GitHub caps a job
  // summary at 1 MiB, so the whole report also stops adding blocks near `max_total_bytes`
  // and says how many it left out.
  std::size_t max_detail_bytes = 64 * 1024;
  std::size_t max_total_bytes = 900 * 1024;
  // A failed scenario with a timeline gets a Mermaid chart of at most `max_chart_points`
  // dumps (SamplePoints), for the first `max_charts` such scenarios.
  std::size_t max_charts = 20;
  std::size_t max_chart_points = 30;
};

// Returns, for example:
//   ### leakprobe: 1 passed, 1 failed, 0 errors (9.14s)
//
//   | | Suite | Scenario | Time | Result |
//   |---|---|---|---:|---|
//   | ❌ | logs-follow | follow logs | 8.07s | 2 leaked goroutines: main.f ×2 |
//   | ✅ | logs-follow | whole life | 1.07s | passed |
//
//   **logs-follow / follow logs**: 7 dumps over 8.07s: 6 → 8 goroutines; main.f (leaked) 0 → 2
//
//   ```mermaid
//   %%{init: {"xyChart": {"width": 900, "height": 300, "xAxis": {"labelFontSize": 11}},
//             "themeVariables": {"xyChart": {"plotColorPalette": "#8b949e, #d1242f"}}}}%%
//   xychart-beta
//       title "Goroutines in each dump"
//       x-axis "seconds since the start" ["0.06", "3.07", "8.06"]
//       y-axis "goroutines" 0 --> 10
//       line [6, 8, 8]
//       line [0, 2, 2]
//   ```
//
//   Lines: grey, all goroutines; red, `main.f` (leaked).
//
//   <details><summary>❌ logs-follow / follow logs: 2 leaked goroutines: main.f ×2</summary>
//
//   `examples/scenarios/logs-follow.yaml:14` · GoroutineLeak
//
//   ```text
//   (the failure body)
//   ```
//
//   Known leaks (ignored, with a reason):
//
//   - `top keyword main.(*Cache).refresh` matched 1 × `main.(*Cache).refresh`: issue 12 (a.yaml:9:5)
//
//   </details>
//
//   #### Known leaks                       (those of the scenarios that passed)
//   #### Known leaks no longer seen        (the suites' ignore entries that matched nothing)
// Icons: ✅ passed, ❌ failed, 💥 error, ⏭️ skipped. The chart's x-axis holds the dumps'
// times as labels (each distinct), so the line keeps the order of the dumps, not their
// spacing; its numbers come from timeline_view.h, as the HTML report's do.
std::string RenderMarkdown(const RunResult& run, const MarkdownOptions& options = {});

}  // namespace leakprobe

#endif  // LEAKPROBE_REPORTS_MARKDOWN_H_
