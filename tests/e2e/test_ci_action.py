"""The CI integration: the composite action (action.yml) runs scripts/ci-action, so the script
runs here exactly as the action calls it (its `run:` line, with the environment its `env:`
block builds from the inputs), against the example daemon. GitHub itself is out of reach, so
the workflow files are checked by parsing them: inputs used exist, scripts they call exist,
shell blocks parse, variables match what the script reads."""
import os
import re
import subprocess
import unittest

import yaml

from lp_e2e import E2ETest, EXAMPLE, LEAKPROBE, MINIPOUCHD, SOURCE_DIR, cases, result_of

ACTION = os.path.join(SOURCE_DIR, "action.yml")
SCRIPT = os.path.join(SOURCE_DIR, "scripts", "ci-action")
CI_WORKFLOW = os.path.join(SOURCE_DIR, ".github", "workflows", "ci.yml")
EXAMPLE_WORKFLOW = os.path.join(SOURCE_DIR, "examples", "ci", "github-workflow.yml")
GITLAB = os.path.join(SOURCE_DIR, "examples", "ci", "gitlab-ci.yml")
JENKINSFILE = os.path.join(SOURCE_DIR, "examples", "ci", "Jenkinsfile")

# Read by the script only when it builds leakprobe itself; the action never sets them.
BUILD_ONLY_VARS = {"LEAKPROBE_BUILD_DIR", "LEAKPROBE_SKIP_SETUP"}
EXPR = re.compile(r"\$\{\{\s*(.*?)\s*\}\}")

QUICK_SUITE = """\
suite: quick
scenarios:
  - name: passes
    steps: [ { sleep: 1ms } ]
  - name: broken
    steps:
      - http: { url: "http://127.0.0.1:1/nothing" }
"""


def load_yaml(path):
    with open(path, encoding="utf-8") as f:
        return yaml.safe_load(f)


def script_variables():
    """The LEAKPROBE_* variables documented at the top of scripts/ci-action."""
    with open(SCRIPT, encoding="utf-8") as f:
        header = [l for l in f if l.startswith("#")]
    return {m.group(1) for l in header for m in [re.match(r"#\s+(LEAKPROBE_[A-Z_]+)\s", l)] if m}


def script_reads():
    with open(SCRIPT, encoding="utf-8") as f:
        body = "".join(l for l in f if not l.startswith("#"))
    return set(re.findall(r"\$\{(LEAKPROBE_[A-Z_]+)", body))


def workflow_steps(workflow):
    for name, job in workflow["jobs"].items():
        for step in job.get("steps", []):
            yield name, step


def check_shell(test, script, where):
    """`bash -n` on a run: block, with ${{ }} expressions replaced by a word."""
    r = subprocess.run(["bash", "-n"], input=EXPR.sub("EXPR", script), text=True,
                       capture_output=True)
    test.assertEqual(r.returncode, 0, f"{where}: {r.stderr}")


class ActionDefinition(unittest.TestCase):
    def setUp(self):
        self.action = load_yaml(ACTION)
        self.inputs = self.action["inputs"]
        self.steps = self.action["runs"]["steps"]

    def test_composite_action_calls_the_script(self):
        self.assertEqual(self.action["runs"]["using"], "composite")
        run_steps = [s for s in self.steps if "run" in s]
        self.assertEqual(len(run_steps), 1)
        step = run_steps[0]
        self.assertEqual(step["shell"], "bash")
        self.assertEqual(step["run"].strip(), '"$GITHUB_ACTION_PATH/scripts/ci-action"')
        self.assertTrue(os.access(SCRIPT, os.X_OK))

    def test_env_maps_inputs_onto_the_scripts_variables(self):
        (step,) = [s for s in self.steps if "run" in s]
        env = step["env"]
        for name, value in env.items():
            m = EXPR.fullmatch(value)
            self.assertIsNotNone(m, f"{name}: {value}")
            self.assertRegex(m.group(1), r"^inputs\.[a-z-]+$")
            self.assertIn(m.group(1)[len("inputs."):], self.inputs, name)
        documented = script_variables()
        self.assertEqual(set(env), documented - BUILD_ONLY_VARS)
        self.assertEqual(script_reads(), documented)
        self.assertTrue(self.inputs["scenarios"]["required"])

    def test_reports_are_uploaded_even_when_the_step_failed(self):
        (upload,) = [s for s in self.steps if s.get("uses", "").startswith("actions/upload-artifact@")]
        self.assertIn("always()", upload["if"])
        self.assertEqual(upload["with"]["path"], "${{ inputs.report-dir }}")
        self.assertEqual(upload["with"]["name"], "${{ inputs.artifact-name }}")

    def test_outputs_come_from_the_script_step(self):
        (step,) = [s for s in self.steps if "run" in s]
        with open(SCRIPT, encoding="utf-8") as f:
            script = f.read()
        for name, output in self.action["outputs"].items():
            self.assertEqual(output["value"], "${{ steps.%s.outputs.%s }}" % (step["id"], name))
            self.assertIn(f'echo "{name}=', script)


