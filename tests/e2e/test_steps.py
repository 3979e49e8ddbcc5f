"""Every step kind end to end against a real minipouchd: exec (a CLI client), http with its
expectations and captures, wait_until, repeat (200 concurrent followers), parallel,
snapshot and check, setup and teardown; a unix-socket target, an attach-mode run, the
shipped examples, and `validate` reporting every mistake of a file with its position."""
import os
import shutil
import time
import unittest

from lp_e2e import (E2ETest, MINIPOUCHD, SOURCE_DIR, Minipouchd, cases, result_of)

EXAMPLES = os.path.join(SOURCE_DIR, "examples", "scenarios")


def by_name(xml):
    return {case.name: result_of(case) for _, case in cases(xml)}


def system_out(xml, name):
    for _, case in cases(xml):
        if case.name == name:
            return case.system_out or ""
    raise KeyError(name)


class Examples(E2ETest):
    def run_example(self, name, *extra):
        junit = os.path.join(self.tmp, name + ".xml")
        r = self.leakprobe("run", os.path.join(EXAMPLES, name + ".yaml"), "--var",
                           f"minipouchd={MINIPOUCHD}", "--junit", junit, *extra)
        return r, self.assert_valid_junit(junit)

    def require_curl(self):
        if not shutil.which("curl"):
            self.skipTest("curl is not installed (scripts/setup installs it): the exec example uses it")

    def test_exec_cli_example_passes_on_the_fixed_daemon(self):
        self.require_curl()
        r, xml = self.run_example("exec-cli")
        self.assertEqual(r.returncode, 0, r.stdout.decode() + r.stderr.decode())
        out = system_out(xml, "curl follows a silent container and gives up")
        self.assertIn("exited with code 28", out)
        self.assertIn('captured running = "Running":true', out)

    def test_exec_cli_example_finds_the_leak(self):
        self.require_curl()
        r, xml = self.run_example("exec-cli", "--var", "leaky=true")
        self.assertEqual(r.returncode, 1, r.stdout.decode() + r.stderr.decode())
        kind, typ, message, _ = by_name(xml)["curl follows a silent container and gives up"]
        self.assertEqual((kind, typ), ("Failure", "GoroutineLeak"))
        self.assertEqual(message, "1 leaked goroutine: main.(*Server).logsContainer \u00d71")

    def test_200_concurrent_followers_leak_is_reported_once_with_its_count(self):
        start = time.monotonic()
        r, xml = self.run_example("concurrent-followers", "--var", "leaky=true")
        elapsed = time.monotonic() - start
        self.assertEqual(r.returncode, 1, r.stdout.decode() + r.stderr.decode())
        results = by_name(xml)
        kind, typ, message, text = results["200 followers hang up at once"]
        self.assertEqual((kind, typ), ("Failure", "GoroutineLeak"))
        self.assertEqual(message, "200 leaked goroutines: main.(*Server).logsContainer \u00d7200")
        # One bucket of 200, not 200 stacks.
        self.assertEqual(text.count("goroutines [chan receive]"), 1, text)
        self.assertIn("200 goroutines [chan receive], ids ", text)
        self.assertEqual(text.count("main.(*Server).logsContainer(...)"), 1)
        out = system_out(xml, "200 followers hang up at once")
        self.assertRegex(out, r"200 of 200 iterations in \d+(\.\d+)?(ms|s) \(200 at once\)")
        self.assertEqual(results["a chatty follower and a ping at once"], "passed")
        # 200 hang-ups after 500ms, at once: well within the run's guard.
        self.assertLess(elapsed, 60)

    def test_200_concurrent_followers_pass_on_the_fixed_daemon(self):
        r, xml = self.run_example("concurrent-followers")
        self.assertEqual(r.returncode, 0, r.stdout.decode() + r.stderr.decode())
        self.assertEqual(set(by_name(xml).values()), {"passed"})


