"""A dump that never ends, or trickles forever: leakprobe stops at the size cap or the
deadline, warns, and judges what it read, in bounded memory. Both `scan` and a `run`
scenario's dumps. A small server in this test streams a real-looking debug=2 dump without
end (ids counting up, the stacks of a busy server, one suspect first)."""
import http.server
import itertools
import os
import subprocess
import threading
import time
import unittest

from lp_e2e import E2ETest, LEAKPROBE, MINIPOUCHD, cases, result_of

MIB = 1 << 20
# Peak RSS allowed while reading a 256 MiB endless dump: what the issue calls "well under
# 512 MiB". The text is never held whole: measured peaks are far below (see the note).
RSS_LIMIT = 320 * MIB
GUARD_SECONDS = 180  # a hang guard only

# Its id is the request's number: a later dump's suspect is not in an earlier (baseline) one.
SUSPECT = (b"goroutine %d [chan receive, 3 minutes]:\n"
           b"main.(*Server).logsContainer(0xc0000a8000, {0x7a2c40, 0xc0000b6000})\n"
           b"\t/src/minipouchd/logs.go:67 +0x1a5\n"
           b"created by net/http.(*Server).Serve in goroutine 1\n"
           b"\t/usr/lib/go-1.19/src/net/http/server.go:3102 +0x4db\n\n")
KINDS = [
    b"goroutine %d [IO wait]:\n"
    b"internal/poll.runtime_pollWait(0x7f3a1c2d8e80, 0x72)\n\t/usr/lib/go/src/runtime/netpoll.go:305 +0x89\n"
    b"internal/poll.(*pollDesc).wait(0xc000126080?, 0xc000136000?, 0x0)\n"
    b"\t/usr/lib/go/src/internal/poll/fd_poll_runtime.go:84 +0x32\n"
    b"net/http.(*connReader).Read(0xc0000a2330, {0xc000136000, 0x1000, 0x1000})\n"
    b"\t/usr/lib/go/src/net/http/server.go:786 +0x171\n"
    b"created by net/http.(*Server).Serve in goroutine 1\n\t/usr/lib/go/src/net/http/server.go:3102 +0x4db\n\n",
    b"goroutine %d [select]:\n"
    b"main.(*Worker).loop(0xc000010018)\n\t/src/app/worker.go:41 +0x8d\n"
    b"created by main.startWorkers in goroutine 1\n\t/src/app/worker.go:17 +0x4f\n\n",
    b"goroutine %d [sync.Mutex.Lock, 2 minutes]:\n"
    b"sync.runtime_SemacquireMutex(0xc00001c0a4?, 0x0?, 0x0?)\n\t/usr/lib/go/src/runtime/sema.go:77 +0x25\n"
    b"sync.(*Mutex).lockSlow(0xc00001c0a0)\n\t/usr/lib/go/src/sync/mutex.go:171 +0x165\n"
    b"main.(*Cache).refresh(0xc00001c0a0)\n\t/src/app/cache.go:88 +0x3b\n\n",
]


def endless_chunks():
    """~1 MiB chunks of goroutines with ids counting up, without end."""
    ids = itertools.count(2)
    while True:
        parts = []
        size = 0
        while size < MIB:
            for k in KINDS:
                block = k % next(ids)
                parts.append(block)
                size += len(block)
        yield b"".join(parts)


class EndlessDump(http.server.BaseHTTPRequestHandler):
    """GET /endless: as fast as it goes, forever. GET /trickle: a goroutine every 50 ms,
    forever. Both stop when the reader hangs up."""
    protocol_version = "HTTP/1.1"
    requests = itertools.count(1000000)

    def do_GET(self):
        self.send_response(200)
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        try:
            self.chunk(SUSPECT % next(self.requests))
            if self.path.startswith("/trickle"):
                for i in itertools.count(2):
                    self.chunk(KINDS[1] % i)
                    time.sleep(0.05)
            else:
                for c in endless_chunks():
                    self.chunk(c)
        except (BrokenPipeError, ConnectionResetError):
            pass

    def chunk(self, data):
        self.wfile.write(b"%x\r\n%s\r\n" % (len(data), data))
        self.wfile.flush()

    def log_message(self, *args):
        pass


def run_measured(argv, cwd):
    """Runs argv; returns (exit code, stdout, stderr, seconds, peak RSS in bytes)."""
    start = time.monotonic()
    with open(os.path.join(cwd, "out"), "wb") as out, open(os.path.join(cwd, "err"), "wb") as err:
        proc = subprocess.Popen(argv, cwd=cwd, stdout=out, stderr=err)
        deadline = time.monotonic() + GUARD_SECONDS
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            if time.monotonic() > deadline:
                proc.kill()
                proc.wait()
                raise AssertionError(f"{argv} did not finish within {GUARD_SECONDS}s")
            time.sleep(0.05)
        proc.returncode = os.waitstatus_to_exitcode(status)
    seconds = time.monotonic() - start
    with open(os.path.join(cwd, "out"), "rb") as f:
        stdout = f.read().decode(errors="replace")
    with open(os.path.join(cwd, "err"), "rb") as f:
        stderr = f.read().decode(errors="replace")
    return proc.returncode, stdout, stderr, seconds, usage.ru_maxrss * 1024


