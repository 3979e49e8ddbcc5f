"""`leakprobe run --html`: the page of a real failing run against a real leaky minipouchd,
rendered by Debian's headless Chromium. The rendered DOM must hold the charts and the leaked
functions, the page must request nothing from the network (Chromium's NetLog says what it
fetched; a page with an external <img> shows the check catching one), and it must render in
light and dark. An interrupted run still writes the page.

Chromium runs with a fresh profile, HOME and TMPDIR inside the test's temporary folder, in its
own process group that is killed after each run, with every host name resolving to nothing,
so it reaches nothing outside and leaves nothing behind. Without a working chromium the tests
skip with the probe's own error; once the probe passed, nothing skips.
"""
import http.server
import json
import os
import re
import shutil
import signal
import subprocess
import tempfile
import threading
import time
import unittest

import jsonschema

from lp_e2e import E2ETest, LEAKPROBE, LEAKY_SUITE_HEAD, MINIPOUCHD, SOURCE_DIR, processes_running

CHROMIUM = "/usr/bin/chromium"
# A hang guard only: a render takes about a second.
CHROMIUM_GUARD_SECONDS = 120

# --headless and --no-sandbox run it as root without a display; the rest keep it from
# reaching anything on its own (updates, sync, time, metrics): without them it tries Google.
# MAP * ~NOTFOUND makes every host name fail to resolve, so not even a DNS query leaves;
# 127.0.0.1 stays reachable for the check that the NetLog sees a request when there is one.
CHROMIUM_FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-extensions", "--disable-default-apps", "--disable-breakpad",
    "--disable-client-side-phishing-detection", "--disable-domain-reliability", "--no-pings",
    "--metrics-recording-only",
    "--disable-features=NetworkTimeServiceQuerying,OptimizationHints,MediaRouter,Translate,"
    "AutofillServerCommunication",
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
]

# Three scenarios against minipouchd --leaky: followers that hang up (found by keyword), stats
# streams that hang up (found by growth, with fds and threads), and a clean ping.
SUITE = "suite: leaky-minipouchd\n" + LEAKY_SUITE_HEAD + """\
scenarios:
  - name: followers hang up
    steps:
      - name: create
        http: {{ method: POST, url: "${{api}}/containers/create", json: {{ Cmd: [silent] }} }}
        expect: {{ status: 201 }}
        capture: {{ cid: {{ json: /Id }} }}
      - name: start
        http: {{ method: POST, url: "${{api}}/containers/${{cid}}/start" }}
      - name: follow and hang up
        http: {{ url: "${{api}}/containers/${{cid}}/logs?stdout=1&follow=1", disconnect_after: 500ms }}
      - name: follow again
        http: {{ url: "${{api}}/containers/${{cid}}/logs?stdout=1&follow=1", disconnect_after: 500ms }}
    leaks:
      suspects: [ {{ keyword: "(*Server).logsContainer" }} ]
      settle: 1s
    teardown:
      - http: {{ method: DELETE, url: "${{api}}/containers/${{cid}}?force=1" }}
  - name: stats streams hung up
    steps:
      - name: create
        http: {{ method: POST, url: "${{api}}/containers/create", json: {{ Cmd: [silent] }} }}
        capture: {{ cid: {{ json: /Id }} }}
      - name: start
        http: {{ method: POST, url: "${{api}}/containers/${{cid}}/start" }}
      - name: stats, 8 times
        repeat:
          times: 8
          steps:
            - http: {{ url: "${{api}}/containers/${{cid}}/stats?stream=1", disconnect_after: 150ms }}
          growth: {{ max_per_iteration: 0.5, settle: 1s, fds: true }}
    teardown:
      - http: {{ method: DELETE, url: "${{api}}/containers/${{cid}}?force=1" }}
  - name: ping
    steps:
      - http: {{ url: "http://127.0.0.1:${{port}}/_ping" }}
        expect: {{ status: 200 }}
"""

# What the verdicts counted. The followers' readers are new too, but no suspect matched them
# and the verdict did not count them: no report lists them as leaked (issue 15).
LEAKED = ["main.(*Server).logsContainer", "main.sampleStats", "main.(*Server).statsContainer"]
UNCOUNTED = "main.readLogMessages"


