"""Fds that only a GC closes are held, not leaked: leakprobe asks the target for that GC.

minipouchd's GET /containers/{id}/changes starts a hasher that ends a second after the answer
and never closes the file it read; the fd goes when a GC runs the file's finalizer. Run with
GOGC=off, minipouchd collects only when asked. 10 calls: goroutines and open fds climb by one
per call. During the settle the hashers end (the step log says the goroutines went and the
fds did not), the fds outlive the settle, and leakprobe asks for one GC (heap?gc=1) before it
calls them a leak: they go, and the case passes, with count polls and with full dumps alike.
Without that GC (or with a GC that did not close them) the case fails.
"""
import json
import re
import unittest

from lp_e2e import E2ETest, MINIPOUCHD, cases, result_of
from lp_growth import CREATE_AND_START, DELETE, HEADER

SCENARIO = (HEADER.replace("SUITE", "gc").replace("LEAKY", "false")
            .replace("  ready:", "  env: { GOGC: \"off\" }\n  ready:")
            .replace("scenarios:\n", "  leak_profile: off\n  poll: POLL\nscenarios:\n") +
            "  - name: changes, 10 times\n    steps:\n" + CREATE_AND_START + """\
      - name: changes, 10 times
        repeat: 10
        steps:
          - http: { url: "${api}/containers/${cid}/changes" }
            expect: { status: 200 }
        growth: { settle: 2500ms }
""" + DELETE)

GROWTH = re.compile(r": growth: \d+ dumps, total \d+ \u2192 \d+, open fds (\d+) \u2192 (\d+), threads \d+ \u2192 \d+; "
                    r"(grows: .*)$", re.M)
WENT = re.compile(r": growth: goroutines gone within [\d.]+m?s of the last iteration \(in flight\); open fds still up$",
                  re.M)
AFTER_GC = re.compile(r": growth: open fds gone within [\d.]+m?s of a GC in the target \(heap\?gc=1\): held until "
                      r"their finalizers ran, not leaked$", re.M)


class FdsHeldUntilAGc(E2ETest):
    def run_with(self, poll):
        self.write("gc.yaml", SCENARIO.replace("MINIPOUCHD", json.dumps(MINIPOUCHD)).replace("POLL", poll))
        r = self.leakprobe("run", "gc.yaml", "--junit", "gc.xml", cwd=self.tmp)
        out = r.stdout.decode(errors="replace") + r.stderr.decode(errors="replace")
        self.assertEqual(r.returncode, 0, out)
        ((_, case),) = cases(self.assert_valid_junit(self.tmp + "/gc.xml"))
        self.assertEqual(result_of(case), "passed")
        return case.system_out or ""

    def test_goroutines_end_and_the_fds_go_at_the_gc_leakprobe_asks_for(self):
        for poll in ("auto", "full"):
            with self.subTest(poll=poll):
                log = self.run_with(poll)
                (fds_before, fds_after, verdict), = GROWTH.findall(log)
                self.assertGreaterEqual(int(fds_after) - int(fds_before), 10, log)
                self.assertRegex(verdict, r"^grows: leaks [\d.]+ goroutines per iteration .*; leaks [\d.]+ open fds per "
                                          r"iteration", log)
                self.assertRegex(log, WENT)
                self.assertRegex(log, AFTER_GC)
                # In that order: the goroutines went first, then the GC took the fds.
                self.assertLess(WENT.search(log).start(), AFTER_GC.search(log).start())


if __name__ == "__main__":
    unittest.main()