SOCKET_SUITE = """\
suite: steps-over-a-socket
vars:
  sock: "{sock}"
  bin: "{bin}"
  tmp: "{tmp}"
target:
  run: ["${{bin}}", --unix, "${{sock}}"]
  ready: {{ unix: "${{sock}}", timeout: 20s }}
dump:
  url: "http://localhost/debug/pprof/goroutine?debug=2"
  socket: "${{sock}}"
ignore:
  - top: "main.(*Monitor).loop"
scenarios:
  - name: every step kind over a unix socket
    setup:
      - exec: {{ run: [sh, -c, 'printf "%s" "$1" > "$0"', "${{tmp}}/body.json", '{{"Cmd": ["tick", "20ms"]}}'] }}
    steps:
      - http:
          method: POST
          url: /containers/create
          socket: "${{sock}}"
          body_file: "${{tmp}}/body.json"
          headers: {{ Content-Type: application/json }}
        expect:
          status: [200, 201]
          headers: {{ Content-Type: application/json }}
          body_regex: '"Id":"[0-9a-f]{{64}}"'
        capture:
          cid: {{ json: /Id }}
          short: {{ regex: '"Id":"([0-9a-f]{{12}})' }}
          server: {{ header: Server }}
      - exec: {{ run: [echo, "${{server}}:${{short}}"], env: {{ LP_X: "1" }}, cwd: "${{tmp}}" }}
        expect: {{ body_contains: "minipouchd:", min_lines: 1 }}
        capture: {{ echoed: {{ stdout: true }} }}
      - http: {{ method: POST, url: "/containers/${{cid}}/start", socket: "${{sock}}" }}
        expect: {{ status: 204 }}
      - wait_until:
          interval: 50ms
          timeout: 5s
          steps:
            - http: {{ url: "/containers/${{cid}}/json", socket: "${{sock}}" }}
              expect: {{ json: {{ /State/Running: true, /Config/Cmd: [tick, 20ms], /Id: "${{cid}}" }} }}
      - snapshot: before
      - parallel:
          - http: {{ url: "/containers/${{cid}}/logs?stdout=1&follow=1", socket: "${{sock}}", disconnect_after: 600ms }}
            expect: {{ min_lines: 3, min_bytes: 10 }}
          - exec: {{ run: [sleep, "0.2"] }}
      - repeat:
          times: 5
          concurrency: 2
          steps:
            - http: {{ url: "/_ping?i=${{repeat.index}}", socket: "${{sock}}" }}
              expect: {{ body_contains: OK }}
      - sleep: 50ms
      - check: {{ against: before, max_new_goroutines: 0, settle: 3s }}
    teardown:
      - http: {{ method: DELETE, url: "/containers/${{cid}}?force=1", socket: "${{sock}}" }}
        expect: {{ status: 204 }}
"""


class UnixSocketSteps(E2ETest):
    def test_every_step_kind_over_a_unix_socket(self):
        sock = os.path.join(self.tmp, "d.sock")
        path = self.write("socket.yaml", SOCKET_SUITE.format(sock=sock, bin=MINIPOUCHD, tmp=self.tmp))
        junit = os.path.join(self.tmp, "socket.xml")
        r = self.leakprobe("run", path, "--junit", junit)
        self.assertEqual(r.returncode, 0, r.stdout.decode() + r.stderr.decode())
        xml = self.assert_valid_junit(junit)
        out = system_out(xml, "every step kind over a unix socket")
        self.assertRegex(out, r"captured echoed = minipouchd:[0-9a-f]{12}\n")
        self.assertIn("captured server = minipouchd", out)
        # Numbered on from the setup step.
        self.assertRegex(out, r"step 5 \(wait_until\): held at attempt \d+")
        self.assertIn("step 6 (snapshot before): ", out)
        self.assertRegex(out, r"\[1\] step 7 \(parallel\) > step 1 \(GET /containers/.*hung up as planned after 6\d\dms \(status 200\)")
        self.assertIn("step 7 (parallel): 2 steps at once", out)
        self.assertIn("step 8 (repeat 5x, 2 at once): 5 of 5 iterations", out)
        self.assertIn("step 9 (sleep 50ms)", out)
        self.assertIn("step 10 (check): checking for leaks against snapshot before", out)
        self.assertIn("leak check: clean", out)
        self.assertRegex(out, r"step 11 \(DELETE /containers/\$\{cid\}\?force=1\).* -> 204")


