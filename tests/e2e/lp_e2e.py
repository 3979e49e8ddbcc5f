"""Shared pieces of the end-to-end tests: where the binaries are, running leakprobe, reading
its JUnit file back with real consumers, and checking that nothing it started is left.

Runs under Debian's /usr/bin/python3 (it has python3-junitparser); ctest passes the paths
in the environment.
"""
import os
import re
import shutil
import signal
import subprocess
import tempfile
import time
import unittest

import junitparser

LEAKPROBE = os.environ.get("LEAKPROBE_BIN", "")
MINIPOUCHD = os.environ.get("MINIPOUCHD_BIN", "")
GRPCD = os.environ.get("GRPCD_BIN", "")
SOURCE_DIR = os.environ.get("LEAKPROBE_SOURCE_DIR", "")
SHARED_DIR = os.environ.get("LEAKPROBE_SHARED_DIR", "")
# The example programs as the extra Go toolchains built them (scripts/setup fetches them into
# build/toolchains/; docs/dependencies.md): "" when this build lacks that toolchain, and a test
# that needs one should skip, saying so. MINIPOUCHD and the default dumpgen are Go 1.19's.
MINIPOUCHD_GO123 = os.environ.get("MINIPOUCHD_GO123_BIN", "")
DUMPGEN_GO123 = os.environ.get("DUMPGEN_GO123_BIN", "")
MINIPOUCHD_GO127 = os.environ.get("MINIPOUCHD_GO127_BIN", "")
DUMPGEN_GO127 = os.environ.get("DUMPGEN_GO127_BIN", "")
EXAMPLE = os.path.join(SOURCE_DIR, "examples", "scenarios", "logs-follow.yaml")

# The middle of a suite against minipouchd --leaky on a free port, its daemon-wide worker
# ignored: put "suite: NAME" before it and "scenarios:" after, then .format(bin=MINIPOUCHD).
LEAKY_SUITE_HEAD = """\
vars:
  bin: "{bin}"
  api: "http://127.0.0.1:${{port}}/v1.24"
target:
  run: ["${{bin}}", --listen, "127.0.0.1:${{port}}", --leaky]
  ready: {{ http: "http://127.0.0.1:${{port}}/_ping", timeout: 20s }}
dump:
  url: "http://127.0.0.1:${{port}}/debug/pprof/goroutine?debug=2"
ignore:
  - top: "main.(*Monitor).loop"
"""

# A hang guard only: nothing here depends on how fast a run is.
RUN_GUARD_SECONDS = 180


def require_grpcd(test):
    """examples/grpcd's path, or the test skips saying how to build it; a grpcd the test leaves
    running fails it."""
    if not GRPCD or not os.access(GRPCD, os.X_OK):
        test.skipTest(f"examples/grpcd is not built ({GRPCD!r}): apt-get install golang-google-grpc-dev "
                      "golang-google-protobuf-dev, then rebuild")
    before = set(processes_running(GRPCD))
    test.addCleanup(lambda: test.assertEqual(set(processes_running(GRPCD)) - before, set(), "grpcd left running"))
    return GRPCD


def processes_running(exe):
    """PIDs of live processes whose executable is `exe` (zombies do not count)."""
    found = []
    real = os.path.realpath(exe)
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            if os.readlink(f"/proc/{pid}/exe") != real:
                continue
            with open(f"/proc/{pid}/stat") as f:
                state = f.read().rsplit(")", 1)[1].split()[0]
            if state != "Z":
                found.append(int(pid))
        except OSError:
            continue
    return found


