"""The sweep end to end (`leakprobe run --sweep`, `sweep:`) against a real minipouchd: a plain
container lifecycle (examples/scenarios/sweep-lifecycle.yaml: no hang-up, no leaks block, no
suspects) swept with the default faults.

With --leaky the daemon has two leaks that only some ways of leaving reveal: the export
(GET /containers/{id}/export) leaks its producer only when the client stalls, the stop
(POST /containers/{id}/stop?t=1) leaks its helper only when the client leaves before the
status. The sweep finds each at its step and fault, one goroutine per round, and nowhere else;
the fixed daemon sweeps clean. Each report carries the matrix."""
import json
import os
import unittest

from lp_e2e import E2ETest, MINIPOUCHD, SOURCE_DIR, cases, result_of

EXAMPLE = os.path.join(SOURCE_DIR, "examples", "scenarios", "sweep-lifecycle.yaml")
SCHEMA = os.path.join(SOURCE_DIR, "schema", "leakprobe-report.schema.json")
EXPORT = 'step 4 "export"'
STOP = 'step 5 "stop"'


def matrix(report):
    """{(step, fault): cell} of the report's one sweep."""
    sweeps = report["sweeps"]
    assert len(sweeps) == 1, sweeps
    m = sweeps[0]
    return {(step, fault): m["cells"][i][j] for i, step in enumerate(m["steps"])
            for j, fault in enumerate(m["faults"])}


