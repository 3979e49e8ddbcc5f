"""Targets that crash, hang, never start, ignore SIGTERM, leave grandchildren, flood stdout;
a harness that is interrupted or killed. Each case is provoked for real in minipouchd (its
misbehaviour flags) and must end within its bound with the right <error>, leaving no
process behind: every process a target starts carries a tag in its environment, and /proc
is searched for it."""
import os
import signal
import subprocess
import time
import unittest
import uuid

from lp_e2e import E2ETest, LEAKPROBE, MINIPOUCHD, cases, result_of

SUITE = """\
suite: lifecycle
vars:
  bin: "{bin}"
target:
  run: ["${{bin}}", --listen, "127.0.0.1:${{port}}" {flags}]
  env: {{ LEAKPROBE_E2E_TAG: "{tag}", GOTRACEBACK: all }}
  ready: {ready}
  stop: {{ signal: SIGTERM, grace: 1s }}
dump: {dump}
scenarios:
  - name: "{name}"
    steps:
{steps}
{leaks}"""

HTTP_READY = '{ http: "http://127.0.0.1:${port}/_ping", timeout: 10s }'
HTTP_DUMP = '{ url: "http://127.0.0.1:${port}/debug/pprof/goroutine?debug=2" }'
FOLLOW_AND_HANG_UP = """\
      - http: { method: POST, url: "http://127.0.0.1:${port}/containers/create", json: { Cmd: [silent] } }
        capture: { cid: { json: /Id } }
      - http: { method: POST, url: "http://127.0.0.1:${port}/containers/${cid}/start" }
      - http: { url: "http://127.0.0.1:${port}/containers/${cid}/logs?follow=1", disconnect_after: 200ms }"""
LEAKS = """\
    leaks:
      suspects: [ { top: "main.(*Server).logsContainer" } ]
      settle: 1s
"""


def tagged_processes(tag):
    """PIDs of live processes whose environment holds LEAKPROBE_E2E_TAG=tag."""
    needle = f"LEAKPROBE_E2E_TAG={tag}".encode()
    found = []
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            with open(f"/proc/{pid}/environ", "rb") as f:
                if needle not in f.read().split(b"\0"):
                    continue
            with open(f"/proc/{pid}/stat") as f:
                if f.read().rsplit(")", 1)[1].split()[0] != "Z":
                    found.append(int(pid))
        except OSError:
            continue
    return found


