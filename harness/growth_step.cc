// A repeat with growth (step_kinds.h): the loop that takes a dump before the first
// iteration and after each round, measures the target's fds and threads, and settles what
// grew. The fitting itself is pure: matchers/growth.h; naming what outlived the settle,
// matchers/survivors.h.
#include <algorithm>
#include <chrono>
#include <optional>

#include "base/rate_text.h"
#include "harness/count_polls.h"
#include "harness/leak_check.h"
#include "harness/leak_groups.h"
#include "harness/settle_backoff.h"
#include "harness/step_kinds.h"
#include "harness/steps.h"
#include "matchers/growth.h"
#include "matchers/survivors.h"
#include "matchers/stack_counts.h"
#include "wire/interrupt.h"
#include "wire/proc_stats.h"
#include "wire/target_gc.h"

namespace leakprobe {

namespace {

using Clock = std::chrono::steady_clock;

std::string Elapsed(Clock::time_point since) {
  return FormatDuration(std::chrono::duration_cast<Millis>(Clock::now() - since));
}

std::string Counts(const std::vector<int64_t>& counts, std::optional<int64_t> settled) {
  std::string out;
  for (int64_t c : counts) out += (out.empty() ? "" : " ") + std::to_string(c);
  if (settled) out += " (after the settle: " + std::to_string(*settled) + ")";
  return out;
}

// The dumps and measures of one growth check, and where in an iteration a stack grew.
class GrowthRun {
 public:
  GrowthRun(const Step& step, const std::string& label, ScenarioContext* ctx)
      : step_(step), label_(label), ctx_(ctx) {
    rules_.max_per_iteration = step.growth->max_per_iteration;
    rules_.iterations_per_point = std::max(1, std::min(step.concurrency, step.times));
    series_.iterations = step.times;
  }

  Outcome Run() {
    auto ignore = CompileRules(LeaksSpec(), ctx_->suite->ignore);
    if (!ignore.ok()) return Outcome::Error("StepError", ignore.status().message());
    ignore_ = ignore.value();
    if (step_.growth->fds) {
      std::string why;
      pid_ = ctx_->TargetPid(&why);
      if (pid_ < 0) ctx_->Log(label_ + ": growth: open fds and threads not measured: " + why);
    }
    auto start = Clock::now();
    Outcome o = Measure("before the first iteration");
    first_ = last_;  // what survives the settle is told from it
    const int k = rules_.iterations_per_point;
    int done = 0;
    for (int first = 0; o.ok() && first < step_.times; first += k) {
      int count = std::min(k, step_.times - first);
      // One iteration is dumped after each of its steps, to tell which step the growth comes from.
      if (k == 1 && step_.steps.size() > 1 && first == std::min(1, step_.times - 1)) {
        o = RunAttributedIteration(first, &done);
      } else {
        o = RunIterations(step_, label_, first, count, ctx_, &done);
      }
      if (!o.ok()) break;
      if (ctx_->TargetDied()) return Outcome::Ok();  // the caller says what died
      o = Measure(k == 1 ? "iteration " + std::to_string(first + 1)
                         : "round " + std::to_string(first / k + 1) + " (iterations " + std::to_string(first + 1) +
                               "-" + std::to_string(first + count) + ")");
    }
    ctx_->Log(label_ + ": " + std::to_string(done) + " of " + std::to_string(step_.times) + " iterations in " +
              Elapsed(start) + (k > 1 ? " (" + std::to_string(k) + " at once)" : "") + ", " +
              std::to_string(series_.points.size()) + " dumps for growth");
    if (!o.ok()) return o;

    const Census& last = series_.points.back();
    ctx_->NoteKnownLeaks(IgnoreSpecs(LeaksSpec(), ctx_->suite->ignore), last.known_counts, last.known_names);
    GrowthVerdict v = JudgeGrowth(series_, rules_);
    ctx_->Log(label_ + ": growth: " + Summary() + (v.grows ? "; grows: " + v.message : "; nothing grows"));
    if (!v.grows) return Outcome::Ok();
    return Settle(v);
  }

