"""The grpc step against examples/grpcd, a Go gRPC server (Debian's google.golang.org/grpc 1.33)
with a method of each kind and planted stream leaks (-leaky) beside their fixed twin: unary,
client-streaming, bidi and server-streaming calls with expect and capture; every way of
leaving (cancel, close, reset, stall, keep_open) on a server stream and a bidi stream, each
finding the planted leak on the leaky server and nothing on the fixed one, with the server's
own count saying it saw the stream end, and read a FIN or an RST as the way said; a unix
socket; server reflection; TLS; and `validate` errors for a bad
proto, a bad method and a bad message at their file:line:col."""
import os
import re
import subprocess
import unittest

from lp_e2e import GRPCD, E2ETest, SOURCE_DIR, require_grpcd

PROTO = os.path.join(SOURCE_DIR, "examples", "grpcd", "feed.proto")

HEADER = """suite: grpc
target:
  run: [{bin}, -grpc, "{listen}", -http, "127.0.0.1:${{port.http}}"{leaky}]
  ready: {{ {ready} }}
dump: {{ url: "http://127.0.0.1:${{port.http}}/debug/pprof/goroutine?debug=2" }}
scenarios:
"""

CALLS = """  - name: calls of each kind
    steps:
      - grpc: {{ {at}, protos: [{proto}], method: feed.v1.Feed/Get, message: {{ key: a }}, metadata: {{ X-Trace: "t1" }} }}
        expect: {{ code: OK, max_messages: 1, json: {{ /text: "value of a", /seq: "1" }} }}
        capture: {{ text: {{ json: /text }} }}
      - grpc:
          {at}
          protos: [{proto}]
          method: feed.v1.Feed/Upload
          messages: [{{ key: a }}, {{ pause: 50ms }}, {{ key: b, tags: [x, y] }}, {{ key: c }}]
        expect: {{ json: {{ /count: "3" }} }}
      - grpc: {{ {at}, protos: [{proto}], method: feed.v1.Feed/Chat, messages: [{{ text: hi }}, {{ text: "${{text}}" }}] }}
        expect: {{ min_messages: 2, max_messages: 2, first_json: {{ /text: "echo: hi" }}, json: {{ /text: "echo: value of a" }} }}
      - grpc: {{ {at}, protos: [{proto}], method: feed.v1.Feed/Follow, message: {{ key: k }}, hang_up: {{ messages: 5, how: close }} }}
        expect: {{ min_messages: 5 }}
        capture: {{ first: {{ json: /seq, from: first }} }}
      - grpc: {{ {at}, protos: [{proto}], method: feed.v1.Feed/Get, message: {{ key: "${{first}}" }} }}
        expect: {{ json: {{ /key: "1" }} }}
"""

LEAVE = """  - name: {method} left by {how}
    steps:
      - name: the server's counts before
        grpc: {{ {at}, protos: [{proto}], method: feed.v1.Feed/GetStats }}
        capture: {{ resets: {{ json: /reset_conns }} }}
      - grpc:
          {at}
          protos: [{proto}]
          method: feed.v1.Feed/{method}
          messages: [{message}, {{ pause: 20s }}]
          hang_up: {{ messages: 2, how: {how}{stall} }}
        expect: {{ min_messages: 2 }}
      - name: the server saw the stream cancelled
        wait_until:
          timeout: 10s
          interval: 50ms
          steps:
            - grpc: {{ {at}, protos: [{proto}], method: feed.v1.Feed/GetStats }}
              expect: {{ json: {{ /cancelled: "1" }} }}
              capture: {{ eof: {{ json: /eof_conns }}, resets_after: {{ json: /reset_conns }} }}
    leaks:
      suspects: [ {{ keyword: "main.(*feed)" }} ]
      settle: 2s
"""

MESSAGES = {"Follow": "{ key: k }", "Chat": "{ text: a }, { text: b }"}
HOWS = ("cancel", "close", "reset", "stall", "keep_open")


