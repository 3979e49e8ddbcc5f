// The step kinds, expectations, captures, ready probes, leaks options and the
// undefined-variable check of the loader: values read, and exact error messages.
#include <gtest/gtest.h>

#include "scenarios/loader.h"

namespace leakprobe {
namespace {

Suite MustParse(const std::string& text) {
  Result<Suite> suite = ParseSuite(text, "t.yaml");
  EXPECT_TRUE(suite.ok()) << suite.status().message();
  return suite.ok() ? suite.value() : Suite();
}

std::string Errors(const std::string& text, const std::vector<std::string>& vars = {}) {
  Result<Suite> suite = ParseSuite(text, "t.yaml", vars);
  return suite.ok() ? "" : suite.status().message();
}

std::string WithStep(const std::string& step_lines) {
  return "scenarios:\n  - name: s\n    steps:\n" + step_lines;
}

TEST(Steps, EveryKind) {
  Suite s = MustParse(R"yaml(vars: { api: "http://h" }
scenarios:
  - name: all
    steps:
      - exec: { run: [pouch, run, -d, busybox], env: { A: b }, cwd: /tmp, timeout: 5s }
        expect: { exit_code: 3, body_contains: ok, body_regex: "^[0-9a-f]+$", min_lines: 1 }
        capture: { cid: { stdout: true } }
      - exec: { run: "echo hi | wc -c", shell: true }
      - snapshot: before
      - wait_until:
          interval: 100ms
          timeout: 5s
          steps:
            - http: { url: "${api}/containers/${cid}/json" }
              expect: { json: { /State/Running: true, /Name: "/${cid}" } }
      - repeat:
          times: 200
          concurrency: 50
          steps:
            - http: { url: "${api}/logs?i=${repeat.index}", disconnect_after: 300ms, max_body: 1024 }
              expect: { min_bytes: 0 }
      - parallel:
          - sleep: 1s
          - http: { method: POST, url: "${api}/x", body_file: "/tmp/body", insecure: true }
            expect: { status: [200, 204], headers: { Api-Version: "1.24" } }
            capture: { loc: { header: Location }, n: { regex: "n=(\\d+)" } }
      - check: { against: before, max_new_goroutines: 0, min_wait: 2m }
    leaks:
      suspects:
        - keyword: "(*Server).logsContainer"
        - { top: "main.x", max: 2 }
)yaml");
  ASSERT_EQ(s.scenarios.size(), 1u);
  const std::vector<Step>& steps = s.scenarios[0].steps;
  ASSERT_EQ(steps.size(), 7u);
  EXPECT_EQ(steps[0].kind, Step::Kind::kExec);
  EXPECT_EQ(steps[0].exec.run, (std::vector<std::string>{"pouch", "run", "-d", "busybox"}));
  EXPECT_EQ(steps[0].exec.cwd, "/tmp");
  EXPECT_EQ(steps[0].exec.timeout, Millis(5000));
  EXPECT_EQ(steps[0].expect.exit_code, 3);
  EXPECT_EQ(steps[0].expect.body_regex, (std::vector<std::string>{"^[0-9a-f]+$"}));
  EXPECT_EQ(steps[0].expect.min_lines, 1);
  ASSERT_EQ(steps[0].captures.size(), 1u);
  EXPECT_EQ(steps[0].captures[0].from, CaptureSpec::From::kStdout);
  EXPECT_TRUE(steps[1].exec.shell);
  EXPECT_EQ(steps[1].exec.run, (std::vector<std::string>{"echo hi | wc -c"}));
  EXPECT_EQ(steps[2].kind, Step::Kind::kSnapshot);
  EXPECT_EQ(steps[2].snapshot, "before");
  EXPECT_EQ(steps[3].kind, Step::Kind::kWaitUntil);
  EXPECT_EQ(steps[3].interval, Millis(100));
  EXPECT_EQ(steps[3].timeout, Millis(5000));
  ASSERT_EQ(steps[3].steps.size(), 1u);
  ASSERT_EQ(steps[3].steps[0].expect.json.size(), 2u);
  EXPECT_EQ(steps[3].steps[0].expect.json[0].first, "/State/Running");
  EXPECT_EQ(steps[3].steps[0].expect.json[0].second, nlohmann::json(true));
  EXPECT_EQ(steps[4].kind, Step::Kind::kRepeat);
  EXPECT_EQ(steps[4].times, 200);
  EXPECT_EQ(steps[4].concurrency, 50);
  EXPECT_EQ(steps[4].steps[0].http.max_body, 1024u);
  EXPECT_EQ(steps[5].kind, Step::Kind::kParallel);
  ASSERT_EQ(steps[5].steps.size(), 2u);
  const Step& post = steps[5].steps[1];
  EXPECT_EQ(post.http.body_file, "/tmp/body");
  EXPECT_TRUE(post.http.insecure);
  EXPECT_EQ(post.expect.status, (std::vector<int>{200, 204}));
  ASSERT_EQ(post.captures.size(), 2u);
  EXPECT_EQ(post.captures[0].from, CaptureSpec::From::kHeader);
  EXPECT_EQ(post.captures[0].header, "Location");
  EXPECT_EQ(post.captures[1].from, CaptureSpec::From::kRegex);
  EXPECT_EQ(post.captures[1].regex, "n=(\\d+)");
  EXPECT_EQ(steps[6].check.against, "before");
  EXPECT_EQ(steps[6].check.min_wait_minutes, 2);
  const LeaksSpec& leaks = *s.scenarios[0].leaks;
  ASSERT_EQ(leaks.suspects.size(), 2u);
  EXPECT_FALSE(leaks.suspects[0].max);
  EXPECT_EQ(leaks.suspects[1].max, 2);
  EXPECT_EQ(leaks.suspects[1].where, "top");
}

// `repeat: N` with `steps:` and `concurrency:` beside it is the map form's step, spelled short.
TEST(Steps, RepeatShortFormIsTheMapForm) {
  Suite short_form = MustParse(WithStep(R"yaml(      - name: hammer
        repeat: 20
        concurrency: 4
        steps:
          - http: { url: "http://h/x/${repeat.index}" }
          - sleep: 10ms
)yaml"));
  Suite map_form = MustParse(WithStep(R"yaml(      - name: hammer
        repeat:
          times: 20
          concurrency: 4
          steps:
            - http: { url: "http://h/x/${repeat.index}" }
            - sleep: 10ms
)yaml"));
  for (const Suite* s : {&short_form, &map_form}) {
    const Step& r = s->scenarios.at(0).steps.at(0);
    EXPECT_EQ(r.kind, Step::Kind::kRepeat);
    EXPECT_EQ(r.name, "hammer");
    EXPECT_EQ(r.times, 20);
    EXPECT_EQ(r.concurrency, 4);
    ASSERT_EQ(r.steps.size(), 2u);
    EXPECT_EQ(r.steps[0].http.url, "http://h/x/${repeat.index}");
    EXPECT_EQ(r.steps[1].sleep, Millis(10));
  }
  Suite plain = MustParse(WithStep("      - repeat: 3\n        steps: [{sleep: 1ms}]\n"));
  EXPECT_EQ(plain.scenarios[0].steps[0].times, 3);
  EXPECT_EQ(plain.scenarios[0].steps[0].concurrency, 1);
}

TEST(Steps, GrowthOnARepeat) {
  Suite map_form = MustParse(WithStep(R"yaml(      - repeat:
          times: 20
          steps: [ { http: { url: "http://h/stats", disconnect_after: 500ms } } ]
          growth:
            max_per_iteration: 0.25
            settle: 1s
            fds: false
)yaml"));
  const Step& r = map_form.scenarios[0].steps[0];
  ASSERT_TRUE(r.growth);
  EXPECT_DOUBLE_EQ(r.growth->max_per_iteration, 0.25);
  EXPECT_EQ(r.growth->settle, Millis(1000));
  EXPECT_FALSE(r.growth->fds);
  EXPECT_EQ(r.growth->pos.line, 7);
  // The short form, and `growth: true` (or an empty map) for the defaults.
  for (const char* growth : {"true", "{}", ""}) {
    Suite s = MustParse(WithStep(std::string("      - repeat: 10\n        concurrency: 2\n        steps: [{sleep: 1ms}]\n"
                                             "        growth: ") + growth + "\n"));
    const Step& g = s.scenarios[0].steps[0];
    ASSERT_TRUE(g.growth) << growth;
    EXPECT_DOUBLE_EQ(g.growth->max_per_iteration, 0.5);
    EXPECT_EQ(g.growth->settle, Millis(3000));
    EXPECT_TRUE(g.growth->fds);
    EXPECT_EQ(g.concurrency, 2);
  }
  Suite off = MustParse(WithStep("      - repeat: 10\n        steps: [{sleep: 1ms}]\n        growth: false\n"));
  EXPECT_FALSE(off.scenarios[0].steps[0].growth);
}

TEST(Steps, KnownLeaksCarryTheirReason) {
  Suite s = MustParse(R"yaml(ignore:
  - top: "main.(*Cache).refresh"
    reason: "https://github.com/acme/app/issues/12"
  - keyword: main.plain
scenarios:
  - name: a
    leaks:
      ignore: [ { created_by: main.startPool, reason: "pool workers live as long as the daemon" } ]
)yaml");
  ASSERT_EQ(s.ignore.size(), 2u);
  EXPECT_EQ(s.ignore[0].where, "top");
  EXPECT_EQ(s.ignore[0].reason, "https://github.com/acme/app/issues/12");
  EXPECT_EQ(s.ignore[1].reason, "");
  EXPECT_EQ(s.ignore[0].pos.ToString(), "t.yaml:2:5");
  EXPECT_EQ(s.scenarios[0].leaks->ignore.at(0).reason, "pool workers live as long as the daemon");
}

TEST(Steps, SuiteLevelAndTarget) {
  Suite s = MustParse(R"yaml(target:
  run: [./d]
  shared: true
  ready: { log: "listening on (\\S+)", capture: addr, timeout: 3s }
setup:
  - exec: { run: [mktemp] }
    capture: { dir: { stdout: true } }
teardown:
  - exec: { run: [rm, -rf, "${dir}"] }
scenarios:
  - name: a
    steps:
      - http: { url: "http://${addr}/x?d=${dir}" }
)yaml");
  EXPECT_TRUE(s.target.shared);
  EXPECT_EQ(s.target.ready.log, "listening on (\\S+)");
  EXPECT_EQ(s.target.ready.capture, "addr");
  EXPECT_EQ(s.target.ready.timeout, Millis(3000));
  EXPECT_EQ(s.setup.size(), 1u);
  EXPECT_EQ(s.teardown.size(), 1u);
}

TEST(Steps, ReadyProbes) {
  EXPECT_EQ(MustParse("target: {ready: {tcp: \"127.0.0.1:${port}\"}}\nscenarios: [{name: a}]\n")
                .target.ready.tcp,
            "127.0.0.1:${port}");
  EXPECT_EQ(MustParse("target: {ready: {unix: /run/d.sock}}\nscenarios: [{name: a}]\n")
                .target.ready.unix_socket,
            "/run/d.sock");
}

struct ErrorCase {
  const char* what;
  std::string text;
  std::string want;
};

TEST(Steps, Errors) {
  const ErrorCase cases[] = {
      {"two probes", "target: {ready: {http: x, tcp: \"h:1\"}}\nscenarios: [{name: a}]\n",
       "t.yaml:1:27: ready has both \"http\" and \"tcp\": write one probe"},
      {"tcp without port", "target: {ready: {tcp: localhost}}\nscenarios: [{name: a}]\n",
       "t.yaml:1:23: \"tcp\" must be host:port, e.g. \"127.0.0.1:${port}\" (got \"localhost\")"},
      {"bad log regex", "target: {ready: {log: \"(\"}}\nscenarios: [{name: a}]\n",
       "t.yaml:1:23: bad regex \"(\": missing ): ("},
      {"capture without log", "target: {ready: {http: x, capture: a}}\nscenarios: [{name: a}]\n",
       "t.yaml:1:27: \"capture\" goes only with a \"log\" probe"},
      {"capture without group", "target: {ready: {log: up, capture: a}}\nscenarios: [{name: a}]\n",
       "t.yaml:1:36: regex \"up\" has no (group) to capture"},
      {"min_wait not whole minutes", WithStep("      - check: {min_wait: 90s}\n"),
       "t.yaml:4:27: \"min_wait\" must be whole minutes (a dump counts waits in minutes): write e.g. 5m"},
      {"max on an ignore pattern", "ignore: [{keyword: a, max: 1}]\nscenarios: [{name: a}]\n",
       "t.yaml:1:23: unknown key \"max\" (expected one of: keyword, regex, top, created_by, state, file, label, reason)"},
      {"negative max", "scenarios:\n  - name: a\n    leaks: {suspects: [{keyword: a, max: -1}]}\n",
       "t.yaml:3:42: \"max\" must be an integer >= 0 (got \"-1\")"},
      {"max alone", "scenarios:\n  - name: a\n    leaks: {suspects: [{max: 1}]}\n",
       "t.yaml:3:24: a pattern has exactly one of keyword, regex, top, created_by, state, file or label "
       "(plus an optional max)"},
      {"exec run as a string", WithStep("      - exec: {run: \"ls -l\"}\n"),
       "t.yaml:4:21: run takes a list (argv), not a string: write run: [cmd, arg] or add shell: true"},
      {"exec without run", WithStep("      - exec: {cwd: /}\n"), "t.yaml:4:15: missing key \"run\""},
      {"status on exec", WithStep("      - exec: {run: [ls]}\n        expect: {status: 200}\n"),
       "t.yaml:5:18: \"status\" goes only with an \"http\" or \"websocket\" step"},
      {"exit_code on http", WithStep("      - http: {url: x}\n        expect: {exit_code: 0}\n"),
       "t.yaml:5:18: \"exit_code\" goes only with an \"exec\" step"},
      {"stdout capture on http", WithStep("      - http: {url: x}\n        capture: {a: {stdout: true}}\n"),
       "t.yaml:5:23: \"stdout\" captures go only with an \"exec\" step"},
      {"regex capture without group", WithStep("      - http: {url: x}\n        capture: {a: {regex: \"n=\\\\d+\"}}\n"),
       "t.yaml:5:30: regex \"n=\\d+\" has no (group) to capture"},
      {"bad body_regex", WithStep("      - http: {url: x}\n        expect: {body_regex: \"a(\"}\n"),
       "t.yaml:5:30: bad regex \"a(\": missing ): a("},
      {"bad json pointer in expect", WithStep("      - http: {url: x}\n        expect: {json: {Id: 1}}\n"),
       "t.yaml:5:25: bad JSON pointer \"Id\": it must be empty or start with \"/\""},
      {"repeat without times", WithStep("      - repeat: {steps: [{sleep: 1s}]}\n"),
       "t.yaml:4:17: missing key \"times\""},
      {"repeat zero times", WithStep("      - repeat: {times: 0, steps: [{sleep: 1s}]}\n"),
       "t.yaml:4:25: \"times\" must be an integer from 1 to 1000000 (got \"0\")"},
      {"short repeat without steps", WithStep("      - repeat: 20\n"), "t.yaml:4:9: missing key \"steps\""},
      {"short repeat count", WithStep("      - repeat: twenty\n        steps: [{sleep: 1s}]\n"),
       "t.yaml:4:17: \"repeat\" must be an integer from 1 to 1000000 (got \"twenty\")"},
      {"short repeat concurrency", WithStep("      - repeat: 2\n        concurrency: 0\n        steps: [{sleep: 1s}]\n"),
       "t.yaml:5:22: \"concurrency\" must be an integer from 1 to 1000 (got \"0\")"},
  };
  for (const ErrorCase& c : cases) {
    EXPECT_EQ(Errors(c.text), c.want) << c.what << "\n" << c.text;
  }
}

TEST(Steps, ErrorsOfRepeatAndWhatFollows) {
  const ErrorCase cases[] = {
      {"steps beside a map repeat",
       WithStep("      - repeat: {times: 2, steps: [{sleep: 1s}]}\n        steps: [{sleep: 1s}]\n"),
       "t.yaml:5:9: \"steps\" goes inside \"repeat\" when it is a map (or write the short form: repeat: "
       "N, with steps: beside it)"},
      {"steps beside http", WithStep("      - http: {url: x}\n        steps: [{sleep: 1s}]\n"),
       "t.yaml:5:9: \"steps\" goes only with \"repeat: N\" (the short form of repeat)"},
      {"concurrency beside a wait_until",
       WithStep("      - wait_until: {steps: [{sleep: 1s}]}\n        concurrency: 2\n"),
       "t.yaml:5:9: \"concurrency\" goes only with \"repeat: N\" (the short form of repeat)"},
      {"growth with too few iterations", WithStep("      - repeat: {times: 2, steps: [{sleep: 1s}], growth: {}}\n"),
       "t.yaml:4:50: growth needs at least 3 points to fit a slope, one after each iteration (or each round of "
       "concurrency): times is 2"},
      {"growth with too few rounds",
       WithStep("      - repeat: 8\n        concurrency: 4\n        steps: [{sleep: 1s}]\n        growth: true\n"),
       "t.yaml:7:9: growth needs at least 3 points to fit a slope, one after each iteration (or each round of "
       "concurrency): 8 iterations at concurrency 4 are 2 rounds"},
      {"growth rate", WithStep("      - repeat: 5\n        steps: [{sleep: 1s}]\n        growth: {max_per_iteration: -1}\n"),
       "t.yaml:6:37: \"max_per_iteration\" must be a number >= 0, e.g. 0.5 (got \"-1\")"},
      {"growth key", WithStep("      - repeat: 5\n        steps: [{sleep: 1s}]\n        growth: {setle: 1s}\n"),
       "t.yaml:6:18: unknown key \"setle\" (did you mean \"settle\"?)"},
      {"growth beside http", WithStep("      - http: {url: x}\n        growth: true\n"),
       "t.yaml:5:9: \"growth\" goes only with \"repeat: N\" (the short form of repeat)"},
      {"reason on a suspect", WithStep("      - sleep: 1s\n") + "    leaks: {suspects: [{keyword: a, reason: x}]}\n",
       "t.yaml:5:37: unknown key \"reason\" (expected one of: keyword, regex, top, created_by, state, file, label, max)"},
      {"reason alone", "ignore: [{reason: \"#12\"}]\nscenarios: [{name: a}]\n",
       "t.yaml:1:10: a pattern has exactly one of keyword, regex, top, created_by, state, file or label (plus an "
       "optional reason)"},
      {"pid with run", "target: {run: [./d], pid: \"1\"}\nscenarios: [{name: a}]\n",
       "t.yaml:1:22: \"pid\" is for attach mode: with \"run\" leakprobe knows the pid"},
      {"pid and pid_file", "target: {pid: \"1\", pid_file: /run/d.pid}\nscenarios: [{name: a}]\n",
       "t.yaml:1:20: \"pid\" and \"pid_file\" cannot both be set"},
      {"wait_until without steps", WithStep("      - wait_until: {timeout: 1s}\n"),
       "t.yaml:4:21: missing key \"steps\""},
      {"empty parallel", WithStep("      - parallel: []\n"),
       "t.yaml:4:19: \"parallel\" is empty: list the steps to run at once"},
      {"nested step error", WithStep("      - repeat: {times: 2, steps: [{htp: {url: x}}]}\n"),
       "t.yaml:4:36: step needs one of http, websocket, exec, grpc, sleep, check, wait_until, repeat, parallel or "
       "snapshot\n"
       "t.yaml:4:37: unknown key \"htp\" (did you mean \"http\"?)"},
      {"undefined variable", WithStep("      - http: {url: \"http://h/${cid}\"}\n"),
       "t.yaml:4:21: undefined variable \"${cid}\": not a var, a --var, a built-in, or a capture "
       "of an earlier step"},
      {"captured only later",
       WithStep("      - http: {url: \"http://h/${cid}\"}\n      - http: {url: x}\n        capture: {cid: {json: /Id}}\n"),
       "t.yaml:4:21: undefined variable \"${cid}\": not a var, a --var, a built-in, or a capture "
       "of an earlier step"},
      {"typo in a variable", "vars: {api: x}\n" + WithStep("      - http: {url: \"${api}/${ap}\"}\n"),
       "t.yaml:5:21: undefined variable \"${ap}\" (did you mean \"${api}\"?)"},
      {"captured by another scenario",
       "scenarios:\n  - name: a\n    steps:\n      - http: {url: x}\n        capture: {cid: {json: /Id}}\n"
       "  - name: b\n    steps:\n      - http: {url: \"${cid}\"}\n",
       "t.yaml:8:21: undefined variable \"${cid}\": not a var, a --var, a built-in, or a capture "
       "of an earlier step"},
      {"repeat.index outside a repeat", WithStep("      - http: {url: \"/x/${repeat.index}\"}\n"),
       "t.yaml:4:21: undefined variable \"${repeat.index}\": not a var, a --var, a built-in, or a "
       "capture of an earlier step"},
      {"snapshot not taken", WithStep("      - check: {against: before}\n"),
       "t.yaml:4:26: no snapshot \"before\" is taken by an earlier step"},
      {"defined: builtins, captures, setup, json leaves",
       "scenarios:\n  - name: a\n    setup:\n      - exec: {run: [id]}\n        capture: {u: {stdout: true}}\n"
       "    steps:\n      - http: {url: \"http://${env.HOME}:${port}/${port.admin}/${u}\", json: {a: \"${u}\"}}\n"
       "        capture: {cid: {json: /Id}}\n      - snapshot: s1\n"
       "      - repeat: {times: 2, steps: [{http: {url: \"${cid}/${repeat.index}\"}}]}\n"
       "      - check: {against: s1}\n    teardown:\n      - http: {url: \"${cid}\"}\n",
       ""},
  };
  for (const ErrorCase& c : cases) {
    EXPECT_EQ(Errors(c.text), c.want) << c.what << "\n" << c.text;
  }
}

TEST(Steps, VarFromCommandLineIsDefined) {
  std::string text = WithStep("      - http: {url: \"${host}/x\"}\n");
  EXPECT_NE(Errors(text), "");
  EXPECT_EQ(Errors(text, {"host"}), "");
}

// The issue's acceptance case: five different mistakes, all reported, each where it is.
TEST(Steps, FiveDifferentMistakes) {
  const std::string text = R"yaml(suite: five
vars: { api: "http://127.0.0.1:${port}" }
scenarios:
  - name: one
    steps:
      - http: { mehtod: POST, url: "${api}/containers/create" }
        capture: { cid: { json: /Id } }
      - http: { url: "${api}/containers/${cdi}/start", timeout: 3 sec }
      - sleep: 1s
        sleep: 2s
    leaks:
      suspects:
        - regex: "(*Server"
)yaml";
  EXPECT_EQ(Errors(text),
            "t.yaml:6:17: unknown key \"mehtod\" (did you mean \"method\"?)\n"
            "t.yaml:8:22: undefined variable \"${cdi}\" (did you mean \"${cid}\"?)\n"
            "t.yaml:8:65: \"timeout\": bad duration \"3 sec\" (write e.g. 250ms, 3s, 2m)\n"
            "t.yaml:10:9: duplicate key \"sleep\" (first at line 9)\n"
            "t.yaml:13:18: bad regex \"(*Server\": no argument for repetition operator: *");
}

}  // namespace
}  // namespace leakprobe