 private:
  // A dump and the target's fds and threads, as one point of the series.
  Outcome Measure(const std::string& label, const char* kind = "growth") {
    ProcStats stats;
    if (pid_ > 0) {
      auto s = ReadProcStats(pid_);
      if (s.ok()) {
        stats = s.value();
      } else if (!warned_proc_) {
        warned_proc_ = true;
        ctx_->Log(label_ + ": growth: " + s.status().message() + "; fds and threads not measured");
      }
    }
    auto dump = TakePollDump(ctx_, kind, label, stats.fds, stats.threads);
    if (!dump.ok()) return Outcome::Error("DumpError", label_ + ": " + dump.status().message());
    ctx_->LogDumpWarnings(label_ + ": " + label, dump.value());
    series_.points.push_back(TakeCensus(dump.value(), ignore_));
    if (stats.fds >= 0) {
      series_.fds.push_back(stats.fds);
      series_.threads.push_back(stats.threads);
    }
    last_ = std::move(dump.value());
    return Outcome::Ok();
  }

  // Iteration `i` on its own, with a census after each of its steps.
  Outcome RunAttributedIteration(int i, int* done) {
    ScenarioContext branch = ctx_->Branch();
    branch.vars["repeat.index"] = std::to_string(i);
    std::string prefix = label_ + " > iteration " + std::to_string(i + 1) + " > ";
    Outcome o;
    int number = 0;
    Census before = series_.points.back();
    IdSet before_ids = last_.Ids();
    for (const Step& s : step_.steps) {
      ++number;
      std::string step_label = prefix + StepLabel(s, number);
      o = RunLabeledStep(s, step_label, &branch);
      if (!o.ok() || branch.TargetDied()) break;
      auto dump = TakePollDump(&branch, "growth", "iteration " + std::to_string(i + 1) + ", after " + StepLabel(s, number));
      if (!dump.ok()) {
        o = Outcome::Error("DumpError", step_label + ": " + dump.status().message());
        break;
      }
      Census after = TakeCensus(dump.value(), ignore_);
      for (const auto& [sig, n] : after.counts) {
        auto it = before.counts.find(sig);
        int64_t rose = n - (it == before.counts.end() ? 0 : it->second);
        if (rose > 0 && !born_in_.count(sig)) born_in_[sig] = StepLabel(s, number);
      }
      for (const Bucket& b : dump.value().buckets) {
        for (int64_t id : b.ids) {
          if (!before_ids.Contains(id)) born_ids_.emplace(id, StepLabel(s, number));
        }
      }
      before_ids = dump.value().Ids();
      before = std::move(after);
    }
    ctx_->Merge(branch, "[" + std::to_string(i + 1) + "] ", true);
    ++*done;
    return o;
  }

  std::string Summary() const {
    const Census& first = series_.points.front();
    const Census& last = series_.points.back();
    std::string out = std::to_string(series_.points.size()) + " dumps, total " + std::to_string(first.total) +
                      " \xE2\x86\x92 " + std::to_string(last.total);
    if (!series_.fds.empty()) {
      out += ", open fds " + std::to_string(series_.fds.front()) + " \xE2\x86\x92 " +
             std::to_string(series_.fds.back()) + ", threads " + std::to_string(series_.threads.front()) +
             " \xE2\x86\x92 " + std::to_string(series_.threads.back());
    }
    return out;
  }

  // Re-measures with backoff until the growth is gone (it was in flight) or the settle passes.
  Outcome Settle(const GrowthVerdict& grown) {
    SettleBackoff settle(step_.growth->settle);
    GrowthVerdict v = grown;
    bool goroutines_went = false;
    for (int poll = 1; !settle.Over() && settle.Wait(*ctx_); ++poll) {
      Outcome o = SettlePoll(grown, "settle poll " + std::to_string(poll), &v);
      if (!o.ok()) return o;
      if (!v.grows) {
        ctx_->Log(label_ + ": growth: gone within " + settle.Elapsed() + " of the last iteration: it was in flight");
        return Outcome::Ok();
      }
      // Goroutines that end before the fds they held are closed: said once, so a reader of
      // the log sees what the verdict's first message no longer holds. With no goroutine
      // growing, threads do not count (matchers/growth.h): what still grows is open fds.
      if (!goroutines_went && GoroutinesGrow(grown) && !GoroutinesGrow(v)) {
        goroutines_went = true;
        ctx_->Log(label_ + ": growth: goroutines gone within " + settle.Elapsed() +
                  " of the last iteration (in flight); open fds still up");
      }
    }
    if (GoneAfterGc(grown, &v)) return Outcome::Ok();
    // What was created during the repeat and outlived the settle (last_ is the settle's last
    // dump) names a total that grows with no stack that does.
    survivors_ = FindSurvivors(first_, last_, ignore_, step_.times);
    SurvivorAttribution named = AttributeToSurvivors(v, survivors_, series_, TakeCensus(last_, ignore_), rules_);
    ctx_->Log(label_ + ": growth: " + named.verdict.message + " (still there after " +
              FormatDuration(step_.growth->settle) + ")");
    return Failure(named);
  }

