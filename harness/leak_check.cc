#include "harness/leak_check.h"

#include <signal.h>

#include <algorithm>
#include <chrono>

#include "harness/count_polls.h"
#include "harness/leak_groups.h"
#include "harness/settle_backoff.h"
#include "wire/interrupt.h"

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

std::vector<const PatternSpec*> IgnoreSpecs(const LeaksSpec& leaks, const std::vector<PatternSpec>& suite_ignore) {
  std::vector<const PatternSpec*> specs;
  for (const PatternSpec& p : leaks.ignore) specs.push_back(&p);
  for (const PatternSpec& p : suite_ignore) specs.push_back(&p);
  return specs;
}

Result<LeakRules> CompileRules(const LeaksSpec& leaks, const std::vector<PatternSpec>& suite_ignore) {
  LeakRules rules;
  Status s = AddPatterns(leaks.suspects, &rules.suspects);
  if (s.ok()) s = AddPatterns(leaks.ignore, &rules.ignore);
  if (s.ok()) s = AddPatterns(suite_ignore, &rules.ignore);
  if (!s.ok()) return s;
  for (const PatternSpec* spec : IgnoreSpecs(leaks, suite_ignore)) rules.ignore_reasons.push_back(spec->reason);
  for (const PatternSpec& p : leaks.suspects) rules.suspect_max.push_back(p.max);
  rules.max_new_goroutines = leaks.max_new_goroutines;
  rules.max_suspects = leaks.max_suspects.value_or(0);
  rules.min_wait_minutes = leaks.min_wait_minutes;
  rules.max_proven = leaks.max_proven;
  return rules;
}

namespace {

// The most of a SIGQUIT trace that is read (the end of the target's stderr).
constexpr size_t kSigquitDumpBytes = 1 << 20;

Outcome LeakFailure(const Verdict& v, const GroupedDump& dump, ScenarioContext* ctx) {
  if (ctx->timeline) ctx->timeline->Verdict();
  std::string detail = v.detail;
  if (!dump.warnings.empty()) {
    detail += "Dump warnings:\n";
    for (const std::string& w : dump.warnings) detail += "  " + w + "\n";
  }
  Outcome o = Outcome::Failed("GoroutineLeak", v.message, detail);
  // Proven leaks first, then the groups of the rules that broke: exactly what the message
  // counts. New goroutines that are not suspects count only when max_new_goroutines broke.
  if (v.proven_leaked) o.leaks = LeakGroupsOf(v.proven_buckets);
  if (v.rules_broken) {
    for (LeakGroup& g : LeakGroupsOf(v.suspect_buckets)) o.leaks.push_back(std::move(g));
    if (v.new_counted) {
      for (LeakGroup& g : LeakGroupsOf(v.new_buckets)) o.leaks.push_back(std::move(g));
    }
  }
  return o;
}

}  // namespace

