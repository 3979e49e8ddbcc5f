#include "scenarios/loader.h"

#include <unistd.h>

#include <cstdio>
#include <fstream>

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
std::string WithStep(const std::string& step_lines) {
  return "scenarios:\n  - name: s\n    steps:\n" + step_lines;
}

struct ErrorCase {
  const char* what;
  std::string text;
  std::string want;  // the whole message
};

TEST(ParseSuite, Errors) {
  const ErrorCase cases[] = {
      {"empty file", "", "t.yaml:1:1: empty file: expected a map with a \"scenarios\" list"},
      {"only a comment", "# nothing\n",
       "t.yaml:1:1: empty file: expected a map with a \"scenarios\" list"},
      {"invalid YAML", "scenarios: [a, b\n",
       "t.yaml:2:1: invalid YAML: end of sequence flow not found"},
      {"invalid YAML, bad indent", "suite: a\n  b: c\n",
       "t.yaml:2:4: invalid YAML: illegal map value"},
      {"a stray comma (LoadAll would loop forever)", "# c\n ,\n",
       "t.yaml:2:2: invalid YAML: unexpected \",\""},
      {"a stray comma in a second document", "scenarios:\n  - name: a\n---\n,\n",
       "t.yaml:3:1: a scenario file holds one YAML document; this is a second one"},
      {"only document markers", "---\n...\n", "t.yaml:1:1: empty file: expected a map with a \"scenarios\" list"},
      {"a null document", "~\n", "t.yaml:1:1: a scenario file must be a map with a \"scenarios\" list"},
      {"a list at the top", "- a\n",
       "t.yaml:1:1: a scenario file must be a map with a \"scenarios\" list"},
      {"no scenarios", "suite: x\n", "t.yaml:1:1: missing key \"scenarios\""},
      {"empty scenarios", "scenarios: []\n",
       "t.yaml:1:12: \"scenarios\" is empty: a suite needs at least one scenario"},
      {"scenarios not a list", "scenarios: {name: x}\n", "t.yaml:1:12: \"scenarios\" must be a list"},
      {"scenario without name", "scenarios:\n  - steps: []\n", "t.yaml:2:5: missing key \"name\""},
      {"scenario not a map", "scenarios:\n  - just text\n",
       "t.yaml:2:5: a scenario must be a map like {name: ..., steps: [...]}"},
      {"duplicate scenario names", "scenarios:\n  - name: a\n  - name: b\n  - name: a\n",
       "t.yaml:4:5: duplicate scenario name \"a\" (first at line 2)"},
      {"unknown top-level key, no suggestion", "scenarios:\n  - name: a\nfoo: 1\n",
       "t.yaml:3:1: unknown key \"foo\" (expected one of: suite, target, dump, vars, ignore, "
       "setup, teardown, scenarios)"},
      {"typo in scenario key", "scenarios:\n  - name: a\n    step: []\n",
       "t.yaml:3:5: unknown key \"step\" (did you mean \"steps\"?)"},
      {"second document", "scenarios:\n  - name: a\n---\nscenarios: []\n",
       "t.yaml:3:1: a scenario file holds one YAML document; this is a second one"},
      {"run as a string", "target:\n  run: ./server --listen :8080\nscenarios:\n  - name: a\n",
       "t.yaml:2:8: run takes a list (argv), not a string: write run: [./server, --flag]"},
      {"run with a map item", "target:\n  run: [./server, {a: b}]\nscenarios:\n  - name: a\n",
       "t.yaml:2:19: \"run\" items must be strings"},
      {"bad signal", "target:\n  stop: {signal: SIGFOO}\nscenarios:\n  - name: a\n",
       "t.yaml:2:18: bad signal \"SIGFOO\" (write SIGTERM, SIGINT, SIGKILL, SIGQUIT, SIGHUP, "
       "SIGUSR1, SIGUSR2 or a number)"},
      {"zero ready timeout", "target:\n  ready: {http: x, timeout: 0}\nscenarios:\n  - name: a\n",
       "t.yaml:2:29: \"timeout\" must be more than 0"},
      {"env not a map", "target:\n  env: [A=1]\nscenarios:\n  - name: a\n",
       "t.yaml:2:8: \"env\" must be a map"},
      {"empty env value", "target:\n  env: {A: }\nscenarios:\n  - name: a\n",
       "t.yaml:2:9: \"A\" is empty (write \"\" for an empty string)"},
      {"bad variable name", "vars:\n  my var: x\nscenarios:\n  - name: a\n",
       "t.yaml:2:3: variable name \"my var\" must be letters, digits, \"_\" and \"-\""},
      {"unterminated template in a var", "vars:\n  api: \"${host/v1\"\nscenarios:\n  - name: a\n",
       "t.yaml:2:8: unterminated \"${\" in \"${host/v1\""},
      {"http without url", WithStep("      - http: {method: GET}\n"),
       "t.yaml:4:15: missing key \"url\""},
      {"http not a map", WithStep("      - http: http://x\n"), "t.yaml:4:15: \"http\" must be a map"},
      {"bad method", WithStep("      - http: {method: \"GE T\", url: x}\n"),
       "t.yaml:4:24: bad method \"GE T\""},
      {"body and json", WithStep("      - http: {url: x, body: a, json: {}}\n"),
       "t.yaml:4:33: \"body\" and \"json\" cannot both be set"},
      {"bad duration names its key", WithStep("      - http: {url: x, timeout: 3 sec}\n"),
       "t.yaml:4:33: \"timeout\": bad duration \"3 sec\" (write e.g. 250ms, 3s, 2m)"},
      {"step without a kind", WithStep("      - name: nothing\n"),
       "t.yaml:4:9: step needs one of http, exec, grpc, sleep, check, wait_until, repeat, parallel or snapshot"},
      {"step with two kinds", WithStep("      - sleep: 1s\n        check: {}\n"),
       "t.yaml:5:9: step has both \"sleep\" and \"check\"; write one per step"},
      {"exec takes a map", WithStep("      - exec: [ls]\n"), "t.yaml:4:15: \"exec\" must be a map"},
      {"unknown step key lists only what works", WithStep("      - htp: {url: x}\n        wait: 1s\n"),
       "t.yaml:4:9: unknown key \"htp\" (did you mean \"http\"?)\n"
       "t.yaml:4:9: step needs one of http, exec, grpc, sleep, check, wait_until, repeat, parallel or snapshot\n"
       "t.yaml:5:9: unknown key \"wait\" (expected one of: name, http, exec, grpc, sleep, check, wait_until, repeat, parallel, snapshot, expect, capture)"},
      {"a long unknown key is cut short", "scenarios:\n  - name: a\n" + std::string(100, 'k') + ": 1\n",
       "t.yaml:3:1: unknown key \"" + std::string(77, 'k') +
           "...\" (expected one of: suite, target, dump, vars, ignore, setup, teardown, scenarios)"},
      {"step not a map", WithStep("      - sleep 1s\n"),
       "t.yaml:4:9: a step must be a map like {http: {url: ...}}"},
      {"bad sleep", WithStep("      - sleep: soon\n"),
       "t.yaml:4:16: \"sleep\": bad duration \"soon\" (write e.g. 250ms, 3s, 2m)"},
      {"expect on a sleep", WithStep("      - sleep: 1s\n        expect: {status: 200}\n"),
       "t.yaml:5:9: \"expect\" goes only with an \"http\", \"grpc\" or \"exec\" step"},
      {"status out of range", WithStep("      - http: {url: x}\n        expect: {status: 600}\n"),
       "t.yaml:5:26: \"status\" must be an integer from 100 to 599 (got \"600\")"},
      {"status list with a bad item",
       WithStep("      - http: {url: x}\n        expect: {status: [200, 2O4]}\n"),
       "t.yaml:5:32: \"status\" must be an integer from 100 to 599 (got \"2O4\")"},
      {"status not an int", WithStep("      - http: {url: x}\n        expect: {status: 2.0e2}\n"),
       "t.yaml:5:26: \"status\" must be an integer from 100 to 599 (got \"2.0e2\")"},
      {"body_contains map", WithStep("      - http: {url: x}\n        expect: {body_contains: {a: b}}\n"),
       "t.yaml:5:33: \"body_contains\" must be a string or a list of strings"},
      {"capture pointer without slash",
       WithStep("      - http: {url: x}\n        capture: {cid: {json: Id}}\n"),
       "t.yaml:5:31: bad JSON pointer \"Id\": it must be empty or start with \"/\""},
      {"capture pointer bad escape",
       WithStep("      - http: {url: x}\n        capture: {cid: {json: /a~2}}\n"),
       "t.yaml:5:31: bad JSON pointer \"/a~2\": \"~\" must be written \"~0\" (and \"/\" as \"~1\")"},
      {"capture shorthand", WithStep("      - http: {url: x}\n        capture: {cid: /Id}\n"),
       "t.yaml:5:24: capture \"cid\" must be a map like {json: /Id}"},
      {"capture without json", WithStep("      - http: {url: x}\n        capture: {cid: {jsn: /Id}}\n"),
       "t.yaml:5:25: unknown key \"jsn\" (did you mean \"json\"?)"},
      {"bad capture name", WithStep("      - http: {url: x}\n        capture: {c.id: {json: /Id}}\n"),
       "t.yaml:5:19: capture name \"c.id\" must be letters, digits, \"_\" and \"-\""},
      {"template error in a json leaf",
       WithStep("      - http: {url: x, json: {a: [\"${b\"]}}\n"),
       "t.yaml:4:35: unterminated \"${\" in \"${b\""},
      {"negative max_new_goroutines",
       WithStep("      - check: {max_new_goroutines: -1}\n"),
       "t.yaml:4:37: \"max_new_goroutines\" must be an integer >= 0 (got \"-1\")"},
      {"hex max_suspects", WithStep("      - check: {max_suspects: 0x10}\n"),
       "t.yaml:4:31: \"max_suspects\" must be an integer >= 0 (got \"0x10\")"},
      {"typo in leaks", "scenarios:\n  - name: a\n    leaks: {supects: []}\n",
       "t.yaml:3:13: unknown key \"supects\" (did you mean \"suspects\"?)"},
      {"pattern as a string", "scenarios:\n  - name: a\n    leaks: {suspects: [logsContainer]}\n",
       "t.yaml:3:24: a pattern must be a map like {keyword: \"(*Server).logsContainer\"}"},
      {"pattern with two keys",
       "scenarios:\n  - name: a\n    leaks: {suspects: [{keyword: a, top: b}]}\n",
       "t.yaml:3:24: a pattern has exactly one of keyword, regex, top, created_by, state, "
       "file or label (plus an optional max)"},
      {"empty pattern", "scenarios:\n  - name: a\n    leaks: {ignore: [{keyword: \"\"}]}\n",
       "t.yaml:3:32: pattern \"keyword\" is empty"},
      {"bad regex after regex: prefix",
       "scenarios:\n  - name: a\n    leaks: {ignore: [{created_by: \"regex:a**\"}]}\n",
       "t.yaml:3:35: bad regex \"a**\": bad repetition operator: **"},
      {"typo in pattern kind", "ignore:\n  - keywrd: x\nscenarios:\n  - name: a\n",
       "t.yaml:2:5: unknown key \"keywrd\" (did you mean \"keyword\"?)"},
      {"unterminated quote to the end",
       "scenarios:\n  - name: a\n    steps:\n      - http: {url: x}\n        expect: {body_contains: \"ok}\n",
       "t.yaml:5:33: this \" is not closed on its line: an unterminated string?\n"
       "t.yaml:6:1: invalid YAML: end of map flow not found"},
      {"unterminated quote in a flow map",
       WithStep("      - http: { url: \"${api}/x, method: POST }\n        expect: { status: 201 }\n"),
       "t.yaml:4:22: this \" is not closed on its line: an unterminated string?\n"
       "t.yaml:6:1: invalid YAML: end of map flow not found"},
      {"no quote hint for apostrophes and comments",
       "scenarios:\n  - name: it's # don't\n    steps: [\n",
       "t.yaml:4:1: invalid YAML: end of sequence flow not found"},
      {"unterminated quote, block style", "suite: \"logs\nscenarios:\n  - name: a\n",
       "t.yaml:1:1: missing key \"scenarios\"\n"
       "t.yaml:1:8: unterminated string: this \" is never closed and swallows the rest of the file"},
      {"unterminated quote closed by a later one",
       "scenarios:\n  - name: \"a\n    steps: []\n  - name: b\"\n",
       "t.yaml:2:11: unterminated string? this \" runs on to line 4, swallowing \"steps: []\""},
      {"single quote never closed", "suite: 'logs\nscenarios: []\n",
       "t.yaml:1:1: missing key \"scenarios\"\n"
       "t.yaml:1:8: unterminated string: this ' is never closed and swallows the rest of the file"},
      {"duplicate key in a free-form map",
       "target:\n  env: {A: 1, B: 2, A: 3}\nscenarios:\n  - name: a\n",
       "t.yaml:2:21: duplicate key \"A\" (first at line 2)"},
      {"duplicate top-level key", "scenarios:\n  - name: a\nscenarios:\n  - name: b\n",
       "t.yaml:3:1: duplicate key \"scenarios\" (first at line 1)"},
      {"merge key", "defaults: &d {url: x}\nscenarios:\n  - name: a\n    steps:\n      - http: {<<: *d}\n",
       "t.yaml:1:1: unknown key \"defaults\" (expected one of: suite, target, dump, vars, ignore, "
       "setup, teardown, scenarios)\n"
       "t.yaml:5:15: missing key \"url\"\n"
       "t.yaml:5:16: merge keys (\"<<\") are not supported: write the keys out"},
      {"aliases are read like copies",
       "vars:\n  a: &v x\n  b: *v\nscenarios:\n  - name: a\n    steps:\n      - http: {url: *v}\n", ""},
      {"recursive alias", "x: &a [*a]\nscenarios:\n  - name: a\n",
       "t.yaml:1:4: nested deeper than 100 levels (a recursive alias?)"},
  };
  for (const ErrorCase& c : cases) {
    EXPECT_EQ(Errors(c.text), c.want) << c.what << "\n" << c.text;
  }
}

