"""Processes the end-to-end tests start outside leakprobe (a probe's dockerd or etcd), found
and stopped by PID, never by name."""
import os
import signal
import subprocess


def pids_mentioning(path):
    """PIDs of processes whose command line mentions `path` (what a server started from a
    test's temporary folder)."""
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


def stop_group(proc, grace):
    """Stops the Popen `proc`, started with start_new_session=True, and its process group:
    SIGTERM, then after `grace` seconds SIGKILL. Returns once it has been reaped."""
    if proc.poll() is not None:
        return
    os.killpg(proc.pid, signal.SIGTERM)
    try:
        proc.wait(timeout=grace)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)
