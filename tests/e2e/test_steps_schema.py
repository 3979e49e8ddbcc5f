"""`leakprobe schema` prints a JSON Schema (draft-07, what yaml-language-server reads) that
every shipped example satisfies and that catches the mistakes an editor should underline.
Checked with Debian's python3-jsonschema; skipped, saying so, when it is not installed."""
import glob
import json
import os
import subprocess
import unittest

import yaml

from lp_e2e import E2ETest, LEAKPROBE, SOURCE_DIR

try:
    import jsonschema
except ImportError:  # scripts/setup installs python3-jsonschema
    jsonschema = None


def example_files():
    return sorted(glob.glob(os.path.join(SOURCE_DIR, "examples", "**", "*.yaml"), recursive=True))


class Schema(E2ETest):
    def setUp(self):
        super().setUp()
        if jsonschema is None:
            self.skipTest("python3-jsonschema is not installed (scripts/setup installs it)")
        r = subprocess.run([LEAKPROBE, "schema"], capture_output=True, timeout=30)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.schema = json.loads(r.stdout)
        self.validator = jsonschema.Draft7Validator(self.schema)

    def errors(self, text):
        return [e.message for e in self.validator.iter_errors(yaml.safe_load(text))]

    def test_is_a_valid_draft7_schema(self):
        jsonschema.Draft7Validator.check_schema(self.schema)
        self.assertEqual(self.schema["$schema"], "http://json-schema.org/draft-07/schema#")

    def test_every_example_satisfies_it(self):
        files = [f for f in example_files() if "/scenarios/" in f or "/docker/" in f]
        self.assertGreaterEqual(len(files), 4, files)
        for path in files:
            with open(path) as f:
                doc = yaml.safe_load(f)
            errs = [f"{'/'.join(map(str, e.path))}: {e.message}" for e in self.validator.iter_errors(doc)]
            self.assertEqual(errs, [], path)
            # And leakprobe itself agrees that the file is valid.
            r = self.leakprobe("validate", path)
            self.assertEqual(r.returncode, 0, r.stderr.decode())

    def test_it_catches_what_an_editor_should_underline(self):
        head = "scenarios:\n  - name: a\n    steps:\n"
        self.assertEqual(self.errors(head + "      - sleep: 1s\n"), [])
        self.assertNotEqual(self.errors(head + "      - http: { mehtod: GET, url: x }\n"), [])
        self.assertNotEqual(self.errors(head + "      - sleep: 3 sec\n"), [])
        self.assertNotEqual(self.errors(head + "      - sleep: 1s\n        http: { url: x }\n"), [])
        self.assertNotEqual(self.errors(head + "      - exec: { cwd: / }\n"), [])
        self.assertNotEqual(self.errors(head + "      - repeat: { times: 0, steps: [] }\n"), [])
        self.assertNotEqual(self.errors("target: { ready: { http: x, tcp: \"h:1\" } }\n" + head +
                                        "      - sleep: 1s\n"), [])
        self.assertNotEqual(self.errors("scenarios: []\nsuitee: x\n"), [])

    def test_repeat_short_form(self):
        head = "scenarios:\n  - name: a\n    steps:\n"
        self.assertEqual(self.errors(head + "      - repeat: 20\n        concurrency: 4\n"
                                            "        steps: [{sleep: 1s}]\n"), [])
        self.assertNotEqual(self.errors(head + "      - repeat: 20\n"), [])  # no steps
        self.assertNotEqual(self.errors(head + "      - repeat: 0\n        steps: [{sleep: 1s}]\n"), [])
        self.assertNotEqual(self.errors(head + "      - repeat: {times: 2, steps: [{sleep: 1s}]}\n"
                                               "        steps: [{sleep: 1s}]\n"), [])
        self.assertNotEqual(self.errors(head + "      - sleep: 1s\n        concurrency: 2\n"), [])


if __name__ == "__main__":
    unittest.main()
