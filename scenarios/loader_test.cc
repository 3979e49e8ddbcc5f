#include "scenarios/loader.h"

#include <gtest/gtest.h>

namespace leakprobe {
namespace {

// The example from product.md, byte for byte.
constexpr const char* kProductExample = R"yaml(suite: logs-follow
target:
  run: [./build/examples/minipouchd, --listen, "127.0.0.1:${port}"]   # argv, no shell
  env: { GOTRACEBACK: all }
  ready: { http: "http://127.0.0.1:${port}/_ping", timeout: 10s }
  stop: { signal: SIGTERM, grace: 5s }          # then SIGKILL to the whole process group
dump:
  url: "http://127.0.0.1:${port}/debug/pprof/goroutine?debug=2"
  # socket: /run/pouchd.sock                    # HTTP over a unix socket
vars:
  api: "http://127.0.0.1:${port}/v1.24"
ignore:                                          # added to the built-in Go runtime/stdlib list
  - top: "main.(*Monitor).loop"                  # a daemon-wide worker, not a leak
scenarios:
  - name: follow logs of a silent container, then disconnect
    steps:
      - name: create
        http: { method: POST, url: "${api}/containers/create", json: { Cmd: [silent] } }
        expect: { status: 201 }
        capture: { cid: { json: /Id } }
      - http: { method: POST, url: "${api}/containers/${cid}/start" }
        expect: { status: 204 }
      - name: follow for 3s and hang up
        http: { url: "${api}/containers/${cid}/logs?stdout=1&follow=1", disconnect_after: 3s }
    leaks:                       # checked after the steps, while the container still runs
      suspects:
        - keyword: "(*Server).logsContainer"
        - regex: "^main\\.readLogMessages$"
      settle: 5s                 # re-dump with backoff until clean or this long has passed
    teardown:                    # always runs, after the leaks check
      - http: { method: DELETE, url: "${api}/containers/${cid}?force=1" }