class E2ETest(unittest.TestCase):
    """Each test gets a temporary folder, and must leave no minipouchd behind."""

    def setUp(self):
        for path, what in ((LEAKPROBE, "LEAKPROBE_BIN"), (MINIPOUCHD, "MINIPOUCHD_BIN")):
            if not path or not os.access(path, os.X_OK):
                self.fail(f"{what} is not set to a built binary ({path!r}); run through ctest")
        self._procs_before = set(processes_running(MINIPOUCHD))
        self._schemas_unchecked = []
        # Cleanups run last registered first: the skip for a schema left out comes after
        # everything else, and the check for left processes after the test's own cleanups
        # stopped what it started on purpose.
        self.addCleanup(self._skip_at_end_if_passed)
        self.addCleanup(self.check_nothing_left)
        self.tmp = tempfile.mkdtemp(prefix="leakprobe-e2e-")
        self.addCleanup(shutil.rmtree, self.tmp, ignore_errors=True)

    def check_nothing_left(self):
        left = set(processes_running(MINIPOUCHD)) - self._procs_before
        for pid in left:  # clean up, then fail: a left process is a harness bug
            try:
                os.kill(pid, signal.SIGKILL)
            except OSError:
                pass
        self.assertEqual(left, set(), "processes left running after the test")

    def leakprobe(self, *args, cwd=None, timeout=RUN_GUARD_SECONDS):
        return subprocess.run([LEAKPROBE, *args], cwd=cwd or self.tmp, capture_output=True,
                              timeout=timeout)

    def write(self, name, text, mode="w"):
        path = os.path.join(self.tmp, name)
        with open(path, mode) as f:
            f.write(text)
        return path

    def _skip_at_end_if_passed(self):
        """A test that could not validate some file against its schema, and passed every other
        check, ends skipped, saying which schemas were missing."""
        if self._schemas_unchecked and not self._failed_so_far():
            self.skipTest(f"../shared is absent ({SHARED_DIR!r} has no junit-schemas/): not validated "
                          f"against {', '.join(self._schemas_unchecked)}; every other check passed")

    def _failed_so_far(self):
        """Whether the result already holds a failure or error of this test or a subtest."""
        result = getattr(getattr(self, "_outcome", None), "result", None)
        failed = list(getattr(result, "failures", [])) + list(getattr(result, "errors", []))
        return any(t is self or getattr(t, "test_case", None) is self for t, _ in failed)

    def assert_valid_schema(self, path, schema):
        """xmllint validates `path` against ../shared/junit-schemas/`schema`. Without ../shared
        the test goes on, and ends skipped when nothing else failed."""
        xsd = os.path.join(SHARED_DIR, "junit-schemas", schema)
        if not os.path.exists(xsd):
            if schema not in self._schemas_unchecked:
                self._schemas_unchecked.append(schema)
            return
        v = subprocess.run(["xmllint", "--noout", "--schema", xsd, path], capture_output=True, text=True)
        self.assertEqual(v.returncode, 0, v.stderr)

    def assert_valid_junit(self, path):
        """The file validates against Jenkins' junit-10.xsd (see assert_valid_schema) and
        junitparser reads it."""
        self.assert_valid_schema(path, "junit-10.xsd")
        return junitparser.JUnitXml.fromfile(path)


def shared_run(cls, prefix, files, args):
    """One leakprobe run that every test of the class `cls` reads: writes `files` ({name:
    text}) into a temporary folder removed when the class is done, runs `leakprobe *args`
    there (relative paths are in it), and returns (the completed process, the folder)."""
    folder = tempfile.mkdtemp(prefix=prefix)
    cls.addClassCleanup(shutil.rmtree, folder, ignore_errors=True)
    for name, text in files.items():
        with open(os.path.join(folder, name), "w") as f:
            f.write(text)
    return subprocess.run([LEAKPROBE, *args], cwd=folder, capture_output=True, timeout=RUN_GUARD_SECONDS), folder


def cases(xml):
    """(suite name, case) pairs of a parsed JUnit file."""
    out = []
    for suite in xml:
        for case in suite:
            out.append((suite.name, case))
    return out


def result_of(case):
    """'passed', or the first result's (kind, type, message, text)."""
    if not case.result:
        return "passed"
    r = case.result[0]
    return (type(r).__name__, r.type, r.message, r.text or "")


class Minipouchd:
    """minipouchd started directly, for tests that need a live server outside a scenario.
    Own process group; stopped by its PID and group in stop()."""

    def __init__(self, *args, binary=None):
        self.proc = subprocess.Popen([binary or MINIPOUCHD, *args], stdout=subprocess.DEVNULL,
                                     stderr=subprocess.PIPE, start_new_session=True)

    def wait_listening(self, timeout=30):
        deadline = time.time() + timeout
        line = b""
        while time.time() < deadline:
            line = self.proc.stderr.readline()
            m = re.search(rb"listening on (\S+)", line)
            if m:
                return m.group(1).decode()
            if self.proc.poll() is not None:
                break
        raise AssertionError(f"minipouchd did not start: {line!r}")

    def stop(self):
        try:
            os.killpg(self.proc.pid, signal.SIGKILL)
        except OSError:
            pass
        self.proc.wait(timeout=30)
        self.proc.stderr.close()
