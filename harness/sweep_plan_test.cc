#include "harness/sweep_plan.h"

#include <gtest/gtest.h>

namespace leakprobe {
namespace {

Step Http(const std::string& method, const std::string& url, std::vector<std::string> captures = {}) {
  Step s;
  s.kind = Step::Kind::kHttp;
  s.http.method = method;
  s.http.url = url;
  for (const std::string& c : captures) {
    CaptureSpec cap;
    cap.name = c;
    s.captures.push_back(cap);
  }
  s.expect.status = {200};
  return s;
}

// create (captures), start, logs, a check, a sleep, delete.
Suite Lifecycle() {
  Suite suite;
  suite.name = "logs";
  Scenario sc;
  sc.name = "lifecycle";
  sc.steps.push_back(Http("POST", "/containers/create", {"cid"}));
  sc.steps.push_back(Http("POST", "/containers/${cid}/start"));
  sc.steps.push_back(Http("GET", "/containers/${cid}/logs"));
  Step check;
  check.kind = Step::Kind::kCheck;
  sc.steps.push_back(check);
  Step sleep;
  sleep.kind = Step::Kind::kSleep;
  sc.steps.push_back(sleep);
  sc.steps.push_back(Http("DELETE", "/containers/${cid}"));
  sc.teardown.push_back(Http("DELETE", "/containers/${cid}?force=1"));
  sc.leaks = LeaksSpec();
  suite.scenarios.push_back(sc);
  Scenario other;
  other.name = "not swept unless --sweep";
  other.steps.push_back(Http("GET", "/_ping"));
  suite.scenarios.push_back(other);
  return suite;
}

std::vector<HangUpSpec> Faults(std::vector<std::string> texts) {
  std::vector<HangUpSpec> out;
  for (const std::string& t : texts) out.push_back(ParseFault(t).value());
  return out;
}

TEST(SweepPlan, VariantsByStepAndFault) {
  struct Case {
    std::string name;
    SweepFlags flags;
    std::optional<SweepSpec> in_file;
    std::vector<std::string> want_names;
    int want_skipped;
  } cases[] = {
      {"the flags' defaults: steps that capture are skipped", SweepFlags{true, Faults({"reset at body"}), {}, 3, false},
       {}, {"lifecycle › as written", "lifecycle › step 2 (POST /containers/${cid}/start) › reset at body",
            "lifecycle › step 3 (GET /containers/${cid}/logs) › reset at body",
            "lifecycle › step 6 (DELETE /containers/${cid}) › reset at body",
            "not swept unless --sweep › as written", "not swept unless --sweep › step 1 (GET /_ping) › reset at body"}, 1},
      {"--sweep-all sweeps the create too, --sweep-steps narrows",
       SweepFlags{true, Faults({"close at sent", "stall 2s at status"}), std::string("POST"), 3, true}, {},
       {"lifecycle › as written", "lifecycle › step 1 (POST /containers/create) › close at sent",
        "lifecycle › step 1 (POST /containers/create) › stall 2s at status",
        "lifecycle › step 2 (POST /containers/${cid}/start) › close at sent",
        "lifecycle › step 2 (POST /containers/${cid}/start) › stall 2s at status"}, 0},
      {"sweep: in the scenario alone", SweepFlags{},
       SweepSpec{Faults({"half_close at status"}), "logs", 4, std::nullopt, {}},
       {"lifecycle › as written", "lifecycle › step 3 (GET /containers/${cid}/logs) › half_close at status",
        "not swept unless --sweep"}, 0},
  };
  for (const Case& c : cases) {
    Suite suite = Lifecycle();
    suite.scenarios[0].sweep = c.in_file;
    SweepPlan plan;
    ASSERT_TRUE(PlanSweep(&suite, c.flags, &plan).ok()) << c.name;
    std::vector<std::string> names;
    for (const Scenario& sc : suite.scenarios) names.push_back(sc.name);
    EXPECT_EQ(names, c.want_names) << c.name;
    EXPECT_EQ(static_cast<int>(plan.skipped.size()), c.want_skipped) << c.name;
  }
}

TEST(SweepPlan, AVariantRepeatsTheStepsWithTheFaultOnOne) {
  Suite suite = Lifecycle();
  SweepPlan plan;
  SweepFlags flags{true, Faults({"stall 2s at status"}), std::string("logs"), 7, false};
  ASSERT_TRUE(PlanSweep(&suite, flags, &plan).ok());
  ASSERT_EQ(suite.scenarios.size(), 2u);
  // First the control: the same rounds, no step cut, every expect kept.
  const Scenario& control = suite.scenarios[0];
  EXPECT_EQ(control.name, "lifecycle › as written");
  ASSERT_TRUE(control.variant_of.has_value());
  EXPECT_EQ(control.variant_of->step, "");
  EXPECT_EQ(control.variant_of->fault, "as written");
  ASSERT_EQ(control.steps.size(), 1u);
  EXPECT_EQ(control.steps[0].times, 7);
  ASSERT_TRUE(control.steps[0].growth.has_value());
  for (const Step& step : control.steps[0].steps) {
    EXPECT_FALSE(step.http.hang_up.has_value());
    if (step.kind == Step::Kind::kHttp) {
      EXPECT_FALSE(step.expect.status.empty());
    }
  }
  const Scenario& v = suite.scenarios[1];
  EXPECT_FALSE(v.leaks.has_value());
  EXPECT_EQ(v.teardown.size(), 1u);
  ASSERT_EQ(v.steps.size(), 1u);
  const Step& rounds = v.steps[0];
  EXPECT_EQ(rounds.kind, Step::Kind::kRepeat);
  EXPECT_EQ(rounds.times, 7);
  ASSERT_TRUE(rounds.growth.has_value());
  ASSERT_EQ(rounds.steps.size(), 5u);  // the check is left out
  for (size_t i = 0; i < rounds.steps.size(); ++i) {
    bool swept = i == 2;
    EXPECT_EQ(rounds.steps[i].http.hang_up.has_value(), swept) << i;
    if (rounds.steps[i].kind == Step::Kind::kHttp) {
      EXPECT_EQ(rounds.steps[i].expect.status.empty(), swept) << i;
    }
  }
  EXPECT_EQ(DescribeHangUp(*rounds.steps[2].http.hang_up), "stall 2s at status");
  ASSERT_TRUE(v.variant_of.has_value());
  EXPECT_EQ(v.variant_of->step, "step 3 (GET /containers/${cid}/logs)");
  EXPECT_EQ(v.variant_of->rounds, 7);
  EXPECT_EQ(plan.floor, Millis(14000));
  EXPECT_EQ(DescribeSweepPlan(plan),
            "sweep: 1 variants and 1 as written, 14 rounds in all; at least 14s of stalls and waits, plus the target's own time (the "
            "time left is estimated after each variant)\n"
            "  logs / lifecycle: 1 steps x 1 faults = 1 variants and the scenario as written, 7 rounds each\n"
            "  logs / not swept unless --sweep: 0 steps x 1 faults = 0 variants, 7 rounds each\n");
}

TEST(SweepPlan, FloorCountsWhatTheRoundsWaitFor) {
  // The lifecycle with a 1s sleep, a 300ms planned hang-up on the start, and a repeat of 3
  // (in waves of 2) around a 100ms sleep; the logs step is swept with a 2s stall, 4 rounds.
  Suite suite = Lifecycle();
  std::vector<Step>& steps = suite.scenarios[0].steps;
  steps[4].sleep = Millis(1000);
  steps[1].http.disconnect_after = Millis(300);
  Step nap;
  nap.kind = Step::Kind::kSleep;
  nap.sleep = Millis(100);
  Step repeat;
  repeat.kind = Step::Kind::kRepeat;
  repeat.times = 3;
  repeat.concurrency = 2;
  repeat.steps = {nap};
  steps.push_back(repeat);
  SweepPlan plan;
  ASSERT_TRUE(PlanSweep(&suite, SweepFlags{true, Faults({"stall 2s at status"}), std::string("logs"), 4, false}, &plan).ok());
  // Per round of the variant: the stall 2s, sleep 1s, hang-up 300ms, two waves of 100ms; of
  // the control, the same but the stall.
  EXPECT_EQ(plan.floor, Millis(4 * (2000 + 1000 + 300 + 200) + 4 * (1000 + 300 + 200)));
}

// A scenario that hammers: a repeat of 3 (2 at once) around a GET with a planned 100ms
// hang-up, a parallel of a GET and a named watch, and a wait_until polling a GET.
Suite Hammer() {
  Suite suite;
  suite.name = "hammer";
  Scenario sc;
  sc.name = "load";
  Step repeat;
  repeat.kind = Step::Kind::kRepeat;
  repeat.name = "hammer";
  repeat.times = 3;
  repeat.concurrency = 2;
  repeat.steps.push_back(Http("GET", "/containers/json"));
  repeat.steps[0].http.disconnect_after = Millis(100);
  repeat.growth = GrowthSpec();  // a leak test of its own, left out of the rounds
  sc.steps.push_back(repeat);
  Step parallel;
  parallel.kind = Step::Kind::kParallel;
  parallel.steps.push_back(Http("GET", "/info"));
  parallel.steps.push_back(Http("GET", "/events"));
  parallel.steps[1].name = "watch";
  sc.steps.push_back(parallel);
  Step wait;
  wait.kind = Step::Kind::kWaitUntil;
  wait.steps.push_back(Http("GET", "/_ping"));
  sc.steps.push_back(wait);
  suite.scenarios.push_back(sc);
  return suite;
}

TEST(SweepPlan, StepsInsideRepeatsAndParallelsAreCutEverywhereTheyRun) {
  struct Case {
    std::string steps;                  // --sweep-steps
    std::vector<std::string> want;      // the variants' names, the control aside
    std::vector<size_t> path;           // where the first variant's cut step is in the rounds
    Millis floor;
  } cases[] = {
      // Per round: the repeat's two waves of the fault's 2s (the 100ms hang-up is replaced),
      // and of the control, two waves of 100ms.
      {"hammer", {"load › step 1 \"hammer\" > step 1 (GET /containers/json) › stall 2s at status"}, {0, 0},
       Millis(2 * (2 * 2000) + 2 * (2 * 100))},
      {"parallel", {"load › step 2 (parallel) > step 1 (GET /info) › stall 2s at status",
                    "load › step 2 (parallel) > step 2 \"watch\" › stall 2s at status"}, {1, 0},
       Millis(2 * 2 * (2000 + 200) + 2 * 200)},
      {"_ping", {}, {}, Millis(0)},  // a wait_until's condition is never cut
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.steps);
    Suite suite = Hammer();
    SweepPlan plan;
    ASSERT_TRUE(PlanSweep(&suite, SweepFlags{true, Faults({"stall 2s at status"}), c.steps, 2, false}, &plan).ok());
    std::vector<std::string> names;
    for (size_t i = 1; i < suite.scenarios.size(); ++i) names.push_back(suite.scenarios[i].name);
    if (c.want.empty()) {
      EXPECT_TRUE(suite.scenarios.empty());  // no variant, so no control either
      EXPECT_EQ(plan.lines, std::vector<std::string>{"hammer / load: 0 steps x 1 faults = 0 variants, 2 rounds each"});
      continue;
    }
    EXPECT_EQ(suite.scenarios[0].name, "load › as written");
    EXPECT_EQ(names, c.want);
    EXPECT_EQ(plan.floor, c.floor);
    const Step* cut = &suite.scenarios[1].steps[0].steps[c.path[0]];
    for (size_t d = 1; d < c.path.size(); ++d) cut = &cut->steps[c.path[d]];
    ASSERT_TRUE(cut->http.hang_up.has_value());
    EXPECT_EQ(DescribeHangUp(*cut->http.hang_up), "stall 2s at status");
    EXPECT_FALSE(cut->http.disconnect_after.has_value());
    EXPECT_TRUE(cut->expect.status.empty());
    // The control cuts nothing: the repeat keeps its planned hang-up.
    EXPECT_FALSE(suite.scenarios[0].steps[0].steps[0].steps[0].http.hang_up.has_value());
    EXPECT_EQ(suite.scenarios[0].steps[0].steps[0].steps[0].http.disconnect_after, Millis(100));
    // The rounds' fit judges, in the control and in every variant; the repeat's own is gone.
    for (const Scenario& v : suite.scenarios) {
      EXPECT_TRUE(v.steps[0].growth.has_value()) << v.name;
      EXPECT_FALSE(v.steps[0].steps[0].growth.has_value()) << v.name;
    }
  }
}

TEST(SweepPlan, FloorCountsThePausesOfWhatAStepSends) {
  // A bidi call that sends a message, pauses 1s, sends, pauses 2s; and a WebSocket that
  // writes after 500ms and reads on for 1s. Only the call is swept, 2 rounds per variant.
  Step call;
  call.kind = Step::Kind::kGrpc;
  call.grpc.method = "feed.v1.Feed/Chat";
  call.grpc.messages.resize(3);
  call.grpc.messages[1].pause_before = Millis(1000);
  call.grpc.messages[2].pause_before = Millis(2000);
  Step ws;
  ws.kind = Step::Kind::kWebSocket;
  ws.websocket.url = "ws://h/x";
  ws.websocket.send.push_back(StreamSend{"hi", false, Millis(500)});
  ws.websocket.read_for = Millis(1000);
  struct Case {
    std::string fault;
    Millis per_variant_round;  // the control's round waits 3s + 1.5s
  } cases[] = {
      {"close at sent", Millis(3000 + 1500)},  // at sent comes once every message is sent
      {"stall 2s at sent", Millis(2000 + 3000 + 1500)},
      {"reset at body", Millis(1500)},         // it may leave before any pause: none counted
      {"close after 1s", Millis(1000 + 1500)},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.fault);
    Suite suite;
    Scenario sc;
    sc.name = "chat";
    sc.steps = {call, ws};
    suite.scenarios.push_back(sc);
    SweepPlan plan;
    ASSERT_TRUE(PlanSweep(&suite, SweepFlags{true, Faults({c.fault}), std::string("Chat"), 2, false}, &plan).ok());
    EXPECT_EQ(plan.variants, 1);
    EXPECT_EQ(plan.floor, 2 * c.per_variant_round + 2 * Millis(3000 + 1500));
  }
}

