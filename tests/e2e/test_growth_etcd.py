"""examples/etcd/etcd-growth.yaml against a real etcd (Debian's etcd-server 3.4), with growth
and nothing else: no suspects, no max_new_goroutines. A key's whole life with its lease
(grant, put, get, a watch hung up on, etcdctl get, delete, revoke) 10 times, then the watch
stream, the election's observe stream and an etcdctl watch, each hung up on 10 times: every
run must pass, every growth check must have found nothing growing (or only work in flight,
gone within the settle), with etcd's fds and threads measured too.

etcd needs no privileges: it listens on free loopback ports and keeps its data in a
temporary folder. LEAKPROBE_GROWTH_RUNS says how many runs (default 2; lp_growth.py). It runs
when a private etcd starts and answers /health here, and otherwise skips with the probe's own
error."""
import os
import shutil
import socket
import subprocess
import time
import unittest
import urllib.request

from lp_e2e import E2ETest, SOURCE_DIR
from lp_growth import run_with_fresh_roots
from lp_procs import stop_group

SCENARIO = os.path.join(SOURCE_DIR, "examples", "etcd", "etcd-growth.yaml")
GROWTH_CHECKS = {"a key's whole life with its lease, 10 times": 1, "streams a client hangs up on, 10 times each": 3}
SKIP_MARK = "SKIPPED: the etcd scenario cannot run here"  # tests/CMakeLists.txt greps it
PROBE_SECONDS = 30


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def etcd_cannot_start(folder):
    """None when etcd and etcdctl are installed and a private etcd, its data in `folder`,
    answers GET /health with its pprof endpoint; else why not, with etcd's last words."""
    for program, package in (("etcd", "etcd-server"), ("etcdctl", "etcd-client"), ("timeout", "coreutils")):
        if not shutil.which(program):
            return f"{program} is not installed (apt-get install {package})"
    client, peer = f"http://127.0.0.1:{free_port()}", f"http://127.0.0.1:{free_port()}"
    log_path = os.path.join(folder, "probe.log")
    with open(log_path, "wb") as log:
        proc = subprocess.Popen(
            ["etcd", "--name", "probe", "--data-dir", os.path.join(folder, "probe-data"), "--enable-pprof",
             "--listen-client-urls", client, "--advertise-client-urls", client, "--listen-peer-urls", peer,
             "--initial-advertise-peer-urls", peer, "--initial-cluster", f"probe={peer}"],
            stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        deadline = time.time() + PROBE_SECONDS
        reason = None
        while reason is None:
            if proc.poll() is not None:
                reason = f"etcd exited with {proc.returncode} at start"
                break
            try:
                for path in ("/health", "/debug/pprof/goroutine?debug=2"):
                    with urllib.request.urlopen(client + path, timeout=2) as r:
                        r.read()
                return None
            except OSError as e:
                if time.time() > deadline:
                    reason = f"etcd did not answer {client}/health within {PROBE_SECONDS}s ({e})"
            time.sleep(0.2)
    finally:
        stop_group(proc, grace=10)
    with open(log_path, "rb") as f:
        tail = [l.strip() for l in f.read().decode(errors="replace").splitlines() if l.strip()][-3:]
    return reason + ": " + " | ".join(tail)


class EtcdGrowth(E2ETest):
    def test_the_example_is_valid(self):  # wherever etcd is missing too
        r = self.leakprobe("validate", os.path.dirname(SCENARIO))
        self.assertEqual(r.returncode, 0, r.stderr.decode())
        self.assertIn("etcd-growth.yaml: ok (2 scenarios)", r.stdout.decode() + r.stderr.decode())

    def test_a_clean_etcd_grows_nothing_run_after_run(self):
        run_with_fresh_roots(self, SCENARIO, GROWTH_CHECKS, "etcd", SKIP_MARK, etcd_cannot_start(self.tmp))


if __name__ == "__main__":
    unittest.main()
