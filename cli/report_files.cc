#include "cli/report_files.h"

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>

#include "harness/suite_runner.h"
#include "reports/atomic_file.h"
#include "reports/github_annotations.h"
#include "reports/html_report.h"
#include "reports/json_report.h"
#include "reports/markdown.h"

namespace leakprobe {
namespace {

Status AppendToFile(const std::string& path, const std::string& text) {
  std::FILE* f = std::fopen(path.c_str(), "a");
  if (f == nullptr) return Status::Error("cannot write " + path + ": " + std::strerror(errno));
  const bool ok = std::fwrite(text.data(), 1, text.size(), f) == text.size();
  const int error = errno;
  if (std::fclose(f) != 0 || !ok) {
    return Status::Error("cannot write " + path + ": " + std::strerror(ok ? errno : error));
  }
  return Status::Ok();
}

// "/home/runner/work/app/app/leaks/logs.yaml" -> "leaks/logs.yaml" under that workspace;
// relative paths are taken from the working directory first.
std::string RelativeToWorkspace(const std::string& file, const std::string& workspace) {
  namespace fs = std::filesystem;
  if (workspace.empty() || file.empty()) return file;
  std::error_code ec;
  const fs::path absolute = fs::absolute(file, ec);
  if (ec) return file;
  const fs::path relative = absolute.lexically_normal().lexically_relative(
      fs::path(workspace).lexically_normal());
  if (relative.empty() || *relative.begin() == "..") return file;
  return relative.string();
}

}  // namespace

void ReadGitHubEnvironment(ReportFiles* files) {
  const char* summary = std::getenv("GITHUB_STEP_SUMMARY");
  if (summary != nullptr) files->github_step_summary = summary;
  const char* actions = std::getenv("GITHUB_ACTIONS");
  files->github_actions = actions != nullptr && std::strcmp(actions, "true") == 0;
  const char* workspace = std::getenv("GITHUB_WORKSPACE");
  if (workspace != nullptr) files->github_workspace = workspace;
}

Status WriteReports(const RunResult& run, const ReportFiles& files) {
  Status first;
  auto keep = [&first](Status s) {
    if (!s.ok() && first.ok()) first = std::move(s);
  };
  if (!files.junit.empty()) {
    JUnitOptions options;
    options.flavor = files.junit_flavor;
    keep(WriteJUnitFile(run, files.junit, options));
  }
  if (!files.json.empty()) {
    JsonReportOptions options;
    options.leakprobe_version = LeakprobeVersion();
    keep(WriteFileAtomically(files.json, RenderJsonReport(run, options)));
  }
  if (!files.html.empty()) {
    HtmlReportOptions options;
    options.leakprobe_version = LeakprobeVersion();
    keep(WriteFileAtomically(files.html, RenderHtmlReport(run, options)));
  }
  if (!files.markdown.empty() || !files.github_step_summary.empty()) {
    const std::string markdown = RenderMarkdown(run);
    if (!files.markdown.empty()) keep(WriteFileAtomically(files.markdown, markdown));
    if (!files.github_step_summary.empty()) {
      keep(AppendToFile(files.github_step_summary, markdown));
    }
  }
  if (files.github_actions) {
    RunResult relative = run;
    for (SuiteResult& suite : relative.suites) {
      for (CaseResult& c : suite.cases) {
        c.scenario_file = RelativeToWorkspace(c.scenario_file, files.github_workspace);
      }
    }
    const std::string annotations = FormatGitHubAnnotations(relative);
    std::fwrite(annotations.data(), 1, annotations.size(), stdout);
    std::fflush(stdout);
  }
  return first;
}

}  // namespace leakprobe
