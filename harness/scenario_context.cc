#include "harness/scenario_context.h"

#include <cstdio>
#include <cstdlib>

#include <nlohmann/json.hpp>

#include "scenarios/template.h"
#include "wire/interrupt.h"
#include "wire/proc_stats.h"

namespace leakprobe {

void ScenarioContext::Log(const std::string& text) {
  double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  char stamp[32];
  std::snprintf(stamp, sizeof stamp, "[%8.3fs] ", s);
  log += stamp + text + "\n";
}

bool ScenarioContext::Pause(Millis d) const {
  auto end = std::chrono::steady_clock::now() + d;
  for (;;) {
    if (Interrupted() || TargetDied()) return false;
    auto left = std::chrono::ceil<Millis>(end - std::chrono::steady_clock::now());
    if (left.count() <= 0) return true;
    SleepUnlessInterrupted(std::min(left, Millis(20)));
  }
}

Result<GroupedDump> ScenarioContext::TakeLeakProfile(const std::string& kind, const std::string& label,
                                                     std::string* text) {
  if (!LeakProfileMayServe()) return Status::Error("no goroutineleak profile to take");
  std::string note;
  auto dump = leak_profile->Fetch(DumpAt(leak_url, dump_socket), dump_limits, &note, text);
  if (!note.empty()) Log("leak profile: " + note);
  if (dump.ok() && timeline) timeline->Dump(dump.value(), kind, label);
  return dump;
}

Result<GroupedDump> ScenarioContext::TakeLeakProfileOrDump(const std::string& kind, const std::string& label,
                                                           bool* proven_checked, std::string* text) {
  *proven_checked = false;
  if (LeakProfileMayServe()) {
    if (text) text->clear();
    auto dump = TakeLeakProfile(kind, label, text);
    if (dump.ok()) {
      *proven_checked = true;
      return dump;
    }
    if (leak_profile->state() != LeakProfile::State::kAbsent) return dump;
  }
  if (leak_profile && leak_profile->mode() == LeakProfileMode::kOn && !leak_url.empty()) {
    return Status::Error("dump.leak_profile is on, but " + leak_profile->Describe());
  }
  if (text) text->clear();
  return TakeDump(kind, label, text);
}

void ScenarioContext::NoteKnownLeaks(const std::vector<const PatternSpec*>& specs,
                                     const std::vector<int64_t>& counts, const std::vector<std::string>& names) {
  for (size_t i = 0; i < specs.size() && i < counts.size(); ++i) {
    const PatternSpec& spec = *specs[i];
    if (spec.reason.empty()) continue;
    KnownLeak k;
    k.reason = spec.reason;
    k.pattern = (spec.where == "any" ? "" : spec.where + " ") + (spec.is_regex ? "regex " : "keyword ") + spec.text;
    k.where = spec.pos.ToString();
    k.function = i < names.size() ? names[i] : "";
    k.count = counts[i];
    if (k.count > 0) {
      Log("known leak: " + k.function + " \xC3\x97" + std::to_string(k.count) + " (reason: " + k.reason + ") [" +
          k.where + "]");
    }
    known_leaks[k.where] = std::move(k);
  }
}

void ScenarioContext::LogDumpWarnings(const std::string& label, const GroupedDump& dump) {
  if (dump.warnings.empty()) return;
  std::string more = dump.warnings.size() > 1 ? " (and " + std::to_string(dump.warnings.size() - 1) + " more)" : "";
  Log(label + ": dump warning: " + dump.warnings[0] + more);
}

Result<std::string> ScenarioContext::Expand(const std::string& text) const {
  return ExpandTemplate(text, [this](const std::string& name) -> std::optional<std::string> {
    auto it = vars.find(name);
    if (it != vars.end()) return it->second;
    if (name.rfind("env.", 0) == 0) {
      const char* v = std::getenv(name.c_str() + 4);
      if (v) return std::string(v);
    }
    return std::nullopt;
  });
}

Status ScenarioContext::ExpandJson(nlohmann::json* j) const {
  if (j->is_string()) {
    auto s = Expand(j->get<std::string>());
    if (!s.ok()) return s.status();
    *j = s.value();
  } else if (j->is_structured()) {
    for (auto& item : *j) {
      Status st = ExpandJson(&item);
      if (!st.ok()) return st;
    }
  }
  return Status::Ok();
}

Result<GroupedDump> ScenarioContext::TakeDump(const std::string& kind, const std::string& label,
                                              std::string* text, int64_t fds, int64_t threads) const {
  if (dump_url.empty()) return Status::Error("the suite has no dump.url to take a dump from");
  auto dump = FetchGroupedDump(DumpAt(dump_url, dump_socket), dump_limits, text);
  if (dump.ok() && timeline) timeline->Dump(dump.value(), kind, label, fds, threads);
  return dump;
}

pid_t ScenarioContext::TargetPid(std::string* why) const {
  if (target) return target->pid();
  const TargetSpec& spec = suite->target;
  if (spec.pid.empty() && spec.pid_file.empty()) {
    *why = "the target's pid is unknown in attach mode (set target.pid or target.pid_file)";
    return -1;
  }
  auto text = Expand(spec.pid.empty() ? spec.pid_file : spec.pid);
  if (!text.ok()) {
    *why = text.status().message();
    return -1;
  }
  if (!spec.pid_file.empty()) {
    auto pid = ReadPidFile(text.value());
    if (!pid.ok()) *why = pid.status().message();
    return pid.ok() ? pid.value() : -1;
  }
  char* end = nullptr;
  long pid = std::strtol(text->c_str(), &end, 10);
  if (end == text->c_str() || *end != '\0' || pid <= 0) {
    *why = "target.pid \"" + text.value() + "\" is not a pid";
    return -1;
  }
  return static_cast<pid_t>(pid);
}

ScenarioContext ScenarioContext::Branch() const {
  ScenarioContext b = *this;
  b.log.clear();
  return b;
}

void ScenarioContext::Merge(const ScenarioContext& branch, const std::string& prefix,
                            bool with_log) {
  for (const auto& [k, v] : branch.vars) vars[k] = v;
  for (const auto& [k, v] : branch.snapshots) snapshots[k] = v;
  for (const auto& [k, v] : branch.known_leaks) known_leaks[k] = v;
  if (!with_log) return;
  size_t pos = 0;
  while (pos < branch.log.size()) {
    size_t end = branch.log.find('\n', pos);
    if (end == std::string::npos) end = branch.log.size();
    std::string_view line(branch.log.data() + pos, end - pos);
    // "[   1.234s] text" -> "[   1.234s] [3] text": the time stays first.
    size_t stamp = line.find("] ");
    if (stamp != std::string_view::npos && !line.empty() && line[0] == '[') {
      log += std::string(line.substr(0, stamp + 2)) + prefix + std::string(line.substr(stamp + 2));
    } else {
      log += prefix + std::string(line);
    }
    log += "\n";
    pos = end + 1;
  }
}

void HangUpTally::Record(bool left_as_planned, const std::string& why_not) {
  if (left_as_planned) {
    ++left;
    return;
  }
  ++missed;
  std::lock_guard<std::mutex> lock(mu);
  last_missed = why_not;
}

}  // namespace leakprobe