TEST(ParseSuite, ErrorsAreSortedByPosition) {
  // Found in a different order (scenarios are read after the top-level checks).
  std::string text = "scenarios:\n  - name: a\n    stepz: []\nsuitee: x\n";
  EXPECT_EQ(Errors(text),
            "t.yaml:3:5: unknown key \"stepz\" (did you mean \"steps\"?)\n"
            "t.yaml:4:1: unknown key \"suitee\" (did you mean \"suite\"?)");
}

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

  const LeaksSpec& c = sc.steps[3].check;
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

class LoadSuiteFileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/scenarios_test.XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
  }
  void TearDown() override { std::system(("rm -rf '" + dir_ + "'").c_str()); }
  std::string Write(const std::string& name, const std::string& text) {
    std::string path = dir_ + "/" + name;
    std::ofstream(path, std::ios::binary) << text;
    return path;
  }
  std::string dir_;
};

TEST_F(LoadSuiteFileTest, ReadsAFile) {
  std::string path = Write("logs-follow.yaml", kProductExample);
  Result<Suite> s = LoadSuiteFile(path);
  ASSERT_TRUE(s.ok()) << s.status().message();
  EXPECT_EQ(s->file, path);
  EXPECT_EQ(s->scenarios.size(), 2u);
}

TEST_F(LoadSuiteFileTest, ErrorsNameThePath) {
  std::string path = Write("bad.yaml", "scenarios:\n  - nam: a\n");
  Result<Suite> s = LoadSuiteFile(path);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.status().message(), path + ":2:5: unknown key \"nam\" (did you mean \"name\"?)\n" +
                                      path + ":2:5: missing key \"name\"");
}

