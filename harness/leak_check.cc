#include "harness/leak_check.h"

#include <algorithm>
#include <chrono>

#include "harness/interrupt.h"
#include "harness/leak_groups.h"

namespace leakprobe {

namespace {

PatternTarget TargetOf(const std::string& where) {
  if (where == "top") return PatternTarget::kTopFrame;
  if (where == "created_by") return PatternTarget::kCreatedBy;
  if (where == "state") return PatternTarget::kState;
  if (where == "file") return PatternTarget::kFile;
  if (where == "label") return PatternTarget::kLabel;
  return PatternTarget::kAnyFrame;
}

Status AddPatterns(const std::vector<PatternSpec>& specs, std::vector<Pattern>* out) {
  for (const PatternSpec& spec : specs) {
    auto p = Pattern::Make(TargetOf(spec.where), spec.is_regex, spec.text);
    if (!p.ok()) return Status::Error(spec.pos.ToString() + ": " + p.status().message());
    out->push_back(p.value());
  }
  return Status::Ok();
}

}  // namespace

Result<LeakRules> CompileRules(const LeaksSpec& leaks, const std::vector<PatternSpec>& suite_ignore) {
  LeakRules rules;
  Status s = AddPatterns(leaks.suspects, &rules.suspects);
  if (s.ok()) s = AddPatterns(leaks.ignore, &rules.ignore);
  if (s.ok()) s = AddPatterns(suite_ignore, &rules.ignore);
  if (!s.ok()) return s;
  for (const PatternSpec& p : leaks.suspects) rules.suspect_max.push_back(p.max);
  rules.max_new_goroutines = leaks.max_new_goroutines;
  rules.max_suspects = leaks.max_suspects.value_or(0);
  rules.min_wait_minutes = leaks.min_wait_minutes;
  return rules;
}

Outcome CheckLeaks(const LeaksSpec& leaks, ScenarioContext* ctx) {
  using Clock = std::chrono::steady_clock;
  auto rules = CompileRules(leaks, ctx->suite->ignore);
  if (!rules.ok()) return Outcome::Error("StepError", rules.status().message());
  const std::unordered_set<int64_t>* before = ctx->has_baseline ? &ctx->baseline_ids : nullptr;
  if (!leaks.against.empty()) {
    auto it = ctx->snapshots.find(leaks.against);
    if (it == ctx->snapshots.end()) {
      return Outcome::Error("StepError", "no snapshot \"" + leaks.against + "\" was taken");
    }
    before = &it->second;
  }
  if (leaks.max_new_goroutines && !before) {
    return Outcome::Error("StepError", "max_new_goroutines needs a baseline dump, and none was taken");
  }

  auto deadline = Clock::now() + leaks.settle;
  Millis pause(50);
  int attempts = 0;
  for (;;) {
    ++attempts;
    auto dump = ctx->TakeDump();
    if (!dump.ok()) return Outcome::Error("DumpError", dump.status().message());
    Verdict v = Judge(dump.value(), before, rules.value());
    if (!v.leaked) {
      ctx->Log("leak check: clean after " + std::to_string(attempts) + " dump(s): " +
               std::to_string(dump->Total()) + " goroutines, " + std::to_string(v.suspect_count) +
               " suspects, " + std::to_string(v.new_count) + " new");
      return Outcome::Ok();
    }
    auto now = Clock::now();
    if (now >= deadline || Interrupted()) {
      ctx->Log("leak check: " + v.message + " (still there after " + FormatDuration(leaks.settle) +
               ", " + std::to_string(attempts) + " dumps)");
      std::string detail = v.detail;
      if (!dump->warnings.empty()) {
        detail += "Dump warnings:\n";
        for (const std::string& w : dump->warnings) detail += "  " + w + "\n";
      }
      Outcome o = Outcome::Failed("GoroutineLeak", v.message, detail);
      o.leaks = LeakGroupsOf(v.suspect_buckets);
      for (LeakGroup& g : LeakGroupsOf(v.new_buckets)) o.leaks.push_back(std::move(g));
      return o;
    }
    Millis left = std::chrono::duration_cast<Millis>(deadline - now);
    if (!SleepUnlessInterrupted(std::min(pause, left))) continue;
    pause = std::min(pause * 2, Millis(1000));
  }
}

}  // namespace leakprobe
