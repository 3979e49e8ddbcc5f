"""Every report of a real failing run against a real minipouchd, read back by real consumers:
the three JUnit flavors validated by xmllint against their schemas and read by junitparser,
the JSON against its documented shape, the Markdown job summary and the GitHub annotations;
`--shard` + `leakprobe merge`; the console's colour, NO_COLOR and -q."""
import json
import os
import re
import pty
import subprocess
import unittest

import junitparser

from lp_e2e import E2ETest, LEAKPROBE, MINIPOUCHD, SOURCE_DIR, cases, result_of

SCHEMAS = {
    "default": "junit-10.xsd",
    "ant": "JUnit.xsd",
    "surefire": "surefire-test-report.xsd",
}

# A quick version of examples/scenarios/logs-follow.yaml: the leak, an unmet expectation and
# a clean scenario, against minipouchd --leaky.
FAST_SUITE = """\
suite: fast-logs
vars:
  bin: "{bin}"
  api: "http://127.0.0.1:${{port}}"
target:
  run: ["${{bin}}", --listen, "127.0.0.1:${{port}}", --leaky]
  ready: {{ http: "http://127.0.0.1:${{port}}/_ping", timeout: 20s }}
dump:
  url: "http://127.0.0.1:${{port}}/debug/pprof/goroutine?debug=2"
ignore:
  - top: "main.(*Monitor).loop"
scenarios:
  - name: follow and hang up
    steps:
      - http: {{ method: POST, url: "${{api}}/containers/create", json: {{ Cmd: [silent] }} }}
        expect: {{ status: 201 }}
        capture: {{ cid: {{ json: /Id }} }}
      - http: {{ method: POST, url: "${{api}}/containers/${{cid}}/start" }}
      - http: {{ url: "${{api}}/containers/${{cid}}/logs?stdout=1&follow=1", disconnect_after: 300ms }}
      - http: {{ url: "${{api}}/containers/${{cid}}/logs?stdout=1&follow=1", disconnect_after: 300ms }}
    leaks:
      suspects: [ {{ keyword: "(*Server).logsContainer" }} ]
      settle: 500ms
  - name: wrong status
    steps:
      - http: {{ url: "${{api}}/_ping" }}
        expect: {{ status: 418 }}
  - name: ping
    steps:
      - http: {{ url: "${{api}}/_ping" }}
        expect: {{ status: 200 }}
"""
LEAK_LINE = FAST_SUITE.splitlines().index("  - name: follow and hang up") + 1

# No target at all: runs in milliseconds, for the console and sharding checks.
QUICK_SUITE = """\
suite: quick{n}
scenarios:
  - name: one
    steps: [ {{ sleep: 1ms }} ]
  - name: two
    steps: [ {{ sleep: 1ms }} ]
  - name: broken
    steps:
      - http: {{ url: "http://127.0.0.1:1/nothing" }}
"""