class Workflows(unittest.TestCase):
    def setUp(self):
        self.action_inputs = load_yaml(ACTION)["inputs"]

    def check_uses_of_action(self, workflow, uses):
        found = 0
        for job, step in workflow_steps(workflow):
            if step.get("uses") != uses:
                continue
            found += 1
            given = set(step.get("with", {}))
            self.assertLessEqual(given, set(self.action_inputs), f"{job}: unknown inputs")
            for name, spec in self.action_inputs.items():
                if spec.get("required"):
                    self.assertIn(name, given, f"{job}: required input {name}")
        self.assertGreater(found, 0, f"no step uses {uses}")

    def test_ci_workflow(self):
        wf = load_yaml(CI_WORKFLOW)
        triggers = wf.get("on", wf.get(True))  # YAML 1.1 reads a bare `on` as true
        self.assertIn("push", triggers)
        self.assertIn("pull_request", triggers)
        self.assertLessEqual({"test", "sanitize", "action", "package"}, set(wf["jobs"]))
        for job, step in workflow_steps(wf):
            if "run" in step:
                check_shell(self, step["run"], f"ci.yml {job}")
                for path in re.findall(r"\bscripts/[a-z-]+", step["run"]):
                    self.assertTrue(os.path.exists(os.path.join(SOURCE_DIR, path)), path)
        sanitize = yaml.safe_dump(wf["jobs"]["sanitize"])
        self.assertIn("-DLEAKPROBE_SANITIZE=ON", sanitize)
        self.assertIn("ctest", sanitize)
        self.check_uses_of_action(wf, "./")

    def test_example_github_workflow(self):
        wf = load_yaml(EXAMPLE_WORKFLOW)
        for job, step in workflow_steps(wf):
            if "run" in step:
                check_shell(self, step["run"], f"github-workflow.yml {job}")
        self.check_uses_of_action(wf, "leakprobe/leakprobe@v0")

    def test_gitlab_and_jenkins_snippets_use_the_script_with_known_variables(self):
        known = script_variables()
        gitlab = load_yaml(GITLAB)
        job = gitlab["goroutine-leaks"]
        self.assertLessEqual({k for k in job["variables"] if k.startswith("LEAKPROBE_")}, known)
        for line in job["before_script"] + job["script"]:
            check_shell(self, line, "gitlab-ci.yml")
        self.assertTrue(any("scripts/ci-action" in line for line in job["script"]))
        out_dir = job["variables"]["LEAKPROBE_OUT_DIR"]
        self.assertEqual(job["artifacts"]["reports"]["junit"], f"{out_dir}/junit.xml")
        self.assertEqual(job["artifacts"]["when"], "always")

        with open(JENKINSFILE, encoding="utf-8") as f:
            jenkins = f.read()
        self.assertLessEqual(set(re.findall(r"\b(LEAKPROBE_[A-Z_]+)=", jenkins)), known)
        self.assertIn("scripts/ci-action", jenkins)
        out = re.search(r"LEAKPROBE_OUT_DIR=([\w-]+)", jenkins).group(1)
        self.assertIn(f"junit testResults: '{out}/junit.xml'", jenkins)


