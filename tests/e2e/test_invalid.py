"""Bad scenario files stop the run before anything starts: exit 2, `file:line:col: message`."""
import unittest

from lp_e2e import E2ETest, MINIPOUCHD, processes_running

GOOD_HEAD = """\
suite: s
target:
  run: [/bin/true]
scenarios:
  - name: one
    steps:
"""


class InvalidScenarioFiles(E2ETest):
    def check(self, name, text, want_lines):
        path = self.write(name, text)
        for command in ("run", "validate"):
            r = self.leakprobe(command, path)
            self.assertEqual(r.returncode, 2, (command, r.stdout, r.stderr))
            err = r.stderr.decode()
            for want in want_lines:
                self.assertIn(f"{path}:{want}", err, command)

    def test_typo_key(self):
        self.check("typo.yaml", GOOD_HEAD + "      - http: { mehtod: POST, url: http://x/ }\n",
                   ['7:17: unknown key "mehtod" (did you mean "method"?)'])

    def test_bad_regex(self):
        self.check("regex.yaml", GOOD_HEAD + "      - sleep: 1s\n    leaks:\n      suspects:\n"
                   "        - regex: \"main.(\"\n",
                   ['10:18: bad regex "main.(": missing ): main.('])

    def test_invalid_yaml(self):
        self.check("broken.yaml", GOOD_HEAD + "      - http: { url: x\n", ["8:1: invalid YAML"])

    def test_all_errors_of_a_file_at_once(self):
        text = GOOD_HEAD + ("      - http: { mehtod: POST, url: http://x/ }\n"
                            "      - sleep: 3 sec\n")
        self.check("two.yaml", text, ['7:17: unknown key "mehtod"', "8:16: "])

    def test_nothing_was_started(self):
        # The target of a bad file is never started: a run with a typo costs nothing.
        path = self.write("typo2.yaml", GOOD_HEAD.replace("/bin/true", MINIPOUCHD) +
                          "      - http: { mehtod: POST, url: http://x/ }\n")
        r = self.leakprobe("run", path)
        self.assertEqual(r.returncode, 2)
        self.assertEqual(processes_running(MINIPOUCHD), [])

    def test_missing_file_is_a_usage_error(self):
        r = self.leakprobe("run", "no-such.yaml")
        self.assertEqual(r.returncode, 2)
        self.assertIn("no such file or folder: no-such.yaml", r.stderr.decode())


if __name__ == "__main__":
    unittest.main()