TEST_F(LoadSuiteFileTest, MissingFile) {
  Result<Suite> s = LoadSuiteFile(dir_ + "/nope.yaml");
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.status().message(), dir_ + "/nope.yaml: cannot read: No such file or directory");
}

TEST_F(LoadSuiteFileTest, Directory) {
  Result<Suite> s = LoadSuiteFile(dir_);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.status().message(), dir_ + ": cannot read: Is a directory");
}

TEST_F(LoadSuiteFileTest, TooBig) {
  std::string path = Write("big.yaml", "# " + std::string(kMaxSuiteFileBytes, 'x') + "\n");
  Result<Suite> s = LoadSuiteFile(path);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.status().message(),
            path + ": too big: 4194307 bytes (scenario files are limited to 4 MiB)");
}

TEST_F(LoadSuiteFileTest, ExactlyAtTheLimitIsRead) {
  std::string head = "scenarios:\n  - name: a\n";
  std::string text = head + "#" + std::string(kMaxSuiteFileBytes - head.size() - 2, 'x') + "\n";
  ASSERT_EQ(text.size(), kMaxSuiteFileBytes);
  Result<Suite> s = LoadSuiteFile(Write("edge.yaml", text));
  EXPECT_TRUE(s.ok()) << s.status().message().substr(0, 200);
}

}  // namespace
}  // namespace leakprobe
