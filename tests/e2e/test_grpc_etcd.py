"""examples/etcd/etcd-grpc.yaml against a real etcd (Debian's etcd-server 3.4) over its native
gRPC, with the protos Debian ships (golang-etcd-server-dev): Put and Range, then Watch and
LeaseKeepAlive left in every way (cancel, close, reset, stall, keep_open), 10 times each with
growth and nothing named. etcd 3.4.23 grows nothing in any of them: every growth check must
find nothing growing, run after run (LEAKPROBE_GROWTH_RUNS, lp_growth.py). Skips with the
probe's own error where a private etcd cannot start, or where the protos are missing."""
import os
import unittest

from lp_e2e import E2ETest, SOURCE_DIR
from lp_growth import run_with_fresh_roots
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
        run_with_fresh_roots(self, SCENARIO, GROWTH_CHECKS, "etcd-grpc", SKIP_MARK, etcd_cannot_start(self.tmp))


if __name__ == "__main__":
    unittest.main()