  - name: nothing outlives a container's whole life
    steps:
      - http: { method: POST, url: "${api}/containers/create", json: { Cmd: [silent] } }
        capture: { cid: { json: /Id } }
      - http: { method: POST, url: "${api}/containers/${cid}/start" }
      - http: { url: "${api}/containers/${cid}/logs?stdout=1&follow=1", disconnect_after: 1s }
      - http: { method: DELETE, url: "${api}/containers/${cid}?force=1" }
      - check:                   # a leaks block at this point
          max_new_goroutines: 0  # alive now, created during the scenario, not ignored
          settle: 5s
)yaml";

using Pairs = std::vector<std::pair<std::string, std::string>>;

std::string Pos(const SourcePos& p) { return p.ToString(); }

Suite MustParse(const std::string& text, const std::string& file = "ci/logs-follow.yaml") {
  // As if run with --var api=... --var token=...
  Result<Suite> suite = ParseSuite(text, file, {"api", "token"});
  EXPECT_TRUE(suite.ok()) << suite.status().message();
  return suite.ok() ? suite.value() : Suite();
}

// The whole message for `text` parsed as "t.yaml"; "" when it parsed.
std::string Errors(const std::string& text) {
  Result<Suite> suite = ParseSuite(text, "t.yaml");
  return suite.ok() ? "" : suite.status().message();
}

TEST(ParseSuite, ProductExampleTopLevel) {
  Suite s = MustParse(kProductExample);
  EXPECT_EQ(s.file, "ci/logs-follow.yaml");
  EXPECT_EQ(s.name, "logs-follow");
  EXPECT_EQ(Pos(s.pos), "ci/logs-follow.yaml:1:1");

  const TargetSpec& t = s.target;
  EXPECT_EQ(t.run, (std::vector<std::string>{"./build/examples/minipouchd", "--listen",
                                             "127.0.0.1:${port}"}));
  EXPECT_EQ(t.env, (Pairs{{"GOTRACEBACK", "all"}}));
  EXPECT_EQ(t.cwd, "");
  EXPECT_EQ(t.ready.http, "http://127.0.0.1:${port}/_ping");
  EXPECT_EQ(t.ready.timeout, Millis(10000));
  EXPECT_EQ(t.stop.signal, 15);
  EXPECT_EQ(t.stop.grace, Millis(5000));
  EXPECT_EQ(Pos(t.pos), "ci/logs-follow.yaml:2:1");

  EXPECT_EQ(s.dump.url, "http://127.0.0.1:${port}/debug/pprof/goroutine?debug=2");
  EXPECT_EQ(s.dump.socket, "");
  EXPECT_EQ(s.vars, (Pairs{{"api", "http://127.0.0.1:${port}/v1.24"}}));

  ASSERT_EQ(s.ignore.size(), 1u);
  EXPECT_EQ(s.ignore[0].where, "top");
  EXPECT_FALSE(s.ignore[0].is_regex);
  EXPECT_EQ(s.ignore[0].text, "main.(*Monitor).loop");
  EXPECT_EQ(Pos(s.ignore[0].pos), "ci/logs-follow.yaml:13:5");
  ASSERT_EQ(s.scenarios.size(), 2u);
}

TEST(ParseSuite, ProductExampleFirstScenario) {
  Suite s = MustParse(kProductExample);
  ASSERT_EQ(s.scenarios.size(), 2u);
  const Scenario& sc = s.scenarios[0];
  EXPECT_EQ(sc.name, "follow logs of a silent container, then disconnect");
  EXPECT_EQ(Pos(sc.pos), "ci/logs-follow.yaml:15:5");
  EXPECT_TRUE(sc.setup.empty());
  ASSERT_EQ(sc.steps.size(), 3u);

  const Step& create = sc.steps[0];
  EXPECT_EQ(create.kind, Step::Kind::kHttp);
  EXPECT_EQ(create.name, "create");
  EXPECT_EQ(Pos(create.pos), "ci/logs-follow.yaml:17:9");
  EXPECT_EQ(create.http.method, "POST");
  EXPECT_EQ(create.http.url, "${api}/containers/create");
  ASSERT_TRUE(create.http.json.has_value());
  EXPECT_EQ(create.http.json->dump(), R"({"Cmd":["silent"]})");
  EXPECT_FALSE(create.http.body.has_value());
  EXPECT_TRUE(create.http.headers.empty());
  EXPECT_EQ(create.http.socket, "");
  EXPECT_FALSE(create.http.disconnect_after.has_value());
  EXPECT_EQ(create.http.timeout, Millis(30000));
  EXPECT_EQ(create.expect.status, std::vector<int>{201});
  EXPECT_TRUE(create.expect.body_contains.empty());
  ASSERT_EQ(create.captures.size(), 1u);
  EXPECT_EQ(create.captures[0].name, "cid");
  EXPECT_EQ(create.captures[0].json_pointer, "/Id");
  EXPECT_EQ(Pos(create.captures[0].pos), "ci/logs-follow.yaml:20:20");

  const Step& start = sc.steps[1];
  EXPECT_EQ(start.name, "");
  EXPECT_EQ(Pos(start.pos), "ci/logs-follow.yaml:21:9");
  EXPECT_EQ(start.http.method, "POST");
  EXPECT_EQ(start.http.url, "${api}/containers/${cid}/start");
  EXPECT_FALSE(start.http.json.has_value());
  EXPECT_EQ(start.expect.status, std::vector<int>{204});
  EXPECT_TRUE(start.captures.empty());

  const Step& follow = sc.steps[2];
  EXPECT_EQ(follow.name, "follow for 3s and hang up");
  EXPECT_EQ(follow.http.method, "GET");
  EXPECT_EQ(follow.http.url, "${api}/containers/${cid}/logs?stdout=1&follow=1");
  EXPECT_EQ(follow.http.disconnect_after, Millis(3000));
  EXPECT_TRUE(follow.expect.status.empty());

  ASSERT_TRUE(sc.leaks.has_value());
  const LeaksSpec& leaks = *sc.leaks;
  EXPECT_EQ(Pos(leaks.pos), "ci/logs-follow.yaml:25:5");
  ASSERT_EQ(leaks.suspects.size(), 2u);
  EXPECT_EQ(leaks.suspects[0].where, "any");
  EXPECT_FALSE(leaks.suspects[0].is_regex);
  EXPECT_EQ(leaks.suspects[0].text, "(*Server).logsContainer");
  EXPECT_EQ(Pos(leaks.suspects[0].pos), "ci/logs-follow.yaml:27:11");
  EXPECT_EQ(leaks.suspects[1].where, "any");
  EXPECT_TRUE(leaks.suspects[1].is_regex);
  EXPECT_EQ(leaks.suspects[1].text, "^main\\.readLogMessages$");
  EXPECT_EQ(Pos(leaks.suspects[1].pos), "ci/logs-follow.yaml:28:11");
  EXPECT_TRUE(leaks.ignore.empty());
  EXPECT_FALSE(leaks.max_new_goroutines.has_value());
  EXPECT_FALSE(leaks.max_suspects.has_value());
  EXPECT_EQ(leaks.settle, Millis(5000));

  ASSERT_EQ(sc.teardown.size(), 1u);
  EXPECT_EQ(sc.teardown[0].http.method, "DELETE");
  EXPECT_EQ(sc.teardown[0].http.url, "${api}/containers/${cid}?force=1");
  EXPECT_EQ(Pos(sc.teardown[0].pos), "ci/logs-follow.yaml:31:9");
}

TEST(ParseSuite, ProductExampleSecondScenario) {
  Suite s = MustParse(kProductExample);
  ASSERT_EQ(s.scenarios.size(), 2u);
  const Scenario& sc = s.scenarios[1];
  EXPECT_EQ(sc.name, "nothing outlives a container's whole life");
  EXPECT_EQ(Pos(sc.pos), "ci/logs-follow.yaml:33:5");
  EXPECT_FALSE(sc.leaks.has_value());
  EXPECT_TRUE(sc.teardown.empty());
  ASSERT_EQ(sc.steps.size(), 5u);
  EXPECT_EQ(sc.steps[0].http.json->dump(), R"({"Cmd":["silent"]})");
  ASSERT_EQ(sc.steps[0].captures.size(), 1u);
  EXPECT_EQ(sc.steps[0].captures[0].name, "cid");
  EXPECT_TRUE(sc.steps[0].expect.status.empty());
  EXPECT_EQ(sc.steps[1].http.url, "${api}/containers/${cid}/start");
  EXPECT_EQ(sc.steps[2].http.disconnect_after, Millis(1000));
  EXPECT_EQ(sc.steps[3].http.method, "DELETE");

  const Step& check = sc.steps[4];
  EXPECT_EQ(check.kind, Step::Kind::kCheck);
  EXPECT_EQ(Pos(check.pos), "ci/logs-follow.yaml:40:9");
  EXPECT_EQ(Pos(check.check.pos), "ci/logs-follow.yaml:40:9");
  EXPECT_EQ(check.check.max_new_goroutines, 0);
  EXPECT_FALSE(check.check.max_suspects.has_value());
  EXPECT_EQ(check.check.settle, Millis(5000));
  EXPECT_TRUE(check.check.suspects.empty());
}

TEST(ParseSuite, FiveMistakesAllReported) {
  const std::string text = R"yaml(suite: five
target:
  run: [./server]
  stop: { signal: SIGTERM, grace: 5 sec }
scenarios:
  - name: one
    steps:
      - http:
          mehtod: POST
          url: "http://x/a"
          url: "http://x/b"
    leaks:
      suspects:
        - regex: "("
  - name: two
    steps: { http: { url: "http://x" } }
)yaml";
  EXPECT_EQ(Errors(text),
            "t.yaml:4:35: \"grace\": bad duration \"5 sec\" (write e.g. 250ms, 3s, 2m)\n"
            "t.yaml:9:11: unknown key \"mehtod\" (did you mean \"method\"?)\n"
            "t.yaml:11:11: duplicate key \"url\" (first at line 10)\n"
            "t.yaml:14:18: bad regex \"(\": missing ): (\n"
            "t.yaml:16:12: \"steps\" must be a list");
}

