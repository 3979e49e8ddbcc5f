"""One verdict everywhere, against a real leaky minipouchd:

- `run`, `scan` and `diff` judge the same dump by the same rules (matchers/triage.h): the run
  keeps its baseline and final dumps (--artifacts), scan and diff read them with the
  scenario's suspects and ignores as flags, and all three name the same goroutines; the
  built-in ignore list applies in each (the dump request's own goroutine is new in the final
  dump, and only --no-builtin-ignores shows it).
- Every report (JUnit, JSON, Markdown, HTML) lists exactly the groups the verdict counted:
  with suspects on logsContainer, the live container's own new goroutine is not a leak in any.
"""
import html
import json
import os
import re
import unittest

from lp_e2e import E2ETest, LEAKY_SUITE_HEAD, MINIPOUCHD, cases, result_of

# The scenario of issue 15 item 10, after examples/scenarios/logs-follow.yaml: create, start,
# follow eight times and hang up each after 200ms, suspects on logsContainer only.
SUITE = "suite: same-verdict\n" + LEAKY_SUITE_HEAD + """\
scenarios:
  - name: follow eight times and hang up
    steps:
      - name: create
        http: {{ method: POST, url: "${{api}}/containers/create", json: {{ Cmd: [silent] }} }}
        expect: {{ status: 201 }}
        capture: {{ cid: {{ json: /Id }} }}
      - name: start
        http: {{ method: POST, url: "${{api}}/containers/${{cid}}/start" }}
        expect: {{ status: 204 }}
      - name: follow
        repeat: 8
        steps:
          - http: {{ url: "${{api}}/containers/${{cid}}/logs?stdout=1&follow=1", disconnect_after: 200ms }}
    leaks:
      suspects: [ {{ keyword: "(*Server).logsContainer" }} ]
      settle: 2s
"""
LOGS = "main.(*Server).logsContainer"
# A group header of a failure body: "8 goroutines [chan receive], ids 12, 14, ..." (FormatBucket).
GROUP = re.compile(r"^(\d+) goroutines? \[[^\]\n]*\], ids? ([\d, ]+)$", re.M)


def groups_in_body(text):
    """{frozenset(ids)} of the grouped stacks in a JUnit or Markdown failure body."""
    return {frozenset(int(i) for i in m.group(2).split(", ")) for m in GROUP.finditer(text)}


class SameVerdict(E2ETest):
    def setUp(self):
        super().setUp()
        suite = self.write("suite.yaml", SUITE.format(bin=MINIPOUCHD))
        self.out = {k: os.path.join(self.tmp, "report." + k) for k in ("xml", "json", "md", "html")}
        self.art = os.path.join(self.tmp, "artifacts")
        self.run_result = self.leakprobe("run", suite, "--junit", self.out["xml"], "--json", self.out["json"],
                                         "--markdown", self.out["md"], "--html", self.out["html"],
                                         "--artifacts", self.art)
        self.assertEqual(self.run_result.returncode, 1,
                         self.run_result.stdout.decode() + self.run_result.stderr.decode())
        with open(self.out["json"]) as f:
            self.case = json.load(f)["suites"][0]["cases"][0]
        self.leaks = self.case["leaks"]
        folder = os.path.join(self.art, "same-verdict", os.listdir(os.path.join(self.art, "same-verdict"))[0])
        self.baseline = os.path.join(folder, "baseline-dump.txt")
        self.final = os.path.join(folder, "final-dump.txt")

    def test_every_report_lists_exactly_the_counted_groups(self):
        counted = {frozenset(g["ids"]) for g in self.leaks}
        self.assertEqual([(g["function"], g["count"]) for g in self.leaks], [(LOGS, 8)])
        self.assertEqual(self.case["message"], f"8 leaked goroutines: {LOGS} \u00d78")

        _, first = cases(self.assert_valid_junit(self.out["xml"]))[0]
        kind, typ, message, body = result_of(first)
        self.assertEqual((kind, typ, message), ("Failure", "GoroutineLeak", self.case["message"]))
        self.assertEqual(groups_in_body(body), counted)

        with open(self.out["md"]) as f:
            md = f.read()
        self.assertEqual(groups_in_body(md), counted)

        with open(self.out["html"]) as f:
            page = f.read()
        section = page.split("<h3>Leaked goroutines, grouped by identical stack</h3>", 1)[1]
        section = section.split("<h3>", 1)[0].split("<details class=\"more\"", 1)[0]
        self.assertEqual([html.unescape(f) for f in re.findall(r'<code class="fn">(.*?)</code>', section)], [LOGS])
        self.assertEqual(re.findall(r'<b class="n">(\d+)</b>', section), ["8"])
        # The followers' readers are new too, but no suspect matched them and the verdict did
        # not count them: no report lists them as leaked.
        for report in (body, md, section, json.dumps(self.leaks)):
            self.assertNotIn("readLogMessages", report)

    def test_scan_and_diff_apply_the_rules_of_run(self):
        leaked = sorted(i for g in self.leaks for i in g["ids"])
        self.assertEqual(len(leaked), 8)
        # The scenario's suspect and the suite's ignore entry, as flags.
        flags = ["--suspect", "(*Server).logsContainer", "--ignore", "main.(*Monitor).loop", "--format", "json"]

        def funcs(doc):
            return {f["func"] for b in doc["buckets"] for f in b["frames"]}

        def suspect_ids(doc):
            return sorted(i for b in doc["buckets"] if b["suspect"] for i in b["ids"])

        r = self.leakprobe("scan", self.final, *flags)
        self.assertEqual(r.returncode, 1, r.stderr)
        scan = json.loads(r.stdout)
        self.assertEqual(suspect_ids(scan), leaked)
        self.assertNotIn("main.(*Monitor).loop", funcs(scan))
        self.assertGreater(scan["ignored"], 0)

        r = self.leakprobe("diff", self.baseline, self.final, *flags)
        self.assertEqual(r.returncode, 1, r.stderr)
        diff = json.loads(r.stdout)
        self.assertEqual(suspect_ids(diff), leaked)
        # What else is new is there, not a suspect: the readers run did not count either.
        self.assertEqual([(b["count"], b["frames"][0]["func"]) for b in diff["buckets"] if not b["suspect"]],
                         [(8, "main.readLogMessages")])

        # The built-in list holds in both: the goroutine that served the final dump request is
        # in neither, and only --no-builtin-ignores shows it.
        def serving(doc):
            return [f for f in funcs(doc) if f.startswith("runtime/pprof.")]
        self.assertEqual(serving(scan), [])
        self.assertEqual(serving(diff), [])
        for args in (("scan", self.final), ("diff", self.baseline, self.final)):
            r = self.leakprobe(*args, *flags, "--no-builtin-ignores")
            self.assertNotEqual(serving(json.loads(r.stdout)), [], args)


if __name__ == "__main__":
    unittest.main()