class RealFailingRun(E2ETest):
    """One leaky run per flavor; the default one also writes JSON, Markdown, annotations."""

    def setUp(self):
        super().setUp()
        self.suite = self.write("fast-logs.yaml", FAST_SUITE.format(bin=MINIPOUCHD))

    def run_fast(self, *extra, env=None):
        full_env = {k: v for k, v in os.environ.items() if not k.startswith("GITHUB_")}
        full_env.update(env or {})
        r = subprocess.run([LEAKPROBE, "run", "fast-logs.yaml", *extra], cwd=self.tmp,
                           capture_output=True, env=full_env, timeout=180)
        self.assertEqual(r.returncode, 1, r.stdout.decode() + r.stderr.decode())
        return r

    def check_cases(self, named_cases):
        got = {case.name: result_of(case) for case in named_cases}
        self.assertEqual(set(got), {"follow and hang up", "wrong status", "ping"})
        kind, typ, message, text = got["follow and hang up"]
        self.assertEqual((kind, typ), ("Failure", "GoroutineLeak"))
        self.assertEqual(message, "2 leaked goroutines: main.(*Server).logsContainer \u00d72")
        self.assertIn("2 goroutines [chan receive], ids ", text)
        self.assertIn("main.(*Server).logsContainer(...)", text)
        kind, typ, message, _ = got["wrong status"]
        self.assertEqual((kind, typ), ("Failure", "ExpectationFailed"))
        self.assertIn("418", message)
        self.assertEqual(got["ping"], "passed")

    def test_every_junit_flavor_validates_and_reads_back(self):
        for flavor, schema in SCHEMAS.items():
            with self.subTest(flavor=flavor):
                junit = os.path.join(self.tmp, f"{flavor}.xml")
                self.run_fast("--junit", junit, "--junit-flavor", flavor)
                self.assert_valid_schema(junit, schema)
                xml = junitparser.JUnitXml.fromfile(junit)
                if flavor == "surefire":  # a single <testsuite> root
                    self.assertIsInstance(xml, junitparser.TestSuite)
                    suites = [xml]
                else:
                    suites = list(xml)
                self.assertEqual([s.name for s in suites], ["fast-logs"])
                suite = suites[0]
                self.assertEqual((suite.tests, suite.failures, suite.errors), (3, 2, 0))
                self.check_cases(list(suite))
                props = {p.name: p.value for p in suite.properties()}
                self.assertEqual(props["leakprobe.version"], "0.1.0")
                self.assertIn(MINIPOUCHD, props["target"])
                self.assertRegex(props["dump.url"], r"^http://127\.0\.0\.1:\d+/debug/pprof/")
                with open(junit, encoding="utf-8") as f:
                    text = f.read()
                # time always with 3 decimals
                for t in re.findall(r' time="([^"]*)"', text):
                    self.assertRegex(t, r"^\d+\.\d{3}$")

    def test_json_markdown_summary_and_annotations(self):
        summary = os.path.join(self.tmp, "step-summary.md")
        with open(summary, "w") as f:
            f.write("earlier step\n")
        r = self.run_fast("--json", "r.json", "--markdown", "r.md",
                          env={"GITHUB_ACTIONS": "true", "GITHUB_STEP_SUMMARY": summary,
                               "GITHUB_WORKSPACE": self.tmp})
        with open(os.path.join(self.tmp, "r.json"), encoding="utf-8") as f:
            doc = json.load(f)
        self.assertEqual((doc["format"], doc["version"]), ("leakprobe-report", 1))
        s = doc["summary"]
        self.assertEqual((s["tests"], s["passed"], s["failed"], s["errors"], s["skipped"]),
                         (3, 1, 2, 0, 0))
        self.assertGreater(s["seconds"], 0)
        (suite,) = doc["suites"]
        leak = suite["cases"][0]
        self.assertEqual((leak["name"], leak["outcome"], leak["type"]),
                         ("follow and hang up", "failed", "GoroutineLeak"))
        self.assertEqual((leak["file"], leak["line"]), ("fast-logs.yaml", LEAK_LINE))
        # Every key the documented schema requires is there.
        with open(os.path.join(SOURCE_DIR, "schema", "leakprobe-report.schema.json")) as f:
            schema = json.load(f)
        for key in schema["required"]:
            self.assertIn(key, doc)
        for key in schema["$defs"]["case"]["required"]:
            self.assertIn(key, leak)

        with open(os.path.join(self.tmp, "r.md"), encoding="utf-8") as f:
            md = f.read()
        self.assertTrue(md.startswith("### leakprobe: 1 passed, 2 failed, 0 errors ("), md)
        self.assertIn("| \u274c | fast-logs | follow and hang up | ", md)
        self.assertIn("<details><summary>\u274c fast-logs / follow and hang up: 2 leaked "
                      "goroutines: main.(*Server).logsContainer \u00d72</summary>", md)
        with open(summary, encoding="utf-8") as f:
            self.assertEqual(f.read(), "earlier step\n" + md)  # appended, as GitHub expects

        out = r.stdout.decode()
        annotations = [l for l in out.splitlines() if l.startswith("::error ")]
        self.assertEqual(len(annotations), 2, out)
        self.assertTrue(annotations[0].startswith(
            f"::error file=fast-logs.yaml,line={LEAK_LINE},title=GoroutineLeak%3A fast-logs / "
            "follow and hang up::2 leaked goroutines: main.(*Server).logsContainer \u00d72%0A"),
            annotations[0])

    def test_no_annotations_outside_github(self):
        r = self.run_fast()
        self.assertNotIn("::error", r.stdout.decode())


