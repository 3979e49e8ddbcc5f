"""Hijacked connections end to end against a real minipouchd, with nothing named: Docker-style
attach and exec upgraded with `Upgrade: tcp`, and a WebSocket attach, each written to, read
from and left in every way a step can leave (close, reset, stall, half_close; for the
WebSocket close_frame and the server closing first), 5 times each with growth.

With --leaky each kind keeps one goroutine per client whichever way it leaves, and growth finds
it with its rate and function: main.(*Server).attachContainer (and its fd), the shell's status
send main.(*Server).execShell, the keepalive's error send main.(*Server).wsKeepalive.
Without, every case passes. LEAKPROBE_HIJACKED_RUNS=20 runs the fixed file 20 times (default
once) and says how many runs passed."""
import json
import os
import re
import shutil
import subprocess
import tempfile
import unittest

from lp_e2e import E2ETest, LEAKPROBE, MINIPOUCHD, cases, result_of
from lp_growth import growth_runs

RUNS_ENV = "LEAKPROBE_HIJACKED_RUNS"

HEADER = """\
suite: SUITE
vars:
  api: "http://127.0.0.1:${port}/v1.24"
target:
  run: [MINIPOUCHD, --listen, "127.0.0.1:${port}", "--leaky=LEAKY"]
  ready: { http: "http://127.0.0.1:${port}/_ping", timeout: 10s }
  shared: true
dump:
  url: "http://127.0.0.1:${port}/debug/pprof/goroutine?debug=2"
ignore:
  - top: "main.(*Monitor).loop"
setup:
  - http: { method: POST, url: "${api}/containers/create", json: { Cmd: [silent] } }
    capture: { cid: { json: /Id } }
  - http: { method: POST, url: "${api}/containers/${cid}/start" }
    expect: { status: 204 }
teardown:
  - http: { method: DELETE, url: "${api}/containers/${cid}?force=1" }
scenarios:
"""

# hang_up blocks. A half-close waits for the server to close (the leaky attach never does:
# then the step's 2s timeout ends the wait, which is not a failure).
STREAM_HOWS = {
    "close": "{ at: body, how: close }",
    "reset": "{ at: body, how: reset }",
    "stall": "{ at: body, how: stall, stall_for: 300ms }",
    "half_close": "{ at: body, how: half_close }",
}
WS_HOWS = {
    "close_frame": "{ messages: 2, how: close_frame }",
    "close": "{ messages: 2, how: close }",
    "reset": "{ messages: 2, how: reset }",
    "stall": "{ messages: 2, how: stall, stall_for: 300ms }",
    "server first": None,  # "bye" makes the server close first
}

ATTACH = """\
          - http:
              method: POST
              url: "${api}/containers/${cid}/attach?stream=1&stdin=1&stdout=1"
              upgrade: tcp
              send: ["hello\\n"]
              timeout: 2s
              hang_up: HOW
            expect: { status: 101, output: { contains: "you typed: hello" } }
"""
EXEC = """\
          - http:
              method: POST
              url: "${api}/containers/${cid}/exec"
              json: { Cmd: [sh] }
              upgrade: tcp
              send: ["ls\\n"]
              timeout: 2s
              hang_up: HOW
            expect: { status: 101, output: { regex: "^ls\\n" } }
"""
WEBSOCKET = """\
          - websocket:
              url: "ws://127.0.0.1:${port}/v1.24/containers/${cid}/attach/ws"
              subprotocols: [attach.v1]
              send: [one, two]
              hang_up: HOW
            expect: { status: 101, messages: { min: 2, json: { /n: 2, /echo: two } } }
"""
WEBSOCKET_SERVER_FIRST = """\
          - websocket:
              url: "ws://127.0.0.1:${port}/v1.24/containers/${cid}/attach/ws"
              send: [one, { text: bye, after: 50ms }]
              timeout: 5s
            expect: { status: 101, messages: { min: 1, contains: one } }
"""

KINDS = {  # kind -> (step template, hows, growing function)
    "attach": (ATTACH, STREAM_HOWS, r"main\.\(\*Server\)\.attachContainer"),
    "exec": (EXEC, STREAM_HOWS, r"main\.\(\*Server\)\.execShell"),
    "websocket": (WEBSOCKET, WS_HOWS, r"main\.\(\*Server\)\.wsKeepalive"),
}


