"""Known leaks: an ignore entry with a reason. Against the leaky daemon its goroutines never
fail the scenario, but they are counted and listed with the reason in every report (console,
JUnit system-out and a property, JSON, Markdown, HTML). Against the fixed daemon nothing
matches any more, and every report says the entry is no longer seen."""
import json
import os
import unittest

from lp_e2e import E2ETest, MINIPOUCHD, cases, result_of

REASON = "https://github.com/acme/minipouchd/issues/1: followers outlive a hang-up"
SUITE = """\
suite: known
vars:
  bin: "{bin}"
  leaky: "true"
  api: "http://127.0.0.1:${{port}}/v1.24"
target:
  run: ["${{bin}}", --listen, "127.0.0.1:${{port}}", "--leaky=${{leaky}}"]
  ready: {{ http: "http://127.0.0.1:${{port}}/_ping", timeout: 10s }}
dump:
  url: "http://127.0.0.1:${{port}}/debug/pprof/goroutine?debug=2"
ignore:
  - top: "main.(*Monitor).loop"
  - top: "main.(*Server).logsContainer"
    reason: "{reason}"
scenarios:
  - name: follow and hang up, with a known leak
    steps:
      - http: {{ method: POST, url: "${{api}}/containers/create", json: {{ Cmd: [silent] }} }}
        capture: {{ cid: {{ json: /Id }} }}
      - http: {{ method: POST, url: "${{api}}/containers/${{cid}}/start" }}
      - http: {{ url: "${{api}}/containers/${{cid}}/logs?stdout=1&follow=1", disconnect_after: 300ms }}
    leaks:
      suspects: [ {{ regex: "^main\\\\.readLogMessages$" }} ]
      max_suspects: 1
      settle: 1s
"""
WHERE = "known.yaml:13:5"


class KnownLeaks(E2ETest):
    def run_suite(self, leaky):
        path = self.write("known.yaml", SUITE.format(bin=MINIPOUCHD, reason=REASON))
        out = {k: os.path.join(self.tmp, "r." + k) for k in ("xml", "json", "md", "html")}
        r = self.leakprobe("run", path, "--var", f"leaky={leaky}", "--junit", out["xml"], "--json", out["json"],
                           "--markdown", out["md"], "--html", out["html"])
        self.assertEqual(r.returncode, 0, r.stdout.decode() + r.stderr.decode())
        xml = self.assert_valid_junit(out["xml"])
        texts = {}
        for k in ("json", "md", "html"):
            with open(out[k], encoding="utf-8") as f:
                texts[k] = f.read()
        return r.stdout.decode(), xml, json.loads(texts["json"]), texts["md"], texts["html"]

    def test_a_known_leak_passes_and_is_listed_everywhere(self):
        console, xml, report, markdown, html = self.run_suite("true")
        (_, case), = cases(xml)
        self.assertEqual(result_of(case), "passed")
        line = f"known leak: main.(*Server).logsContainer \u00d71 (reason: {REASON}) [{self.tmp}/{WHERE}]"
        self.assertIn("      " + line, console)
        self.assertIn(line, case.system_out)
        props = {p.name: p.value for suite in xml for p in suite.properties()}
        self.assertEqual(props["known_leak.1"], f"follow and hang up, with a known leak: main.(*Server).logsContainer "
                                                f"\u00d71 ({REASON}) [{self.tmp}/{WHERE}]")
        known = report["suites"][0]["cases"][0]["known_leaks"]
        self.assertEqual([(k["function"], k["count"], k["reason"], k["where"]) for k in known],
                         [("main.(*Server).logsContainer", 1, REASON, f"{self.tmp}/{WHERE}")])
        self.assertEqual(report["suites"][0]["unseen_known_leaks"], [])
        self.assertIn(REASON, markdown)
        self.assertIn("main.(*Server).logsContainer", markdown)
        self.assertIn(REASON.replace(":", ":"), html)
        self.assertIn("main.(*Server).logsContainer", html)
        self.assertNotIn("no longer seen", console)

    def test_a_fixed_leak_is_reported_as_no_longer_seen(self):
        console, xml, report, markdown, html = self.run_suite("false")
        (_, case), = cases(xml)
        self.assertEqual(result_of(case), "passed")
        self.assertIn(f"known leak no longer seen: top keyword main.(*Server).logsContainer [{self.tmp}/{WHERE}] "
                      f"(reason: {REASON}): delete the entry if the leak is fixed", console)
        props = {p.name: p.value for suite in xml for p in suite.properties()}
        self.assertEqual(props["known_leak.no_longer_seen.1"],
                         f"top keyword main.(*Server).logsContainer [{self.tmp}/{WHERE}]: {REASON}")
        self.assertNotIn("known_leak.1", props)
        unseen = report["suites"][0]["unseen_known_leaks"]
        self.assertEqual([(k["pattern"], k["reason"], k["count"]) for k in unseen],
                         [("top keyword main.(*Server).logsContainer", REASON, 0)])
        self.assertIn("no longer seen", markdown)
        self.assertIn(REASON, markdown)
        self.assertIn("no longer seen", html)
        self.assertIn(REASON, html)


if __name__ == "__main__":
    unittest.main()
