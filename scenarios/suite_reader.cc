#include "scenarios/suite_reader.h"

#include <cctype>
#include <csignal>
#include <filesystem>
#include <map>

#include <re2/re2.h>

#include "scenarios/expect_reader.h"
#include "scenarios/leaks_reader.h"
#include "scenarios/step_reader.h"
#include "scenarios/sweep_reader.h"
#include "scenarios/template.h"

namespace leakprobe {

namespace {

const std::vector<std::string_view> kSuiteKeys = {"suite", "target", "dump", "vars", "ignore",
                                                  "setup", "teardown", "scenarios", "sweep"};
const std::vector<std::string_view> kTargetKeys = {"run", "env", "cwd", "ready", "stop", "shared", "pid", "pid_file"};
const std::vector<std::string_view> kReadyKeys = {"http", "tcp", "unix", "log", "capture", "timeout"};
const std::vector<std::string_view> kStopKeys = {"signal", "grace"};
const std::vector<std::string_view> kDumpKeys = {"url",       "socket",  "gops",        "sigquit",
                                                 "max_bytes", "timeout", "leak_profile", "poll"};
const std::vector<std::string_view> kScenarioKeys = {"name", "setup", "steps", "teardown", "leaks", "sweep"};

void ReadReady(const Field& field, ReadySpec* ready, ErrorList* errors) {
  MapReader map(field, kReadyKeys, errors);
  const Field* probe = nullptr;
  for (const Field& f : map.fields()) {
    if (f.name == "http" || f.name == "tcp" || f.name == "unix" || f.name == "log") {
      if (probe) {
        errors->Add(f.key_mark, "ready has both " + Quoted(probe->name) + " and " +
                                    Quoted(f.name) + ": write one probe");
        continue;
      }
      probe = &f;
      std::optional<std::string> text = ReadTemplate(f, errors);
      if (!text) continue;
      if (text->empty()) {
        errors->Add(f.Mark(), Quoted(f.name) + " is empty");
        continue;
      }
      if (f.name == "http") {
        ready->http = *text;
      } else if (f.name == "tcp") {
        size_t colon = text->rfind(':');
        if (colon == std::string::npos || colon == 0 || colon + 1 == text->size()) {
          errors->Add(f.Mark(), "\"tcp\" must be host:port, e.g. \"127.0.0.1:${port}\" (got " +
                                    Quoted(*text) + ")");
          continue;
        }
        ready->tcp = *text;
      } else if (f.name == "unix") {
        ready->unix_socket = *text;
      } else {
        RE2 re(*text, RE2::Quiet);
        if (!re.ok()) {
          errors->Add(f.Mark(), "bad regex " + Quoted(*text) + ": " + re.error());
          continue;
        }
        ready->log = *text;
      }
    } else if (f.name == "timeout") {
      if (auto d = ReadPositiveDuration(f, errors)) ready->timeout = *d;
    }
  }
  if (const Field* capture = map.Find("capture")) {
    std::optional<std::string> name = ReadString(*capture, errors);
    if (!name) return;
    if (!probe || probe->name != "log") {
      errors->Add(capture->key_mark, "\"capture\" goes only with a \"log\" probe");
    } else if (!IsVariableName(*name)) {
      errors->Add(capture->Mark(), "capture name " + Quoted(*name) +
                                       " must be letters, digits, \"_\" and \"-\"");
    } else if (RE2(ready->log, RE2::Quiet).NumberOfCapturingGroups() < 1) {
      errors->Add(capture->Mark(), "regex " + Quoted(ready->log) + " has no (group) to capture");
    } else {
      ready->capture = *name;
      if (errors->var_check) errors->var_check->DefineGlobal(*name);
    }
  }
}

void ReadStop(const Field& field, StopSpec* stop, ErrorList* errors) {
  MapReader map(field, kStopKeys, errors);
  for (const Field& f : map.fields()) {
    if (f.name == "signal") {
      std::optional<std::string> text = ReadString(f, errors);
      if (!text) continue;
      if (auto sig = ParseSignal(*text)) {
        stop->signal = *sig;
      } else {
        errors->Add(f.Mark(), "bad signal " + Quoted(*text) +
                                  " (write SIGTERM, SIGINT, SIGKILL, SIGQUIT, SIGHUP, SIGUSR1, "
                                  "SIGUSR2 or a number)");
      }
    } else if (f.name == "grace") {
      if (auto d = ReadDuration(f, errors)) stop->grace = *d;
    }
  }
}

void ReadTarget(const Field& field, TargetSpec* target, ErrorList* errors) {
  target->pos = errors->Pos(field.key_mark);
  MapReader map(field, kTargetKeys, errors);
  for (const Field& f : map.fields()) {
    if (f.name == "run") {
      if (f.value.IsScalar()) {
        // The classic mistake: a shell command line. There is no shell to split it.
        errors->Add(f.Mark(), "run takes a list (argv), not a string: write run: [./server, --flag]");
      } else if (auto argv = ReadTemplateList(f, /*scalar_ok=*/false, errors)) {
        target->run = *argv;
      }
    } else if (f.name == "env") {
      target->env = ReadTemplateMap(f, errors);
    } else if (f.name == "cwd") {
      if (auto cwd = ReadTemplate(f, errors)) target->cwd = *cwd;
    } else if (f.name == "ready") {
      ReadReady(f, &target->ready, errors);
    } else if (f.name == "stop") {
      ReadStop(f, &target->stop, errors);
    } else if (f.name == "shared") {
      if (f.value.IsScalar() && (f.value.Scalar() == "true" || f.value.Scalar() == "false")) {
        target->shared = f.value.Scalar() == "true";
      } else {
        errors->Add(f.Mark(), "\"shared\" must be true or false");
      }
    } else if (f.name == "pid") {
      if (auto pid = ReadTemplate(f, errors)) target->pid = *pid;
    } else if (f.name == "pid_file") {
      if (auto path = ReadTemplate(f, errors)) target->pid_file = *path;
    }
  }
  const Field* pid = map.Find("pid");
  const Field* pid_file = map.Find("pid_file");
  if (pid && pid_file) errors->Add(pid_file->key_mark, "\"pid\" and \"pid_file\" cannot both be set");
  if ((pid || pid_file) && map.Find("run")) {
    const Field* f = pid ? pid : pid_file;
    errors->Add(f->key_mark, Quoted(f->name) + " is for attach mode: with \"run\" leakprobe knows the pid");
  }
}

void ReadDump(const Field& field, DumpSpec* dump, ErrorList* errors) {
  MapReader map(field, kDumpKeys, errors);
  for (const Field& f : map.fields()) {
    if (f.name == "sigquit") {
      if (auto b = ReadBool(f, errors)) dump->sigquit = *b;
      continue;
    }
    if (f.name == "max_bytes") {
      if (auto n = ReadByteSize(f, errors)) dump->max_bytes = *n;
      continue;
    }
    if (f.name == "timeout") {
      if (auto d = ReadPositiveDuration(f, errors)) dump->timeout = *d;
      continue;
    }
    if (f.name == "leak_profile") {
      std::optional<std::string> mode = f.value.IsScalar() ? ReadString(f, errors) : std::nullopt;
      // YAML reads on/off as booleans; accept them as the words they look like.
      if (mode == "auto") dump->leak_profile = LeakProfileMode::kAuto;
      else if (mode == "on" || mode == "true") dump->leak_profile = LeakProfileMode::kOn;
      else if (mode == "off" || mode == "false") dump->leak_profile = LeakProfileMode::kOff;
      else errors->Add(f.Mark(), "\"leak_profile\" must be auto, on or off");
      continue;
    }
    if (f.name == "poll") {
      std::optional<std::string> mode = f.value.IsScalar() ? ReadString(f, errors) : std::nullopt;
      if (mode == "auto") dump->poll = DumpPollMode::kAuto;
      else if (mode == "full") dump->poll = DumpPollMode::kFull;
      else errors->Add(f.Mark(), "\"poll\" must be auto or full");
      continue;
    }
    std::optional<std::string> text = ReadTemplate(f, errors);
    if (!text) continue;
    if (f.name == "url") dump->url = *text;
    else if (f.name == "gops") dump->gops = *text;
    else dump->socket = *text;
  }
  int sources = !dump->url.empty() + !dump->gops.empty() + dump->sigquit;
  if (sources > 1) {
    errors->Add(field.Mark(), "dump takes one source: url (with socket), gops or sigquit");
  }
  if (dump->leak_profile == LeakProfileMode::kOn && dump->url.empty()) {
    errors->Add(map.Find("leak_profile")->Mark(),
                "\"leak_profile: on\" needs dump.url: the goroutineleak profile is served over HTTP, beside it");
  }
}

void ReadVars(const Field& field, Suite* suite, ErrorList* errors) {
  MapReader map(field, {}, errors);
  for (const Field& f : map.fields()) {
    if (!IsVariableName(f.name)) {
      errors->Add(f.key_mark, "variable name " + Quoted(f.name) +
                                  " must be letters, digits, \"_\" and \"-\"");
      continue;
    }
    if (auto value = ReadTemplate(f, errors)) suite->vars.emplace_back(f.name, *value);
    if (errors->var_check) errors->var_check->DefineGlobal(f.name);
  }
}

std::optional<Scenario> ReadScenario(const Field& item, ErrorList* errors) {
  MapReader map(item.value, item.Mark(), "a scenario must be a map like {name: ..., steps: [...]}",
                kScenarioKeys, errors);
  if (!map.is_map()) return std::nullopt;
  Scenario scenario;
  scenario.pos = errors->Pos(map.mark());
  map.Require("name", errors);
  if (errors->var_check) errors->var_check->StartScenario();
  // Read in the order they run, whatever the file's order: a step sees the captures of
  // the steps before it (setup first), the leaks block and teardown see them all.
  for (std::string_view key : {"name", "setup", "steps", "leaks", "teardown", "sweep"}) {
    const Field* found = map.Find(key);
    if (!found) continue;
    const Field& f = *found;
    if (f.name == "name") {
      if (auto name = ReadString(f, errors)) {
        if (name->empty()) errors->Add(f.Mark(), "\"name\" is empty");
        scenario.name = *name;
      }
    } else if (f.name == "setup") {
      scenario.setup = ReadSteps(f, errors);
    } else if (f.name == "steps") {
      scenario.steps = ReadSteps(f, errors);
    } else if (f.name == "teardown") {
      scenario.teardown = ReadSteps(f, errors);
    } else if (f.name == "leaks") {
      scenario.leaks = ReadLeaks(f, errors);
    } else if (f.name == "sweep") {
      scenario.sweep = ReadSweep(f, errors);
    }
  }
  return scenario;
}

void ReadScenarios(const Field& field, Suite* suite, ErrorList* errors) {
  std::optional<std::vector<Field>> items = ReadList(field, errors);
  if (!items) return;
  if (items->empty()) {
    errors->Add(field.Mark(), "\"scenarios\" is empty: a suite needs at least one scenario");
  }
  std::map<std::string, int> first_line;  // JUnit needs each suite/name once
  for (const Field& item : *items) {
    std::optional<Scenario> scenario = ReadScenario(item, errors);
    if (!scenario) continue;
    if (!scenario->name.empty()) {
      auto [seen, inserted] = first_line.emplace(scenario->name, scenario->pos.line);
      if (!inserted) {
        errors->AddAt(scenario->pos.line, scenario->pos.col,
                      "duplicate scenario name " + Quoted(scenario->name) + " (first at line " +
                          std::to_string(seen->second) + ")");
      }
    }
    suite->scenarios.push_back(std::move(*scenario));
  }
}

}  // namespace

std::optional<int> ParseSignal(std::string_view text) {
  std::string name;
  for (char c : text) name += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  if (name.compare(0, 3, "SIG") == 0) name.erase(0, 3);
  static const std::map<std::string, int> kSignals = {
      {"TERM", SIGTERM}, {"INT", SIGINT},   {"KILL", SIGKILL}, {"QUIT", SIGQUIT},
      {"HUP", SIGHUP},   {"USR1", SIGUSR1}, {"USR2", SIGUSR2}};
  auto it = kSignals.find(name);
  if (it != kSignals.end()) return it->second;
  std::optional<long long> number = ParseStrictInt(text);
  if (number && *number >= 1 && *number <= 64) return static_cast<int>(*number);
  return std::nullopt;
}

Suite ReadSuite(const YAML::Node& root, ErrorList* errors) {
  Suite suite;
  suite.file = errors->file();
  suite.name = std::filesystem::path(errors->file()).stem().string();
  suite.pos = errors->Pos(root.Mark());
  MapReader map(root, root.Mark(), "a scenario file must be a map with a \"scenarios\" list",
                kSuiteKeys, errors);
  if (!map.is_map()) return suite;
  map.Require("scenarios", errors);
  for (std::string_view key : {"suite", "vars", "target", "dump", "ignore", "setup",
                               "scenarios", "teardown", "sweep"}) {
    const Field* found = map.Find(key);
    if (!found) continue;
    const Field& f = *found;
    if (f.name == "suite") {
      if (auto name = ReadString(f, errors)) {
        if (name->empty()) errors->Add(f.Mark(), "\"suite\" is empty");
        else suite.name = *name;
      }
    } else if (f.name == "target") {
      ReadTarget(f, &suite.target, errors);
    } else if (f.name == "dump") {
      ReadDump(f, &suite.dump, errors);
    } else if (f.name == "vars") {
      ReadVars(f, &suite, errors);
    } else if (f.name == "ignore") {
      suite.ignore = ReadPatternList(f, PatternUse::kIgnore, errors);
    } else if (f.name == "setup") {
      // Its captures are there for every scenario.
      if (errors->var_check) errors->var_check->StartScenario();
      suite.setup = ReadSteps(f, errors);
      if (errors->var_check) {
        for (const Step& step : suite.setup) {
          for (const CaptureSpec& c : step.captures) errors->var_check->DefineGlobal(c.name);
        }
      }
    } else if (f.name == "scenarios") {
      ReadScenarios(f, &suite, errors);
    } else if (f.name == "teardown") {
      if (errors->var_check) errors->var_check->StartScenario();
      suite.teardown = ReadSteps(f, errors);
    } else if (f.name == "sweep") {
      suite.sweep = ReadSweep(f, errors);
    }
  }
  if (errors->var_check) errors->var_check->Report(errors);
  return suite;
}

}  // namespace leakprobe
