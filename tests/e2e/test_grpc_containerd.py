"""examples/containerd/containerd-grpc.yaml against a real containerd (Debian's containerd 1.6)
started privately (root, state, gRPC and debug sockets under a temporary folder, the CRI
plugin off): Version unary, then Events.Subscribe left in every way (cancel, close, reset,
stall, keep_open), 10 times each with growth and nothing named. containerd 1.6.20 grows
nothing: every growth check must find nothing growing, run after run. Needs root; skips with
the probe's own error where a private containerd cannot start or its protos are missing."""
import os
import shutil
import subprocess
import tempfile
import time
import unittest

from lp_e2e import E2ETest, SOURCE_DIR
from lp_growth import run_with_fresh_roots
from lp_procs import stop_group

SCENARIO = os.path.join(SOURCE_DIR, "examples", "containerd", "containerd-grpc.yaml")
EVENTS_PROTO = "/usr/share/gocode/src/github.com/containerd/containerd/api/services/events/v1/events.proto"
GROWTH_CHECKS = {"Events.Subscribe left in every way, 10 times each": 5}
SKIP_MARK = "SKIPPED: the containerd scenario cannot run here"  # tests/CMakeLists.txt greps it
PROBE_SECONDS = 30


def containerd_cannot_start(folder):
    """None when a private containerd, everything under `folder`, opens its gRPC socket; else
    why not, with containerd's last words."""
    if os.geteuid() != 0:
        return "containerd needs root"
    if not shutil.which("containerd"):
        return "containerd is not installed (apt-get install containerd)"
    if not os.path.exists(EVENTS_PROTO):
        return f"{EVENTS_PROTO} is missing (apt-get install golang-github-containerd-containerd-dev)"
    config = os.path.join(folder, "config.toml")
    with open(config, "w") as f:
        f.write(f'version = 2\nroot = "{folder}/root"\nstate = "{folder}/state"\n'
                f'disabled_plugins = ["io.containerd.grpc.v1.cri"]\n[grpc]\naddress = "{folder}/grpc.sock"\n'
                f'[ttrpc]\naddress = "{folder}/ttrpc.sock"\n')
    log_path = os.path.join(folder, "probe.log")
    with open(log_path, "wb") as log:
        proc = subprocess.Popen(["containerd", "--config", config], stdout=log, stderr=subprocess.STDOUT,
                                start_new_session=True)
    try:
        deadline = time.time() + PROBE_SECONDS
        while time.time() < deadline:
            if proc.poll() is not None:
                reason = f"containerd exited with {proc.returncode} at start"
                break
            if os.path.exists(os.path.join(folder, "grpc.sock")):
                return None
            time.sleep(0.1)
        else:
            reason = f"containerd did not open its socket within {PROBE_SECONDS}s"
    finally:
        stop_group(proc, grace=10)
    with open(log_path, "rb") as f:
        tail = [l.strip() for l in f.read().decode(errors="replace").splitlines() if l.strip()][-3:]
    return reason + ": " + " | ".join(tail)


class ContainerdGrpc(E2ETest):
    def test_every_way_of_leaving_a_subscription_grows_nothing(self):
        probe = tempfile.mkdtemp(prefix="containerd-probe-", dir=self.tmp)
        why = containerd_cannot_start(probe)
        shutil.rmtree(probe, ignore_errors=True)
        run_with_fresh_roots(self, SCENARIO, GROWTH_CHECKS, "containerd-grpc", SKIP_MARK, why)


if __name__ == "__main__":
    unittest.main()
