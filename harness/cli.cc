#include "harness/cli.h"

#include <cstdio>

#include <CLI/CLI.hpp>

#include "harness/commands.h"
#include "harness/suite_runner.h"

namespace leakprobe {

int RunCli(int argc, char** argv) {
  CLI::App app{"leakprobe: finds goroutine leaks in Go servers from the outside"};
  app.set_version_flag("--version", std::string("leakprobe ") + LeakprobeVersion());
  app.require_subcommand(1);

  RunCommand run;
  std::string timeout;
  auto* run_cmd = app.add_subcommand("run", "run scenario files (or every *.yaml under a folder)");
  run_cmd->add_option("paths", run.paths, "scenario files or folders")->required();
  run_cmd->add_option("--junit", run.junit, "write JUnit XML (also when the run fails or is interrupted)");
  run_cmd->add_option("--var", run.vars, "set or override a variable: NAME=VALUE (repeatable)");
  run_cmd->add_option("--filter", run.filter, "run only scenarios whose \"suite/name\" matches this RE2");
  run_cmd->add_option("--timeout", timeout, "hard limit for the whole run, e.g. 10m");
  run_cmd->add_flag("-q,--quiet", run.quiet, "print only failures and the summary");
  run_cmd->add_flag("-v,--verbose", run.verbose, "print each scenario's step log");

  ScanCommand scan;
  auto* scan_cmd = app.add_subcommand("scan", "parse one dump: file, -, http(s) URL, unix:PATH:URL");
  scan_cmd->add_option("source", scan.source, "where the dump is")->required();
  scan_cmd->add_option("--suspect", scan.suspects, "keyword or regex:RE2; exit 1 if any goroutine matches");
  scan_cmd->add_option("--ignore", scan.ignores, "drop goroutines whose frames match (keyword or regex:RE2)");
  scan_cmd->add_option("--format", scan.format, "text or json")->check(CLI::IsMember({"text", "json"}));

  std::vector<std::string> validate_paths;
  auto* validate_cmd = app.add_subcommand("validate", "check scenario files; errors as file:line:col: message");
  validate_cmd->add_option("paths", validate_paths, "scenario files or folders")->required();

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
  if (*scan_cmd) return Scan(scan);
  if (*validate_cmd) return Validate(validate_paths);
  return kExitUsage;
}

}  // namespace leakprobe