FAILING_SUITE = """\
suite: failing-steps
vars:
  bin: "{bin}"
  marker: "{marker}"
target:
  run: ["${{bin}}", --listen, "127.0.0.1:${{port}}", --leaky]
  ready: {{ http: "http://127.0.0.1:${{port}}/_ping" }}
dump:
  url: "http://127.0.0.1:${{port}}/debug/pprof/goroutine?debug=2"
ignore:
  - top: "main.(*Monitor).loop"
scenarios:
  - name: wrong status
    steps:
      - http: {{ url: "http://127.0.0.1:${{port}}/_ping" }}
        expect: {{ status: [404, 410] }}
  - name: exec output is shown
    steps:
      - exec: {{ run: [sh, -c, "echo to-stdout; echo to-stderr >&2; exit 3"] }}
  - name: exec timeout
    steps:
      - exec: {{ run: [sleep, "5"], timeout: 300ms }}
  - name: http timeout
    steps:
      - http: {{ url: "http://127.0.0.1:${{port}}/hang", timeout: 300ms }}
  - name: wait_until gives up, teardown still runs
    steps:
      - wait_until:
          interval: 50ms
          timeout: 300ms
          steps:
            - http: {{ url: "http://127.0.0.1:${{port}}/info" }}
              expect: {{ json: {{ /Containers: 99 }} }}
    teardown:
      - exec: {{ run: [touch, "${{marker}}"] }}
  - name: a pattern's own max
    steps:
      - http: {{ method: POST, url: "http://127.0.0.1:${{port}}/containers/create", json: {{ Cmd: [silent] }} }}
        capture: {{ cid: {{ json: /Id }} }}
      - http: {{ method: POST, url: "http://127.0.0.1:${{port}}/containers/${{cid}}/start" }}
      - repeat:
          times: 2
          concurrency: 2
          steps:
            - http: {{ url: "http://127.0.0.1:${{port}}/containers/${{cid}}/logs?follow=1", disconnect_after: 300ms }}
      - check:
          suspects: [ {{ top: "main.(*Server).logsContainer", max: 2 }} ]
          settle: 500ms
      - check:
          suspects: [ {{ top: "main.(*Server).logsContainer", max: 1 }} ]
          settle: 500ms
  - name: min_wait leaves young waits out
    steps:
      - http: {{ method: POST, url: "http://127.0.0.1:${{port}}/containers/create", json: {{ Cmd: [silent] }} }}
        capture: {{ cid: {{ json: /Id }} }}
      - http: {{ method: POST, url: "http://127.0.0.1:${{port}}/containers/${{cid}}/start" }}
      - http: {{ url: "http://127.0.0.1:${{port}}/containers/${{cid}}/logs?follow=1", disconnect_after: 300ms }}
    leaks:
      suspects: [ {{ top: "main.(*Server).logsContainer" }} ]
      min_wait: 1m
      settle: 300ms
"""


