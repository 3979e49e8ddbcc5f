"""A dump damaged on its way (control bytes, invalid UTF-8, cut off mid-line) still yields
its leak, and the JUnit file stays valid XML that junitparser reads. A small proxy in this
test fetches the real dump from minipouchd and damages it."""
import http.server
import os
import threading
import unittest
import urllib.request

from lp_e2e import E2ETest, MINIPOUCHD, cases, result_of

GARBAGE = b"\x01\x1b[31mred\x1b[0m \xff\xfe \xc0\xaf \xed\xa0\x80 \x7f\x08 line\n"


class DamagingProxy(http.server.BaseHTTPRequestHandler):
    """GET /dump?port=N -> minipouchd's debug=2 dump with garbage lines inside and a
    goroutine cut off mid-line at the end. GET /bytes -> 500 with raw bytes in the body."""

    def do_GET(self):
        if self.path.startswith("/bytes"):
            body = b"garbage body: " + GARBAGE * 3
            self.send_response(500)
        else:
            port = self.path.split("port=", 1)[1]
            with urllib.request.urlopen(
                    f"http://127.0.0.1:{port}/debug/pprof/goroutine?debug=2", timeout=30) as r:
                dump = r.read()
            blocks = dump.split(b"\n\n")
            # A garbage line inside every goroutine, after its first frame.
            damaged = []
            for b in blocks:
                lines = b.split(b"\n")
                damaged.append(b"\n".join(lines[:3] + [GARBAGE.rstrip(b"\n")] + lines[3:]))
            body = b"\n\n".join(damaged) + b"\n\ngoroutine 999999 [chan rec"
            self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


SUITE = """\
suite: hostile
vars:
  bin: "{bin}"
target:
  run: ["${{bin}}", --listen, "127.0.0.1:${{port}}", --leaky]
  ready: {{ http: "http://127.0.0.1:${{port}}/_ping", timeout: 20s }}
dump:
  url: "http://127.0.0.1:{proxy}/dump?port=${{port}}"
scenarios:
  - name: "leak seen through a damaged dump \\x01"
    steps:
      - http: {{ method: POST, url: "http://127.0.0.1:${{port}}/containers/create", json: {{ Cmd: [silent] }} }}
        capture: {{ cid: {{ json: /Id }} }}
      - http: {{ method: POST, url: "http://127.0.0.1:${{port}}/containers/${{cid}}/start" }}
      - http: {{ url: "http://127.0.0.1:${{port}}/containers/${{cid}}/logs?follow=1", disconnect_after: 300ms }}
    leaks:
      suspects: [ {{ keyword: "(*Server).logsContainer" }} ]
      settle: 1s
  - name: raw bytes in a response body
    steps:
      - http: {{ url: "http://127.0.0.1:{proxy}/bytes" }}
        expect: {{ status: 200 }}
"""


class HostileDump(E2ETest):
    def test_damaged_dump_still_finds_the_leak_and_junit_stays_valid(self):
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), DamagingProxy)
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        self.addCleanup(server.server_close)
        self.addCleanup(server.shutdown)
        path = self.write("hostile.yaml", SUITE.format(bin=MINIPOUCHD, proxy=server.server_port))
        junit = os.path.join(self.tmp, "hostile.xml")
        r = self.leakprobe("run", path, "--junit", junit)
        self.assertEqual(r.returncode, 1, r.stdout.decode(errors="replace") + r.stderr.decode(errors="replace"))
        with open(junit, "rb") as f:
            raw = f.read()
        raw.decode("utf-8")  # strict: the file is valid UTF-8
        self.assertNotIn(b"\x1b", raw)
        self.assertNotIn(b"&#1;", raw)
        xml = self.assert_valid_junit(junit)
        (_, leak), (_, bytes_case) = cases(xml)
        self.assertEqual(leak.name, "leak seen through a damaged dump \\x01")
        kind, typ, message, text = result_of(leak)
        self.assertEqual((kind, typ), ("Failure", "GoroutineLeak"))
        self.assertEqual(message, "1 leaked goroutine: main.(*Server).logsContainer \u00d71")
        self.assertIn("Dump warnings:", text)
        # The cut-off header still opens its goroutine, with a warning.
        self.assertIn('goroutine 999999: header read in part (no "]" closes the state): '
                      '"goroutine 999999 [chan rec"', text)
        self.assertIn("the dump ends mid-line", text)
        self.assertIn("\ufffd", text)  # the invalid bytes, replaced
        kind, typ, message, text = result_of(bytes_case)
        self.assertEqual((kind, typ), ("Failure", "ExpectationFailed"))
        self.assertIn("expected status 200, got 500", message)
        self.assertIn("garbage body: \\x01red \ufffd", text)


if __name__ == "__main__":
    unittest.main()
