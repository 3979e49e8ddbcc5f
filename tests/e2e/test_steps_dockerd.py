"""examples/docker/dockerd-logs-follow.yaml against a real dockerd (Debian's docker.io):
docker import a busybox rootfs made from busybox-static, run a silent container, follow its
logs over the unix socket with a hang-up, check the dump.

It runs when dockerd can start here, and otherwise skips saying plainly why (not installed,
not root, no cgroups, ...). The dockerd is a private one: its own data root, exec root and
socket in a temporary folder; a system dockerd is never touched. Everything it started is
stopped by PID and its mounts are undone before the folder goes."""
import os
import shutil
import signal
import socket
import subprocess
import tarfile
import tempfile
import time
import unittest

from lp_e2e import E2ETest, SOURCE_DIR, cases, result_of

SCENARIO = os.path.join(SOURCE_DIR, "examples", "docker", "dockerd-logs-follow.yaml")
BUSYBOX = "/bin/busybox"          # Debian's busybox-static
PROBE_SECONDS = 40                # dockerd needs a few seconds; give up well before CI does
RUN_GUARD_SECONDS = 240


def pids_mentioning(path):
    """PIDs of processes whose command line mentions `path` (what our dockerd started)."""
    found = []
    needle = path.encode()
    for pid in os.listdir("/proc"):
        if not pid.isdigit() or int(pid) == os.getpid():
            continue
        try:
            with open(f"/proc/{pid}/cmdline", "rb") as f:
                if needle in f.read():
                    found.append(int(pid))
        except OSError:
            continue
    return found


def cleanup_root(root):
    """Stops what runs from `root` (by PID), undoes its mounts, removes it."""
    for sig in (signal.SIGTERM, signal.SIGKILL):
        pids = pids_mentioning(root)
        for pid in pids:
            try:
                os.kill(pid, sig)
            except OSError:
                pass
        deadline = time.time() + 10
        while pids_mentioning(root) and time.time() < deadline:
            time.sleep(0.2)
    try:
        with open("/proc/mounts") as f:
            mounts = [line.split()[1] for line in f]
    except OSError:
        mounts = []
    for mount in sorted((m for m in mounts if m.startswith(root)), key=len, reverse=True):
        subprocess.run(["umount", "-l", mount], capture_output=True)
    shutil.rmtree(root, ignore_errors=True)


def dockerd_cannot_start(root):
    """None when a private dockerd starts and answers /_ping here; else the reason."""
    if not shutil.which("dockerd") or not shutil.which("docker"):
        return "dockerd is not installed (apt-get install docker.io)"
    if not os.path.exists(BUSYBOX):
        return f"{BUSYBOX} is missing (apt-get install busybox-static)"
    if os.geteuid() != 0:
        return "dockerd needs root, and the tests do not run as root"
    sock = os.path.join(root, "probe.sock")
    log_path = os.path.join(root, "probe.log")
    with open(log_path, "wb") as log:
        proc = subprocess.Popen(
            ["dockerd", "--host", f"unix://{sock}", "--data-root", os.path.join(root, "probe-data"),
             "--exec-root", os.path.join(root, "probe-exec"), "--pidfile", os.path.join(root, "probe.pid"),
             "--bridge", "none", "--iptables=false", "--ip6tables=false", "--ip-masq=false"],
            stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    reason = None
    try:
        deadline = time.time() + PROBE_SECONDS
        while True:
            if proc.poll() is not None:
                reason = f"dockerd exited with {proc.returncode} at start"
                break
            if os.path.exists(sock):
                try:
                    s = socket.socket(socket.AF_UNIX)
                    s.settimeout(2)
                    s.connect(sock)
                    s.sendall(b"GET /_ping HTTP/1.0\r\nHost: localhost\r\n\r\n")
                    if b" 200 " in s.recv(256):
                        s.close()
                        break
                    s.close()
                except OSError:
                    pass
            if time.time() > deadline:
                reason = f"dockerd did not answer /_ping within {PROBE_SECONDS}s"
                break
            time.sleep(0.25)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait(timeout=10)
    if reason:
        with open(log_path, "rb") as f:
            tail = [l for l in f.read().decode(errors="replace").splitlines() if l.strip()][-3:]
        reason += ": " + " | ".join(tail)
    return reason


def busybox_rootfs(path, folder):
    """A tar of a root filesystem with busybox and the applets a container needs."""
    os.makedirs(os.path.join(folder, "bin"))
    shutil.copy2(BUSYBOX, os.path.join(folder, "bin", "busybox"))
    for applet in ("sh", "sleep", "cat", "echo", "ls"):
        os.symlink("busybox", os.path.join(folder, "bin", applet))
    for d in ("etc", "proc", "sys", "dev", "tmp"):
        os.makedirs(os.path.join(folder, d), exist_ok=True)
    with tarfile.open(path, "w") as tar:
        for entry in sorted(os.listdir(folder)):
            tar.add(os.path.join(folder, entry), arcname=entry)


class Dockerd(E2ETest):
    def test_logs_follow_against_a_real_dockerd(self):
        root = tempfile.mkdtemp(prefix="lp-dockerd-")  # short: unix socket paths are limited
        self.addCleanup(cleanup_root, root)
        why = dockerd_cannot_start(root)
        if why:
            print(f"\nSKIPPED: the dockerd scenario cannot run here: {why}")
            self.skipTest(f"dockerd cannot start here: {why}")
        rootfs = os.path.join(root, "busybox.tar")
        busybox_rootfs(rootfs, os.path.join(root, "rootfs"))
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