class SweepTest(E2ETest):
    def sweep(self, leaky, *extra):
        out = {k: os.path.join(self.tmp, "report." + k) for k in ("json", "xml", "md", "html")}
        r = self.leakprobe("run", EXAMPLE, "--var", f"leaky={leaky}", "--var", f"minipouchd={MINIPOUCHD}",
                           "--jobs", "2", "--json", out["json"], "--junit", out["xml"], "--markdown", out["md"],
                           "--html", out["html"], *extra)
        with open(out["json"]) as f:
            report = json.load(f)
        return r, report, out

    def assert_schema(self, report):
        try:
            import jsonschema
        except ImportError as e:  # scripts/setup installs python3-jsonschema
            self.skipTest(f"python3-jsonschema: {e}")
        with open(SCHEMA) as f:
            jsonschema.validate(report, json.load(f))

    def test_leaky_daemon_each_leak_at_its_step_and_fault(self):
        r, report, out = self.sweep("true")
        stdout = r.stdout.decode()
        self.assertEqual(r.returncode, 1, stdout + r.stderr.decode())
        # The plan first: 5 request steps (create captures: not swept) x 4 faults.
        self.assertIn("sweep: 20 variants and 1 as written, 105 rounds in all", stdout)  # the wait_until is not swept
        self.assertIn('not swept: container life \u203a step 1 "create": captures cid (--sweep-all sweeps it)', stdout)
        cells = matrix(report)
        self.assertEqual(len(cells), 20)
        # The control, the scenario as written for as many rounds, grows nothing.
        self.assertEqual(report["sweeps"][0]["as_written"], {"kind": "clean", "text": "clean"})
        self.assertIn("  as written: clean\n", stdout)
        leaks = {k: c for k, c in cells.items() if c["kind"] == "leak"}
        self.assertEqual(sorted(leaks), [(EXPORT, "stall 2s at status"), (STOP, "close at sent")], cells)
        self.assertEqual(leaks[(EXPORT, "stall 2s at status")]["text"],
                         "+1.0/round main.(*Server).exportContainer.func1")
        self.assertEqual(leaks[(STOP, "close at sent")]["text"], "+1.0/round main.(*Server).stopContainer.func1")
        for key, cell in cells.items():
            if key not in leaks:
                self.assertIn(cell["kind"], ("clean", "n/a"), key)
        # A 204 has no body and no moment after its status: not applicable, not clean.
        for fault in ("close at status", "reset at body", "stall 2s at status"):
            self.assertEqual(cells[(STOP, fault)]["kind"], "n/a", fault)
        # The rate and the stack, in the variant's own case.
        by_name = {c["name"]: c for s in report["suites"] for c in s["cases"]}
        case = by_name['container life \u203a step 4 "export" \u203a stall 2s at status']
        self.assertEqual(case["outcome"], "failed")
        self.assertEqual(case["sweep"], {"scenario": "container life", "step": EXPORT,
                                         "fault": "stall 2s at status", "rounds": 5})
        self.assertEqual([g["function"] for g in case["leaks"]], ["main.(*Server).exportContainer.func1"])
        self.assertEqual(case["leaks"][0]["series"][:6], [0, 1, 2, 3, 4, 5])
        self.assertIn("leave.go", "\n".join(case["leaks"][0]["stack"]))
        na = by_name['container life \u203a step 5 "stop" \u203a reset at body']
        self.assertEqual((na["outcome"], na["type"]), ("skipped", "NotApplicable"))
        self.assertEqual(na["message"], "reset at body not applicable: the response ended before its body (204)")
        self.assert_schema(report)
        # Every report has the matrix.
        self.assertIn("sweep: lifecycle / container life", stdout)
        self.assertIn("+1.0/round main.(*Server).stopContainer.func1", stdout.split("sweep: lifecycle / container life")[-1])
        with open(out["md"]) as f:
            self.assertIn("| step | close at sent | close at status | reset at body | stall 2s at status |", f.read())
        with open(out["html"]) as f:
            self.assertIn("<h2>Sweep: lifecycle / container life</h2>", f.read())
        xml = self.assert_valid_junit(out["xml"])
        junit = {case.name: result_of(case) for _, case in cases(xml)}
        self.assertEqual(junit['container life \u203a step 5 "stop" \u203a close at sent'][0], "Failure")
        self.assertEqual(junit['container life \u203a step 5 "stop" \u203a reset at body'][0], "Skipped")
        with open(out["xml"]) as f:
            self.assertIn('name="sweep container life"', f.read())

    def test_fixed_daemon_sweeps_clean(self):
        r, report, _ = self.sweep("false")
        self.assertEqual(r.returncode, 0, r.stdout.decode() + r.stderr.decode())
        kinds = {k: c["kind"] for k, c in matrix(report).items()}
        self.assertEqual(set(kinds.values()) - {"clean", "n/a"}, set(), kinds)
        self.assertEqual(kinds[(EXPORT, "stall 2s at status")], "clean")
        self.assertEqual(kinds[(STOP, "close at sent")], "clean")

    def test_steps_inside_a_repeat_and_a_parallel_are_cut_too(self):
        # The export inside a repeat of 2 leaks twice a round when stalled; the GET /info in a
        # parallel beside the logs is cut too, where a stall at the status never comes.
        self.write("nested.yaml", f"""\
suite: nested
vars:
  api: "http://127.0.0.1:${{port}}/v1.24"
target:
  run: [{json.dumps(MINIPOUCHD)}, --listen, "127.0.0.1:${{port}}", --leaky=true, --monitor=false]
  ready: {{ http: "http://127.0.0.1:${{port}}/_ping", timeout: 10s }}
dump:
  url: "http://127.0.0.1:${{port}}/debug/pprof/goroutine?debug=2"
sweep: {{ faults: ["stall 2s at status"], times: 2, steps: "export|info" }}
scenarios:
  - name: exports
    steps:
      - http: {{ method: POST, url: "${{api}}/containers/create", json: {{ Cmd: [echo, hello] }} }}
        capture: {{ cid: {{ json: /Id }} }}
      - http: {{ method: POST, url: "${{api}}/containers/${{cid}}/start" }}
      - name: export twice
        repeat: 2
        steps:
          - name: export
            http: {{ url: "${{api}}/containers/${{cid}}/export" }}
            expect: {{ status: 200, min_bytes: 8388608 }}
      - parallel:
          - http: {{ url: "${{api}}/containers/${{cid}}/logs?stdout=1" }}
          - name: info
            http: {{ url: "${{api}}/info" }}
            expect: {{ status: 200 }}
    teardown:
      - http: {{ method: DELETE, url: "${{api}}/containers/${{cid}}?force=1" }}
""")
        report_path = os.path.join(self.tmp, "nested.json")
        r = self.leakprobe("run", "nested.yaml", "--jobs", "2", "--json", report_path, cwd=self.tmp)
        stdout = r.stdout.decode()
        self.assertEqual(r.returncode, 1, stdout + r.stderr.decode())
        self.assertIn("nested / exports: 2 steps x 1 faults = 2 variants and the scenario as written, 2 rounds each",
                      stdout)
        with open(report_path) as f:
            report = json.load(f)
        export = 'step 3 "export twice" > step 1 "export"'
        info = 'step 4 (parallel) > step 2 "info"'
        cells = matrix(report)
        self.assertEqual(sorted(cells), sorted([(export, "stall 2s at status"), (info, "stall 2s at status")]))
        self.assertEqual(cells[(export, "stall 2s at status")],
                         {"kind": "leak", "text": "+2.0/round main.(*Server).exportContainer.func1"})
        # The fault reached the step in the parallel: a stall at the status of a response that
        # arrived whole with it is not applicable, and says so.
        self.assertEqual(cells[(info, "stall 2s at status")]["kind"], "n/a")
        self.assertEqual(report["sweeps"][0]["as_written"], {"kind": "clean", "text": "clean"})
        by_name = {c["name"]: c for s in report["suites"] for c in s["cases"]}
        case = by_name[f"exports \u203a {export} \u203a stall 2s at status"]
        self.assertEqual(case["sweep"]["step"], export)
        self.assertEqual(case["leaks"][0]["series"][:3], [0, 2, 4])
        na = by_name[f"exports \u203a {info} \u203a stall 2s at status"]
        self.assertRegex(na["message"], r"^stall 2s at status not applicable: the whole response \(200, \d+ bytes\) "
                                        r"arrived with its status line$")

    def test_flags_narrow_the_plan(self):
        r = self.leakprobe("run", EXAMPLE, "--var", f"minipouchd={MINIPOUCHD}", "--sweep-all", "--sweep-steps",
                           "create|stop", "--sweep-faults", "close at sent, half_close at status", "--sweep-times", "2")
        stdout = r.stdout.decode()
        # --sweep-all cuts the create too: its capture is gone, which the variant reports.
        self.assertEqual(r.returncode, 1, stdout + r.stderr.decode())
        self.assertIn('step 1 "create" \u203a close at sent', stdout)
        self.assertIn("cannot capture cid", stdout)
        self.assertIn("sweep: 4 variants and 1 as written, 10 rounds in all", stdout)
        self.assertIn("container life: 2 steps x 2 faults = 4 variants and the scenario as written, 2 rounds each", stdout)
        self.assertNotIn("not swept", stdout)
        bad = self.leakprobe("run", EXAMPLE, "--sweep", "--sweep-faults", "drop at sent")
        self.assertEqual(bad.returncode, 2)
        self.assertIn('--sweep-faults "drop at sent": want HOW at sent|status|body', bad.stderr.decode())

    def test_validate_hang_up_and_sweep_errors(self):
        path = self.write("bad.yaml", """\
suite: bad
sweep: { faults: ["close at headers"], times: 1 }
scenarios:
  - name: s
    steps:
      - http: { url: "https://127.0.0.1:1/x", hang_up: { at: sent, how: drop } }
""")
        r = self.leakprobe("validate", path)
        err = r.stderr.decode() + r.stdout.decode()
        self.assertEqual(r.returncode, 2, err)
        self.assertIn("bad.yaml:2:19: fault \"close at headers\": want HOW at sent|status|body", err)
        self.assertIn("bad.yaml:2:47:", err)  # times: 1 is below 2
        self.assertIn('bad.yaml:6:73: "how" must be one of close, reset, stall, half_close (got "drop")', err)


if __name__ == "__main__":
    unittest.main()
