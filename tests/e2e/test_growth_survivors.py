"""Growth that finds a leak names it, even when no stack climbs with the iterations.

minipouchd's exec handler (--leaky) leaves its helper blocked for ever on a send when the
client hangs up before the command is done. The helper sleeps in main.runExec first, so while
the iterations run its stack is the sleeping one; it reaches the blocked one,
main.(*Server).execContainer.func1 in [chan send], only after the last iteration's dump, and
the sleeping stack drains during the settle. The total grows, no stack grows through the
settle, and what was created during the repeat and is still alive after it is the leak: 5
goroutines on one stack, +1.0/iteration, named in the message, the JUnit body, the JSON
`leaks`, the Markdown chart and the HTML page.

The fixed daemon passes the same file; LEAKPROBE_GROWTH_RUNS (lp_growth.py; default 2) says
in how many runs of it.
"""
import json
import os
import unittest

from lp_e2e import E2ETest, MINIPOUCHD, cases, result_of, shared_run
from lp_growth import CREATE_AND_START, DELETE, HEADER, growth_runs

# The scenario: a container, then 5 execs of `sleep 300ms` hung up on after 50ms.
SCENARIO = (HEADER.replace("SUITE", "exec-growth").replace("LEAKY", "${leaky}")
            .replace("scenarios:\n", "  leak_profile: off\nscenarios:\n") +
            "  - name: exec hung up on, 5 times\n    steps:\n" + CREATE_AND_START + """\
      - name: exec and hang up, 5 times
        repeat: 5
        steps:
          - http: { method: POST, url: "${api}/containers/${cid}/exec", json: { Cmd: [sleep, 300ms] },
                    disconnect_after: 50ms }
        growth: { settle: 2s }
""" + DELETE)
CASE = "exec hung up on, 5 times"
HELPER = "main.(*Server).execContainer.func1"
MESSAGE = (r"^leaks 1\.0 goroutines per iteration over 5 iterations: main\.\(\*Server\)\.execContainer\.func1 "
           r"\+1\.0/iteration \(total \d+ \u2192 \d+\)$")


class GrowthNamesWhatSurvived(E2ETest):
    # One run against the leaky daemon for the whole class, with every report; the tests read them.
    leaky = None

    @classmethod
    def run_leaky(cls):
        if cls.leaky is None:
            files = {"exec.yaml": SCENARIO.replace("MINIPOUCHD", json.dumps(MINIPOUCHD))}
            r, folder = shared_run(cls, "leakprobe-survivors-", files,
                                   ["run", "exec.yaml", "--var", "leaky=true", "--junit", "report.xml",
                                    "--json", "report.json", "--markdown", "report.md", "--html", "report.html"])
            out = {kind: os.path.join(folder, "report." + kind) for kind in ("xml", "json", "md", "html")}
            cls.leaky = (r, out)
        return cls.leaky

    def report(self, kind):
        r, out = self.run_leaky()
        self.assertEqual(r.returncode, 1, r.stdout.decode() + r.stderr.decode())
        with open(out[kind], encoding="utf-8") as f:
            return f.read()

    def test_the_failure_names_the_exec_helper_at_one_per_iteration(self):
        self.report("xml")
        xml = self.assert_valid_junit(self.run_leaky()[1]["xml"])
        ((suite, case),) = cases(xml)
        kind, typ, message, text = result_of(case)
        self.assertEqual((kind, typ), ("Failure", "GoroutineLeak"), message)
        self.assertRegex(message, MESSAGE)
        # The body: the named group, how many survived, the series with the jump at the
        # settle, and the stack with its ids.
        self.assertIn(HELPER + ' +1.0/iteration, created during step 3 "exec and hang up, 5 times"\n'
                      "  5 created during the repeat, still alive after the settle\n", text)
        self.assertRegex(text, r"count before the first iteration and after each iteration: 0( \d)+ "
                               r"\(after the settle: 5\)")
        self.assertRegex(text, r"5 goroutines \[chan send\], ids \d+, \d+, \d+, \d+, \d+\n")
        self.assertIn("    main.(*Server).execContainer.func1(...)\n", text)
        self.assertNotIn("spread over stacks", message + text)

    def test_the_json_leaks_hold_one_group_of_5_with_its_stack(self):
        doc = json.loads(self.report("json"))
        (case,) = [c for s in doc["suites"] for c in s["cases"]]
        self.assertEqual(case["outcome"], "failed")
        (group,) = case["leaks"]
        self.assertEqual((group["function"], group["count"], group["state"], group["per_iteration"]),
                         (HELPER, 5, "chan send", 1.0))
        self.assertEqual(len(group["ids"]), 5)
        self.assertTrue(group["stack"][0].startswith(HELPER + " "), group["stack"])
        self.assertTrue(group["created_by"].startswith("main.(*Server).execContainer "), group["created_by"])
        self.assertEqual(group["created_during"], 'step 3 "exec and hang up, 5 times"')
        # Before the first iteration, after each of the 5, and after the settle.
        self.assertEqual(len(group["series"]), 7)
        self.assertEqual((group["series"][0], group["series"][-1]), (0, 5))
        # The timeline draws its signature: none before the repeat, 5 at the end of the settle.
        (series,) = case["timeline"]["series"]
        self.assertEqual((series["name"], series["why"]), (HELPER, "growing"))
        self.assertEqual((series["counts"][0], series["counts"][-1]), (0, 5))

    def test_markdown_and_html_show_the_group_and_its_series(self):
        md = self.report("md")
        self.assertIn("red, `main.(*Server).execContainer.func1` (growing)", md)
        self.assertRegex(md, r"\n    line \[0, [\d, ]*5\]\n")  # its series, ending at the settle's 5
        self.assertIn("5 created during the repeat, still alive after the settle", md)
        html = self.report("html")
        self.assertIn("main.(*Server).execContainer.func1</code>", html)
        self.assertIn("+1.0 per iteration", html)
        self.assertIn('class="series', html)

    def test_the_fixed_daemon_passes_every_run(self):
        path = self.write("exec.yaml", SCENARIO.replace("MINIPOUCHD", json.dumps(MINIPOUCHD)))
        runs = growth_runs()
        failures = []
        for i in range(1, runs + 1):
            junit = os.path.join(self.tmp, f"fixed-{i}.xml")
            r = self.leakprobe("run", path, "--var", "leaky=false", "--junit", junit, "-v")
            outcomes = {case.name: result_of(case) for _, case in cases(self.assert_valid_junit(junit))}
            if r.returncode != 0 or outcomes != {CASE: "passed"}:
                failures.append(f"run {i}: exit code {r.returncode}, {outcomes}\n"
                                f"{r.stdout.decode(errors='replace')}{r.stderr.decode(errors='replace')}")
        print(f"\nexec with --leaky=false: {runs - len(failures)} of {runs} runs passed")
        self.assertEqual(failures, [], "\n\n".join(failures))


if __name__ == "__main__":
    unittest.main()