def scenarios():
    out = ""
    for kind, (step, hows, _) in KINDS.items():
        for how, block in hows.items():
            body = WEBSOCKET_SERVER_FIRST if block is None else step.replace("HOW", block)
            out += (f"  - name: {kind} left by {how}\n    steps:\n      - name: {kind} {how}\n"
                    f"        repeat: 5\n        steps:\n{body}        growth: {{ settle: 1s }}\n")
    return out


def suite_file(folder, name, leaky):
    path = os.path.join(folder, name + ".yaml")
    with open(path, "w") as f:
        f.write(HEADER.replace("SUITE", name).replace("MINIPOUCHD", json.dumps(MINIPOUCHD))
                .replace("LEAKY", "true" if leaky else "false") + scenarios())
    return path


class HijackedOnMinipouchd(E2ETest):
    reports = None

    @classmethod
    def run_both(cls):
        """One run of the leaky and the fixed file at once, for the whole class."""
        if cls.reports is None:
            folder = tempfile.mkdtemp(prefix="leakprobe-hijacked-")
            cls.addClassCleanup(shutil.rmtree, folder, ignore_errors=True)
            paths = [suite_file(folder, "leaky", True), suite_file(folder, "fixed", False)]
            junit, report = os.path.join(folder, "h.xml"), os.path.join(folder, "h.json")
            r = subprocess.run([LEAKPROBE, "run", *paths, "--junit", junit, "--json", report, "--jobs", "2"],
                               cwd=folder, capture_output=True, timeout=400)
            with open(report) as f:
                doc = json.load(f)
            cls.reports = (r, junit, doc)
        return cls.reports

    def outcomes(self, suite):
        r, junit, _ = self.run_both()
        self.assertEqual(r.returncode, 1, r.stdout.decode()[-3000:] + r.stderr.decode())
        xml = self.assert_valid_junit(junit)
        return {case.name: result_of(case) for name, case in cases(xml) if name == suite}

    def test_every_way_of_leaving_leaks_one_per_client_in_the_leaky_build(self):
        results = self.outcomes("leaky")
        for kind, (_, hows, function) in KINDS.items():
            for how in hows:
                with self.subTest(kind=kind, how=how):
                    kind_, typ, message, text = results[f"{kind} left by {how}"]
                    self.assertEqual((kind_, typ), ("Failure", "GoroutineLeak"), message)
                    self.assertRegex(message, r"^leaks 1\.0 goroutines per iteration over 5 iterations: "
                                     + function + r" \+1\.0/iteration")
                    # Five more after the settle than before the first iteration (the daemon is
                    # shared: the count starts where the scenario before left it). A dump right
                    # after an iteration may catch the last handler on its way out; the settle
                    # does not.
                    m = re.search(r"after each iteration: (\d+) [\d ]+\(after the settle: (\d+)\)", text)
                    self.assertIsNotNone(m, text)
                    self.assertEqual(int(m.group(2)) - int(m.group(1)), 5, text)

    def test_the_leaky_attach_also_keeps_its_connections_fd(self):
        message = self.outcomes("leaky")["attach left by reset"][2]
        self.assertRegex(message, r"; leaks 1\.0 open fds per iteration over 5 iterations")

    def test_the_json_report_names_the_functions(self):
        _, _, doc = self.run_both()
        leaky = {c["name"]: c for s in doc["suites"] if s["name"] == "leaky" for c in s["cases"]}
        self.assertEqual([g["function"] for g in leaky["websocket left by stall"]["leaks"]],
                         ["main.(*Server).wsKeepalive"])
        self.assertEqual(leaky["exec left by half_close"]["leaks"][0]["per_iteration"], 1.0)

    def test_the_fixed_build_is_clean(self):
        results = self.outcomes("fixed")
        self.assertEqual(len(results), sum(len(h) for _, h, _ in KINDS.values()))
        for name, result in results.items():
            self.assertEqual(result, "passed", name)

    def test_the_fixed_build_is_clean_run_after_run(self):
        try:
            runs = growth_runs(RUNS_ENV, "1")
        except ValueError as e:
            self.fail(str(e))
        failed = []
        for i in range(runs):
            folder = os.path.join(self.tmp, f"run-{i + 1}")
            os.makedirs(folder)
            r = subprocess.run([LEAKPROBE, "run", suite_file(folder, "fixed", False)], cwd=folder,
                               capture_output=True, timeout=400)
            if r.returncode != 0:
                failed.append((i + 1, r.stdout.decode()[-2000:]))
        print(f"\nfixed hijacked scenarios: {runs - len(failed)}/{runs} runs passed")
        self.assertEqual(failed, [])


if __name__ == "__main__":
    unittest.main()
