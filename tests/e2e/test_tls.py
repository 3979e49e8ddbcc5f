"""HTTPS and wss:// steps against a self-signed test server (minipouchd --tls-listen): refused
unless the step says insecure. Streams over TLS, each left 5 times in its own way (a stats
stream reset at its body, an attach upgraded with `Upgrade: tcp` and closed, a WebSocket
attach left without a close frame), find what the leaky daemon keeps per client and pass on
the fixed one."""
import os
import subprocess
import unittest

from lp_e2e import E2ETest, MINIPOUCHD, cases, result_of

SUITE = """\
suite: tls
vars:
  bin: "{bin}"
target:
  run: ["${{bin}}", --listen, "127.0.0.1:${{port}}", --tls-listen, "127.0.0.1:${{port.tls}}",
        --tls-cert, "{cert}", --tls-key, "{key}"]
  ready: {{ http: "http://127.0.0.1:${{port}}/_ping" }}
dump:
  url: "http://127.0.0.1:${{port}}/debug/pprof/goroutine?debug=2"
scenarios:
  - name: self-signed, insecure
    steps:
      - http: {{ url: "https://127.0.0.1:${{port.tls}}/_ping", insecure: true }}
        expect: {{ status: 200, body_contains: OK }}
  - name: self-signed, verified
    steps:
      - http: {{ url: "https://127.0.0.1:${{port.tls}}/_ping" }}
"""


STREAMS = """\
suite: tls-streams
vars:
  api: "https://127.0.0.1:${{port.tls}}/v1.24"
target:
  run: ["{bin}", --listen, "127.0.0.1:${{port}}", --tls-listen, "127.0.0.1:${{port.tls}}",
        --tls-cert, "{cert}", --tls-key, "{key}", --leaky={leaky}, --monitor=false]
  ready: {{ http: "http://127.0.0.1:${{port}}/_ping" }}
  shared: true
dump:
  url: "http://127.0.0.1:${{port}}/debug/pprof/goroutine?debug=2"
setup:
  - http: {{ method: POST, url: "${{api}}/containers/create", insecure: true, json: {{ Cmd: [silent] }} }}
    capture: {{ cid: {{ json: /Id }} }}
  - http: {{ method: POST, url: "${{api}}/containers/${{cid}}/start", insecure: true }}
    expect: {{ status: 204 }}
scenarios:
  - name: stats over https, reset at body
    steps:
      - name: stats, reset
        repeat: 5
        steps:
          - http: {{ url: "${{api}}/containers/${{cid}}/stats?stream=1", insecure: true,
                    hang_up: {{ at: body, how: reset }} }}
            expect: {{ status: 200 }}
        growth: {{ settle: 1s }}
  - name: attach upgraded over https, closed
    steps:
      - name: attach, type, close
        repeat: 5
        steps:
          - http: {{ method: POST, url: "${{api}}/containers/${{cid}}/attach?stream=1&stdin=1&stdout=1", insecure: true,
                    upgrade: tcp, send: ["hello\\n"], hang_up: {{ at: body, how: close }} }}
            expect: {{ status: 101, output: {{ contains: "you typed: hello" }} }}
        growth: {{ settle: 1s }}
  - name: attach over wss, left without a close frame
    steps:
      - name: wss attach, two messages, close
        repeat: 5
        steps:
          - websocket:
              url: "wss://127.0.0.1:${{port.tls}}/v1.24/containers/${{cid}}/attach/ws"
              insecure: true
              subprotocols: [attach.v1]
              send: [one, two]
              hang_up: {{ messages: 2, how: close }}
            expect:
              status: 101
              headers: {{ Sec-WebSocket-Protocol: attach.v1 }}
              messages: {{ min: 2, json: {{ /echo: two }} }}
        growth: {{ settle: 1s }}
"""

