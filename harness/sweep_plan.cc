#include "harness/sweep_plan.h"

#include <algorithm>

#include <re2/re2.h>

#include "harness/steps.h"

namespace leakprobe {

namespace {

constexpr int kDefaultRounds = 5;
// " › ", as in "lifecycle › step 3 (GET /logs) › reset at body".
constexpr char kSep[] = " \xE2\x80\xBA ";
// The control's name in place of a fault: "lifecycle › as written".
constexpr char kAsWritten[] = "as written";

// What the fault alone costs per round: a stall's length or an `after` wait.
Millis FaultFloor(const HangUpSpec& h) {
  Millis m = h.at == HangUpSpec::At::kAfter ? h.after : Millis(0);
  if (h.how == HangUpSpec::How::kStall) m += h.stall_for;
  return m;
}

Millis RoundWaits(const std::vector<Step>& steps);

// The pauses between what a step sends (a gRPC call's messages, a stream's writes) and a
// stream's read_for.
Millis SendPauses(const Step& step) {
  Millis sum{0};
  auto writes = [&sum](const std::vector<StreamSend>& send, const std::optional<Millis>& read_for) {
    for (const StreamSend& s : send) sum += s.pause;
    if (read_for) sum += *read_for;
  };
  switch (step.kind) {
    case Step::Kind::kGrpc:
      for (const GrpcMessageSpec& m : step.grpc.messages) sum += m.pause_before;
      break;
    case Step::Kind::kWebSocket: writes(step.websocket.send, step.websocket.read_for); break;
    case Step::Kind::kHttp:
      if (step.http.upgrade) writes(step.http.upgrade->send, step.http.upgrade->read_for);
      break;
    default: break;
  }
  return sum;
}

// What one step waits for by itself: its planned hang-up, the pauses of what it sends when
// nothing ends it sooner (no hang_up, or for gRPC one at sent, which comes once every message
// is sent), a sleep, a repeat's iterations (in waves of its concurrency), the longest branch
// of a parallel.
Millis StepWaits(const Step& step) {
  Millis sum{0};
  const std::optional<HangUpSpec>* h = HangUpOf(step);
  const bool leaves = h && *h;
  if (leaves) sum += FaultFloor(**h);
  if (!leaves || (step.kind == Step::Kind::kGrpc && (*h)->at == HangUpSpec::At::kSent)) sum += SendPauses(step);
  if (step.kind == Step::Kind::kHttp && step.http.disconnect_after) sum += *step.http.disconnect_after;
  switch (step.kind) {
    case Step::Kind::kSleep: sum += step.sleep; break;
    case Step::Kind::kRepeat: {
      int waves = (step.times + std::max(1, step.concurrency) - 1) / std::max(1, step.concurrency);
      sum += RoundWaits(step.steps) * waves;
      break;
    }
    case Step::Kind::kParallel: {
      Millis longest{0};
      for (const Step& branch : step.steps) longest = std::max(longest, StepWaits(branch));
      sum += longest;
      break;
    }
    default: break;
  }
  return sum;
}

// What a round's steps wait for by themselves (a variant's cut step with its fault).
Millis RoundWaits(const std::vector<Step>& steps) {
  Millis sum{0};
  for (const Step& step : steps) sum += StepWaits(step);
  return sum;
}

// A request step the sweep may cut: where it is (an index into the round's steps, then into
// the steps of each repeat or parallel on the way down) and its label, nested ones after
// their parents' (`step 3 "hammer" > step 1 (GET ${api}/x)`, as the step log writes it).
struct Cut {
  std::vector<size_t> path;
  std::string label;
  const Step* step;
};

// The request steps of `steps` and of the repeats and parallels among them, in the order a
// round runs them. `numbers` are the steps' numbers in the scenario (a top-level check is
// left out of the rounds, not out of the numbering); nested steps count from 1. A
// wait_until's steps are not cut: they are its condition, polled until it holds.
void FindCuts(const std::vector<Step>& steps, const std::vector<int>& numbers, const Cut& parent,
              std::vector<Cut>* out) {
  for (size_t i = 0; i < steps.size(); ++i) {
    Cut here{parent.path, parent.label + StepLabel(steps[i], numbers[i]), &steps[i]};
    here.path.push_back(i);
    if (HangUpOf(steps[i])) {
      out->push_back(here);
    } else if (steps[i].kind == Step::Kind::kRepeat || steps[i].kind == Step::Kind::kParallel) {
      std::vector<int> nested(steps[i].steps.size());
      for (size_t j = 0; j < nested.size(); ++j) nested[j] = static_cast<int>(j) + 1;
      here.label += " > ";
      FindCuts(steps[i].steps, nested, here, out);
    }
  }
}

// `step` as a round runs it: the growth checks of its repeats, at any depth, left out. The
// rounds' own fit judges the variant; a repeat's check that fails in the first round would
// end that round before the steps after it ran, and hide them from the control.
Step WithoutGrowth(Step step) {
  step.growth.reset();
  for (Step& nested : step.steps) nested = WithoutGrowth(std::move(nested));
  return step;
}

// The settings for one scenario: the flags over the scenario's over the suite's.
struct Settings {
  std::vector<HangUpSpec> faults = DefaultSweepFaults();
  std::string steps;
  int times = kDefaultRounds;
  bool all = false;
};

Settings Resolve(const Suite& suite, const Scenario& sc, const SweepFlags& flags) {
  Settings s;
  for (const std::optional<SweepSpec>* spec : {&suite.sweep, &sc.sweep}) {
    if (!*spec) continue;
    if (!(*spec)->faults.empty()) s.faults = (*spec)->faults;
    if (!(*spec)->steps.empty()) s.steps = (*spec)->steps;
    if ((*spec)->times) s.times = *(*spec)->times;
    if ((*spec)->all) s.all = *(*spec)->all;
  }
  if (flags.faults) s.faults = *flags.faults;
  if (flags.steps) s.steps = *flags.steps;
  if (flags.times) s.times = *flags.times;
  if (flags.all) s.all = true;
  return s;
}

// The variant that cuts the step at `cut` with `fault` (in every iteration and branch it runs
// in); with no cut, the scenario as written (no fault): the sweep's control.
Scenario MakeVariant(const Scenario& sc, const std::vector<Step>& kept, const Cut* cut, const HangUpSpec& fault,
                     int times) {
  const std::string how = cut ? DescribeHangUp(fault) : std::string(kAsWritten);
  Scenario v;
  v.name = cut ? sc.name + kSep + cut->label + kSep + how : sc.name + kSep + how;
  v.pos = sc.pos;
  v.setup = sc.setup;
  v.teardown = sc.teardown;
  Step rounds;
  rounds.kind = Step::Kind::kRepeat;
  rounds.name = "sweep " + how;
  rounds.pos = cut ? cut->step->pos : sc.pos;
  rounds.times = times;
  rounds.growth = GrowthSpec();
  rounds.growth->pos = sc.pos;
  rounds.steps = kept;
  if (cut) {
    Step* step = &rounds.steps[cut->path[0]];
    for (size_t d = 1; d < cut->path.size(); ++d) step = &step->steps[cut->path[d]];
    *HangUpOf(step) = fault;
    step->http.disconnect_after.reset();
    step->expect = ExpectSpec();
    step->grpc.expect = GrpcExpect();  // a cut call has no status code to check
  }
  v.steps.push_back(std::move(rounds));
  v.variant_of = SweepVariantOf{sc.name, cut ? cut->label : "", how, times};
  return v;
}

}  // namespace

const std::optional<HangUpSpec>* HangUpOf(const Step& step) {
  switch (step.kind) {
    case Step::Kind::kHttp: return &step.http.hang_up;  // upgraded streams too
    case Step::Kind::kWebSocket: return &step.websocket.hang_up;
    case Step::Kind::kGrpc: return &step.grpc.hang_up;
    default: return nullptr;
  }
}

std::optional<HangUpSpec>* HangUpOf(Step* step) {
  return const_cast<std::optional<HangUpSpec>*>(HangUpOf(static_cast<const Step&>(*step)));
}

Status PlanSweep(Suite* suite, const SweepFlags& flags, SweepPlan* plan) {
  std::vector<Scenario> out;
  for (const Scenario& sc : suite->scenarios) {
    if (!flags.on && !sc.sweep && !suite->sweep) {
      out.push_back(sc);
      continue;
    }
    Settings s = Resolve(*suite, sc, flags);
    std::optional<RE2> steps_re;
    if (!s.steps.empty()) {
      steps_re.emplace(s.steps, RE2::Quiet);
      if (!steps_re->ok()) return Status::Error("--sweep-steps: " + steps_re->error());
    }
    // The steps a round runs: the scenario's, less its named checks.
    std::vector<Step> kept;
    std::vector<int> numbers;
    for (size_t i = 0; i < sc.steps.size(); ++i) {
      if (sc.steps[i].kind == Step::Kind::kCheck) continue;
      kept.push_back(WithoutGrowth(sc.steps[i]));
      numbers.push_back(static_cast<int>(i) + 1);
    }
    std::vector<Cut> cuts;
    FindCuts(kept, numbers, Cut{}, &cuts);
    int variants = 0, steps_swept = 0;
    // The control goes first: what the scenario grows by itself is known before the cuts.
    const size_t control_at = out.size();
    for (const Cut& cut : cuts) {
      if (steps_re && !RE2::PartialMatch(cut.label, *steps_re)) continue;
      std::string names;  // what later steps may use: a cut step would not capture it
      for (const CaptureSpec& c : cut.step->captures) names += (names.empty() ? "" : ", ") + c.name;
      for (const GrpcCapture& c : cut.step->grpc.captures) names += (names.empty() ? "" : ", ") + c.name;
      if (!names.empty() && !s.all) {
        plan->skipped.push_back({sc.name, cut.label, "captures " + names + " (--sweep-all sweeps it)"});
        continue;
      }
      ++steps_swept;
      for (const HangUpSpec& fault : s.faults) {
        out.push_back(MakeVariant(sc, kept, &cut, fault, s.times));
        ++variants;
        plan->rounds += s.times;
        plan->floor += RoundWaits(out.back().steps[0].steps) * s.times;
      }
    }
    if (variants > 0) {
      out.insert(out.begin() + static_cast<std::ptrdiff_t>(control_at),
                 MakeVariant(sc, kept, nullptr, HangUpSpec(), s.times));
      ++plan->controls;
      plan->rounds += s.times;
      plan->floor += RoundWaits(kept) * s.times;
    }
    plan->variants += variants;
    plan->lines.push_back(suite->name + " / " + sc.name + ": " + std::to_string(steps_swept) + " steps x " +
                          std::to_string(s.faults.size()) + " faults = " + std::to_string(variants) +
                          " variants" + (variants > 0 ? " and the scenario as written" : "") + ", " +
                          std::to_string(s.times) + " rounds each");
  }
  suite->scenarios = std::move(out);
  return Status::Ok();
}

std::string DescribeSweepPlan(const SweepPlan& plan) {
  std::string out = "sweep: " + std::to_string(plan.variants) + " variants" +
                    (plan.controls ? " and " + std::to_string(plan.controls) + " as written" : "") + ", " +
                    std::to_string(plan.rounds) + " rounds in all; at least " + FormatDuration(plan.floor) +
                    " of stalls and waits, plus the target's own time (the time left is estimated after each "
                    "variant)\n";
  for (const std::string& line : plan.lines) out += "  " + line + "\n";
  for (const SweepPlan::Skip& s : plan.skipped) {
    out += "  not swept: " + s.scenario + kSep + s.step + ": " + s.why + "\n";
  }
  return out;
}

std::string SweepProgress(int done, int variants, double elapsed_seconds) {
  auto span = [](double seconds) { return FormatSpan(Millis(static_cast<int64_t>(seconds * 1000))); };
  std::string out =
      "sweep: " + std::to_string(done) + " of " + std::to_string(variants) + " variants in " + span(elapsed_seconds);
  if (done <= 0 || done >= variants) return out;
  // Variants of one sweep cost alike (the same steps, one fault each), and with --jobs the
  // elapsed time already holds the parallelism: the mean so far is the best guess.
  return out + "; about " + span(elapsed_seconds / done * (variants - done)) + " left";
}

}  // namespace leakprobe