// A valid prefix for error cases that need a scenario around a step.
TEST(ParseSuite, Defaults) {
  Suite s = MustParse("scenarios:\n  - name: a\n    steps:\n      - http: {url: x}\n",
                      "dir/smoke.test.yml");
  EXPECT_EQ(s.name, "smoke.test");
  EXPECT_TRUE(s.target.run.empty());  // attach mode
  EXPECT_EQ(s.target.stop.signal, 15);
  EXPECT_EQ(s.target.stop.grace, Millis(5000));
  EXPECT_EQ(s.target.ready.timeout, Millis(10000));
  const HttpSpec& h = s.scenarios[0].steps[0].http;
  EXPECT_EQ(h.method, "GET");
  EXPECT_EQ(h.timeout, Millis(30000));
}

// The fourth step of EveryOptionalField: a check with every key set.
void ExpectEveryCheckField(const LeaksSpec& c) {
  ASSERT_EQ(c.suspects.size(), 2u);
  EXPECT_EQ(c.suspects[0].where, "state");
  EXPECT_FALSE(c.suspects[0].is_regex);
  EXPECT_EQ(c.suspects[0].text, "chan receive");
  EXPECT_EQ(c.suspects[1].where, "file");
  EXPECT_TRUE(c.suspects[1].is_regex);
  EXPECT_EQ(c.suspects[1].text, "server\\.go$");
  ASSERT_EQ(c.ignore.size(), 2u);
  EXPECT_EQ(c.ignore[0].where, "created_by");
  EXPECT_EQ(c.ignore[0].text, "main.init");
  EXPECT_EQ(c.ignore[1].where, "top");
  EXPECT_TRUE(c.ignore[1].is_regex);
  EXPECT_EQ(c.ignore[1].text, "^runtime\\.");
  EXPECT_EQ(c.max_suspects, 3);
  EXPECT_EQ(c.max_new_goroutines, 8080);  // decimal, where yaml-cpp's as<int> fails
  EXPECT_EQ(c.settle, Millis(0));
}