# How each stream ended, in its step log; what the leaky daemon keeps per client.
ENDED = {
    "stats over https, reset at body":
        r"reset at body: reset \(RST sent\)\n.* GET https://127\.0\.0\.1:\d+/v1\.24/containers/\w+/stats\?stream=1 -> "
        r"hung up as planned after \d+ms \(status 200\)",
    "attach upgraded over https, closed":
        r"POST https://127\.0\.0\.1:\d+/v1\.24/containers/\w+/attach\?stream=1&stdin=1&stdout=1 \(upgrade: tcp\) -> 101, "
        r"wrote 6 bytes, read \d+ \(docker frames\); hang_up at body: closed \(FIN\)",
    "attach over wss, left without a close frame":
        r"wss://127\.0\.0\.1:\d+/v1\.24/containers/\w+/attach/ws -> 101, sent 2 messages, received 2; "
        r"hang_up after 2 messages: closed \(FIN\)",
}
LEAKS = {
    "stats over https, reset at body":
        r"^leaks 3\.0 goroutines per iteration over 5 iterations: main\.sampleStats \+2\.0/iteration, "
        r"main\.\(\*Server\)\.statsContainer \+1\.0/iteration",
    "attach upgraded over https, closed":
        r"^leaks 1\.0 goroutines per iteration over 5 iterations: main\.\(\*Server\)\.attachContainer \+1\.0/iteration",
    "attach over wss, left without a close frame":
        r"^leaks 1\.0 goroutines per iteration over 5 iterations: main\.\(\*Server\)\.wsKeepalive \+1\.0/iteration",
}


class Https(E2ETest):
    def certificate(self):
        cert, key = os.path.join(self.tmp, "cert.pem"), os.path.join(self.tmp, "key.pem")
        subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                        "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
                        "-keyout", key, "-out", cert], check=True, capture_output=True, timeout=60)
        return cert, key

    def test_insecure_accepts_a_self_signed_server_and_the_default_refuses_it(self):
        cert, key = self.certificate()
        path = self.write("tls.yaml", SUITE.format(bin=MINIPOUCHD, cert=cert, key=key))
        junit = os.path.join(self.tmp, "tls.xml")
        r = self.leakprobe("run", path, "--junit", junit)
        self.assertEqual(r.returncode, 1, r.stdout.decode() + r.stderr.decode())
        xml = self.assert_valid_junit(junit)
        (_, insecure), (_, verified) = cases(xml)
        self.assertEqual(result_of(insecure), "passed", insecure.system_out)
        kind, typ, message, _ = result_of(verified)
        self.assertEqual((kind, typ), ("Error", "StepError"))
        self.assertIn("https://127.0.0.1:", message)

    def test_streams_over_tls_are_left_every_way_and_their_leaks_found(self):
        cert, key = self.certificate()
        for leaky in ("true", "false"):
            with self.subTest(leaky=leaky):
                path = self.write(f"streams-{leaky}.yaml", STREAMS.format(bin=MINIPOUCHD, cert=cert, key=key, leaky=leaky))
                junit = os.path.join(self.tmp, f"streams-{leaky}.xml")
                r = self.leakprobe("run", path, "--junit", junit)
                out = r.stdout.decode() + r.stderr.decode()
                self.assertEqual(r.returncode, 1 if leaky == "true" else 0, out)
                outcomes = {case.name: (result_of(case), case.system_out or "") for _, case in
                            cases(self.assert_valid_junit(junit))}
                self.assertEqual(len(outcomes), 3, out)
                for name, (result, log) in outcomes.items():
                    # Each left over TLS as asked.
                    self.assertRegex(log, ENDED[name], log)
                    if leaky == "false":
                        self.assertEqual(result, "passed", log)
                        continue
                    kind, typ, message, _ = result
                    self.assertEqual((kind, typ), ("Failure", "GoroutineLeak"), message)
                    self.assertRegex(message, LEAKS[name], message)


if __name__ == "__main__":
    unittest.main()
