"""`leakprobe run` end to end: the example scenarios against a real minipouchd built from
examples/, over TCP and a unix socket, with the JUnit file read back by xmllint and
junitparser."""
import json
import os
import unittest

from lp_e2e import (E2ETest, EXAMPLE, MINIPOUCHD, cases, result_of)


class ExampleScenarios(E2ETest):
    def run_example(self, *extra):
        junit = os.path.join(self.tmp, "report.xml")
        r = self.leakprobe("run", EXAMPLE, "--var", f"minipouchd={MINIPOUCHD}", "--junit", junit, *extra)
        return r, junit

    def test_leaky_daemon_fails_naming_logsContainer(self):
        report = os.path.join(self.tmp, "report.json")
        r, junit = self.run_example("--var", "leaky=true", "--json", report)
        with open(report) as f:
            leaks = json.load(f)["suites"][0]["cases"][0]["leaks"]
        self.assertEqual([(g["function"], g["count"], g["created_during"]) for g in leaks],
                         [("main.(*Server).logsContainer", 1, 'step 3 "follow for 3s and hang up"'),
                          ("main.readLogMessages", 1, 'step 3 "follow for 3s and hang up"')])
        self.assertEqual(r.returncode, 1, r.stdout.decode() + r.stderr.decode())
        xml = self.assert_valid_junit(junit)
        got = cases(xml)
        self.assertEqual(len(got), 2)
        suite, first = got[0]
        self.assertEqual(suite, "logs-follow")
        self.assertEqual(first.name, "follow logs of a silent container, then disconnect")
        kind, typ, message, text = result_of(first)
        self.assertEqual((kind, typ), ("Failure", "GoroutineLeak"))
        self.assertEqual(message, "2 leaked goroutines: main.(*Server).logsContainer \u00d71, "
                                  "main.readLogMessages \u00d71")
        self.assertIn("1 goroutine [chan receive], id ", text)
        self.assertIn("    main.(*Server).logsContainer(...)\n", text)
        # Where the leaked goroutines were born: the dumps after each step tell.
        self.assertEqual(text.count('    created during step 3 "follow for 3s and hang up"\n'), 2)
        # Deleting the container ends its followers, so the second scenario is clean.
        self.assertEqual(result_of(got[1][1]), "passed")
        out = r.stdout.decode()
        self.assertIn("FAIL  logs-follow / follow logs of a silent container, then disconnect", out)
        self.assertIn("1 passed, 1 failed", out)

    def test_fixed_daemon_passes(self):
        r, junit = self.run_example()
        self.assertEqual(r.returncode, 0, r.stdout.decode() + r.stderr.decode())
        xml = self.assert_valid_junit(junit)
        self.assertEqual([result_of(c) for _, c in cases(xml)], ["passed", "passed"])
        self.assertEqual((xml.tests, xml.failures, xml.errors), (2, 0, 0))

    def test_filter_runs_only_matching_scenarios(self):
        r, junit = self.run_example("--filter", "whole life")
        self.assertEqual(r.returncode, 0, r.stderr.decode())
        xml = self.assert_valid_junit(junit)
        self.assertEqual([c.name for _, c in cases(xml)], ["nothing outlives a container's whole life"])


UNIX_SUITE = """\
suite: over-a-unix-socket
vars:
  sock: "{sock}"
  bin: "{bin}"
target:
  run: ["${{bin}}", --unix, "${{sock}}", --leaky]
  ready: {{ http: "http://localhost/_ping", timeout: 20s }}
dump:
  url: "http://localhost/debug/pprof/goroutine?debug=2"
  socket: "${{sock}}"
scenarios:
  - name: followers over the socket leak
    steps:
      - http: {{ method: POST, url: "http://localhost/containers/create", socket: "${{sock}}", json: {{ Cmd: [silent] }} }}
        expect: {{ status: 201 }}
        capture: {{ cid: {{ json: /Id }} }}
      - http: {{ method: POST, url: "http://localhost/containers/${{cid}}/start", socket: "${{sock}}" }}
        expect: {{ status: 204 }}
      - http: {{ url: "/containers/${{cid}}/logs?stdout=1&follow=1", socket: "${{sock}}", disconnect_after: 500ms }}
      - http: {{ url: "/containers/${{cid}}/logs?stdout=1&follow=1", socket: "${{sock}}", disconnect_after: 500ms }}
    leaks:
      suspects: [ {{ top: "main.(*Server).logsContainer" }} ]
      settle: 1s
"""


class UnixSocketTarget(E2ETest):
    def test_everything_over_a_unix_socket(self):
        sock = os.path.join(self.tmp, "pouchd.sock")
        # The ready probe has no socket key: it uses the dump's socket.
        suite = UNIX_SUITE.format(sock=sock, bin=MINIPOUCHD).replace(
            'ready: { http: "http://localhost/_ping", timeout: 20s }', "ready: { timeout: 20s }")
        path = self.write("unix.yaml", suite)
        junit = os.path.join(self.tmp, "unix.xml")
        r = self.leakprobe("run", path, "--junit", junit)
        self.assertEqual(r.returncode, 1, r.stdout.decode() + r.stderr.decode())
        xml = self.assert_valid_junit(junit)
        (_, case), = cases(xml)
        kind, typ, message, text = result_of(case)
        self.assertEqual((kind, typ), ("Failure", "GoroutineLeak"))
        self.assertEqual(message, "2 leaked goroutines: main.(*Server).logsContainer \u00d72")
        self.assertIn("2 goroutines [chan receive], ids ", text)


if __name__ == "__main__":
    unittest.main()