SUITE = """\
suite: endless
vars:
  bin: "{bin}"
target:
  run: ["${{bin}}", --listen, "127.0.0.1:${{port}}"]
  ready: {{ http: "http://127.0.0.1:${{port}}/_ping", timeout: 20s }}
dump:
  url: "http://127.0.0.1:{server}/{path}"
{limits}
scenarios:
  - name: a leak seen in the part of an endless dump that was read
    steps:
      - http: {{ url: "http://127.0.0.1:${{port}}/_ping" }}
    leaks:
      suspects: [ {{ keyword: "(*Server).logsContainer" }} ]
      settle: 0s
"""


class Endless(E2ETest):
    def setUp(self):
        super().setUp()
        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), EndlessDump)
        self.server.daemon_threads = True
        thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        thread.start()
        self.addCleanup(self.server.server_close)
        self.addCleanup(self.server.shutdown)
        self.port = self.server.server_address[1]

    def test_scan_stops_at_the_cap_and_keeps_what_it_read(self):
        code, out, err, seconds, rss = run_measured(
            [LEAKPROBE, "scan", f"http://127.0.0.1:{self.port}/endless", "--suspect", "logsContainer"], self.tmp)
        print(f"\nscan of an endless dump: exit {code}, {seconds:.2f}s, peak RSS {rss / MIB:.0f} MiB")
        self.assertEqual(code, 1, err)  # the suspect in the part that was read
        self.assertIn("warning: the dump was cut at the 256 MiB cap: the rest was not read", err)
        self.assertRegex(out, r"SUSPECT 1 goroutine \[chan receive, 3 minutes\], id 1000\d\d\d\n")
        self.assertLess(rss, RSS_LIMIT)
        # Every goroutine in the 256 MiB read was counted (the kinds take ~250-480 bytes).
        total = int(out.split(" goroutines in ", 1)[0])
        self.assertGreater(total, 500000)

    def test_scan_flags_set_the_cap_and_the_deadline(self):
        code, out, err, seconds, rss = run_measured(
            [LEAKPROBE, "scan", f"http://127.0.0.1:{self.port}/endless", "--max-bytes", "8MiB"], self.tmp)
        self.assertEqual(code, 0, err)
        self.assertIn("the dump was cut at the 8 MiB cap", err)
        code, out, err, seconds, rss = run_measured(
            [LEAKPROBE, "scan", f"http://127.0.0.1:{self.port}/trickle", "--timeout", "1500ms"], self.tmp)
        self.assertEqual(code, 0, err)
        self.assertIn("warning: the dump was cut off after 1.5s: the rest was not read", err)
        self.assertRegex(out, r"1 goroutine \[chan receive, 3 minutes\], id 1000\d\d\d\n")
        r = self.leakprobe("scan", "-", "--max-bytes", "lots")
        self.assertEqual(r.returncode, 2)
        self.assertIn(b"--max-bytes: bad size \"lots\"", r.stderr)

    def run_suite(self, path, limits):
        suite = self.write("endless.yaml", SUITE.format(bin=MINIPOUCHD, server=self.port, path=path, limits=limits))
        junit = os.path.join(self.tmp, "r.xml")
        code, out, err, seconds, rss = run_measured([LEAKPROBE, "run", suite, "--junit", junit], self.tmp)
        xml = self.assert_valid_junit(junit)
        (_, case), = cases(xml)
        return code, err, seconds, rss, case

    def test_run_judges_the_part_it_read(self):
        code, err, seconds, rss, case = self.run_suite("endless", "")
        print(f"\nrun against an endless dump (baseline and check, 256 MiB each): {seconds:.2f}s, "
              f"peak RSS {rss / MIB:.0f} MiB")
        kind, typ, message, text = result_of(case)
        self.assertEqual((kind, typ), ("Failure", "GoroutineLeak"), err)
        self.assertEqual(code, 1)
        self.assertIn("Dump warnings:\n  the dump was cut at the 256 MiB cap: the rest was not read", text)
        self.assertIn("baseline: dump warning: the dump was cut at the 256 MiB cap", case.system_out)
        self.assertLess(rss, RSS_LIMIT)

    def test_run_honours_dump_max_bytes_and_timeout(self):
        code, err, seconds, rss, case = self.run_suite("trickle", "  timeout: 1s\n  max_bytes: 64MiB")
        kind, typ, message, text = result_of(case)
        self.assertEqual((kind, typ), ("Failure", "GoroutineLeak"), err)
        self.assertIn("Dump warnings:\n  the dump was cut off after 1s: the rest was not read", text)
        self.assertIn("baseline: dump warning: the dump was cut off after 1s", case.system_out)
        code, err, seconds, rss, case = self.run_suite("endless", "  max_bytes: 4MiB")
        self.assertIn("Dump warnings:\n  the dump was cut at the 4 MiB cap", result_of(case)[3])


if __name__ == "__main__":
    unittest.main()
