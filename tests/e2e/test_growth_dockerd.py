"""examples/docker/dockerd-growth.yaml against a real dockerd (Debian's docker.io 20.10), with
growth and nothing else: no suspects, no max_new_goroutines. A whole container life (create,
start, follow its logs and hang up, kill, wait, delete) 10 times, then a running container's
stats stream and the events stream, each hung up on 10 times: every run must pass, every
growth check must have found nothing growing, with dockerd's fds and threads measured too.
What dockerd starts once and keeps (the moby/buildkit/util/throttle goroutine that the first
container life starts) must not make it fail.

LEAKPROBE_GROWTH_RUNS says how many runs (default 2; lp_growth.py). It runs when the probe of
lp_dockerd (a private dockerd, docker import, a container run) succeeds here, and otherwise
skips with the probe's own error."""
import os
import tempfile
import unittest

from lp_dockerd import cleanup_root, private_dockerd_root
from lp_e2e import E2ETest, SOURCE_DIR
from lp_growth import run_clean_repeatedly
from lp_procs import pids_mentioning

SCENARIO = os.path.join(SOURCE_DIR, "examples", "docker", "dockerd-growth.yaml")
GROWTH_CHECKS = {"a whole container life, 10 times": 1, "streams a client hangs up on, 10 times each": 2}


class DockerdGrowth(E2ETest):
    def test_a_clean_dockerd_grows_nothing_run_after_run(self):
        root, rootfs = private_dockerd_root(self)

        def new_root(i):
            return tempfile.mkdtemp(prefix=f"r{i}-", dir=root)  # short: a unix socket lives there

        def drop_root(run_root):
            # leakprobe stopped the dockerd it started, and with it containerd and the shims.
            left = pids_mentioning(run_root)
            cleanup_root(run_root)
            self.assertEqual(left, [], f"processes left running from {run_root}")

        run_clean_repeatedly(self, SCENARIO, GROWTH_CHECKS, new_root, drop_root,
                             extra=("--var", f"rootfs={rootfs}"))


if __name__ == "__main__":
    unittest.main()
