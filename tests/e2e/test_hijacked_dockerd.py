"""examples/docker/dockerd-hijacked.yaml against a real dockerd (Debian's docker.io 20.10), with
growth and nothing named: attach and exec on a silent container, upgraded with `Upgrade: tcp`
over loopback TCP, written to, and left 10 times in each way (close, reset, stall,
half_close).

What it found: dockerd 20.10 keeps nothing. Every way of leaving passes; the goroutine count
does not climb with the clients (moby/moby#37182, an attach on a silent container that kept
goroutines and fds, was fixed before 20.10), and the fds that pile up while the clients come
and go (the hijacked connections and the exec's pipes, closed a little later) are gone within
the settle, as are the exec's goroutines a slow machine still sees at the last iteration.
Left by the client, an attach's hijacked connection stays open until dockerd's next GC runs
its finalizer: with count polls (which allocate too little to set a GC off) those fds outlive
the 5 s settle, and go within a moment of the one GC leakprobe then asks for (heap?gc=1). The
test expects exactly that: every case passes, and each growth check found nothing growing, or
only something that went within the settle. It runs when the probe of
lp_dockerd succeeds here, and otherwise skips with the probe's own error."""
import os
import re
import tempfile
import unittest

from lp_dockerd import cleanup_root, private_dockerd_root
from lp_e2e import E2ETest, SOURCE_DIR, cases, result_of
from lp_procs import pids_mentioning

SCENARIO = os.path.join(SOURCE_DIR, "examples", "docker", "dockerd-hijacked.yaml")
WAYS = ("close", "reset", "stall", "half_close")
CASES = [f"attach, type, leave by {w}, 10 times" for w in WAYS] + [f"exec cat, type, leave by {w}, 10 times" for w in WAYS]
GROWTH = re.compile(r": growth: (\d+ dumps, total (\d+) \u2192 (\d+), open fds \d+ \u2192 \d+, threads \d+ \u2192 \d+; (.*))$",
                    re.M)
IN_FLIGHT = re.compile(r": growth: gone within [\d.]+m?s of the last iteration: it was in flight$", re.M)
AFTER_GC = re.compile(r": growth: open fds gone within [\d.]+m?s of a GC in the target \(heap\?gc=1\): held until "
                      r"their finalizers ran, not leaked$", re.M)
GOROUTINES_WENT = re.compile(r": growth: goroutines gone within [\d.]+m?s of the last iteration \(in flight\); open fds "
                             r"(and threads )?still up$", re.M)
STREAM_END = re.compile(r"iteration 1 > step \d+ \(POST \$\{tcp\}/[^)]*\): .* -> (101, .*)$", re.M)


class DockerdHijacked(E2ETest):
    def test_attach_and_exec_left_every_way_keep_nothing(self):
        root, rootfs = private_dockerd_root(self)
        run_root = tempfile.mkdtemp(prefix="r-", dir=root)  # short: a unix socket lives there
        junit = os.path.join(self.tmp, "d.xml")
        r = self.leakprobe("run", SCENARIO, "--var", f"root={run_root}", "--var", f"rootfs={rootfs}",
                           "--junit", junit, timeout=600)
        left = pids_mentioning(run_root)
        cleanup_root(run_root)
        self.assertEqual(left, [], f"processes left running from {run_root}")
        out = r.stdout.decode(errors="replace")
        self.assertEqual(r.returncode, 0, out + r.stderr.decode(errors="replace"))
        outcomes = {case.name: (result_of(case), case.system_out or "") for _, case in cases(self.assert_valid_junit(junit))}
        self.assertEqual(sorted(outcomes), sorted(CASES))
        gc_cases = []
        for name, (result, log) in outcomes.items():
            with self.subTest(case=name):
                self.assertEqual(result, "passed")
                (growth,) = GROWTH.findall(log)
                summary, before, after, verdict = growth
                # Nothing climbs for good. Goroutines and open fds may pile up while the
                # clients come and go (an exec's pipes and copiers end a little after its
                # client, later on a slow machine); then they must be gone within the settle.
                # Open fds may also outlive the settle and go at the GC leakprobe then asks
                # for: dockerd leaves a hijacked attach connection its client left to the
                # connection's finalizer.
                if verdict.startswith("grows: leaks") and " open fds per iteration" in verdict and AFTER_GC.search(log):
                    # Goroutines that grew beside those fds (an exec's copiers on a slow
                    # machine) were gone within the settle, before the GC was asked for.
                    if "goroutines per iteration" in verdict:
                        self.assertRegex(log, GOROUTINES_WENT, log)
                    gc_cases.append(name)
                elif verdict != "nothing grows":
                    self.assertRegex(verdict, r"^grows: leaks [\d.]+ (open fds|goroutines) per iteration", log)
                    self.assertRegex(log, IN_FLIGHT, log)
                # Each way left as it says, over TCP (a reset is an RST).
                end = STREAM_END.search(log).group(1)
                way = name.split("leave by ")[1].split(",")[0]
                want = {"close": "closed (FIN)", "reset": "reset (RST sent)", "stall": "stalled 500ms, then closed (FIN)",
                        "half_close": "half-closed; server closed after"}[way]
                self.assertIn(want, end)
                print(f"\n  {name}: {end}; growth: {summary}" +
                      ("; the fds went at a GC" if name in gc_cases else ""))


if __name__ == "__main__":
    unittest.main()
