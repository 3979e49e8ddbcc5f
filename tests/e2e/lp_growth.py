"""A clean growth scenario file run again and again against a real server, as the growth
tests of dockerd and etcd do: "passes in 20 runs out of 20" is a count, not one run.

LEAKPROBE_GROWTH_RUNS (default 2, so that CI stays fast) says how many runs; each gets a
fresh folder for the server's data (`--var root=...`), removed after it. ctest gives each test
600 s: 20 runs of the dockerd file take about 7 minutes, of the etcd file about 5. With
LEAKPROBE_GROWTH_KEEP=DIR each run's JUnit, JSON and --artifacts are kept in DIR/run-N.
With LEAKPROBE_GROWTH_OVERHEAD=1 each run is followed by the same file with `growth: false`,
and the time of every repeat with and without growth is printed: what growth's dumps cost.
"""
import os
import re
import shutil
import signal
import statistics
import tempfile
import time

from lp_e2e import cases, result_of
from lp_procs import pids_mentioning

RUNS_ENV = "LEAKPROBE_GROWTH_RUNS"
KEEP_ENV = "LEAKPROBE_GROWTH_KEEP"
OVERHEAD_ENV = "LEAKPROBE_GROWTH_OVERHEAD"

# `step 3 "stream its stats and hang up": 10 of 10 iterations in 10.2s, 11 dumps for growth`
REPEAT_LINE = re.compile(r'^\[ *[\d.]+s\] (step \d+ "[^"]*"): (\d+) of \d+ iterations in ([\d.]+)(ms|s)\b', re.M)
GROWTH_FLOW_MAP = re.compile(r"growth: \{[^}\n]*\}")


# Pieces of scenario files against minipouchd: the suite's head (SUITE, MINIPOUCHD and LEAKY
# to replace), and a container created and started before the repeat, deleted after it.
HEADER = """\
suite: SUITE
vars:
  api: "http://127.0.0.1:${port}/v1.24"
target:
  run: [MINIPOUCHD, --listen, "127.0.0.1:${port}", "--leaky=LEAKY"]
  ready: { http: "http://127.0.0.1:${port}/_ping", timeout: 10s }
dump:
  url: "http://127.0.0.1:${port}/debug/pprof/goroutine?debug=2"
scenarios:
"""

CREATE_AND_START = """\
      - http: { method: POST, url: "${api}/containers/create", json: { Cmd: [silent] } }
        expect: { status: 201 }
        capture: { cid: { json: /Id } }
      - http: { method: POST, url: "${api}/containers/${cid}/start" }
        expect: { status: 204 }
"""
DELETE = """\
    teardown:
      - http: { method: DELETE, url: "${api}/containers/${cid}?force=1" }
"""


def growth_runs(env=RUNS_ENV, default="2"):
    """LEAKPROBE_GROWTH_RUNS (or `env`) as a number of runs, at least 1; ValueError when it is
    not one."""
    text = os.environ.get(env, default)
    if not text.isdigit() or int(text) < 1:
        raise ValueError(f"{env}={text!r}: want a number of runs, at least 1")
    return int(text)


def repeat_seconds(system_out):
    """{repeat step label: seconds its iterations took} from a step log."""
    return {m.group(1): float(m.group(3)) / (1000 if m.group(4) == "ms" else 1)
            for m in REPEAT_LINE.finditer(system_out)}


def without_growth(scenario, folder):
    """A copy of `scenario` in `folder` whose growth blocks (one-line flow maps) are `false`."""
    with open(scenario) as f:
        text = f.read()
    path = os.path.join(folder, "no-growth-" + os.path.basename(scenario))
    with open(path, "w") as f:
        f.write(GROWTH_FLOW_MAP.sub("growth: false", text))
    return path


