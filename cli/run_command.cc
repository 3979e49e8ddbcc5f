#include <signal.h>
#include <sys/stat.h>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <filesystem>
#include <mutex>
#include <thread>

#include <re2/re2.h>

#include "cli/commands.h"
#include "cli/console_printer.h"
#include "cli/parallel_runner.h"
#include "cli/report_files.h"
#include "cli/shard.h"
#include "cli/sweep_run.h"
#include "harness/suite_runner.h"
#include "harness/sweep_control.h"
#include "reports/console.h"
#include "reports/junit.h"
#include "reports/run_totals.h"
#include "scenarios/loader.h"
#include "wire/interrupt.h"

namespace leakprobe {

namespace fs = std::filesystem;

Result<std::vector<std::string>> ExpandPaths(const std::vector<std::string>& paths) {
  std::vector<std::string> out;
  for (const std::string& p : paths) {
    std::error_code ec;
    if (fs::is_directory(p, ec)) {
      std::vector<std::string> found;
      for (auto it = fs::recursive_directory_iterator(p, ec); !ec && it != fs::recursive_directory_iterator();
           it.increment(ec)) {
        std::string ext = it->path().extension().string();
        if (it->is_regular_file() && (ext == ".yaml" || ext == ".yml")) found.push_back(it->path().string());
      }
      std::sort(found.begin(), found.end());
      out.insert(out.end(), found.begin(), found.end());
    } else if (fs::exists(p, ec)) {
      out.push_back(p);
    } else {
      return Status::Error("no such file or folder: " + p);
    }
  }
  return out;
}

namespace {

// Loads every file, printing each one's errors (all of them, file:line:col) to stderr.
// False when any file was invalid; the valid ones are in `suites` either way.
bool LoadSuites(const std::vector<std::string>& files, const std::vector<std::string>& var_names,
                std::vector<Suite>* suites) {
  bool ok = true;
  for (const std::string& f : files) {
    auto suite = LoadSuiteFile(f, var_names);
    if (!suite.ok()) {
      std::fprintf(stderr, "%s\n", suite.status().message().c_str());
      ok = false;
    } else {
      suites->push_back(std::move(suite.value()));
    }
  }
  return ok;
}

// Raises the interrupt flag when the whole-run --timeout passes.
class RunTimer {
 public:
  explicit RunTimer(Millis limit) {
    if (limit.count() <= 0) return;
    thread_ = std::thread([this, limit] {
      std::unique_lock<std::mutex> lock(mu_);
      if (!cv_.wait_for(lock, limit, [this] { return done_; })) RequestInterrupt(SIGALRM);
    });
  }
  ~RunTimer() {
    {
      std::lock_guard<std::mutex> lock(mu_);
      done_ = true;
    }
    cv_.notify_all();
    if (thread_.joinable()) thread_.join();
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  bool done_ = false;
  std::thread thread_;
};

}  // namespace

namespace {

// The run's options from its flags. Error: a flag's message ("--var x: write NAME=VALUE").
Status OptionsOf(const RunCommand& cmd, RunOptions* options, ReportFiles* reports, Shard* shard) {
  for (const std::string& v : cmd.vars) {
    size_t eq = v.find('=');
    if (eq == std::string::npos || eq == 0) return Status::Error("--var " + v + ": write NAME=VALUE");
    options->vars.emplace_back(v.substr(0, eq), v.substr(eq + 1));
  }
  options->filter = cmd.filter;
  options->verbose = cmd.verbose;
  options->artifacts_dir = cmd.artifacts;
  reports->junit = cmd.junit;
  reports->json = cmd.json;
  reports->markdown = cmd.markdown;
  reports->html = cmd.html;
  auto flavor = ParseJUnitFlavor(cmd.junit_flavor);
  if (!flavor.ok()) return Status::Error("--junit-flavor: " + flavor.status().message());
  reports->junit_flavor = flavor.value();
  ReadGitHubEnvironment(reports);
  if (!cmd.shard.empty()) {
    auto parsed = ParseShard(cmd.shard);
    if (!parsed.ok()) return parsed.status();
    *shard = parsed.value();
  }
  return Status::Ok();
}

// The scenario that was running when signal `sig` came is already an error; say why.
void NameTheInterrupt(int sig, RunResult* run) {
  if (sig == 0 || run->suites.empty()) return;
  for (CaseResult& c : run->suites.back().cases) {
    if (c.type == "Interrupted" || (c.outcome == CaseResult::Outcome::kError && c.message.find("interrupted") != std::string::npos)) {
      c.type = "Interrupted";
      c.message = sig == SIGALRM ? "the run's --timeout expired: " + c.message
                                 : "interrupted by signal " + std::to_string(sig) + ": " + c.message;
    }
  }
}

}  // namespace

namespace {

// --sweep and its narrowing flags applied to the loaded suites (cli/sweep_run.h): the variants
// replace the swept scenarios; `origin` maps split suites back to their files.
Status SweepFromFlags(const RunCommand& cmd, std::vector<Suite>* suites, std::vector<size_t>* origin,
                      SweepPlan* plan) {
  SweepFlags sweep;
  sweep.on = cmd.sweep;
  if (!cmd.sweep_faults.empty()) {
    auto faults = ParseFaultList(cmd.sweep_faults);
    if (!faults.ok()) return faults.status();
    sweep.faults = faults.value();
  }
  if (!cmd.sweep_steps.empty()) sweep.steps = cmd.sweep_steps;
  if (cmd.sweep_times > 0) sweep.times = cmd.sweep_times;
  sweep.all = cmd.sweep_all;
  return SweepSuites(sweep, cmd.jobs, suites, origin, plan);
}

}  // namespace

int Run(const RunCommand& cmd) {
  InstallInterruptHandlers();
  auto files = ExpandPaths(cmd.paths);
  if (!files.ok()) {
    std::fprintf(stderr, "leakprobe: %s\n", files.status().message().c_str());
    return kExitUsage;
  }
  RunOptions options;
  ReportFiles reports;
  Shard shard;
  Status flags = OptionsOf(cmd, &options, &reports, &shard);
  if (!flags.ok()) {
    std::fprintf(stderr, "leakprobe: %s\n", flags.message().c_str());
    return kExitUsage;
  }

  // Every file is checked before anything runs: a typo must not cost a half-run.
  std::vector<Suite> suites;
  std::vector<std::string> var_names;  // --var defines these for every file
  for (const auto& [name, value] : options.vars) var_names.push_back(name);
  bool bad = !LoadSuites(files.value(), var_names, &suites);
  if (bad) return kExitUsage;
  if (suites.empty()) {
    std::fprintf(stderr, "leakprobe: no scenario files found\n");
    return kExitUsage;
  }

  std::vector<size_t> origin;
  SweepPlan plan;
  Status swept = SweepFromFlags(cmd, &suites, &origin, &plan);
  if (!swept.ok()) {
    std::fprintf(stderr, "leakprobe: %s\n", swept.message().c_str());
    return kExitUsage;
  }
  if (!plan.lines.empty() && !cmd.quiet) std::fputs(DescribeSweepPlan(plan).c_str(), stdout);

  // --filter and --shard pick the scenarios; the suite runner applies the filter again.
  re2::RE2 filter(cmd.filter.empty() ? std::string(".*") : cmd.filter, re2::RE2::Quiet);
  auto selected = [&filter](const Suite& suite, const Scenario& scenario) {
    return re2::RE2::PartialMatch(suite.name + "/" + scenario.name, filter);
  };
  if (!cmd.shard.empty()) ApplyShard(shard, selected, &suites);
  int total = 0, variants = 0;
  for (const Suite& suite : suites) {
    for (const Scenario& scenario : suite.scenarios) {
      total += selected(suite, scenario);
      variants += selected(suite, scenario) && scenario.variant_of.has_value();
    }
  }
  ConsoleOptions console_options = DetectConsole(cmd.quiet, cmd.verbose, total);
  console_options.sweep_variants = variants;
  ConsolePrinter console(console_options);
  options.on_case = [&console](const CaseResult& c) { console.CaseDone(c); };

  RunResult run;
  const auto run_start = std::chrono::steady_clock::now();
  {
    RunTimer timer(cmd.timeout);
    run.suites = JoinSplitResults(RunSuites(suites, options, cmd.jobs), origin);
    CompareWithAsWritten(&run.suites);
  }
  run.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - run_start).count();
  int sig = InterruptSignal();
  run.interrupted = sig != 0;
  NameTheInterrupt(sig, &run);

