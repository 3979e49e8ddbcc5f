"""A target that dies in the middle of a step ends that step, and its scenario, at once: an
<error> with the exit status and the end of the target's stderr, within a second of the
death, whatever the step was doing (sleeping, polling, running a command, repeating, running
branches at once, following a stream). minipouchd's POST /panic?after=1s crashes it a second
after it answers, so the crash lands inside the next step."""
import os
import re
import unittest

from lp_e2e import E2ETest, MINIPOUCHD, cases, result_of

API = "http://127.0.0.1:${port}"
CRASH = '      - http: { method: POST, url: "' + API + '/panic?after=1s" }\n        expect: { status: 202 }\n'
# Each would take 20 s or more if the target's death went unnoticed.
STEPS = {
    "sleep": "      - sleep: 20s\n",
    "wait_until": ("      - wait_until:\n          timeout: 20s\n          interval: 300ms\n          steps:\n"
                   "            - http: { url: \"" + API + "/_ping\" }\n              expect: { status: 418 }\n"),
    "exec": "      - exec: { run: [sleep, \"20\"], timeout: 30s }\n",
    "repeat": "      - repeat: 40\n        steps: [ { sleep: 500ms } ]\n",
    "parallel": "      - parallel:\n          - sleep: 20s\n          - exec: { run: [sleep, \"20\"] }\n",
    "disconnect_after": ("      - http: { method: POST, url: \"" + API + "/containers/create\", json: { Cmd: [silent] } }\n"
                         "        capture: { cid: { json: /Id } }\n"
                         "      - http: { method: POST, url: \"" + API + "/containers/${cid}/start\" }\n"
                         "      - http: { url: \"" + API + "/containers/${cid}/logs?follow=1\", disconnect_after: 20s }\n"),
}
# The crash must land inside the step under test: for the follow, after its two set-up calls.
ORDER = {"disconnect_after": lambda crash, step: step.replace(
    "      - http: { url: \"" + API + "/containers/${cid}/logs", crash + "      - http: { url: \"" + API + "/containers/${cid}/logs")}

SUITE_HEAD = """\
suite: death
vars:
  bin: "{bin}"
target:
  run: ["${{bin}}", --listen, "127.0.0.1:${{port}}"]
  ready: {{ http: "http://127.0.0.1:${{port}}/_ping", timeout: 10s }}
dump:
  url: "http://127.0.0.1:${{port}}/debug/pprof/goroutine?debug=2"
scenarios:
"""

STAMP = re.compile(r"^\[ *(\d+\.\d+)s\] (.*)$", re.M)


def stamped(log):
    return [(float(t), text) for t, text in STAMP.findall(log)]


class TargetDeath(E2ETest):
    def test_every_step_kind_ends_within_a_second_of_the_crash(self):
        text = SUITE_HEAD.format(bin=MINIPOUCHD)
        for kind, step in STEPS.items():
            body = ORDER[kind](CRASH, step) if kind in ORDER else CRASH + step
            text += f"  - name: dies during {kind}\n    steps:\n" + body
        path = self.write("death.yaml", text)
        junit = os.path.join(self.tmp, "r.xml")
        r = self.leakprobe("run", path, "--junit", junit)
        self.assertEqual(r.returncode, 1, r.stderr)
        xml = self.assert_valid_junit(junit)
        got = cases(xml)
        self.assertEqual(len(got), len(STEPS))
        for (_, case), kind in zip(got, STEPS):
            with self.subTest(kind):
                res = result_of(case)
                self.assertNotEqual(res, "passed", kind)
                what, typ, message, body = res
                self.assertEqual((what, typ), ("Error", "TargetError"), message)
                self.assertRegex(message, r"^target exited with status 2 during step \d+")
                self.assertIn("The target said: panic: minipouchd: panic requested by POST /panic", body)
                self.assertIn("The end of its stderr:\n", body)
                self.assertIn("main.panicSoon", body)
                self.assertIn("panic: minipouchd: panic requested by POST /panic", case.system_err)
                # From the answer to POST /panic (the crash is 1 s later) to the target found
                # dead: the step did not run on to its 20 s.
                log = stamped(case.system_out)
                asked = next(t for t, line in log if "/panic?after=1s -> 202" in line)
                found = next(t for t, line in log if line.startswith("target stopped: exited with status 2"))
                self.assertLess(found - asked, 1.0 + 1.0, case.system_out)
                print(f"\n{kind}: dead target found {found - asked - 1.0:.3f}s after the crash")


if __name__ == "__main__":
    unittest.main()