class FailingSteps(E2ETest):
    def test_each_failure_says_what_and_where(self):
        marker = os.path.join(self.tmp, "teardown-ran")
        path = self.write("failing.yaml", FAILING_SUITE.format(bin=MINIPOUCHD, marker=marker))
        junit = os.path.join(self.tmp, "failing.xml")
        r = self.leakprobe("run", path, "--junit", junit)
        self.assertEqual(r.returncode, 1, r.stdout.decode() + r.stderr.decode())
        got = by_name(self.assert_valid_junit(junit))

        kind, typ, message, text = got["wrong status"]
        self.assertEqual((kind, typ), ("Failure", "ExpectationFailed"))
        self.assertIn(": expected status 404 or 410, got 200", message)
        self.assertIn("response body:\nOK", text)

        kind, typ, message, text = got["exec output is shown"]
        self.assertEqual((kind, typ), ("Failure", "ExpectationFailed"))
        self.assertIn("expected exit code 0, exited with code 3", message)
        self.assertIn("stdout:\nto-stdout\n", text)
        self.assertIn("stderr:\nto-stderr\n", text)

        kind, typ, message, _ = got["exec timeout"]
        self.assertEqual((kind, typ), ("Failure", "ExpectationFailed"))
        self.assertRegex(message, r"sleep 5 timed out after 3\d\dms \(killed\)")

        kind, _, message, _ = got["http timeout"]
        self.assertNotEqual(kind, "passed")
        self.assertIn("no response within 300ms", message)

        kind, typ, message, _ = got["wait_until gives up, teardown still runs"]
        self.assertEqual((kind, typ), ("Failure", "ExpectationFailed"))
        self.assertRegex(message, r"step 1 \(wait_until\): did not hold within 300ms \(\d+ attempts\); "
                                  r"last: .*/Containers is 0, expected 99")
        self.assertTrue(os.path.exists(marker), "teardown did not run after the failure")

        kind, typ, message, _ = got["a pattern's own max"]
        self.assertEqual((kind, typ), ("Failure", "GoroutineLeak"))
        self.assertEqual(message, "2 leaked goroutines: main.(*Server).logsContainer \u00d72 "
                                  "(2 suspects, max 1)")

        self.assertEqual(got["min_wait leaves young waits out"], "passed")


class AttachMode(E2ETest):
    def test_attach_to_a_running_server(self):
        server = Minipouchd("--listen", "127.0.0.1:0", "--leaky")
        self.addCleanup(server.stop)
        addr = server.wait_listening()
        path = self.write("attach.yaml", """\
suite: attach
dump:
  url: "http://${addr}/debug/pprof/goroutine?debug=2"
target:
  ready: { http: "http://${addr}/_ping", timeout: 5s }
ignore:
  - top: "main.(*Monitor).loop"
scenarios:
  - name: follow and hang up against a server someone else started
    steps:
      - http: { method: POST, url: "http://${addr}/containers/create", json: { Cmd: [silent] } }
        expect: { status: 201 }
        capture: { cid: { json: /Id } }
      - http: { method: POST, url: "http://${addr}/containers/${cid}/start" }
      - http: { url: "http://${addr}/containers/${cid}/logs?follow=1", disconnect_after: 300ms }
    leaks:
      suspects: [ { top: "main.(*Server).logsContainer" } ]
      settle: 1s
    teardown:
      - http: { method: DELETE, url: "http://${addr}/containers/${cid}?force=1" }
        expect: { status: 204 }
""")
        junit = os.path.join(self.tmp, "attach.xml")
        r = self.leakprobe("run", path, "--var", f"addr={addr}", "--junit", junit)
        self.assertEqual(r.returncode, 1, r.stdout.decode() + r.stderr.decode())
        (_, case), = cases(self.assert_valid_junit(junit))
        kind, typ, message, _ = result_of(case)
        self.assertEqual((kind, typ, message), ("Failure", "GoroutineLeak",
                         "1 leaked goroutine: main.(*Server).logsContainer \u00d71"))
        self.assertNotIn("starting target", case.system_out or "")
        # Attached, not started: leakprobe leaves the server running.
        self.assertIsNone(server.proc.poll())


SHARED_SUITE = """\
suite: shared-target
vars:
  bin: "{bin}"
  dir: "{dir}"
target:
  run: ["${{bin}}", --listen, "127.0.0.1:${{port}}"]
  ready: {{ http: "http://127.0.0.1:${{port}}/_ping" }}
  shared: {shared}
dump:
  url: "http://127.0.0.1:${{port}}/debug/pprof/goroutine?debug=2"
setup:
  - exec: {{ run: [echo, from-suite-setup] }}
    capture: {{ token: {{ stdout: true }} }}
teardown:
  - exec: {{ run: [sh, -c, 'echo "$0" > "$1"', "${{token}}", "${{dir}}/suite-teardown"] }}
scenarios:
  - name: first
    steps:
      - exec: {{ run: [sh, -c, 'echo "$0 $1" > "$2"', "${{port}}", "${{token}}", "${{dir}}/first"] }}
      - http: {{ method: POST, url: "http://127.0.0.1:${{port}}/containers/create", json: {{ Cmd: [silent] }} }}
        expect: {{ status: 201 }}
  - name: second
    steps:
      - exec: {{ run: [sh, -c, 'echo "$0 $1" > "$2"', "${{port}}", "${{token}}", "${{dir}}/second"] }}
      - http: {{ url: "http://127.0.0.1:${{port}}/info" }}
        capture: {{ containers: {{ json: /Containers }} }}
      - exec: {{ run: [sh, -c, 'echo "$0" > "$1"', "${{containers}}", "${{dir}}/containers"] }}
"""