def run_clean_repeatedly(test, scenario, growth_checks, new_root, drop_root, extra=(), guard=300):
    """Runs `scenario` growth_runs() times, each with `--var root=new_root(i)`, and fails
    `test` unless every run exits 0 and every case passes with `growth_checks[case]` growth
    checks that found nothing growing, or only work in flight gone within the settle (their
    fds measured too). drop_root(root) runs after
    each run, whatever happened. Prints the count and the times."""
    runs = growth_runs()
    keep = os.environ.get(KEEP_ENV, "")
    failures, seconds, overhead = [], [], []
    for i in range(1, runs + 1):
        folder = os.path.join(keep, f"run-{i}") if keep else os.path.join(test.tmp, f"run-{i}")
        os.makedirs(folder, exist_ok=True)
        root = new_root(i)
        try:
            failure, took, out = one_run(test, scenario, growth_checks, root, folder, extra, keep, guard)
            if failure is None and os.environ.get(OVERHEAD_ENV):
                plain = without_growth(scenario, folder)
                _, _, plain_out = one_run(test, plain, None, root, folder, extra, keep, guard)
                overhead.append((repeat_seconds(out), repeat_seconds(plain_out)))
        finally:
            drop_root(root)
        seconds.append(took)
        if failure:
            failures.append(f"run {i}: {failure}")
    name = os.path.basename(scenario)
    print(f"\n{name}: {runs - len(failures)} of {runs} runs passed; each took "
          f"{', '.join(f'{s:.1f}s' for s in seconds)} (median {statistics.median(seconds):.1f}s)")
    for label in (overhead[0][0] if overhead else {}):
        with_g = [g[label] for g, _ in overhead]
        plain = [p.get(label, 0) for _, p in overhead]
        print(f"  {label}: with growth {statistics.median(with_g):.2f}s, without "
              f"{statistics.median(plain):.2f}s (medians of {len(overhead)} runs)")
    test.assertEqual(failures, [], "\n\n".join(failures))


def one_run(test, scenario, growth_checks, root, folder, extra, keep, guard):
    """(None or why the run failed, its seconds, its step logs) for one run of `scenario`;
    growth_checks None: only the exit code counts."""
    tag = "plain" if growth_checks is None else "growth"
    junit, report = os.path.join(folder, tag + ".xml"), os.path.join(folder, tag + ".json")
    args = ["run", scenario, "--var", f"root={root}", *extra, "--junit", junit, "--json", report, "-v"]
    if keep:
        args += ["--artifacts", os.path.join(folder, tag + "-artifacts")]
    start = time.monotonic()
    r = test.leakprobe(*args, timeout=guard)
    took = time.monotonic() - start
    out = r.stdout.decode(errors="replace") + r.stderr.decode(errors="replace")
    xml = test.assert_valid_junit(junit)
    logs = "\n".join(case.system_out or "" for _, case in cases(xml))
    if r.returncode != 0:
        return f"exit code {r.returncode}:\n{out}", took, logs
    if growth_checks is None:
        return None, took, logs
    outcomes = {case.name: (result_of(case), case.system_out or "") for _, case in cases(xml)}
    if set(outcomes) != set(growth_checks):
        return f"cases {sorted(outcomes)}, not {sorted(growth_checks)}:\n{out}", took, logs
    for name, (result, log) in outcomes.items():
        if result != "passed":
            return f"{name}: {result}", took, logs
        # Each check found nothing growing, or a growth that was gone within the settle (work
        # still in flight at the last iteration: a watch's goroutines a moment from their end),
        # or open fds that went at the GC leakprobe asked for after the settle.
        verdicts = re.findall(r"growth: \d+ dumps, total \d+ \u2192 \d+, open fds \d+ \u2192 \d+, threads \d+ "
                              r"\u2192 \d+; (.*)$", log, re.M)
        in_flight = len(re.findall(r": growth: gone within [\d.]+m?s of the last iteration: it was in flight$", log,
                                   re.M))
        at_gc = len(re.findall(r": growth: open fds gone within [\d.]+m?s of a GC in the target \(heap\?gc=1\)", log))
        grew = [v for v in verdicts if v != "nothing grows"]
        if len(verdicts) != growth_checks[name] or len(grew) > in_flight + at_gc:
            return (f"{name}: {len(verdicts)} growth checks with fds measured (not {growth_checks[name]}), "
                    f"{len(grew)} grew, {in_flight} of those were in flight and {at_gc} went at a GC:\n{log}"), took, logs
    return None, took, logs


def run_with_fresh_roots(test, scenario, growth_checks, prefix, skip_mark, why_not):
    """run_clean_repeatedly for a real server that keeps its state in `--var root`: each run
    gets a fresh folder in test.tmp, removed after it, and fails `test` if a process that
    mentions it is left. Skips first, printing `skip_mark` and `why_not` (a probe's error),
    when `why_not` is not None."""
    if why_not:
        print(f"\n{skip_mark}: {why_not}")
        test.skipTest(f"{prefix} cannot run here: {why_not}")

    def new_root(i):
        return tempfile.mkdtemp(prefix=f"{prefix}-{i}-", dir=test.tmp)

    def drop_root(run_root):
        left = pids_mentioning(run_root)  # leakprobe stopped the server it started
        for pid in left:
            os.kill(pid, signal.SIGKILL)
        shutil.rmtree(run_root, ignore_errors=True)
        test.assertEqual(left, [], f"processes left running from {run_root}")

    run_clean_repeatedly(test, scenario, growth_checks, new_root, drop_root)