def live_processes_with(marker):
    """PIDs of live processes whose environment holds `marker` (bytes)."""
    found = []
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            with open(f"/proc/{pid}/stat") as f:
                if f.read().rsplit(")", 1)[1].split()[0] == "Z":
                    continue
            with open(f"/proc/{pid}/environ", "rb") as f:
                if marker in f.read():
                    found.append(int(pid))
        except (OSError, IndexError):
            continue
    return found


class Chromium:
    """Debian's chromium, headless, with everything it writes under `root`."""

    def __init__(self, root):
        self.root = root
        self.runs = 0

    def run(self, url, *extra):
        """Runs it once on `url` (a fresh profile each time); returns (code, stdout, stderr).
        Afterwards, whatever happened, its process group is killed, and so is any helper that
        left the group (the crash handler starts its own session): it is found by the HOME
        this run gave it, waited for, then killed by its PID."""
        self.runs += 1
        work = os.path.join(self.root, f"chromium-{self.runs}")
        home = os.path.join(work, "home")
        os.makedirs(home)
        os.makedirs(os.path.join(work, "tmp"))
        env = dict(os.environ, HOME=home, TMPDIR=os.path.join(work, "tmp"))
        argv = [CHROMIUM, *CHROMIUM_FLAGS, "--user-data-dir=" + os.path.join(work, "profile"), *extra, url]
        p = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env,
                             start_new_session=True)
        try:
            out, err = p.communicate(timeout=CHROMIUM_GUARD_SECONDS)
        except subprocess.TimeoutExpired:
            os.killpg(p.pid, signal.SIGKILL)
            p.communicate()
            raise AssertionError(f"chromium did not finish within {CHROMIUM_GUARD_SECONDS}s: {argv}")
        finally:
            try:
                os.killpg(p.pid, signal.SIGKILL)
            except OSError:
                pass
            marker = b"HOME=" + home.encode() + b"\0"
            deadline = time.monotonic() + 10
            while live_processes_with(marker) and time.monotonic() < deadline:
                time.sleep(0.05)
            for pid in live_processes_with(marker):
                try:
                    os.kill(pid, signal.SIGKILL)
                except OSError:
                    pass
            shutil.rmtree(work, ignore_errors=True)
        return p.returncode, out.decode("utf-8", "replace"), err.decode("utf-8", "replace")

    def dump_dom(self, path, *extra):
        code, out, err = self.run("file://" + path, "--dump-dom", *extra)
        if code != 0 or "</html>" not in out:
            raise AssertionError(f"chromium --dump-dom {path} exited {code}: {err[-2000:]}")
        return out, err


def probe_chromium(root):
    """None when chromium renders a page here, else why not (its own words)."""
    if not os.access(CHROMIUM, os.X_OK):
        return f"{CHROMIUM} is missing (scripts/setup installs Debian's chromium)"
    page = os.path.join(root, "probe.html")
    with open(page, "w") as f:
        f.write("<!DOCTYPE html><html><body><p id=probe>rendered</p></body></html>")
    try:
        code, out, err = Chromium(root).run("file://" + page, "--dump-dom")
    except AssertionError as e:
        return str(e)
    if code != 0 or 'id="probe">rendered' not in out:
        return f"chromium cannot render a page (exit {code}): {err.strip()[-1500:]}"
    return None


def page_requests(netlog_path):
    """The URLs the page asked Chromium's network stack for, other than file: and data:,
    from a NetLog (--log-net-log). A request is the page's when its network isolation key or
    initiator is the file:// page's; Chromium's own (none reach out: no host resolves) are not."""
    with open(netlog_path, encoding="utf-8") as f:
        text = f.read()
    try:
        log = json.loads(text)
    except ValueError:  # cut off at exit: close the list and the object
        log = json.loads(text.rstrip().rstrip(",") + "]}")
    names = {v: k for k, v in log["constants"]["logEventTypes"].items()}
    found = []
    for event in log["events"]:
        params = event.get("params") or {}
        if names.get(event["type"]) != "URL_REQUEST_START_JOB" or "url" not in params:
            continue
        ours = "file://" in params.get("network_isolation_key", "") or params.get("initiator") == "null"
        if ours and not re.match(r"(file|data|blob|about):", params["url"]):
            found.append(params["url"])
    return found


class LoopbackServer:
    """An HTTP server on 127.0.0.1 that records the paths it is asked for."""

    def __init__(self):
        hits = self.hits = []

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                hits.append(self.path)
                self.send_response(404)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=30)