class SuiteSetupAndSharedTarget(E2ETest):
    def run_suite(self, shared):
        folder = os.path.join(self.tmp, "shared" if shared else "fresh")
        os.makedirs(folder)
        path = self.write(f"suite-{shared}.yaml", SHARED_SUITE.format(
            bin=MINIPOUCHD, dir=folder, shared="true" if shared else "false"))
        junit = os.path.join(folder, "r.xml")
        r = self.leakprobe("run", path, "--junit", junit)
        self.assertEqual(r.returncode, 0, r.stdout.decode() + r.stderr.decode())
        xml = self.assert_valid_junit(junit)
        self.assertEqual(by_name(xml), {"first": "passed", "second": "passed"})

        def read(name):
            with open(os.path.join(folder, name)) as f:
                return f.read().split()
        first, second = read("first"), read("second")
        self.assertEqual(first[1], "from-suite-setup")   # the setup's capture reaches every scenario
        self.assertEqual(second[1], "from-suite-setup")
        self.assertEqual(read("suite-teardown"), ["from-suite-setup"])
        starts = sum((system_out(xml, n)).count("starting target") for n in ("first", "second"))
        return first[0], second[0], read("containers")[0], starts

    def test_shared_target_serves_every_scenario(self):
        port1, port2, containers, starts = self.run_suite(shared=True)
        self.assertEqual(port1, port2)
        self.assertEqual(containers, "1")   # the first scenario's container is still there
        self.assertEqual(starts, 1)

    def test_each_scenario_gets_a_fresh_target_by_default(self):
        port1, port2, containers, starts = self.run_suite(shared=False)
        self.assertEqual(containers, "0")
        self.assertEqual(starts, 2)


FIVE_MISTAKES = """\
suite: five
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
"""


class Validate(E2ETest):
    def test_five_mistakes_all_reported_with_positions(self):
        path = self.write("five.yaml", FIVE_MISTAKES)
        r = self.leakprobe("validate", path)
        self.assertEqual(r.returncode, 2)
        self.assertEqual(r.stderr.decode().splitlines(), [
            f'{path}:6:17: unknown key "mehtod" (did you mean "method"?)',
            f'{path}:8:22: undefined variable "${{cdi}}" (did you mean "${{cid}}"?)',
            f'{path}:8:65: "timeout": bad duration "3 sec" (write e.g. 250ms, 3s, 2m)',
            f'{path}:10:9: duplicate key "sleep" (first at line 9)',
            f'{path}:13:18: bad regex "(*Server": no argument for repetition operator: *',
        ])

    def test_a_var_given_on_the_command_line_is_defined(self):
        path = self.write("var.yaml", "scenarios:\n  - name: a\n    steps:\n"
                                      "      - http: { url: \"${host}/x\" }\n")
        r = self.leakprobe("validate", path)
        self.assertEqual(r.returncode, 2)
        self.assertIn(f'{path}:4:22: undefined variable "${{host}}"', r.stderr.decode())
        r = self.leakprobe("validate", path, "--var", "host=http://h")
        self.assertEqual(r.returncode, 0, r.stderr.decode())

    def test_the_examples_are_valid(self):
        r = self.leakprobe("validate", EXAMPLES, os.path.join(SOURCE_DIR, "examples", "docker"))
        self.assertEqual(r.returncode, 0, r.stderr.decode())


if __name__ == "__main__":
    unittest.main()