Outcome CheckLeaks(const LeaksSpec& leaks, ScenarioContext* ctx) {
  using Clock = std::chrono::steady_clock;
  auto rules = CompileRules(leaks, ctx->suite->ignore);
  if (!rules.ok()) return Outcome::Error("StepError", rules.status().message());
  const IdSet* before = ctx->baseline_ids.get();
  if (!leaks.against.empty()) {
    auto it = ctx->snapshots.find(leaks.against);
    if (it == ctx->snapshots.end()) {
      return Outcome::Error("StepError", "no snapshot \"" + leaks.against + "\" was taken");
    }
    before = it->second.get();
  }
  if (leaks.max_new_goroutines && !before) {
    return Outcome::Error("StepError", "max_new_goroutines needs a baseline dump, and none was taken");
  }

  SettleBackoff settle(leaks.settle);
  // Cheap per-stack counts first: they can find it clean; a leak is judged on a full dump.
  if (auto settled = SettleByCounts(leaks, rules.value(), settle.deadline(), ctx)) return *settled;
  auto next_proof = Clock::now();  // when to ask for the leak profile next
  int proofs = 0;
  int attempts = 0;
  for (;;) {
    ++attempts;
    bool proven_checked = false;
    bool ask = ctx->LeakProfileMayServe() && Clock::now() >= next_proof;
    const char* kind = attempts == 1 ? "check" : "settle";
    std::string poll = attempts == 1 ? "leak check" : "settle poll " + std::to_string(attempts - 1);
    auto dump = ask ? ctx->TakeLeakProfileOrDump(kind, poll, &proven_checked) : ctx->TakeDump(kind, poll);
    if (!dump.ok()) return Outcome::Error("DumpError", dump.status().message());
    if (proven_checked) {
      ++proofs;
      next_proof = proofs == 1 ? Clock::now() + kProvenConfirmAfter : Clock::now() + kProvenEvery;
    }
    Verdict v = Judge(dump.value(), before, rules.value(), ctx->baseline_leaked.get());
    auto note_known = [&] { ctx->NoteKnownLeaks(IgnoreSpecs(leaks, ctx->suite->ignore), v.known_counts, v.known_names); };
    // A proven leak needs no settling: nothing can ever wake it.
    if (v.proven_count > rules->max_proven) {
      note_known();
      ctx->Log("leak check: " + v.message + " (at dump " + std::to_string(attempts) + ", " + settle.Elapsed() +
               " into the check)");
      return LeakFailure(v, dump.value(), ctx);
    }
    auto now = Clock::now();
    if (!v.leaked) {
      // Clean; with a leak profile, only once a confirming look a moment later agrees (an
      // interrupt or the target's death cuts the wait short, and this dump stands).
      if (proofs == 1 && ctx->LeakProfileMayServe() && ctx->Pause(std::chrono::ceil<Millis>(next_proof - now))) {
        continue;
      }
      ctx->Log("leak check: clean after " + std::to_string(attempts) + " dump(s): " +
               std::to_string(dump->Total()) + " goroutines, " + std::to_string(v.suspect_count) +
               " suspects, " + std::to_string(v.new_count) + " new" +
               (proofs ? ", none proven leaked (" + std::to_string(proofs) + " leak profile(s))" : ""));
      note_known();
      return Outcome::Ok();
    }
    if (settle.Over()) {
      ctx->Log("leak check: " + v.message + " (still there after " + FormatDuration(leaks.settle) +
               ", " + std::to_string(attempts) + " dumps)");
      note_known();
      return LeakFailure(v, dump.value(), ctx);
    }
    settle.Wait(*ctx);  // cut short (interrupt, dead target): the next dump tells
  }
}

Outcome CheckLeaksBySigquit(const LeaksSpec& leaks, Millis grace, ScenarioContext* ctx, std::string* text) {
  using Clock = std::chrono::steady_clock;
  TargetProcess* target = ctx->target;
  if (!target) return Outcome::Error("StepError", "dump.sigquit needs target.run");
  if (leaks.max_new_goroutines) {
    return Outcome::Error("StepError", "max_new_goroutines needs a baseline; a SIGQUIT dump has none");
  }
  auto rules = CompileRules(leaks, ctx->suite->ignore);
  if (!rules.ok()) return Outcome::Error("StepError", rules.status().message());
  ctx->Log("leaks: SIGQUIT to the target for its goroutine dump");
  kill(target->pid(), SIGQUIT);
  auto deadline = Clock::now() + std::max(grace, Millis(5000));
  while (target->Running() && Clock::now() < deadline) SleepUnlessInterrupted(Millis(20));
  target->Stop(SIGKILL, Millis(0));  // reaps it and drains its output
  *text = target->StderrTail(kSigquitDumpBytes);
  GroupedDump dump = GroupDump(*text);
  // The trace comes amid the target's own stderr: what the parser could not read there is
  // the target's logging, not a dump cut short.
  dump.warnings.clear();
  if (dump.buckets.empty()) {
    return Outcome::Error("DumpError", "the target printed no goroutine dump on SIGQUIT (" +
                                           target->exit_info().Describe() + ")");
  }
  Verdict v = Judge(dump, nullptr, rules.value());
  ctx->Log("leak check: " + std::to_string(dump.Total()) + " goroutines in the SIGQUIT dump, " +
           std::to_string(v.suspect_count) + " suspects");
  if (!v.leaked) return Outcome::Ok();
  return LeakFailure(v, dump, ctx);
}

}  // namespace leakprobe