TEST(ParseSuite, EveryOptionalField) {
  Suite s = MustParse(R"yaml(suite: all
target:
  run: [./srv]
  env: { B: "2", A: 1 }
  cwd: /tmp
  stop: { signal: 9, grace: 1m30s }
dump: { url: "/debug/pprof/goroutine?debug=2", socket: /run/x.sock }
vars: { z: "1", a: "2", m: "3" }
scenarios:
  - name: a
    setup:
      - sleep: 250ms
    steps:
      - name: post
        http:
          method: patch
          url: "${api}/x"
          headers: { X-Token: "${token}", Accept: application/json }
          body: "{\"a\": 1}"
          socket: /run/x.sock
          timeout: 2s
        expect: { status: [200, 204], body_contains: ok }
      - http: { url: x }
        expect: { body_contains: [a, "b c"] }
      - check:
      - check:
          suspects: [{ state: "chan receive" }, { file: "regex:server\\.go$" }]
          ignore: [{ created_by: main.init }, { top: "regex:^runtime\\." }]
          max_suspects: 3
          max_new_goroutines: 08080
          settle: 0
    leaks:
    teardown: []
)yaml");
  EXPECT_EQ(s.target.env, (Pairs{{"B", "2"}, {"A", "1"}}));
  EXPECT_EQ(s.target.cwd, "/tmp");
  EXPECT_EQ(s.target.stop.signal, 9);
  EXPECT_EQ(s.target.stop.grace, Millis(90000));
  EXPECT_EQ(s.dump.socket, "/run/x.sock");
  EXPECT_EQ(s.vars, (Pairs{{"z", "1"}, {"a", "2"}, {"m", "3"}}));  // file order
  const Scenario& sc = s.scenarios[0];
  ASSERT_EQ(sc.setup.size(), 1u);
  EXPECT_EQ(sc.setup[0].kind, Step::Kind::kSleep);
  EXPECT_EQ(sc.setup[0].sleep, Millis(250));
  ASSERT_EQ(sc.steps.size(), 4u);
  const Step& post = sc.steps[0];
  EXPECT_EQ(post.http.method, "PATCH");
  EXPECT_EQ(post.http.headers, (Pairs{{"X-Token", "${token}"}, {"Accept", "application/json"}}));
  EXPECT_EQ(post.http.body, "{\"a\": 1}");
  EXPECT_EQ(post.http.socket, "/run/x.sock");
  EXPECT_EQ(post.http.timeout, Millis(2000));
  EXPECT_EQ(post.expect.status, (std::vector<int>{200, 204}));
  EXPECT_EQ(post.expect.body_contains, std::vector<std::string>{"ok"});
  EXPECT_EQ(sc.steps[1].expect.body_contains, (std::vector<std::string>{"a", "b c"}));

  const Step& empty_check = sc.steps[2];
  EXPECT_EQ(empty_check.kind, Step::Kind::kCheck);
  EXPECT_EQ(empty_check.check.settle, Millis(5000));

  ExpectEveryCheckField(sc.steps[3].check);

  ASSERT_TRUE(sc.leaks.has_value());  // "leaks:" alone: the defaults
  EXPECT_TRUE(sc.leaks->suspects.empty());
  EXPECT_TRUE(sc.teardown.empty());
}

TEST(ParseSuite, SignalSpellings) {
  const struct {
    const char* text;
    int want;
  } cases[] = {{"SIGTERM", 15}, {"TERM", 15},  {"15", 15},     {"sigint", 2},
               {"SIGKILL", 9},  {"SIGQUIT", 3}, {"SIGHUP", 1},   {"SIGUSR1", 10},
               {"SIGUSR2", 12}, {"INT", 2}};
  for (const auto& c : cases) {
    Suite s = MustParse(std::string("target: {stop: {signal: ") + c.text +
                        "}}\nscenarios:\n  - name: a\n");
    EXPECT_EQ(s.target.stop.signal, c.want) << c.text;
  }
}

TEST(ParseSuite, JsonBodyTypes) {
  Suite s = MustParse(R"yaml(scenarios:
  - name: a
    steps:
      - http:
          url: x
          json:
            s: "201"
            n: 201
            neg: -3
            f: 1.5
            e: 1e3
            t: true
            F: false
            nul: null
            tilde: ~
            empty:
            qtrue: "true"
            zip: 08080
            hex: 0x1F
            word: yes
            list: [1, "1", a]
            obj: { k: { deep: [] } }
            block: |
              line
)yaml");
  EXPECT_EQ(s.scenarios[0].steps[0].http.json->dump(),
            R"({"F":false,"block":"line\n","e":1000.0,"empty":null,"f":1.5,"hex":"0x1F",)"
            R"("list":[1,"1","a"],"n":201,"neg":-3,"nul":null,"obj":{"k":{"deep":[]}},)"
            R"("qtrue":"true","s":"201","t":true,"tilde":null,"word":"yes","zip":"08080"})");
}

}  // namespace
}  // namespace leakprobe