  // One settle poll: measures again and judges `grown` against it into *v (a settle poll is
  // not a point of the fit). Error: the dump failed.
  Outcome SettlePoll(const GrowthVerdict& grown, const std::string& label, GrowthVerdict* v) {
    size_t before = series_.fds.size();
    Outcome o = Measure(label, "settle");
    if (!o.ok()) return o;
    Census settled = std::move(series_.points.back());
    series_.points.pop_back();
    int64_t fds = -1, threads = -1;
    if (series_.fds.size() > before) {
      fds = series_.fds.back();
      threads = series_.threads.back();
      series_.fds.pop_back();
      series_.threads.pop_back();
    }
    *v = SettleGrowth(grown, settled, fds, threads, step_.times, rules_);
    return Outcome::Ok();
  }

  // Open fds still up after the settle with no goroutine growing behind them may belong to
  // objects nobody closed, which their finalizers close after the next GC (Debian's dockerd
  // leaves a hijacked attach connection so): asks the target for one GC (wire/target_gc.h)
  // and polls for up to a second more. True when they went: held, not leaked. Full dumps
  // allocate enough to set off such a GC by themselves; count polls do not, so without this
  // the form of the polls would change the verdict.
  bool GoneAfterGc(const GrowthVerdict& grown, GrowthVerdict* v) {
    const std::string url = GcUrl(ctx_->dump_url);
    if (url.empty() || !v->fds || GoroutinesGrow(*v)) return false;
    Status gc = CollectGarbage(DumpAt(url, ctx_->dump_socket), ctx_->dump_limits);
    if (!gc.ok()) {
      ctx_->Log(label_ + ": growth: asking the target for a GC failed: " + gc.message());
      return false;
    }
    SettleBackoff after(Millis(1000));
    for (int poll = 1; !after.Over() && after.Wait(*ctx_); ++poll) {
      if (!SettlePoll(grown, "settle poll after a GC " + std::to_string(poll), v).ok()) return false;
      if (!v->grows) {
        ctx_->Log(label_ + ": growth: open fds gone within " + after.Elapsed() +
                  " of a GC in the target (heap?gc=1): held until their finalizers ran, not leaked");
        return true;
      }
    }
    ctx_->Log(label_ + ": growth: still there after a GC in the target (heap?gc=1)");
    return false;
  }

  Outcome Failure(const SurvivorAttribution& named) {
    const GrowthVerdict& v = named.verdict;
    if (ctx_->timeline) ctx_->timeline->Verdict();
    std::string detail = "Growing with the iterations of " + label_ + ":\n\n";
    Outcome o = Outcome::Failed("GoroutineLeak", v.message);
    counted_ = TakeFullStacks();
    for (const GrowingSeries& s : v.goroutines) {
      bool survived = std::count(named.from_survivors.begin(), named.from_survivors.end(), s.signature) > 0;
      AddGroup(s, survived ? survivors_.Find(s.signature) : nullptr, &detail, &o);
    }
    if (v.total && v.goroutines.empty()) {
      detail += "The total grows " + FormatSignedRate(v.total->fit.per_iteration) +
                "/iteration, spread over stacks that each grow less: " + Counts(v.total->counts, v.total->settled) +
                "\n\n";
      if (!named.largest.empty()) {
        detail += "The largest groups of the " + std::to_string(survivors_.total) +
                  " goroutines created during the repeat and still alive after the settle:\n\n";
      }
      for (const GrowingSeries& s : named.largest) AddGroup(s, survivors_.Find(s.signature), &detail, &o);
    }
    if (v.fds) detail += "Open fds " + FormatSignedRate(v.fds->fit.per_iteration) + "/iteration: " + Counts(v.fds->counts, v.fds->settled) + "\n";
    if (v.threads) {
      detail += "Threads " + FormatSignedRate(v.threads->fit.per_iteration) + "/iteration: " +
                Counts(v.threads->counts, v.threads->settled) + "\n";
    }
    o.detail = detail;
    return o;
  }

