"""A sweep scenario file run again and again against a real server (etcd, dockerd), as the
sweep tests of those servers do: "sweeps clean in 20 runs out of 20" is a count, not one run.

LEAKPROBE_SWEEP_RUNS (default 1, so that CI stays fast) says how many runs; each gets a fresh
folder for the server's data (`--var root=...`), removed after it. One run of the etcd file
takes about 25 s (20 variants, 2 at once), of the dockerd file about 2.5 minutes (20 variants
on one dockerd): 20 of those need the test run by hand, outside ctest's 600 s. A run passes when leakprobe
exits as `findings` says (0 with none) and every cell of the matrix is clean or not applicable,
but for the findings: {(step, fault): function} cells that must show that growing function.
"""
import json
import os
import statistics
import time

from lp_growth import growth_runs

RUNS_ENV = "LEAKPROBE_SWEEP_RUNS"


def cells_of(report):
    """{(step, fault): cell} over every sweep of the report."""
    out = {}
    for m in report.get("sweeps", []):
        for i, step in enumerate(m["steps"]):
            for j, fault in enumerate(m["faults"]):
                out[(step, fault)] = m["cells"][i][j]
    return out


def one_sweep(test, scenario, root, folder, extra, findings, variants, guard):
    """(None or why the run failed, seconds) for one run."""
    report = os.path.join(folder, "sweep.json")
    start = time.monotonic()
    r = test.leakprobe("run", scenario, "--var", f"root={root}", *extra, "--json", report, timeout=guard)
    took = time.monotonic() - start
    out = r.stdout.decode(errors="replace") + r.stderr.decode(errors="replace")
    want_code = 1 if findings else 0
    if r.returncode != want_code:
        return f"exit code {r.returncode}, not {want_code}:\n{out}", took
    with open(report) as f:
        cells = cells_of(json.load(f))
    if len(cells) != variants:
        return f"{len(cells)} variants, not {variants}:\n{out}", took
    for key, cell in cells.items():
        if key in findings:
            if cell["kind"] != "leak" or findings[key] not in cell["text"]:
                return f"{key}: {cell}, not a leak of {findings[key]}:\n{out}", took
        elif cell["kind"] not in ("clean", "n/a"):
            return f"{key}: {cell}:\n{out}", took
    return None, took


def sweep_repeatedly(test, scenario, new_root, drop_root, extra=(), findings=None, variants=0, guard=540):
    findings = findings or {}
    runs = growth_runs(RUNS_ENV, "1")
    failures, seconds = [], []
    for i in range(1, runs + 1):
        folder = os.path.join(test.tmp, f"run-{i}")
        os.makedirs(folder, exist_ok=True)
        root = new_root(i)
        try:
            failure, took = one_sweep(test, scenario, root, folder, extra, findings, variants, guard)
        finally:
            drop_root(root)
        seconds.append(took)
        if failure:
            failures.append(f"run {i}: {failure}")
    print(f"\n{os.path.basename(scenario)}: {runs - len(failures)} of {runs} sweeps as expected; each took "
          f"{', '.join(f'{s:.1f}s' for s in seconds)} (median {statistics.median(seconds):.1f}s)")
    test.assertEqual(failures, [], "\n\n".join(failures))
