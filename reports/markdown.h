// The Markdown report (`--markdown FILE`, and $GITHUB_STEP_SUMMARY under GitHub Actions): what
// a person reads first. A heading with the summary line, a table of every scenario, then a
// collapsible <details> block per failed or broken scenario with its message and stacks.
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
};

// Returns, for example:
//   ### leakprobe: 1 passed, 1 failed, 0 errors (9.14s)
//
//   | | Suite | Scenario | Time | Result |
//   |---|---|---|---:|---|
//   | ❌ | logs-follow | follow logs | 8.07s | 2 leaked goroutines: main.f ×2 |
//   | ✅ | logs-follow | whole life | 1.07s | passed |
//
//   <details><summary>❌ logs-follow / follow logs: 2 leaked goroutines: main.f ×2</summary>
//
//   `examples/scenarios/logs-follow.yaml:14` · GoroutineLeak
//
//   ```text
//   (the failure body)
//   ```
//
//   </details>
// Icons: ✅ passed, ❌ failed, 💥 error, ⏭️ skipped.
std::string RenderMarkdown(const RunResult& run, const MarkdownOptions& options = {});

}  // namespace leakprobe

#endif  // LEAKPROBE_REPORTS_MARKDOWN_H_
