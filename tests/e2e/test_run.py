"""`leakprobe run` end to end: the example scenarios against a real minipouchd built from
examples/, over TCP and a unix socket, with the JUnit file read back by xmllint and
junitparser."""
import json
import os
import re
import shutil
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
        props = {p.name: p.value for p in next(iter(xml)).properties()}
        self.assertEqual(props["go.version"][:6], "go1.19")  # Debian 12's, from the dump's paths
        self.assertIn("--leaky=true", props["target"])
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

    def test_jobs_give_the_same_report_as_a_serial_run(self):
        # Two suite files, run one after the other and two at once: the reports must agree
        # but for times, timestamps and the ports picked.
        shutil.copy(EXAMPLE, os.path.join(self.tmp, "a.yaml"))
        with open(EXAMPLE) as f:
            text = f.read().replace("suite: logs-follow", "suite: logs-follow-b")
        self.write("b.yaml", text)
        reports = []
        for jobs in ("1", "2"):
            junit = os.path.join(self.tmp, f"jobs{jobs}.xml")
            r = self.leakprobe("run", self.tmp, "--var", f"minipouchd={MINIPOUCHD}", "--var", "leaky=true",
                               "--jobs", jobs, "--junit", junit)
            self.assertEqual(r.returncode, 1, r.stderr)
            with open(junit) as f:
                xml = f.read()
            xml = re.sub(r'(time|timestamp)="[^"]*"', r'\1="X"', xml)
            xml = re.sub(r"127\.0\.0\.1:\d+", "127.0.0.1:PORT", xml)
            xml = re.sub(r"\[ *\d+\.\d+s\]", "[T]", xml)
            xml = re.sub(r"(ids?|target pid|in|after) [\d, ]+(\.\d+)?(ms|s)?", r"\1 N", xml)
            xml = re.sub(r"[0-9a-f]{64}", "CID", xml)
            # The step log is timed: every number in it (durations, how many dumps the settle
            # loop took, a dump's goroutine total, the bytes a timed follow got) depends on
            # how loaded the machine is. Its lines and their order must still agree.
            xml = re.sub(r"<system-out>.*?</system-out>",
                         lambda m: re.sub(r"\d+(\.\d+)?", "N", m.group(0)), xml, flags=re.S)
            reports.append(xml)
        self.assertEqual(reports[0], reports[1])

    def test_artifacts_per_scenario(self):
        art = os.path.join(self.tmp, "artifacts")
        r, _ = self.run_example("--var", "leaky=true", "--artifacts", art)
        self.assertEqual(r.returncode, 1, r.stderr)
        leak = os.path.join(art, "logs-follow", "follow_logs_of_a_silent_container_then_disconnect")
        self.assertEqual(sorted(os.listdir(leak)),
                         ["baseline-dump.txt", "final-dump.txt", "result.txt", "steps.log",
                          "target-stderr.txt", "target-stdout.txt"])
        with open(os.path.join(leak, "final-dump.txt")) as f:
            self.assertIn("main.(*Server).logsContainer(", f.read())
        with open(os.path.join(leak, "result.txt")) as f:
            self.assertTrue(f.read().startswith("GoroutineLeak: 2 leaked goroutines"))
        with open(os.path.join(leak, "target-stderr.txt")) as f:
            self.assertIn("minipouchd listening on 127.0.0.1:", f.read())

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