TEST(SweepProgress, EstimatesTheTimeLeftFromTheMeanSoFar) {
  struct Case {
    int done, variants;
    double elapsed;
    const char* want;
  } cases[] = {
      {0, 20, 0.4, "sweep: 0 of 20 variants in 0s"},
      {1, 20, 8.2, "sweep: 1 of 20 variants in 8s; about 2m36s left"},
      {15, 20, 120, "sweep: 15 of 20 variants in 2m00s; about 40s left"},
      {20, 20, 158.6, "sweep: 20 of 20 variants in 2m39s"},
  };
  for (const Case& c : cases) EXPECT_EQ(SweepProgress(c.done, c.variants, c.elapsed), c.want);
}

TEST(SweepPlan, BadStepsRegex) {
  Suite suite = Lifecycle();
  SweepPlan plan;
  SweepFlags flags{true, std::nullopt, std::string("(a"), std::nullopt, false};
  EXPECT_EQ(PlanSweep(&suite, flags, &plan).message(), "--sweep-steps: missing ): (a");
}

TEST(ParseFault, RoundTripsAndErrors) {
  for (const char* text : {"close at sent", "close at status", "reset at body", "stall 2s at status",
                           "half_close at sent", "close after 1s", "stall 500ms after 2s"}) {
    auto h = ParseFault(text);
    ASSERT_TRUE(h.ok()) << text;
    EXPECT_EQ(DescribeHangUp(h.value()), text);
  }
  for (const char* text : {"", "drop at sent", "close at headers", "close", "close after x", "stall x at sent",
                           "close at sent now"}) {
    EXPECT_FALSE(ParseFault(text).ok()) << text;
  }
}

}  // namespace
}  // namespace leakprobe
