"""A private dockerd for the end-to-end tests that drive Debian's docker.io: a busybox rootfs
made from busybox-static, a probe that does what the scenarios do (start a dockerd, docker
import the rootfs, run a container from it), and the cleanup of everything it started.

The dockerd is always a private one: its own data root, exec root and socket in a temporary
folder; a system dockerd is never touched. What runs from that folder is stopped by PID and
its mounts are undone before the folder goes."""
import os
import shutil
import signal
import socket
import subprocess
import tarfile
import tempfile
import time

from lp_procs import pids_mentioning, stop_group

BUSYBOX = "/bin/busybox"          # Debian's busybox-static
PROBE_SECONDS = 40                # dockerd needs a few seconds; give up well before CI does
SKIP_MARK = "SKIPPED: the dockerd scenario cannot run here"  # tests/CMakeLists.txt greps it


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


def shown(argv):
    """A command as a shell would show it, paths and all."""
    return " ".join(argv)


def last_lines(text, n=3):
    lines = [l.strip() for l in text.splitlines() if l.strip()]
    return " | ".join(lines[-n:])


def run_probe_step(argv, timeout=PROBE_SECONDS, expect_stdout=None):
    """None when `argv` exits 0 within `timeout` (and prints `expect_stdout` when given);
    else the command and what it said: "`docker ... import ...` exited with 1: Error ..."."""
    try:
        r = subprocess.run(argv, capture_output=True, text=True, errors="replace", timeout=timeout)
    except subprocess.TimeoutExpired:
        return f"`{shown(argv)}` did not finish within {timeout}s"
    except OSError as e:
        return f"`{shown(argv)}` could not start: {e}"
    if r.returncode != 0:
        return f"`{shown(argv)}` exited with {r.returncode}: {last_lines(r.stderr + r.stdout)}"
    if expect_stdout is not None and expect_stdout not in r.stdout:
        return f"`{shown(argv)}` printed {last_lines(r.stdout)!r}, not {expect_stdout!r}"
    return None


def wait_for_ping(proc, sock, log_path):
    """None when the dockerd `proc` answers GET /_ping on `sock`; else why not, with the
    last lines of its log."""
    deadline = time.time() + PROBE_SECONDS
    while True:
        if proc.poll() is not None:
            reason = f"dockerd exited with {proc.returncode} at start"
            break
        if os.path.exists(sock):
            try:
                with socket.socket(socket.AF_UNIX) as s:
                    s.settimeout(2)
                    s.connect(sock)
                    s.sendall(b"GET /_ping HTTP/1.0\r\nHost: localhost\r\n\r\n")
                    if b" 200 " in s.recv(256):
                        return None
            except OSError:
                pass
        if time.time() > deadline:
            reason = f"dockerd did not answer /_ping within {PROBE_SECONDS}s"
            break
        time.sleep(0.25)
    with open(log_path, "rb") as f:
        return reason + ": " + last_lines(f.read().decode(errors="replace"))


def dockerd_cannot_run_a_container(root, rootfs):
    """None when a private dockerd starts here, `docker import`s the busybox rootfs and runs
    a container from it: what the scenarios do. Else the step that failed, with the command
    and its own error, e.g. "`docker ... import ...` exited with 1: Error processing tar
    file(exit status 1): remount /, flags: 0x84000: invalid argument" (in a chroot whose / is
    not a mount point)."""
    if not shutil.which("dockerd") or not shutil.which("docker"):
        return "dockerd is not installed (apt-get install docker.io)"
    sock = os.path.join(root, "probe.sock")
    log_path = os.path.join(root, "probe.log")
    docker = ["docker", "--host", f"unix://{sock}"]
    try:
        with open(log_path, "wb") as log:
            proc = subprocess.Popen(
                ["dockerd", "--host", f"unix://{sock}", "--data-root", os.path.join(root, "probe-data"),
                 "--exec-root", os.path.join(root, "probe-exec"), "--pidfile", os.path.join(root, "probe.pid"),
                 "--bridge", "none", "--iptables=false", "--ip6tables=false", "--ip-masq=false"],
                stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    except OSError as e:
        return f"dockerd could not start: {e}"
    try:
        return (wait_for_ping(proc, sock, log_path)
                or run_probe_step([*docker, "import", rootfs, "leakprobe/busybox:latest"])
                or run_probe_step([*docker, "run", "--rm", "--network", "none", "leakprobe/busybox:latest",
                                   "echo", "leakprobe-probe-ran"], expect_stdout="leakprobe-probe-ran"))
    finally:
        stop_group(proc, grace=20)


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


def private_dockerd_root(test):
    """(root, rootfs) for `test`: a temporary folder that cleanup_root removes when the test
    ends, and a busybox rootfs tar in it; the test is skipped, with the probe's own error,
    when a private dockerd cannot run a container from that rootfs here. Once the probe ran a
    container, a failure of the scenario is a failure."""
    root = tempfile.mkdtemp(prefix="lp-dockerd-")  # short: unix socket paths are limited
    test.addCleanup(cleanup_root, root)
    rootfs = os.path.join(root, "busybox.tar")
    if not os.path.exists(BUSYBOX):
        why = f"{BUSYBOX} is missing (apt-get install busybox-static)"
    else:
        busybox_rootfs(rootfs, os.path.join(root, "rootfs"))
        why = dockerd_cannot_run_a_container(root, rootfs)
    if why:
        print(f"\n{SKIP_MARK}: {why}")
        test.skipTest(f"dockerd cannot run a container here: {why}")
    return root, rootfs


def fresh_run_roots(test, root):
    """(new_root, drop_root) for runs of a scenario on a private dockerd under `root`: a fresh
    short folder per run (a unix socket lives there), and after the run a check that nothing
    started from it is left (leakprobe stopped the dockerd, and with it containerd and the
    shims) before it is removed."""
    from lp_procs import pids_mentioning

    def new_root(i):
        return tempfile.mkdtemp(prefix=f"r{i}-", dir=root)

    def drop_root(run_root):
        left = pids_mentioning(run_root)
        cleanup_root(run_root)
        test.assertEqual(left, [], f"processes left running from {run_root}")

    return new_root, drop_root