class ShardsAndMerge(E2ETest):
    def setUp(self):
        super().setUp()
        for n in (1, 2, 3):
            self.write(f"q{n}.yaml", QUICK_SUITE.format(n=n))

    def test_shards_cover_every_scenario_once_and_merge_back(self):
        full = self.leakprobe("run", ".", "--junit", "full.xml")
        self.assertEqual(full.returncode, 1, full.stderr.decode())
        names = []
        shard_files = []
        for i in (1, 2, 3, 4):
            junit = f"shard-{i}.xml"
            r = self.leakprobe("run", ".", "--shard", f"{i}/4", "--junit", junit)
            self.assertIn(r.returncode, (0, 1), r.stderr.decode())
            xml = junitparser.JUnitXml.fromfile(os.path.join(self.tmp, junit))
            names += [f"{s}/{c.name}" for s, c in cases(xml)]
            shard_files.append(junit)
        self.assertEqual(len(names), 9)
        self.assertEqual(len(set(names)), 9)
        # The same split every time.
        again = self.leakprobe("run", ".", "--shard", "2/4", "--junit", "again.xml")
        self.assertIn(again.returncode, (0, 1))
        first = [f"{s}/{c.name}" for s, c in
                 cases(junitparser.JUnitXml.fromfile(os.path.join(self.tmp, "shard-2.xml")))]
        second = [f"{s}/{c.name}" for s, c in
                  cases(junitparser.JUnitXml.fromfile(os.path.join(self.tmp, "again.xml")))]
        self.assertEqual(first, second)

        m = self.leakprobe("merge", "merged.xml", *shard_files)
        self.assertEqual(m.returncode, 0, m.stderr.decode())
        merged_path = os.path.join(self.tmp, "merged.xml")
        merged = self.assert_valid_junit(merged_path)
        full_xml = junitparser.JUnitXml.fromfile(os.path.join(self.tmp, "full.xml"))
        self.assertEqual((merged.tests, merged.failures, merged.errors),
                         (full_xml.tests, full_xml.failures, full_xml.errors))
        self.assertEqual([s.name for s in merged], ["quick1", "quick2", "quick3"])
        for suite in merged:
            self.assertEqual(suite.tests, 3)
            self.assertEqual(sorted(c.name for c in suite), ["broken", "one", "two"])

    def test_bad_shard_and_merge_inputs_are_usage_errors(self):
        r = self.leakprobe("run", ".", "--shard", "5/4")
        self.assertEqual(r.returncode, 2)
        self.assertEqual(r.stderr.decode(), "leakprobe: --shard 5/4: write I/N with 1 <= I <= N, e.g. 2/4\n")
        self.write("junk.xml", "<html/>")
        m = self.leakprobe("merge", "out.xml", "junk.xml")
        self.assertEqual(m.returncode, 2)
        self.assertEqual(m.stderr.decode(),
                         "leakprobe: junk.xml: not a JUnit file: the root element is <html>\n")
        m = self.leakprobe("merge", "out.xml", "missing.xml")
        self.assertEqual(m.returncode, 2)
        self.assertEqual(m.stderr.decode(), "leakprobe: cannot read missing.xml: No such file or directory\n")
        self.assertFalse(os.path.exists(os.path.join(self.tmp, "out.xml")))
        r = self.leakprobe("run", ".", "--junit-flavor", "junit5")
        self.assertEqual(r.returncode, 2)


class Console(E2ETest):
    def setUp(self):
        super().setUp()
        self.write("q1.yaml", QUICK_SUITE.format(n=1))

    def run_on_tty(self, *args, env=None):
        """Runs leakprobe with stdout on a pseudo-terminal; returns (exit code, output)."""
        full_env = dict(os.environ)
        full_env.pop("NO_COLOR", None)
        full_env["TERM"] = "xterm"
        full_env.update(env or {})
        try:
            master, slave = pty.openpty()
        except OSError as e:  # no /dev/ptmx or no devpts mounted, as in a bare chroot
            self.skipTest(f"no pseudo-terminal here: pty.openpty() failed: {e}")
        p = subprocess.Popen([LEAKPROBE, *args], cwd=self.tmp, stdout=slave,
                             stderr=subprocess.PIPE, env=full_env)
        os.close(slave)
        out = b""
        while True:
            try:
                chunk = os.read(master, 4096)
            except OSError:  # EIO: the other side is closed
                break
            if not chunk:
                break
            out += chunk
        os.close(master)
        p.stderr.close()
        return p.wait(timeout=60), out.decode("utf-8", "replace")

    def test_colour_on_a_terminal_only(self):
        code, out = self.run_on_tty("run", "q1.yaml")
        self.assertEqual(code, 1)
        self.assertIn("\x1b[32mPASS\x1b[0m  quick1 / one", out)
        self.assertIn("\x1b[1;31mERROR\x1b[0m quick1 / broken", out)
        self.assertIn("\x1b[1;31m2 passed, 0 failed, 1 errors (", out)
        self.assertRegex(out, r"\r\x1b\[K\[\d/3\] \d+\.\ds")  # the progress line

        code, out = self.run_on_tty("run", "q1.yaml", env={"NO_COLOR": "1"})
        self.assertEqual(code, 1)
        self.assertNotIn("\x1b[3", out)
        self.assertNotIn("\x1b[1;", out)
        self.assertIn("PASS  quick1 / one", out)

        r = self.leakprobe("run", "q1.yaml")  # a pipe: no colour, no progress line
        self.assertNotIn(b"\x1b", r.stdout)
        self.assertNotIn(b"\r", r.stdout)

    def test_quiet_prints_failures_and_the_summary(self):
        r = self.leakprobe("run", "-q", "q1.yaml")
        self.assertEqual(r.returncode, 1)
        lines = r.stdout.decode().splitlines()
        self.assertEqual(len(lines), 2, lines)
        self.assertTrue(lines[0].startswith("ERROR quick1 / broken ("))
        self.assertRegex(lines[1], r"^2 passed, 0 failed, 1 errors \(\d+\.\d\ds\)$")

    def test_verbose_prints_the_step_logs(self):
        r = self.leakprobe("run", "-v", "q1.yaml")
        self.assertEqual(r.returncode, 1)
        self.assertIn("PASS  quick1 / one", r.stdout.decode())
        self.assertGreater(len(r.stdout.decode().splitlines()), 4)


if __name__ == "__main__":
    unittest.main()
