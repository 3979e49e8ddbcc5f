"""HTTPS and wss:// steps against a self-signed test server (minipouchd --tls-listen): refused
unless the step says insecure; a WebSocket attach over TLS, left 5 times without a close frame,
finds the leaky daemon's keepalive sender (+1.0/iteration) and passes on the fixed one."""
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


WSS = """\
suite: wss
target:
  run: ["{bin}", --listen, "127.0.0.1:${{port}}", --tls-listen, "127.0.0.1:${{port.tls}}",
        --tls-cert, "{cert}", --tls-key, "{key}", --leaky={leaky}, --monitor=false]
  ready: {{ http: "http://127.0.0.1:${{port}}/_ping" }}
dump:
  url: "http://127.0.0.1:${{port}}/debug/pprof/goroutine?debug=2"
scenarios:
  - name: attach over wss, left without a close frame
    steps:
      - http: {{ method: POST, url: "https://127.0.0.1:${{port.tls}}/v1.24/containers/create", insecure: true,
                json: {{ Cmd: [silent] }} }}
        capture: {{ cid: {{ json: /Id }} }}
      - http: {{ method: POST, url: "https://127.0.0.1:${{port.tls}}/v1.24/containers/${{cid}}/start", insecure: true }}
        expect: {{ status: 204 }}
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
        growth: {{ settle: 2s }}
"""


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

    def test_a_websocket_over_tls_is_left_and_its_leak_found(self):
        cert, key = self.certificate()
        for leaky in ("true", "false"):
            with self.subTest(leaky=leaky):
                path = self.write(f"wss-{leaky}.yaml", WSS.format(bin=MINIPOUCHD, cert=cert, key=key, leaky=leaky))
                junit = os.path.join(self.tmp, f"wss-{leaky}.xml")
                r = self.leakprobe("run", path, "--junit", junit)
                out = r.stdout.decode() + r.stderr.decode()
                ((_, case),) = cases(self.assert_valid_junit(junit))
                log = case.system_out or ""
                # Each attach went over TLS and was left as asked: 2 messages, then no close frame.
                self.assertIn("wss://127.0.0.1:", log, out)
                self.assertRegex(log, r"wss://127\.0\.0\.1:\d+/v1\.24/containers/\w+/attach/ws -> 101, sent 2 messages, "
                                      r"received 2; hang_up after 2 messages: closed \(FIN\)", log)
                if leaky == "true":
                    self.assertEqual(r.returncode, 1, out)
                    kind, typ, message, _ = result_of(case)
                    self.assertEqual((kind, typ), ("Failure", "GoroutineLeak"), message)
                    self.assertRegex(message, r"^leaks 1\.0 goroutines per iteration over 5 iterations: "
                                              r"main\.\(\*Server\)\.wsKeepalive \+1\.0/iteration \(total")
                else:
                    self.assertEqual(r.returncode, 0, out)
                    self.assertEqual(result_of(case), "passed")


if __name__ == "__main__":
    unittest.main()