class Lifecycle(E2ETest):
    def setUp(self):
        super().setUp()
        self.tag = uuid.uuid4().hex
        self.addCleanup(self.no_tagged_process_left)

    def no_tagged_process_left(self):
        left = tagged_processes(self.tag)
        for pid in left:
            os.kill(pid, signal.SIGKILL)
        self.assertEqual(left, [], "processes of the test left running")

    def suite(self, name, flags="", steps="      - sleep: 10ms", ready=HTTP_READY, dump=HTTP_DUMP, leaks=""):
        text = SUITE.format(bin=MINIPOUCHD, tag=self.tag, name=name, steps=steps, ready=ready,
                            flags="".join(f', "{f}"' for f in flags.split()), dump=dump, leaks=leaks)
        return self.write(name.replace(" ", "-") + ".yaml", text)

    def run_case(self, path, guard=120):
        junit = os.path.join(self.tmp, "report.xml")
        r = self.leakprobe("run", path, "--junit", junit, timeout=guard)
        xml = self.assert_valid_junit(junit)
        (_, case), = cases(xml)
        return r, case

    def test_crash_mid_scenario_is_an_error_at_once(self):
        steps = """\
      - http: { method: POST, url: "http://127.0.0.1:${port}/containers/create", json: { Cmd: [silent] } }
        capture: { cid: { json: /Id } }
      - http: { method: POST, url: "http://127.0.0.1:${port}/containers/${cid}/start" }
      - http: { method: POST, url: "http://127.0.0.1:${port}/panic" }
      - name: a follow that would last ten minutes
        http: { url: "http://127.0.0.1:${port}/containers/${cid}/logs?follow=1", disconnect_after: 10m }"""
        # The guard is far below the follow's ten minutes: only an early end passes.
        r, case = self.run_case(self.suite("crash", steps=steps), guard=120)
        self.assertEqual(r.returncode, 1)
        kind, typ, message, text = result_of(case)
        self.assertEqual((kind, typ), ("Error", "TargetError"))
        self.assertEqual(message, 'target exited with status 2 during step 4 "a follow that would last ten minutes"')
        self.assertIn("The target said: panic: minipouchd: panic requested by POST /panic", text)
        self.assertIn("main.(*Server).logsContainer(...)", text)  # its stacks, parsed
        self.assertIn("panic: minipouchd", case.system_err)

    def test_never_ready(self):
        path = self.suite("never ready", flags="--never-ready",
                          ready='{ http: "http://127.0.0.1:${port}/_ping", timeout: 2s }')
        r, case = self.run_case(path)
        self.assertEqual(r.returncode, 1)
        kind, typ, message, text = result_of(case)
        self.assertEqual((kind, typ), ("Error", "TargetError"))
        self.assertRegex(message, r"^target never became ready: GET http://127\.0\.0\.1:\d+/_ping did not "
                                  r"succeed within 2s \(last: .*no response within 1s\)$")
        self.assertIn("The target's last lines on stderr:\n    minipouchd listening on 127.0.0.1:", text)

    def test_accepts_but_never_answers_a_step(self):
        steps = """\
      - name: hang
        http: { url: "http://127.0.0.1:${port}/hang", timeout: 1s }"""
        r, case = self.run_case(self.suite("hang", steps=steps))
        self.assertEqual(r.returncode, 1)
        kind, typ, message, _ = result_of(case)
        self.assertEqual((kind, typ), ("Failure", "Timeout"))
        self.assertRegex(message, r'^step 1 "hang": GET http://127\.0\.0\.1:\d+/hang: no response within 1s$')

    def test_hang_all_never_ready_nor_dumpable(self):
        path = self.suite("hang all", flags="--hang-all",
                          ready='{ tcp: "127.0.0.1:${port}", timeout: 5s }')
        r, case = self.run_case(path)
        self.assertEqual(r.returncode, 1)
        kind, typ, message, _ = result_of(case)
        # The port accepts, so it is "ready"; the baseline dump then never comes.
        self.assertEqual((kind, typ), ("Error", "DumpError"))
        self.assertIn("no response within", message)

    def test_exit_before_first_step(self):
        r, case = self.run_case(self.suite("early exit", flags="--exit-at-start=3"))
        self.assertEqual(r.returncode, 1)
        kind, typ, message, text = result_of(case)
        self.assertEqual((kind, typ), ("Error", "TargetError"))
        self.assertEqual(message, "target exited with status 3 before it became ready")
        self.assertIn("minipouchd: exiting at start with status 3 as asked", text)

    def test_ignores_sigterm_and_leaves_a_grandchild(self):
        r, case = self.run_case(self.suite("stubborn", flags="--ignore-sigterm --grandchild"))
        self.assertEqual(r.returncode, 0, case.system_out)
        self.assertIn("target stopped: killed by signal 9 (SIGKILL)", case.system_out)
        # no_tagged_process_left checks the grandchild is gone too.

    def test_a_gigabyte_on_stdout_does_not_grow_the_harness(self):
        def peak_kb(nbytes):
            path = self.suite(f"flood {nbytes}", flags=f"--flood-stdout={nbytes}",
                              ready='{ log: "flood done", timeout: 5m }')
            r = subprocess.run(["/usr/bin/time", "-f", "%M", LEAKPROBE, "run", path], capture_output=True,
                               timeout=600)
            self.assertEqual(r.returncode, 0, r.stdout.decode()[-2000:])
            return int(r.stderr.decode().strip().splitlines()[-1])
        # Against the same harness with a megabyte of output, so a sanitizer's own overhead
        # does not count: the output buffers are bounded, so the gigabyte must cost next to nothing.
        small, big = peak_kb(1 << 20), peak_kb(1 << 30)
        self.assertLess(big - small, 32 * 1024, f"peak RSS {small} KB with 1 MB of output, {big} KB with 1 GB")

    def test_sigint_writes_the_report_and_stops_the_target(self):
        steps = """\
      - name: follow for a long time
        http: { url: "http://127.0.0.1:${port}/_ping?x", disconnect_after: 10m }
      - http: { url: "http://127.0.0.1:${port}/hang", disconnect_after: 10m }"""
        path = self.suite("interrupted", steps=steps)
        junit = os.path.join(self.tmp, "interrupted.xml")
        p = subprocess.Popen([LEAKPROBE, "run", path, "--junit", junit], stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, cwd=self.tmp)
        self.wait_for_target()
        time.sleep(0.5)  # into the hanging step
        p.send_signal(signal.SIGINT)
        out, err = p.communicate(timeout=60)
        self.assertEqual(p.returncode, 130, out + err)
        xml = self.assert_valid_junit(junit)
        (_, case), = cases(xml)
        kind, typ, message, _ = result_of(case)
        self.assertEqual((kind, typ), ("Error", "Interrupted"))
        self.assertIn("interrupted by signal 2", message)

    def test_sigkill_of_the_harness_takes_the_target_along(self):
        steps = """\
      - http: { url: "http://127.0.0.1:${port}/hang", disconnect_after: 10m }"""
        path = self.suite("killed", steps=steps)
        p = subprocess.Popen([LEAKPROBE, "run", path], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                             cwd=self.tmp)
        self.wait_for_target()
        p.kill()
        p.wait(timeout=30)
        deadline = time.time() + 30
        while tagged_processes(self.tag) and time.time() < deadline:
            time.sleep(0.05)
        self.assertEqual(tagged_processes(self.tag), [], "the target outlived a SIGKILLed harness")

    def test_target_of_a_harness_with_sigint_ignored_still_takes_sigint(self):
        steps = """\
      - http: { url: "http://127.0.0.1:${port}/hang", disconnect_after: 10m }"""
        path = self.suite("background", steps=steps)
        # As `leakprobe run ... &` in a non-interactive shell: SIGINT ignored, inherited.
        p = subprocess.Popen([LEAKPROBE, "run", path], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                             cwd=self.tmp, preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_IGN))
        try:
            pid = self.wait_for_target()
            with open(f"/proc/{pid}/status") as f:
                ignored = int(next(l for l in f if l.startswith("SigIgn:")).split()[1], 16)
            self.assertFalse(ignored & (1 << (signal.SIGINT - 1)), "the target inherited SIGINT ignored")
        finally:
            p.terminate()
            p.wait(timeout=60)

    def test_dump_from_a_gops_agent(self):
        path = self.suite("gops", flags='--leaky --gops=127.0.0.1:${port.gops}', steps=FOLLOW_AND_HANG_UP,
                          dump='{ gops: "127.0.0.1:${port.gops}" }', leaks=LEAKS)
        r, case = self.run_case(path)
        self.assertEqual(r.returncode, 1, case.system_out)
        kind, typ, message, _ = result_of(case)
        self.assertEqual((kind, typ, message),
                         ("Failure", "GoroutineLeak", "1 leaked goroutine: main.(*Server).logsContainer \u00d71"))

    def test_dump_from_sigquit_at_the_end(self):
        path = self.suite("sigquit", flags="--leaky", steps=FOLLOW_AND_HANG_UP, dump="{ sigquit: true }",
                          leaks=LEAKS)
        r, case = self.run_case(path)
        self.assertEqual(r.returncode, 1, case.system_out)
        kind, typ, message, _ = result_of(case)
        self.assertEqual((kind, typ, message),
                         ("Failure", "GoroutineLeak", "1 leaked goroutine: main.(*Server).logsContainer \u00d71"))
        self.assertIn("goroutines in the SIGQUIT dump", case.system_out)

    def wait_for_target(self):
        deadline = time.time() + 60
        while time.time() < deadline:
            pids = tagged_processes(self.tag)
            if pids:
                return pids[0]
            time.sleep(0.02)
        self.fail("the target never started")


if __name__ == "__main__":
    unittest.main()
