"""`dump.poll`: settle polls and growth iterations read per-stack counts (debug=1) under
`auto`, full dumps under `full`, and a failure reads the same either way: the same message,
the same groups with their ids, waits, creators and creating step. The example scenarios run
leaky against a real minipouchd once per mode and their reports are compared."""
import json
import os
import re
import unittest

from lp_e2e import E2ETest, MINIPOUCHD, MINIPOUCHD_GO127, SOURCE_DIR, cases, result_of

SCENARIOS = os.path.join(SOURCE_DIR, "examples", "scenarios")


def with_poll(text, mode):
    """The scenario file with `poll: MODE` in its dump block."""
    out, n = re.subn(r"^dump:\n", f"dump:\n  poll: {mode}\n", text, flags=re.M)
    assert n == 1, "the example has one dump block"
    return out


def ids_as_n(text):
    """A failure with goroutine ids, offsets, a growth's counts and the top frame's line left out:
    each run starts its own target, and the counts after each iteration move with the timing of
    what is in flight, as does where in its loop a goroutine was when the dump caught it."""
    text = re.sub(r"\bids? [0-9][0-9, ]*", "ids N", text)
    text = re.sub(r"(after each (?:iteration|round): )[0-9 ]+", r"\1N", text)
    text = re.sub(r"\(after the settle: [0-9]+\)", "(after the settle: N)", text)
    text = re.sub(r"total [0-9]+ \u2192 [0-9]+", "total N \u2192 N", text)
    text = re.sub(r"in goroutine [0-9]+", "in goroutine N", text)
    # The first file:line under a bucket's header: the line a goroutine stands on now.
    text = re.sub(r"(\], ids N\n    [^\n]*\n        [^\n]*\.go:)[0-9]+", r"\1N", text)
    return re.sub(r"\+0x[0-9a-f]+", "+0xN", text)


class PollModes(E2ETest):
    def run_both(self, example, minipouchd, *names):
        """Runs `example` leaky under poll: full and poll: auto; per mode the scenarios named,
        each as (JUnit result, JSON leak groups, step log)."""
        with open(os.path.join(SCENARIOS, example)) as f:
            text = f.read()
        got = {}
        for mode in ("full", "auto"):
            path = self.write(f"{mode}-{example}", with_poll(text, mode))
            junit = os.path.join(self.tmp, f"{mode}.xml")
            report = os.path.join(self.tmp, f"{mode}.json")
            r = self.leakprobe("run", path, "--var", f"minipouchd={minipouchd}", "--var", "leaky=true",
                               "--junit", junit, "--json", report, cwd=SOURCE_DIR)
            self.assertEqual(r.returncode, 1, r.stdout.decode() + r.stderr.decode())
            xml = self.assert_valid_junit(junit)
            with open(report) as f:
                js = {c["name"]: c for c in json.load(f)["suites"][0]["cases"]}
            got[mode] = {}
            for _, case in cases(xml):
                if case.name in names:
                    got[mode][case.name] = (result_of(case), js[case.name].get("leaks", []), case.system_out or "")
        return got["full"], got["auto"]

    def assert_same_failure(self, full, auto, name):
        (f_kind, f_type, f_msg, f_text), f_leaks, _ = full[name]
        (a_kind, a_type, a_msg, a_text), a_leaks, _ = auto[name]
        self.assertEqual((a_kind, a_type, ids_as_n(a_msg)), (f_kind, f_type, ids_as_n(f_msg)))
        self.assertEqual(ids_as_n(a_text), ids_as_n(f_text))
        self.assertEqual(len(a_leaks), len(f_leaks))
        for a, f in zip(a_leaks, f_leaks):
            for key in ("function", "count", "created_during", "created_by", "state", "stack", "proven",
                        "per_iteration"):
                self.assertEqual(a.get(key), f.get(key), key)
            # Ids and waits come from a full dump under both modes.
            self.assertEqual(len(a.get("ids", [])), a["count"], a)
            self.assertEqual(len(a.get("ids", [])), len(f.get("ids", [])))
            self.assertEqual(a.get("wait_minutes"), f.get("wait_minutes"))
        return a_text

    def test_a_suspect_leak_reads_the_same(self):
        name = "follow logs of a silent container, then disconnect"
        full, auto = self.run_both("logs-follow.yaml", MINIPOUCHD, name)
        text = self.assert_same_failure(full, auto, name)
        self.assertIn("1 goroutine [chan receive], id ", text)
        self.assertEqual(text.count('    created during step 3 "follow for 3s and hang up"\n'), 2)
        self.assertIn("    created by ", text)
        # auto polled counts until the settle ended, then judged one full dump.
        self.assertIn("per-stack counts still break the rules", auto[name][2])
        self.assertNotIn("per-stack counts", full[name][2])

    def test_growth_reads_the_same(self):
        name = "stream a container's stats and hang up, 20 times"
        full, auto = self.run_both("growth.yaml", MINIPOUCHD, name)
        text = self.assert_same_failure(full, auto, name)
        self.assertIn("created during", text)
        self.assertRegex(text, r"goroutines? \[[a-z ]+(, [0-9-]+ minutes)?\], ids? [0-9]")

    def test_a_proven_leak_reads_the_same(self):
        if not MINIPOUCHD_GO127:
            self.skipTest("no minipouchd built with Go 1.27: scripts/setup fetches golang-1.27-go")
        name = "exec, and hang up before it is done"
        full, auto = self.run_both("proven-leak.yaml", MINIPOUCHD_GO127, name)
        text = self.assert_same_failure(full, auto, name)
        self.assertIn("Proven leaks", text)
        self.assertIn("proven leak(s) above the baseline", auto[name][2])


if __name__ == "__main__":
    unittest.main()