class Grpc(E2ETest):
    def setUp(self):
        super().setUp()
        require_grpcd(self)

    def suite(self, body, leaky=False, unix=None):
        listen = f"unix:{unix}" if unix else "127.0.0.1:${port}"
        ready = f"unix: {unix}" if unix else 'tcp: "127.0.0.1:${port}"'
        at = f"socket: {unix}" if unix else 'target: "127.0.0.1:${port}"'
        text = HEADER.format(bin=GRPCD, listen=listen, leaky=", -leaky" if leaky else "", ready=ready)
        return text + body.replace("{at}", at)

    def run_file(self, name, text):
        path = self.write(name, text)
        r = self.leakprobe("run", "-v", path)
        return r.returncode, r.stdout.decode() + r.stderr.decode()

    def test_calls_of_each_kind(self):
        for unix in (None, os.path.join(self.tmp, "grpcd.sock")):
            with self.subTest(unix=bool(unix)):
                body = CALLS.replace("{{", "{").replace("}}", "}").replace("{proto}", PROTO)
                code, out = self.run_file("calls.yaml", self.suite(body, unix=unix))
                self.assertEqual(code, 0, out)
                self.assertIn("captured text = value of a", out)
                self.assertIn("feed.v1.Feed/Upload -> OK", out)
                self.assertIn("close after 5 messages: closed (FIN)", out)

    def test_every_way_of_leaving_finds_the_planted_leak_and_the_server_sees_it(self):
        words = {"cancel": "RST_STREAM CANCEL, PING answered, closed (FIN)", "close": "closed (FIN)",
                 "reset": "reset (RST sent)", "stall": "stalled 300ms, then closed (FIN)",
                 "keep_open": "closed (FIN)"}
        for method in ("Follow", "Chat"):
            for how in HOWS:
                body = LEAVE.format(method=method, how=how, at="{at}", proto=PROTO, message=MESSAGES[method],
                                    stall=", stall_for: 300ms" if how == "stall" else "")
                for leaky in (True, False):
                    with self.subTest(method=method, how=how, leaky=leaky):
                        code, out = self.run_file(f"{method}-{how}.yaml", self.suite(body, leaky=leaky))
                        self.assertIn(f"after 2 messages: {words[how]}", out)
                        # What the server read on the wire: an RST for reset, else a FIN. (The
                        # ready probe's connection may end either way, before the first count.)
                        counts = {k: int(v) for k, v in re.findall(r"captured (\w+) = (\d+)", out)}
                        self.assertEqual(counts["resets_after"] - counts["resets"], 1 if how == "reset" else 0, out)
                        self.assertGreaterEqual(counts["eof"], 1, out)
                        if leaky:
                            self.assertEqual(code, 1, out)
                            self.assertIn("1 leaked goroutine: main.(*feed).", out)
                        else:
                            self.assertEqual(code, 0, out)

    def test_server_reflection_when_no_protos_are_given(self):
        body = """  - name: by reflection
    steps:
      - grpc: { {at}, method: feed.v1.Feed/Get, message: { key: a } }
        expect: { json: { /text: "value of a" } }
      - grpc: { {at}, method: feed.v1.Feed/Follow, message: { key: k }, hang_up: { messages: 2, how: cancel } }
        expect: { min_messages: 2, first_json: { /seq: "1" } }
  - name: a method the server lacks
    steps:
      - grpc: { {at}, method: feed.v1.Feed/Folow }
  - name: a service the server lacks
    steps:
      - grpc: { {at}, method: feed.v1.Fed/Get }
  - name: a message that does not fit
    steps:
      - grpc: { {at}, method: feed.v1.Feed/Get, message: { kee: a } }
"""
        code, out = self.run_file("reflection.yaml", self.suite(body))
        self.assertEqual(code, 1, out)
        self.assertIn("PASS  grpc / by reflection", out)
        self.assertIn('step 1 (grpc feed.v1.Feed/Folow): service "feed.v1.Feed" has no method "Folow" '
                      '(did you mean "Follow"?)', out)
        self.assertIn("step 1 (grpc feed.v1.Fed/Get): feed.v1.Fed/Get: reflection: feed.v1.Fed: NOT_FOUND: ", out)
        self.assertIn("step 1 (grpc feed.v1.Feed/Get): message for feed.v1.Feed/Get: feed.v1.GetRequest: kee: "
                      "Cannot find field.", out)

    def test_tls_insecure_accepts_a_self_signed_server_the_default_refuses_it(self):
        cert, key = os.path.join(self.tmp, "cert.pem"), os.path.join(self.tmp, "key.pem")
        subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                        "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
                        "-keyout", key, "-out", cert], check=True, capture_output=True, timeout=60)
        body = f"""  - name: insecure
    steps:
      - grpc: {{ {{at}}, tls: true, insecure: true, protos: [{PROTO}], method: feed.v1.Feed/Get, message: {{ key: a }} }}
        expect: {{ json: {{ /text: "value of a" }} }}
      - grpc: {{ {{at}}, tls: true, insecure: true, protos: [{PROTO}], method: feed.v1.Feed/Follow,
                 message: {{ key: k, interval_ms: 5 }}, hang_up: {{ messages: 3, how: reset }} }}
      - grpc: {{ {{at}}, tls: true, insecure: true, method: feed.v1.Feed/GetStats }}
        expect: {{ json: {{ /cancelled: "1" }} }}
  - name: verified
    steps:
      - grpc: {{ {{at}}, tls: true, protos: [{PROTO}], method: feed.v1.Feed/Get }}
"""
        text = self.suite(body).replace('"127.0.0.1:${port.http}"', f'"127.0.0.1:${{port.http}}", -tls-cert, {cert}, -tls-key, {key}')
        code, out = self.run_file("tls.yaml", text)
        self.assertEqual(code, 1, out)
        self.assertIn("PASS  grpc / insecure", out)
        self.assertIn("reset after 3 messages: reset (RST sent)", out)
        self.assertIn("ERROR grpc / verified", out)
        self.assertIn("TLS handshake: certificate verify failed", out)

    def test_validate_names_a_bad_proto_method_and_message(self):
        bad_proto = self.write("bad.proto", 'syntax = "proto3";\nimport "missing/x.proto";\nmessage A { int32 n = 1; }\n')
        text = self.suite(
            "  - name: bad\n    steps:\n"
            f"      - grpc: {{ {{at}}, protos: [{bad_proto}], method: a.B/C }}\n"
            f"      - grpc: {{ {{at}}, protos: [{PROTO}], method: feed.v1.Feed/Folow }}\n"
            f"      - grpc: {{ {{at}}, protos: [{PROTO}], method: feed.v1.Fed/Get }}\n"
            f"      - grpc: {{ {{at}}, protos: [{PROTO}], method: feed.v1.Feed/Get, message: {{ kee: a }} }}\n"
            f"      - grpc: {{ {{at}}, protos: [{PROTO}], method: feed.v1.Feed/Get, messages: [{{ key: a }}, {{ key: b }}] }}\n")
        path = self.write("bad.yaml", text)
        r = self.leakprobe("validate", path)
        err = r.stdout.decode() + r.stderr.decode()
        self.assertEqual(r.returncode, 2, err)
        lines = err.splitlines()
        for number, column_of, message in (
                (9, f"[{bad_proto}", 'missing/x.proto: File not found.'),
                (9, f"[{bad_proto}", 'bad.proto:2:1: Import "missing/x.proto" was not found or had errors.'),
                (10, "feed.v1.Feed/Folow", 'service "feed.v1.Feed" has no method "Folow" (did you mean "Follow"?)'),
                (11, "feed.v1.Fed/Get", 'no service "feed.v1.Fed" in the protos (did you mean "feed.v1.Feed"?)'),
                (12, "{ kee: a }", "feed.v1.GetRequest: kee: Cannot find field."),
                (13, "[{ key: a }", "feed.v1.Feed/Get is not client-streaming: it takes one message")):
            column = text.splitlines()[number - 1].index(column_of) + 1
            self.assertIn(f"{path}:{number}:{column}: {message}", lines)


if __name__ == "__main__":
    unittest.main()