class HtmlReport(E2ETest):
    """One real failing run for the whole class; each test renders its page."""

    @classmethod
    def setUpClass(cls):
        cls.root = tempfile.mkdtemp(prefix="leakprobe-html-")
        cls.no_chromium = probe_chromium(cls.root)
        before = set(processes_running(MINIPOUCHD))
        with open(os.path.join(cls.root, "leaky.yaml"), "w") as f:
            f.write(SUITE.format(bin=MINIPOUCHD))
        cls.html, cls.json, cls.junit = (os.path.join(cls.root, n) for n in ("r.html", "r.json", "r.xml"))
        start = time.monotonic()
        cls.result = subprocess.run([LEAKPROBE, "run", "leaky.yaml", "--html", cls.html, "--json", cls.json,
                                     "--junit", cls.junit], cwd=cls.root, capture_output=True, timeout=180)
        cls.run_seconds = time.monotonic() - start
        cls.left = set(processes_running(MINIPOUCHD)) - before

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.root, ignore_errors=True)

    def setUp(self):
        super().setUp()
        self.chromium = Chromium(self.tmp)
        self.assertEqual(self.left, set(), "the run left minipouchd running")
        self.assertEqual(self.result.returncode, 1, self.result.stdout.decode() + self.result.stderr.decode())
        with open(self.html, encoding="utf-8") as f:
            self.page = f.read()

    def require_chromium(self):
        """Skips, with the probe's own error, when chromium cannot render a page here."""
        if self.no_chromium:
            self.skipTest(self.no_chromium)

    def test_the_run_writes_every_report_and_the_json_holds_the_timeline(self):
        with open(os.path.join(SOURCE_DIR, "schema", "leakprobe-report.schema.json")) as f:
            schema = json.load(f)
        with open(self.json, encoding="utf-8") as f:
            doc = json.load(f)
        jsonschema.Draft202012Validator(schema).validate(doc)
        by_name = {c["name"]: c for c in doc["suites"][0]["cases"]}
        stats = by_name["stats streams hung up"]
        self.assertEqual({(s["name"], s["why"]) for s in stats["timeline"]["series"]},
                         {("main.sampleStats", "growing"), ("main.(*Server).statsContainer", "growing")})
        growth = [p for p in stats["timeline"]["points"] if p["kind"] == "growth"]
        self.assertGreaterEqual(len(growth), 9, "before the first iteration and after each of the 8")
        self.assertTrue(all(p["fds"] > 0 and p["threads"] > 0 for p in growth), growth)
        for c in by_name.values():
            t = c["timeline"]
            self.assertEqual([p["t"] for p in t["points"]], sorted(p["t"] for p in t["points"]))
            self.assertTrue(all(len(s["counts"]) == len(t["points"]) for s in t["series"]))
            self.assertGreaterEqual(t["verdict_t"], 0)
        self.assertEqual([g["function"] for g in by_name["followers hang up"]["leaks"]], LEAKED[:1])
        self.assertTrue(os.path.getsize(self.junit) > 0)

    def test_chromium_renders_the_charts_and_the_leaked_functions(self):
        self.require_chromium()
        dom, err = self.chromium.dump_dom(self.html, "--enable-logging=stderr", "--v=0")
        self.assertEqual(dom.count('<svg class="chart"'), 3, "a chart per scenario")
        self.assertEqual(dom.count('<svg class="chart proc"'), 1, "fds and threads where growth measured them")
        for name, why in (("main.(*Server).logsContainer", "leaked"), ("main.sampleStats", "growing"),
                          ("main.(*Server).statsContainer", "growing")):
            self.assertRegex(dom, r'<polyline class="series s\d w\d why-' + why + r'" points="[^"]+">'
                             r"<title>" + re.escape(name) + r" \(" + why + r"\)</title>")
        for name in LEAKED:
            self.assertIn(f'<code class="fn">{name}</code>', dom)
        self.assertNotIn(f'<code class="fn">{UNCOUNTED}</code>', dom)
        self.assertIn('<span class="badge rate">+2.0 per iteration</span>', dom)
        # The failures come first and open; the pass is folded.
        self.assertLess(dom.index('id="s0c0" open'), dom.index('id="s0c2"'))
        self.assertRegex(dom, r'<details class="case passed" id="s0c2">')
        # The page's own script ran (its CSP hash is right) and showed the buttons.
        self.assertIn('<div class="tools" id="tools">', dom)
        self.assertEqual(re.findall(r".*(?:Content Security Policy|Refused to).*", err), [])

    def test_the_page_requests_nothing_from_the_network(self):
        self.require_chromium()
        netlog = os.path.join(self.tmp, "report.netlog.json")
        self.chromium.dump_dom(self.html, "--log-net-log=" + netlog)
        self.assertEqual(page_requests(netlog), [])

        # The check catches a page that does fetch: the report with an external <img>, once
        # without its Content-Security-Policy (the request is seen, by the NetLog and by the
        # server), once with it (the policy blocks it).
        server = LoopbackServer()
        self.addCleanup(server.close)
        img = f'<img src="{server.url}/x.png">'
        policy = re.search(r'<meta http-equiv="Content-Security-Policy"[^>]*>', self.page).group(0)
        for name, page, fetched in (("open", self.page.replace(policy, ""), True), ("csp", self.page, False)):
            path = os.path.join(self.tmp, f"with-img-{name}.html")
            with open(path, "w", encoding="utf-8") as f:
                f.write(page.replace("<body>", "<body>" + img, 1))
            netlog = os.path.join(self.tmp, f"with-img-{name}.netlog.json")
            del server.hits[:]
            _, err = self.chromium.dump_dom(path, "--log-net-log=" + netlog, "--enable-logging=stderr", "--v=0")
            self.assertEqual(page_requests(netlog), [server.url + "/x.png"] if fetched else [], name)
            self.assertEqual(server.hits, ["/x.png"] if fetched else [], name)
            # What the rendering test looks for in the console when nothing may be refused.
            self.assertEqual(bool(re.search(r"violates the following Content Security Policy", err)),
                             not fetched, name)

    def test_light_and_dark_both_render(self):
        self.require_chromium()
        # A copy that reports its computed colours into the DOM (the real page's policy allows
        # no such script, so the copy goes without it).
        probe = re.sub(r'<meta http-equiv="Content-Security-Policy"[^>]*>', "", self.page, count=1)
        probe = probe.replace("</body>", "<script>var d = document.documentElement, s = getComputedStyle;"
                              "d.dataset.bg = s(document.body).backgroundColor;"
                              "d.dataset.series = s(document.querySelector('polyline.series')).stroke;"
                              "d.dataset.total = s(document.querySelector('polyline.total')).stroke;</script></body>")
        path = os.path.join(self.tmp, "colours.html")
        with open(path, "w", encoding="utf-8") as f:
            f.write(probe)
        seen = {}
        for scheme, flags in (("light", ()), ("dark", ("--force-dark-mode",))):
            dom, _ = self.chromium.dump_dom(path, *flags)
            m = re.search(r'data-bg="([^"]+)" data-series="([^"]+)" data-total="([^"]+)"', dom)
            self.assertIsNotNone(m, dom[:500])
            seen[scheme] = m.groups()
            self.assertEqual(dom.count('<svg class="chart"'), 3, scheme)
        self.assertEqual(seen["light"][0], "rgb(255, 255, 255)")
        self.assertEqual(seen["dark"][0], "rgb(13, 17, 23)")
        self.assertNotEqual(seen["light"][1], seen["dark"][1], "the series take their dark colours")
        for bg, series, total in seen.values():
            self.assertNotIn(series, (bg, total), "the leaked series stands out from the page and the total")

    def test_an_interrupted_run_still_writes_the_page(self):
        self.require_chromium()
        suite = SUITE.format(bin=MINIPOUCHD).replace(
            "      - name: follow again\n", "      - sleep: 60s\n      - name: follow again\n")
        path = self.write("slow.yaml", suite)
        html = os.path.join(self.tmp, "interrupted.html")
        before = set(processes_running(MINIPOUCHD))
        p = subprocess.Popen([LEAKPROBE, "run", path, "--html", html], cwd=self.tmp,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        deadline = time.monotonic() + 60
        while not set(processes_running(MINIPOUCHD)) - before and time.monotonic() < deadline:
            time.sleep(0.05)
        time.sleep(1.5)  # past the follow, into the sleep
        p.send_signal(signal.SIGINT)
        out, err = p.communicate(timeout=60)
        self.assertEqual(p.returncode, 130, out + err)
        dom, _ = self.chromium.dump_dom(html)
        self.assertIn('<span class="pill interrupted">INTERRUPTED</span>', dom)
        self.assertIn("interrupted by signal 2", dom)
        self.assertIn('<svg class="chart"', dom, "the dumps taken before the signal are drawn")


if __name__ == "__main__":
    unittest.main()
