// ParseSuite's error messages, each in full: the file as a whole, the target and the
// variables (Errors), then scenarios, steps, expectations, captures and leaks blocks.
#include "scenarios/loader.h"

#include <string>

#include <gtest/gtest.h>

namespace leakprobe {
namespace {

// The whole message for `text` parsed as "t.yaml"; "" when it parsed.
std::string Errors(const std::string& text) {
  Result<Suite> suite = ParseSuite(text, "t.yaml");
  return suite.ok() ? "" : suite.status().message();
}

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
       "setup, teardown, scenarios, sweep)"},
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
  };
  for (const ErrorCase& c : cases) {
    EXPECT_EQ(Errors(c.text), c.want) << c.what << "\n" << c.text;
  }
}

// Scenarios, steps and expectations.
TEST(ParseSuite, ErrorsInScenarios) {
  const ErrorCase cases[] = {
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
       "t.yaml:4:9: step needs one of http, websocket, exec, grpc, sleep, check, wait_until, repeat, parallel or snapshot"},
      {"step with two kinds", WithStep("      - sleep: 1s\n        check: {}\n"),
       "t.yaml:5:9: step has both \"sleep\" and \"check\"; write one per step"},
      {"exec takes a map", WithStep("      - exec: [ls]\n"), "t.yaml:4:15: \"exec\" must be a map"},
      {"unknown step key lists only what works", WithStep("      - htp: {url: x}\n        wait: 1s\n"),
       "t.yaml:4:9: unknown key \"htp\" (did you mean \"http\"?)\n"
       "t.yaml:4:9: step needs one of http, websocket, exec, grpc, sleep, check, wait_until, repeat, parallel or snapshot\n"
       "t.yaml:5:9: unknown key \"wait\" (expected one of: name, http, exec, grpc, sleep, check, wait_until, repeat, parallel, snapshot, websocket, expect, capture)"},
      {"a long unknown key is cut short", "scenarios:\n  - name: a\n" + std::string(100, 'k') + ": 1\n",
       "t.yaml:3:1: unknown key \"" + std::string(77, 'k') +
           "...\" (expected one of: suite, target, dump, vars, ignore, setup, teardown, scenarios, sweep)"},
      {"step not a map", WithStep("      - sleep 1s\n"),
       "t.yaml:4:9: a step must be a map like {http: {url: ...}}"},
      {"bad sleep", WithStep("      - sleep: soon\n"),
       "t.yaml:4:16: \"sleep\": bad duration \"soon\" (write e.g. 250ms, 3s, 2m)"},
      {"expect on a sleep", WithStep("      - sleep: 1s\n        expect: {status: 200}\n"),
       "t.yaml:5:9: \"expect\" goes only with an \"http\", \"websocket\", \"grpc\" or \"exec\" step"},
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
  };
  for (const ErrorCase& c : cases) {
    EXPECT_EQ(Errors(c.text), c.want) << c.what << "\n" << c.text;
  }
}

TEST(ParseSuite, ErrorsInCapturesLeaksAndPatterns) {
  const ErrorCase cases[] = {
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
       "setup, teardown, scenarios, sweep)\n"
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

}  // namespace
}  // namespace leakprobe
