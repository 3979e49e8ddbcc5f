"""`leakprobe scan` on dumps captured from a live minipouchd: grouped by identical stack with
counts, JSON for tools, exit 1 when --suspect matches."""
import json
import os
import re
import socket
import time
import unittest
import urllib.request

from lp_e2e import E2ETest, Minipouchd


def post(base, path, body=None):
    data = json.dumps(body).encode() if body is not None else b""
    req = urllib.request.Request(base + path, data=data, method="POST",
                                 headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=30) as r:
        return r.status, r.read()


def follow_and_hang_up(addr, cid):
    """Sends a follow request, reads the headers, hangs up."""
    host, port = addr.rsplit(":", 1)
    s = socket.create_connection((host, int(port)), timeout=30)
    s.sendall(f"GET /containers/{cid}/logs?stdout=1&follow=1 HTTP/1.1\r\nHost: x\r\n\r\n".encode())
    s.recv(4096)
    s.close()


class ScanLiveDumps(E2ETest):
    def setUp(self):
        super().setUp()
        self.daemon = Minipouchd("--listen", "127.0.0.1:0", "--leaky")
        self.addCleanup(self.daemon.stop)
        self.addr = self.daemon.wait_listening()
        base = f"http://{self.addr}"
        _, body = post(base, "/containers/create", {"Cmd": ["silent"]})
        cid = json.loads(body)["Id"]
        post(base, f"/containers/{cid}/start")
        with urllib.request.urlopen(f"{base}/debug/pprof/goroutine?debug=2", timeout=30) as r:
            self.before = self.write("before.txt", r.read(), mode="wb")
        for _ in range(3):
            follow_and_hang_up(self.addr, cid)
        self.url = f"{base}/debug/pprof/goroutine?debug=2"
        # The hung-up followers stay (the bug); wait until all three and their readers are
        # parked where the leak keeps them, so every test sees the same stacks.
        parked = [re.compile(rb"goroutine \d+ \[chan receive\]:\nmain\.\(\*Server\)\.logsContainer\("),
                  re.compile(rb"goroutine \d+ \[select\]:\nmain\.readLogMessages\(")]
        deadline = time.time() + 30
        while time.time() < deadline:
            with urllib.request.urlopen(self.url, timeout=30) as r:
                self.dump = r.read()
            if all(len(p.findall(self.dump)) == 3 for p in parked):
                break
            time.sleep(0.05)
        self.path = self.write("dump.txt", self.dump, mode="wb")

    def test_text_groups_identical_stacks(self):
        r = self.leakprobe("scan", self.path, "--suspect", "(*Server).logsContainer")
        self.assertEqual(r.returncode, 1, r.stderr)
        out = r.stdout.decode()
        total = self.dump.count(b"\ngoroutine ") + self.dump.startswith(b"goroutine ")
        self.assertTrue(out.startswith(f"{total} goroutines in "), out[:200])
        self.assertIn("SUSPECT 3 goroutines [chan receive], ids ", out)
        self.assertIn("3 goroutines match --suspect", out)

    def test_json_for_tools(self):
        r = self.leakprobe("scan", self.path, "--format", "json", "--suspect", "regex:^main\\.readLogMessages$")
        self.assertEqual(r.returncode, 1, r.stderr)
        doc = json.loads(r.stdout)
        # What the built-in list leaves out (the runtime's own, the dump request's) is ignored,
        # as in run and diff; --no-builtin-ignores lists it too.
        self.assertGreater(doc["ignored"], 0)
        self.assertEqual(doc["total"], sum(b["count"] for b in doc["buckets"]) + doc["ignored"])
        r = self.leakprobe("scan", self.path, "--format", "json", "--no-builtin-ignores")
        everything = json.loads(r.stdout)
        self.assertEqual(everything["ignored"], 0)
        self.assertEqual(everything["total"], sum(b["count"] for b in everything["buckets"]))
        self.assertEqual(doc["suspects"], 3)
        readers = [b for b in doc["buckets"] if b["suspect"]]
        self.assertEqual(len(readers), 1)
        self.assertEqual(readers[0]["count"], 3)
        self.assertEqual(len(readers[0]["ids"]), 3)
        self.assertEqual(readers[0]["frames"][0]["func"], "main.readLogMessages")
        self.assertEqual(doc["warnings"], [])

    def test_no_match_exits_zero_and_ignore_drops(self):
        r = self.leakprobe("scan", self.path, "--suspect", "no.such.function")
        self.assertEqual(r.returncode, 0, r.stderr)
        r = self.leakprobe("scan", self.path, "--suspect", "logsContainer", "--ignore", "logsContainer")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("ignored", r.stdout.decode().splitlines()[0])

    def test_scan_over_http_and_stdin(self):
        r = self.leakprobe("scan", self.url, "--suspect", "logsContainer")
        self.assertEqual(r.returncode, 1, r.stderr)
        import subprocess
        from lp_e2e import LEAKPROBE
        p = subprocess.run([LEAKPROBE, "scan", "-", "--suspect", "logsContainer"], input=self.dump,
                           capture_output=True, timeout=120)
        self.assertEqual(p.returncode, 1, p.stderr)

    def test_cut_off_dump_keeps_what_can_be_read(self):
        cut = self.dump[: self.dump.rfind(b"main.(*Server).logsContainer(") + 20]
        path = self.write("cut.txt", cut, mode="wb")
        r = self.leakprobe("scan", path, "--suspect", "logsContainer")
        self.assertEqual(r.returncode, 1)
        self.assertIn("SUSPECT 2 goroutines", r.stdout.decode())
        self.assertIn("warning: ", r.stderr.decode())
        self.assertIn("the dump ends mid-line", r.stderr.decode())

    def test_diff_shows_only_what_is_new(self):
        r = self.leakprobe("diff", self.before, self.path)
        self.assertEqual(r.returncode, 1, r.stderr)
        out = r.stdout.decode()
        # The three followers and their three readers; the dump request itself is ignored.
        self.assertTrue(out.startswith("6 new goroutines in 2 buckets"), out[:300])
        self.assertIn("3 goroutines [chan receive], ids ", out)
        self.assertIn("    main.(*Server).logsContainer(...)", out)
        r = self.leakprobe("diff", self.before, self.path, "--format", "json", "--suspect",
                           "regex:^main\\.readLogMessages$")
        self.assertEqual(r.returncode, 1, r.stderr)
        doc = json.loads(r.stdout)
        self.assertEqual((doc["total"], doc["suspects"], doc["by"]), (6, 3, "id"))
        # Against itself nothing is new.
        r = self.leakprobe("diff", self.path, self.path)
        self.assertEqual(r.returncode, 0, r.stdout)
        self.assertTrue(r.stdout.decode().startswith("0 new goroutines"))


if __name__ == "__main__":
    unittest.main()