  // One growing signature into the detail and the leak groups: the stacks of the signature in
  // the last dump, grouped; of `survivors` only, when it was named or rated from them.
  void AddGroup(const GrowingSeries& s, const SurvivorGroup* survivors, std::string* detail, Outcome* o) {
    std::vector<Bucket> buckets;
    if (survivors && !counted_) {
      buckets = SurvivorBuckets(last_, *survivors);
    } else {
      // Series counted from debug=1 polls name their stacks as both views show them.
      for (const Bucket& b : last_.buckets) {
        if (counted_ ? CountedUnder(b.sample, s.signature) : GrowthSignature(b.sample) == s.signature) {
          buckets.push_back(b);
        }
      }
    }
    std::string born = BornIn(s.signature, survivors);
    *detail += s.name + " " + FormatSignedRate(s.fit.per_iteration) + "/iteration, created during " + born + "\n";
    if (survivors) {
      *detail += "  " + std::to_string(survivors->count) + " created during the repeat, still alive after the settle\n";
    }
    *detail += "  count before the first iteration and after each " +
               std::string(rules_.iterations_per_point > 1 ? "round" : "iteration") + ": " + Counts(s.counts, s.settled) +
               "\n\n";
    for (const Bucket& b : buckets) *detail += FormatBucket(b) + "\n";
    if (buckets.empty()) return;
    std::vector<LeakGroup> groups = LeakGroupsOf({buckets.front()});
    LeakGroup g = groups.front();
    g.count = 0;
    g.ids.clear();
    for (const Bucket& b : buckets) {
      g.count += b.count;
      g.ids.insert(g.ids.end(), b.ids.begin(), b.ids.end());
    }
    std::sort(g.ids.begin(), g.ids.end());
    g.per_iteration = s.fit.per_iteration;
    g.series = s.counts;
    if (s.settled) g.series.push_back(*s.settled);
    g.signature = s.signature;
    g.why = "growing";
    g.created_during = born;
    o->leaks.push_back(std::move(g));
  }

  // The nested step a signature first rose in, or that created one of `survivors` (as far as
  // the iteration dumped after each step tells); else the repeat itself.
  std::string BornIn(const std::string& signature, const SurvivorGroup* survivors) const {
    if (survivors) {
      for (int64_t id : survivors->ids) {
        auto it = born_ids_.find(id);
        if (it != born_ids_.end()) return step_label_prefix() + it->second;
      }
    }
    auto it = born_in_.find(signature);
    return it != born_in_.end() ? step_label_prefix() + it->second : label_;
  }

  // When the series were counted (debug=1), a full dump for the ids, waits and creators the
  // failure shows; true then. Without it (it failed) the counts' stacks are shown.
  bool TakeFullStacks() {
    if (last_.format != "debug=1") return false;
    auto full = ctx_->TakeDump("settle", "the growing stacks in full");
    if (!full.ok()) {
      ctx_->Log(label_ + ": growth: no full dump for the failure's stacks: " + full.status().message());
      return true;
    }
    last_ = std::move(full.value());
    return true;
  }

  // "step 5 (repeat 20x) > " for a step inside the repeat.
  std::string step_label_prefix() const { return label_ + " > "; }

  const Step& step_;
  const std::string& label_;
  ScenarioContext* ctx_;
  GrowthRules rules_;
  LeakRules ignore_;
  GrowthSeries series_;
  GroupedDump first_, last_;
  bool counted_ = false;  // the series came from debug=1 counts; last_ was then refetched in full
  Survivors survivors_;  // of the settle, once it failed
  pid_t pid_ = -1;
  bool warned_proc_ = false;
  std::map<std::string, std::string> born_in_;  // signature -> the nested step it first rose in
  std::map<int64_t, std::string> born_ids_;     // id -> the nested step that created it, in that iteration
};

}  // namespace

Outcome RunGrowthRepeat(const Step& step, const std::string& label, ScenarioContext* ctx) {
  std::optional<std::string> outer_index;
  if (auto it = ctx->vars.find("repeat.index"); it != ctx->vars.end()) outer_index = it->second;
  Outcome o = GrowthRun(step, label, ctx).Run();
  if (outer_index) ctx->vars["repeat.index"] = *outer_index;
  else ctx->vars.erase("repeat.index");
  return o;
}

}  // namespace leakprobe
