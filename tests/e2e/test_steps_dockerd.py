"""examples/docker/dockerd-logs-follow.yaml against a real dockerd (Debian's docker.io):
docker import a busybox rootfs made from busybox-static, run a silent container, follow its
logs over the unix socket with a hang-up, check the dump.

It runs when a probe that does the same things first (lp_dockerd: start a private dockerd,
docker import the rootfs, run a container from it) succeeds here, and otherwise skips with
the probe's own error: the command that failed and what it said (not root, no cgroups, an
image that cannot be unpacked in a chroot, ...)."""
import os
import unittest

from lp_dockerd import private_dockerd_root
from lp_e2e import E2ETest, SOURCE_DIR, cases, result_of

SCENARIO = os.path.join(SOURCE_DIR, "examples", "docker", "dockerd-logs-follow.yaml")
RUN_GUARD_SECONDS = 240


class Dockerd(E2ETest):
    def test_logs_follow_against_a_real_dockerd(self):
        root, rootfs = private_dockerd_root(self)
        junit = os.path.join(self.tmp, "dockerd.xml")
        r = self.leakprobe("run", SCENARIO, "--var", f"root={root}", "--var", f"rootfs={rootfs}",
                           "--junit", junit, "-v", timeout=RUN_GUARD_SECONDS)
        out = r.stdout.decode() + r.stderr.decode()
        self.assertEqual(r.returncode, 0, out)
        (_, case), = cases(self.assert_valid_junit(junit))
        self.assertEqual(result_of(case), "passed", out)
        self.assertIn("hung up as planned after 2s", case.system_out or "")


if __name__ == "__main__":
    unittest.main()
