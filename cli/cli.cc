#include "cli/cli.h"

#include <cstdio>

#include <CLI/CLI.hpp>

#include "base/byte_size.h"
#include "cli/commands.h"
#include "cli/dump_input.h"
#include "harness/suite_runner.h"

namespace leakprobe {

namespace {

// --max-bytes and --timeout, as scan and diff take them.
struct LimitFlags {
  std::string max_bytes;
  std::string timeout;

  void AddTo(CLI::App* cmd) {
    cmd->add_option("--max-bytes", max_bytes, "stop reading a dump at this size, warn, and use what was read (default 256MiB)");
    cmd->add_option("--timeout", timeout, "stop reading a dump after this long, warn, and use what was read (default 1m)");
  }
  // Error: "--max-bytes: bad size ..." / "--timeout: bad duration ...".
  Status Into(DumpLimits* limits) const {
    if (!max_bytes.empty()) {
      auto n = ParseByteSize(max_bytes);
      if (!n.ok()) return Status::Error("--max-bytes: " + n.status().message());
      if (n.value() == 0) return Status::Error("--max-bytes: must be more than 0");
      limits->max_bytes = n.value();
    }
    if (!timeout.empty()) {
      auto d = ParseDuration(timeout);
      if (!d.ok()) return Status::Error("--timeout: " + d.status().message());
      if (d->count() <= 0) return Status::Error("--timeout: must be more than 0");
      limits->timeout = d.value();
    }
    return Status::Ok();
  }
};

// `run`'s options into *run; --timeout into *timeout (parsed after CLI11, for its message).
CLI::App* AddRunCommand(CLI::App* app, RunCommand* run, std::string* timeout) {
  CLI::App* run_cmd = app->add_subcommand("run", "run scenario files (or every *.yaml under a folder)");
  run_cmd->add_option("paths", run->paths, "scenario files or folders")->required();
  run_cmd->add_option("--junit", run->junit, "write JUnit XML (also when the run fails or is interrupted)");
  run_cmd->add_option("--junit-flavor", run->junit_flavor, "default (testsuites root, Jenkins junit-10) | ant | surefire")
      ->check(CLI::IsMember({"default", "ant", "surefire"}));
  run_cmd->add_option("--json", run->json, "write the same results as JSON (schema/leakprobe-report.schema.json)");
  run_cmd->add_option("--markdown", run->markdown, "write a Markdown summary (also appended to $GITHUB_STEP_SUMMARY when set)");
  run_cmd->add_option("--html", run->html, "write one self-contained HTML page: each scenario's goroutine timeline, then its leaked stacks");
  run_cmd->add_option("--shard", run->shard, "run the I-th of N deterministic shards, e.g. 2/4");
  run_cmd->add_option("--var", run->vars, "set or override a variable: NAME=VALUE (repeatable)");
  run_cmd->add_option("--filter", run->filter, "run only scenarios whose \"suite/name\" matches this RE2");
  run_cmd->add_option("--timeout", *timeout, "hard limit for the whole run, e.g. 10m");
  run_cmd->add_option("--jobs", run->jobs, "run up to N scenario files at once")->check(CLI::Range(1, 64));
  run_cmd->add_option("--artifacts", run->artifacts,
                      "keep each scenario's dumps, target stdout/stderr, leak report and step log here");
  run_cmd->add_flag("-q,--quiet", run->quiet, "print only failures and the summary");
  run_cmd->add_flag("-v,--verbose", run->verbose, "print each scenario's step log");
  return run_cmd;
}

// --sweep and the flags that narrow it (docs/scenario-format.md, "The sweep").
void AddSweepFlags(CLI::App* run_cmd, RunCommand* run) {
  run_cmd->add_flag("--sweep", run->sweep,
                    "for every request step and fault, a variant that ends that step with that fault, "
                    "repeated with the growth fit");
  run_cmd->add_option("--sweep-faults", run->sweep_faults,
                      "the sweep's faults, comma-separated (default: close at sent,close at status,"
                      "reset at body,stall 2s at status)");
  run_cmd->add_option("--sweep-steps", run->sweep_steps, "sweep only the steps whose label matches this RE2");
  run_cmd->add_option("--sweep-times", run->sweep_times, "rounds per sweep variant (default 5)")
      ->check(CLI::Range(2, 1000));
  run_cmd->add_flag("--sweep-all", run->sweep_all, "also sweep the steps that capture what later steps use");
}

CLI::App* AddScanCommand(CLI::App* app, ScanCommand* scan, LimitFlags* limits) {
  CLI::App* scan_cmd = app->add_subcommand("scan", "parse one dump: file, -, http(s) URL, unix:PATH:URL");
  scan_cmd->add_option("source", scan->source, "where the dump is")->required();
  scan_cmd->add_option("--suspect", scan->suspects, "keyword or regex:RE2; exit 1 if any goroutine matches");
  scan_cmd->add_option("--ignore", scan->ignores, "drop goroutines whose frames match (keyword or regex:RE2)");
  scan_cmd->add_option("--format", scan->format, "text or json")->check(CLI::IsMember({"text", "json"}));
  scan_cmd->add_option("--min-wait", scan->min_wait_minutes,
                       "leave out goroutines waiting fewer minutes (the dump's \"[..., N minutes]\")");
  scan_cmd->add_flag("--no-builtin-ignores", scan->no_builtin_ignores,
                     "count the Go runtime's and the dump request's own goroutines too");
  limits->AddTo(scan_cmd);
  return scan_cmd;
}

CLI::App* AddDiffCommand(CLI::App* app, DiffCommand* diff, LimitFlags* limits) {
  CLI::App* diff_cmd = app->add_subcommand("diff", "goroutines in AFTER that were not in BEFORE, grouped");
  diff_cmd->add_option("before", diff->before, "the earlier dump (file, -, URL, unix:PATH:URL)")->required();
  diff_cmd->add_option("after", diff->after, "the later dump")->required();
  diff_cmd->add_option("--suspect", diff->suspects, "keyword or regex:RE2; exit 1 only if a new goroutine matches");
  diff_cmd->add_option("--ignore", diff->ignores, "drop goroutines whose frames match");
  diff_cmd->add_option("--format", diff->format, "text or json")->check(CLI::IsMember({"text", "json"}));
  diff_cmd->add_option("--min-wait", diff->min_wait_minutes, "leave out goroutines waiting fewer minutes");
  diff_cmd->add_flag("--no-builtin-ignores", diff->no_builtin_ignores,
                     "count the Go runtime's and the dump request's own goroutines too");
  limits->AddTo(diff_cmd);
  return diff_cmd;
}

}  // namespace

int RunCli(int argc, char** argv) {
  CLI::App app{"leakprobe: finds goroutine leaks in Go servers from the outside"};
  app.set_version_flag("--version", std::string("leakprobe ") + LeakprobeVersion());
  app.require_subcommand(1);

  RunCommand run;
  std::string timeout;
  CLI::App* run_cmd = AddRunCommand(&app, &run, &timeout);
  AddSweepFlags(run_cmd, &run);
  ScanCommand scan;
  LimitFlags scan_limits;
  CLI::App* scan_cmd = AddScanCommand(&app, &scan, &scan_limits);
  DiffCommand diff;
  LimitFlags diff_limits;
  CLI::App* diff_cmd = AddDiffCommand(&app, &diff, &diff_limits);

  std::string merge_out;
  std::vector<std::string> merge_inputs;
  auto* merge_cmd = app.add_subcommand("merge", "merge JUnit files from CI shards into one");
  merge_cmd->add_option("out", merge_out, "the merged JUnit file to write")->required();
  merge_cmd->add_option("inputs", merge_inputs, "the shards' JUnit files")->required();

  std::vector<std::string> validate_paths;
  auto* validate_cmd = app.add_subcommand("validate", "check scenario files; errors as file:line:col: message");
  validate_cmd->add_option("paths", validate_paths, "scenario files or folders")->required();
  std::vector<std::string> validate_vars;
  validate_cmd->add_option("--var", validate_vars, "a variable the run will set: NAME=VALUE (repeatable)");
  auto* schema_cmd = app.add_subcommand("schema", "print the JSON Schema of the scenario format (for yaml-language-server)");

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    app.exit(e);
    return kExitUsage;
  }

  if (*run_cmd) {
    if (!timeout.empty()) {
      auto d = ParseDuration(timeout);
      if (!d.ok()) {
        std::fprintf(stderr, "leakprobe: --timeout: %s\n", d.status().message().c_str());
        return kExitUsage;
      }
      run.timeout = d.value();
    }
    return Run(run);
  }
  if (*scan_cmd) {
    Status s = scan_limits.Into(&scan.limits);
    return s.ok() ? Scan(scan) : UsageError(s);
  }
  if (*diff_cmd) {
    Status s = diff_limits.Into(&diff.limits);
    return s.ok() ? Diff(diff) : UsageError(s);
  }
  if (*validate_cmd) return Validate(validate_paths, validate_vars);
  if (*schema_cmd) return Schema();
  if (*merge_cmd) return Merge(merge_out, merge_inputs);
  return kExitUsage;
}

}  // namespace leakprobe
