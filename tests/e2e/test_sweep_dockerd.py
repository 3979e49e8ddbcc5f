"""examples/docker/dockerd-sweep.yaml against a real dockerd (Debian's docker.io 20.10): a
container's life (create, start, follow its logs for a moment, stop, wait, delete) written
as a functional test, swept with the default faults on one private dockerd, nothing named:
every variant must be clean or not applicable.

LEAKPROBE_SWEEP_RUNS says how many runs (default 1; lp_sweep.py). It runs when the probe of
lp_dockerd (a private dockerd, docker import, a container run) succeeds here, and otherwise
skips with the probe's own error."""
import os
import unittest

from lp_dockerd import fresh_run_roots, private_dockerd_root
from lp_e2e import E2ETest, SOURCE_DIR
from lp_sweep import sweep_repeatedly

SCENARIO = os.path.join(SOURCE_DIR, "examples", "docker", "dockerd-sweep.yaml")


class DockerdSweep(E2ETest):
    def test_a_swept_container_life_is_clean(self):
        root, rootfs = private_dockerd_root(self)
        new_root, drop_root = fresh_run_roots(self, root)

        # 5 request steps (the create captures: not swept) x 4 faults.
        sweep_repeatedly(self, SCENARIO, new_root, drop_root, extra=("--var", f"rootfs={rootfs}"), variants=20)


if __name__ == "__main__":
    unittest.main()
