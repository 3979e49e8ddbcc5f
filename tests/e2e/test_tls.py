"""HTTPS steps against a self-signed test server: refused unless the step says insecure."""
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


class Https(E2ETest):
    def test_insecure_accepts_a_self_signed_server_and_the_default_refuses_it(self):
        cert, key = os.path.join(self.tmp, "cert.pem"), os.path.join(self.tmp, "key.pem")
        subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                        "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
                        "-keyout", key, "-out", cert], check=True, capture_output=True, timeout=60)
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


if __name__ == "__main__":
    unittest.main()
