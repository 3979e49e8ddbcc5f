#include "harness/count_polls.h"

#include <algorithm>

#include "harness/leak_check.h"
#include "matchers/stack_counts.h"
#include "wire/interrupt.h"

namespace leakprobe {

namespace {

using Clock = std::chrono::steady_clock;

// A count poll costs the target milliseconds where a full dump costs it seconds: the
// backoff between them stops at a quarter of the full loop's second, so a check ends soon
// after the work in flight does.
constexpr Millis kMaxCountPause{250};
// Counts that stay put for half the settle are a leak, or old goroutines on other stacks than
// at the baseline; one full dump tells, when the settle is long enough for that to save time
// (a shorter one ends with its full dump soon anyway).
constexpr Millis kFullLookMinSettle{10000};

// The goroutineleak profile's debug=1: only the stacks the runtime proved leaked, counted
// (and a GC in the target). Error: the fetch failed (then see leak_profile->state()).
Result<GroupedDump> TakeLeakCounts(ScenarioContext* ctx) {
  std::string note;
  auto dump = ctx->leak_profile->Fetch(DumpAt(CountsUrl(ctx->leak_url), ctx->dump_socket), ctx->dump_limits, &note);
  if (!note.empty()) ctx->Log("leak profile: " + note);
  return dump;
}

enum class Proof { kAsked, kAbsent, kFailed };

// Asks the leak profile once and judges `poll`'s excess over the baseline again with its
// proofs into *v. Each ask costs the target a garbage collection (at 100k goroutines, a
// freeze of a tenth of a second or more): the count loop asks once the counts are clean
// (again a moment later when goroutines above the baseline remain), and while an excess
// stands unmoved for kProvenEvery, where a proof ends the wait early; work still draining
// asks nothing. kAbsent: the target turned out to serve none (*v stands); kFailed: an error
// the full loop reports.
Proof JudgeWithProof(const GroupedDump& poll, const LeakRules& counted, ScenarioContext* ctx, Verdict* v) {
  auto leaked = TakeLeakCounts(ctx);
  if (!leaked.ok()) return ctx->leak_profile->state() == LeakProfile::State::kAbsent ? Proof::kAbsent : Proof::kFailed;
  const IdSet none;
  *v = Judge(ExcessOverBaseline(poll, &leaked.value(), ctx->baseline_counts.get()), &none, counted, &none);
  return Proof::kAsked;
}

// The check is clean by the counts: says so, notes the known leaks.
Outcome CleanByCounts(const LeaksSpec& leaks, const Verdict& v, int64_t total, int attempts, int proofs,
                      ScenarioContext* ctx) {
  ctx->Log("leak check: clean after " + std::to_string(attempts) + " count poll(s): " + std::to_string(total) +
           " goroutines, " + std::to_string(v.new_count) + " above the baseline (per-stack counts), " +
           std::to_string(v.suspect_count) + " suspects" +
           (proofs ? ", none proven leaked (" + std::to_string(proofs) + " leak profile(s))" : ""));
  ctx->NoteKnownLeaks(IgnoreSpecs(leaks, ctx->suite->ignore), v.known_counts, v.known_names);
  return Outcome::Ok();
}

// One full dump, judged by id as the full loop would: the Outcome when it is clean (the
// counts above the baseline were old goroutines on other stacks), nullopt otherwise.
std::optional<Outcome> CleanInFull(const LeaksSpec& leaks, const LeakRules& rules, int attempts, ScenarioContext* ctx) {
  auto dump = ctx->TakeDump("settle", "settle poll " + std::to_string(attempts) + " (in full: the counts stay)");
  if (!dump.ok()) return std::nullopt;
  Verdict v = Judge(dump.value(), ctx->baseline_ids.get(), rules, ctx->baseline_leaked.get());
  if (v.leaked) return std::nullopt;
  ctx->Log("leak check: clean after " + std::to_string(attempts) + " count poll(s) and a full dump: " +
           std::to_string(dump->Total()) + " goroutines, " + std::to_string(v.suspect_count) + " suspects, " +
           std::to_string(v.new_count) + " new (what the counts showed above the baseline was the baseline's)");
  ctx->NoteKnownLeaks(IgnoreSpecs(leaks, ctx->suite->ignore), v.known_counts, v.known_names);
  return Outcome::Ok();
}

}  // namespace

bool PollsCounts(const ScenarioContext& ctx) {
  return ctx.suite && ctx.suite->dump.poll == DumpPollMode::kAuto && !ctx.suite->dump.sigquit &&
         ctx.count_poll && ctx.count_poll->MayServe() && !CountsUrl(ctx.dump_url).empty();
}

Result<GroupedDump> TakePollDump(ScenarioContext* ctx, const std::string& kind, const std::string& label,
                                 int64_t fds, int64_t threads) {
  if (PollsCounts(*ctx)) {
    std::string note;
    auto dump = ctx->count_poll->Fetch(DumpAt(CountsUrl(ctx->dump_url), ctx->dump_socket), ctx->dump_limits, &note);
    if (!note.empty()) ctx->Log(note);
    if (dump.ok() && ctx->baseline_counts) UseFullSamples(*ctx->baseline_counts, &dump.value());
    if (dump.ok() && ctx->timeline) ctx->timeline->Dump(dump.value(), kind, label, fds, threads);
    if (dump.ok() || ctx->count_poll->MayServe()) return dump;
  }
  return ctx->TakeDump(kind, label, nullptr, fds, threads);
}

std::shared_ptr<const StackCounts> CountBaseline(ScenarioContext* ctx, const GroupedDump& full) {
  auto counts = std::make_shared<StackCounts>(full);
  if (PollsCounts(*ctx)) {
    auto look = TakePollDump(ctx, "baseline", "baseline (per-stack counts)");
    if (look.ok() && look->format == "debug=1") counts->MaxWith(StackCounts(look.value()));
  }
  return counts;
}

std::optional<Outcome> SettleByCounts(const LeaksSpec& leaks, const LeakRules& rules, Clock::time_point deadline,
                                      ScenarioContext* ctx) {
  if (!PollsCounts(*ctx) || !leaks.against.empty() || !ctx->baseline_counts) return std::nullopt;
  // debug=1 shows no waits: every goroutine above the baseline counts as old enough.
  LeakRules counted = rules;
  counted.min_wait_minutes = 0;
  const IdSet none;
  auto asked = Clock::now();  // the last leak profile's ask (JudgeWithProof says when)
  int proofs = 0;
  Millis pause(50);
  std::string last_message;               // what the counts said last, and since when
  auto unmoved_since = Clock::now();
  bool looked_in_full = false;
  for (int attempts = 1;; ++attempts) {
    auto polled = Clock::now();
    auto poll = TakePollDump(ctx, attempts == 1 ? "check" : "settle",
                             (attempts == 1 ? std::string("leak check") : "settle poll " + std::to_string(attempts - 1)) +
                                 " (per-stack counts)");
    if (!poll.ok()) return Outcome::Error("DumpError", poll.status().message());
    if (poll->format != "debug=1") return std::nullopt;  // the target turned out to serve none
    Verdict v = Judge(ExcessOverBaseline(poll.value(), nullptr, ctx->baseline_counts.get()), &none, counted, &none);
    const std::string counts_said = v.message;
    const bool standing =
        v.leaked && counts_said == last_message && Clock::now() - std::max(unmoved_since, asked) >= kProvenEvery;
    // Clean counts ask for the first time, or again while goroutines above the baseline remain
    // (what the last ask saw may have leaked since); back at the baseline after an ask, the
    // excess it saw has ended: nothing new to prove.
    const bool clean_ask = !v.leaked && (proofs == 0 || v.new_count > 0);
    if (ctx->LeakProfileMayServe() && (clean_ask || standing)) {
      Proof proof = JudgeWithProof(poll.value(), counted, ctx, &v);
      if (proof == Proof::kFailed) return std::nullopt;  // the full loop says what failed
      if (proof == Proof::kAsked) {
        ++proofs;
        asked = Clock::now();
      }
    }
    if (v.proven_count > rules.max_proven) {
      ctx->Log("leak check: the leak profile counts " + std::to_string(v.proven_count) +
               " proven leak(s) above the baseline; a full look for their ids and stacks");
      return std::nullopt;
    }
    auto now = Clock::now();
    if (!v.leaked) {
      // Goroutines above the baseline that the rules allow may still become provably leaked
      // (a helper that blocks once its handler returns): a second look a moment later, as
      // the full loop takes. Counts back at the baseline leave nothing new to prove.
      if (proofs == 1 && v.new_count > 0 && ctx->LeakProfileMayServe() &&
          ctx->Pause(std::chrono::ceil<Millis>(asked + kProvenConfirmAfter - now))) {
        continue;
      }
      return CleanByCounts(leaks, v, poll->Total(), attempts, proofs, ctx);
    }
    if (counts_said != last_message) {
      last_message = counts_said;
      unmoved_since = now;
    } else if (!looked_in_full && leaks.settle >= kFullLookMinSettle && now - unmoved_since >= leaks.settle / 2 &&
               now < deadline) {
      looked_in_full = true;
      if (std::optional<Outcome> clean = CleanInFull(leaks, rules, attempts, ctx)) return clean;
    }
    // The full dump that decides takes about as long as the baseline's did: started when half
    // of that is left, it ends past the settle (ending before it, the full loop would take
    // another) and not long after.
    if (now + ctx->full_dump_cost / 2 >= deadline || Interrupted()) {
      ctx->Log("leak check: per-stack counts still break the rules " + std::to_string(attempts) +
               " count polls into a settle of " + FormatDuration(leaks.settle) + ": " + v.message +
               "; a full dump decides");
      return std::nullopt;
    }
    // The pause counts from the poll's start: on a big target the poll itself (a fraction of
    // a second) is already time for the work in flight to end.
    Millis wait = std::min(pause - std::chrono::duration_cast<Millis>(now - polled),
                           std::chrono::duration_cast<Millis>(deadline - now));
    if (wait.count() > 0 && !ctx->Pause(wait)) continue;
    pause = std::min(pause * 2, kMaxCountPause);
  }
}

}  // namespace leakprobe
