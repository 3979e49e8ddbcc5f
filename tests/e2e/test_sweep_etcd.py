"""examples/etcd/etcd-sweep.yaml against a real etcd (Debian's etcd-server 3.4): a key with a
lease (grant, put, range, a watch over the JSON gateway, revoke, delete) written as a
functional test, swept with the default faults, nothing named: every variant must be clean or
not applicable (the unary calls answer whole with their status line, so only close at sent
applies to them; the watch takes every fault).

LEAKPROBE_SWEEP_RUNS says how many runs (default 1; lp_sweep.py). It runs when a private etcd
starts here, and otherwise skips with the probe's own error (test_growth_etcd's probe)."""
import os
import shutil
import tempfile
import unittest

from lp_e2e import E2ETest, SOURCE_DIR
from lp_procs import pids_mentioning
from lp_sweep import sweep_repeatedly
from test_growth_etcd import SKIP_MARK, etcd_cannot_start

SCENARIO = os.path.join(SOURCE_DIR, "examples", "etcd", "etcd-sweep.yaml")


class EtcdSweep(E2ETest):
    def test_a_swept_key_life_is_clean(self):
        root = tempfile.mkdtemp(prefix="lp-etcd-sweep-")
        self.addCleanup(shutil.rmtree, root, ignore_errors=True)
        why = etcd_cannot_start(root)
        if why:
            print(f"\n{SKIP_MARK}: {why}")
            self.skipTest(f"etcd cannot run here: {why}")

        def new_root(i):
            return tempfile.mkdtemp(prefix=f"r{i}-", dir=root)

        def drop_root(run_root):
            left = pids_mentioning(run_root)
            shutil.rmtree(run_root, ignore_errors=True)
            self.assertEqual(left, [], f"processes left running from {run_root}")

        # 5 request steps (the grant captures: not swept) x 4 faults.
        sweep_repeatedly(self, SCENARIO, new_root, drop_root, extra=("--jobs", "2"), variants=20)


if __name__ == "__main__":
    unittest.main()