class ScriptAsTheActionCallsIt(E2ETest):
    """Runs the action's `run:` line through bash with the env its `env:` block makes."""

    def run_action(self, inputs, cwd=None):
        action = load_yaml(ACTION)
        (step,) = [s for s in action["runs"]["steps"] if "run" in s]
        values = {name: str(spec.get("default", "")) for name, spec in action["inputs"].items()}
        values.update(inputs)
        env = {k: v for k, v in os.environ.items()
               if not k.startswith("GITHUB_") and not k.startswith("LEAKPROBE_")}
        for name, expr in step["env"].items():
            env[name] = values[EXPR.fullmatch(expr).group(1)[len("inputs."):]]
        self.output = os.path.join(self.tmp, "github-output")
        self.summary = os.path.join(self.tmp, "step-summary.md")
        env.update(GITHUB_ACTION_PATH=SOURCE_DIR, GITHUB_ACTIONS="true",
                   GITHUB_OUTPUT=self.output, GITHUB_STEP_SUMMARY=self.summary,
                   GITHUB_WORKSPACE=SOURCE_DIR)
        return subprocess.run([step["shell"], "-c", step["run"]], cwd=cwd or self.tmp, env=env,
                              capture_output=True, timeout=300)

    def outputs(self):
        with open(self.output) as f:
            return dict(line.rstrip("\n").split("=", 1) for line in f)

    def test_leaky_example_fails_with_every_report(self):
        r = self.run_action({
            "scenarios": EXAMPLE,
            "vars": f"minipouchd={MINIPOUCHD}\nleaky=true\n",
            "args": "--filter=silent",
            "leakprobe": LEAKPROBE,
        })
        out = r.stdout.decode()
        self.assertEqual(r.returncode, 1, out + r.stderr.decode())
        outs = self.outputs()
        self.assertEqual(outs, {
            "junit": "leakprobe-report/junit.xml",
            "json": "leakprobe-report/report.json",
            "markdown": "leakprobe-report/summary.md",
            "report-dir": "leakprobe-report",
            "exit-code": "1",
        })
        xml = self.assert_valid_junit(os.path.join(self.tmp, outs["junit"]))
        ((suite, case),) = cases(xml)
        kind, typ, message, _ = result_of(case)
        self.assertEqual((suite, kind, typ), ("logs-follow", "Failure", "GoroutineLeak"))
        self.assertIn("main.(*Server).logsContainer", message)
        for name in ("json", "markdown"):
            self.assertTrue(os.path.getsize(os.path.join(self.tmp, outs[name])) > 0)
        with open(self.summary, encoding="utf-8") as f:
            self.assertIn("### leakprobe: 0 passed, 1 failed", f.read())
        # The annotation points at the scenario's line, relative to the workspace.
        with open(EXAMPLE) as f:
            line = [l.strip() for l in f].index(
                "- name: follow logs of a silent container, then disconnect") + 1
        self.assertIn(f"::error file=examples/scenarios/logs-follow.yaml,line={line},"
                      "title=GoroutineLeak%3A ", out)

    def test_fail_on_leak_false_keeps_the_step_green(self):
        self.write("quick.yaml", QUICK_SUITE)
        r = self.run_action({"scenarios": "quick.yaml", "leakprobe": LEAKPROBE,
                             "fail-on-leak": "false", "junit-flavor": "surefire",
                             "report-dir": "out dir"})
        self.assertEqual(r.returncode, 0, r.stdout.decode() + r.stderr.decode())
        self.assertEqual(self.outputs()["exit-code"], "1")
        with open(os.path.join(self.tmp, "out dir", "junit.xml")) as f:
            self.assertIn("<testsuite name=\"quick\" tests=\"2\"", f.read())

    def test_bad_invocation_still_fails_with_fail_on_leak_false(self):
        r = self.run_action({"scenarios": "missing.yaml", "leakprobe": LEAKPROBE,
                             "fail-on-leak": "false"})
        self.assertEqual(r.returncode, 2)
        r = self.run_action({"scenarios": " \n", "leakprobe": LEAKPROBE})
        self.assertEqual(r.returncode, 2)
        self.assertIn(b"LEAKPROBE_SCENARIOS (the action's scenarios input) is empty", r.stderr)

    def test_builds_leakprobe_when_no_binary_is_given(self):
        # The build path, on this build folder: up to date, so cmake --build has nothing to do.
        self.write("quick.yaml", QUICK_SUITE)
        env_extra = {"LEAKPROBE_BUILD_DIR": os.path.dirname(LEAKPROBE),
                     "LEAKPROBE_SKIP_SETUP": "true", "LEAKPROBE_SCENARIOS": "quick.yaml"}
        env = {k: v for k, v in os.environ.items() if not k.startswith("GITHUB_")}
        env.pop("LEAKPROBE_BIN", None)
        env.update(env_extra)
        r = subprocess.run([SCRIPT], cwd=self.tmp, env=env, capture_output=True, timeout=600)
        self.assertEqual(r.returncode, 1, r.stdout.decode() + r.stderr.decode())
        self.assertIn(f"ci-action: {LEAKPROBE} run quick.yaml", r.stdout.decode())


if __name__ == "__main__":
    unittest.main()