  console.Summary(run);
  Status written = WriteReports(run, reports);
  if (!written.ok()) {
    std::fprintf(stderr, "leakprobe: %s\n", written.message().c_str());
    return kExitInternal;
  }
  if (sig == SIGALRM) {
    std::fprintf(stderr, "leakprobe: the run's --timeout expired\n");
    return kExitFailed;
  }
  if (sig != 0) return kExitInterrupted;
  return TotalsOf(run).bad() ? kExitFailed : kExitPassed;
}

int Validate(const std::vector<std::string>& paths, const std::vector<std::string>& vars) {
  auto files = ExpandPaths(paths);
  if (!files.ok()) {
    std::fprintf(stderr, "leakprobe: %s\n", files.status().message().c_str());
    return kExitUsage;
  }
  std::vector<std::string> var_names;  // --var NAME=VALUE: only the names matter here
  for (const std::string& v : vars) var_names.push_back(v.substr(0, v.find('=')));
  std::vector<Suite> suites;
  bool bad = !LoadSuites(files.value(), var_names, &suites);
  for (const Suite& suite : suites) {
    std::printf("%s: ok (%zu scenarios)\n", suite.file.c_str(), suite.scenarios.size());
  }
  return bad ? kExitUsage : kExitPassed;
}

}  // namespace leakprobe
