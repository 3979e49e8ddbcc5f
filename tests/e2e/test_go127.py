"""Go 1.27's own proof of a leak, end to end: minipouchd built with Go 1.27 serves the
goroutineleak profile, and its exec handler's abandoned helper is proven leaked. The scenario
names no suspect and settles for 12 s, yet fails in well under that, saying the runtime proved
it; the fixed daemon passes; the logs-follow leak (reachable, so not provable) is still found
by its keyword and not called proven. Against the Go 1.19 build the same files behave as they
always did: the profile is absent, noted once. Also `scan` of the live profile."""
import json
import os
import re
import unittest
import urllib.request

from lp_e2e import (E2ETest, MINIPOUCHD, MINIPOUCHD_GO127, SOURCE_DIR, Minipouchd, cases, result_of)

PROVEN = os.path.join(SOURCE_DIR, "examples", "scenarios", "proven-leak.yaml")
LOGS = os.path.join(SOURCE_DIR, "examples", "scenarios", "logs-follow.yaml")
PROVEN_MESSAGE = ("1 proven leak (Go runtime leak detector): main.(*Server).execContainer.func1 \u00d71 "
                  "[chan send]")


class Go127(E2ETest):
    def setUp(self):
        super().setUp()
        if not MINIPOUCHD_GO127:
            self.skipTest("no minipouchd built with Go 1.27: scripts/setup fetches golang-1.27-go into "
                          "build/toolchains/, and could not on this machine")

    def run_files(self, binary, leaky, *files):
        junit = os.path.join(self.tmp, "r.xml")
        report = os.path.join(self.tmp, "r.json")
        r = self.leakprobe("run", *files, "--var", f"minipouchd={binary}", "--var", f"leaky={leaky}",
                           "--junit", junit, "--json", report)
        xml = self.assert_valid_junit(junit)
        with open(report) as f:
            return r, xml, json.load(f)

    def test_the_runtime_proves_the_exec_leak_with_no_suspect_and_no_settle(self):
        r, xml, report = self.run_files(MINIPOUCHD_GO127, "true", PROVEN, LOGS)
        self.assertEqual(r.returncode, 1, r.stderr)
        by_name = {case.name: case for _, case in cases(xml)}
        exec_case = by_name["exec, and hang up before it is done"]
        kind, typ, message, body = result_of(exec_case)
        self.assertEqual((kind, typ, message), ("Failure", "GoroutineLeak", PROVEN_MESSAGE))
        self.assertIn("Proven leaks: the Go runtime's leak detector found nothing that can ever wake them.", body)
        self.assertIn("1 goroutine [chan send (leaked)]", body)
        # settle is 12 s: a proven leak does not wait for it.
        print(f"\nproven leak found in {exec_case.time:.2f}s (settle 12s)")
        self.assertLess(exec_case.time, 5.0)
        suites = {s["name"]: s for s in report["suites"]}
        leaks = suites["proven-leak"]["cases"][0]["leaks"]
        self.assertEqual([(g["function"], g["proven"], g["state"]) for g in leaks],
                         [("main.(*Server).execContainer.func1", True, "chan send")])
        # The logs-follow leak: its channel is reachable, so only its keyword finds it.
        kind, typ, message, body = result_of(by_name["follow logs of a silent container, then disconnect"])
        self.assertEqual(message, "2 leaked goroutines: main.(*Server).logsContainer \u00d71, main.readLogMessages \u00d71")
        self.assertNotIn("proven", message)
        follow = suites["logs-follow"]["cases"][0]["leaks"]
        self.assertEqual([g["proven"] for g in follow], [False, False])
        props = {s.name: {p.name: p.value for p in s.properties()} for s in xml}
        self.assertEqual(props["proven-leak"]["go.leak_profile"], "served")
        self.assertEqual(props["proven-leak"]["go.version"], "go1.27")

    def test_the_fixed_daemon_passes(self):
        r, xml, report = self.run_files(MINIPOUCHD_GO127, "false", PROVEN, LOGS)
        self.assertEqual(r.returncode, 0, r.stdout.decode() + r.stderr.decode())
        for _, case in cases(xml):
            self.assertEqual(result_of(case), "passed", case.name)
            self.assertIn("none proven leaked", case.system_out, case.name)
            # Each ask is a GC in the target: a clean count check asks when the counts first
            # keep the rules, and again a moment later only while goroutines above the
            # baseline remain; so one poll back at the baseline asks once, never at each poll.
            checks = re.findall(r"clean after (\d+) count poll\(s\): \d+ goroutines, (\d+) above the "
                                r"baseline .*none proven leaked \((\d+) leak profile\(s\)\)", case.system_out)
            self.assertTrue(checks, case.system_out)
            for polls, above, asks in checks:
                self.assertLessEqual(int(asks), 2, (case.name, polls, above, asks))
                if polls == "1":  # clean at once, so nothing above the baseline: one ask
                    self.assertEqual(int(asks), 1, (case.name, polls, above, asks))

    def test_go119_behaves_as_before_and_notes_the_missing_profile_once(self):
        r, xml, report = self.run_files(MINIPOUCHD, "true", PROVEN, LOGS)
        self.assertEqual(r.returncode, 1, r.stderr)
        by_name = {case.name: case for _, case in cases(xml)}
        # No suspects and no proof: the exec leak is not seen on Go 1.19, as before.
        self.assertEqual(result_of(by_name["exec, and hang up before it is done"]), "passed")
        self.assertEqual(result_of(by_name["follow logs of a silent container, then disconnect"])[2],
                         "2 leaked goroutines: main.(*Server).logsContainer \u00d71, main.readLogMessages \u00d71")
        for suite in xml:
            notes = sum(case.system_out.count("serves no goroutineleak profile") for case in suite)
            self.assertEqual(notes, 1, suite.name)
            props = {p.name: p.value for p in suite.properties()}
            self.assertRegex(props["go.leak_profile"], r"^absent \(dump GET http://127\.0\.0\.1:\d+/debug/pprof/"
                                                       r"goroutineleak\?debug=2: status 404 \(Unknown profile\)\)$")

    def test_scan_shows_proven_leaks_first_and_exits_1(self):
        d = Minipouchd("--listen", "127.0.0.1:0", "--leaky", binary=MINIPOUCHD_GO127)
        self.addCleanup(d.stop)
        addr = d.wait_listening()
        api = f"http://{addr}/v1.24"
        req = urllib.request.Request(f"{api}/containers/create", data=b'{"Cmd": ["silent"]}', method="POST")
        cid = json.loads(urllib.request.urlopen(req, timeout=10).read())["Id"]
        urllib.request.urlopen(urllib.request.Request(f"{api}/containers/{cid}/start", method="POST"), timeout=10)
        try:
            urllib.request.urlopen(urllib.request.Request(f"{api}/containers/{cid}/exec", method="POST",
                                                          data=b'{"Cmd": ["sleep", "300ms"]}'), timeout=0.1)
        except OSError:
            pass  # hung up, as planned
        for debug in ("2", "1"):
            url = f"http://{addr}/debug/pprof/goroutineleak?debug={debug}"
            out = ""
            for _ in range(50):  # the helper blocks 200 ms after the hang-up
                r = self.leakprobe("scan", url)
                out = r.stdout.decode()
                if r.returncode == 1:
                    break
            self.assertEqual(r.returncode, 1, out + r.stderr.decode())
            first = re.search(r"^(PROVEN LEAK|SUSPECT)?.*$", out.split("\n\n", 1)[1], re.M).group(0)
            self.assertTrue(first.startswith("PROVEN LEAK 1 goroutine [chan send (leaked)]" if debug == "2"
                                             else "PROVEN LEAK 1 goroutine [leaked]"), out)
            self.assertIn("main.(*Server).execContainer.func1", out)
            self.assertIn("goroutines proven leaked by the Go runtime's leak detector", out)
            r = self.leakprobe("scan", url, "--format", "json")
            j = json.loads(r.stdout)
            self.assertGreaterEqual(j["proven_leaks"], 1)
            self.assertTrue(j["buckets"][0]["leaked"])


if __name__ == "__main__":
    unittest.main()
