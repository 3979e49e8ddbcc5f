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
import unittest

from lp_dockerd import fresh_run_roots, private_dockerd_root
from lp_e2e import E2ETest, SOURCE_DIR
from lp_growth import run_clean_repeatedly

SCENARIO = os.path.join(SOURCE_DIR, "examples", "docker", "dockerd-growth.yaml")
GROWTH_CHECKS = {"a whole container life, 10 times": 1, "streams a client hangs up on, 10 times each": 2}


class DockerdGrowth(E2ETest):
    def test_a_clean_dockerd_grows_nothing_run_after_run(self):
        root, rootfs = private_dockerd_root(self)
        new_root, drop_root = fresh_run_roots(self, root)

        run_clean_repeatedly(self, SCENARIO, GROWTH_CHECKS, new_root, drop_root,
                             extra=("--var", f"rootfs={rootfs}"))


if __name__ == "__main__":
    unittest.main()
