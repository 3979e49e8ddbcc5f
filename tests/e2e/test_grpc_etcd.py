"""examples/etcd/etcd-grpc.yaml against a real etcd (Debian's etcd-server 3.4) over its native
gRPC, with the protos Debian ships (golang-etcd-server-dev): Put and Range, then Watch and
LeaseKeepAlive left in every way (cancel, close, reset, stall, keep_open), 10 times each with
growth and nothing named. etcd 3.4.23 grows nothing in any of them: every growth check must
find nothing growing, run after run (LEAKPROBE_GROWTH_RUNS, lp_growth.py). Skips with the
probe's own error where a private etcd cannot start, or where the protos are missing."""
import os
import shutil
import signal
import tempfile
import unittest

from lp_e2e import E2ETest, SOURCE_DIR
from lp_growth import run_clean_repeatedly
from lp_procs import pids_mentioning
from test_growth_etcd import SKIP_MARK, etcd_cannot_start

SCENARIO = os.path.join(SOURCE_DIR, "examples", "etcd", "etcd-grpc.yaml")
RPC_PROTO = "/usr/share/gocode/src/go.etcd.io/etcd/etcdserver/etcdserverpb/rpc.proto"
GROWTH_CHECKS = {"Watch left in every way, 10 times each": 5,
                 "LeaseKeepAlive left in every way, 10 times each": 5}


class EtcdGrpc(E2ETest):
    def setUp(self):
        super().setUp()
        if not os.path.exists(RPC_PROTO):
            self.skipTest(f"{RPC_PROTO} is missing (apt-get install golang-etcd-server-dev)")

    def test_the_example_is_valid(self):
        r = self.leakprobe("validate", SCENARIO)
        self.assertEqual(r.returncode, 0, r.stderr.decode())
        self.assertIn("etcd-grpc.yaml: ok (2 scenarios)", r.stdout.decode() + r.stderr.decode())

    def test_every_way_of_leaving_etcd_streams_grows_nothing(self):
        why = etcd_cannot_start(self.tmp)
        if why:
            print(f"\n{SKIP_MARK}: {why}")
            self.skipTest(f"etcd cannot start here: {why}")

        def new_root(i):
            return tempfile.mkdtemp(prefix=f"etcd-grpc-{i}-", dir=self.tmp)

        def drop_root(run_root):
            left = pids_mentioning(run_root)
            for pid in left:
                os.kill(pid, signal.SIGKILL)
            shutil.rmtree(run_root, ignore_errors=True)
            self.assertEqual(left, [], f"processes left running from {run_root}")

        run_clean_repeatedly(self, SCENARIO, GROWTH_CHECKS, new_root, drop_root)


if __name__ == "__main__":
    unittest.main()
