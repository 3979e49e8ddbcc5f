#!/usr/bin/env bash
# Measures the HTML report of a big real run: its size, the time leakprobe takes to write
# it, and the time headless Chromium takes to open it. Not part of ctest (tests must not
# depend on wall-clock speed); see bench/README.md.
#
#   bench/html_report.sh [--leakprobe PATH] [--examples DIR] [--scenarios N] [--goroutines N]
#                        [--opens N] [--keep DIR]
#
#   --leakprobe PATH   default build/leakprobe
#   --examples DIR     where minipouchd and dumpgen are, default build/examples
#   --scenarios N      scenarios against minipouchd --leaky (default 199; with the big one, 200)
#   --goroutines N     goroutines dumpgen parks for the big scenario (default 100000)
#   --opens N          Chromium opens of each page; the median counts (default 5)
#   --keep DIR         write the suites and reports to DIR and keep them (default: a temp
#                      folder, removed at the end)
#
# The run: one file of N scenarios sharing one minipouchd --leaky (every 10th follows a
# container's logs and hangs up: a leak found by keyword; every 25th streams stats 6 times:
# a leak found by growth, with fds and threads; the rest call the API and check that nothing
# new is left), and one file whose scenario runs against dumpgen -n 100000 (a 100,001-
# goroutine dump at each of its dumps) and fails on an expectation, so it is open in the page.
# Both files run at once (--jobs 2).
#
# Opening: `chromium --headless --dump-dom` of the report and of an empty page, each
# --opens times with a fresh profile; the report's cost is the difference of the medians.
# A copy of the report with a probe script (the real page's CSP allows no other script)
# also reads the page's own Navigation Timing: when its DOM was ready and its load ended.
# Exit: 0 done, 2 bad invocation or a tool missing, 3 a command failed.
set -euo pipefail
export LC_ALL=C
root="$(cd "$(dirname "$0")/.." && pwd)"

leakprobe="$root/build/leakprobe"
examples="$root/build/examples"
scenarios=199
goroutines=100000
opens=5
keep=""

usage() {
  sed -n '6,17p' "$0" | sed 's/^# \{0,1\}//' >&2
  exit 2
}
while (($#)); do
  case "$1" in
    --leakprobe) leakprobe="${2:?}"; shift 2 ;;
    --examples) examples="${2:?}"; shift 2 ;;
    --scenarios) scenarios="${2:?}"; shift 2 ;;
    --goroutines) goroutines="${2:?}"; shift 2 ;;
    --opens) opens="${2:?}"; shift 2 ;;
    --keep) keep="${2:?}"; shift 2 ;;
    -h|--help) usage ;;
    *) echo "html_report: unknown argument \"$1\"" >&2; usage ;;
  esac
done
for n in "$scenarios" "$goroutines" "$opens"; do
  [[ "$n" =~ ^[1-9][0-9]*$ ]] || { echo "html_report: \"$n\" is not a number >= 1" >&2; exit 2; }
done
missing=0
for tool in "$leakprobe" "$examples/minipouchd" "$examples/dumpgen" /usr/bin/chromium /usr/bin/python3; do
  [ -x "$tool" ] || { echo "html_report: $tool is missing (scripts/build builds leakprobe and the examples; scripts/setup installs chromium)" >&2; missing=1; }
done
((missing == 0)) || exit 2

if [ -n "$keep" ]; then
  mkdir -p "$keep"
  work="$(cd "$keep" && pwd)"
else
  work="$(mktemp -d -t leakprobe-html-bench.XXXXXX)"
  trap 'rm -rf "$work"' EXIT
fi

echo "load average at the start: $(cut -d' ' -f1-3 /proc/loadavg)"

# --- the suites -------------------------------------------------------------------------
/usr/bin/python3 - "$work" "$examples" "$scenarios" "$goroutines" <<'EOF'
import sys
work, examples, n, goroutines = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
head = f"""suite: many
vars:
  bin: {examples}/minipouchd
  api: "http://127.0.0.1:${{port}}/v1.24"
target:
  run: ["${{bin}}", --listen, "127.0.0.1:${{port}}", --leaky]
  ready: {{ http: "http://127.0.0.1:${{port}}/_ping", timeout: 30s }}
  shared: true
dump:
  url: "http://127.0.0.1:${{port}}/debug/pprof/goroutine?debug=2"
ignore:
  - top: "main.(*Monitor).loop"
scenarios:
"""
create = """      - name: create
        http: { method: POST, url: "${api}/containers/create", json: { Cmd: [silent] } }
        capture: { cid: { json: /Id } }
      - name: start
        http: { method: POST, url: "${api}/containers/${cid}/start" }
"""
delete = """    teardown:
      - http: { method: DELETE, url: "${api}/containers/${cid}?force=1" }
"""
out = []
for i in range(n):
    if i % 25 == 1:
        out.append(f"  - name: stats {i:03d}\n    steps:\n{create}"
                   "      - name: stats, 6 times\n        repeat:\n          times: 6\n          steps:\n"
                   "            - http: { url: \"${api}/containers/${cid}/stats?stream=1\", disconnect_after: 100ms }\n"
                   "          growth: { max_per_iteration: 0.5, settle: 500ms, fds: true }\n" + delete)
    elif i % 10 == 0:
        out.append(f"  - name: follow {i:03d}\n    steps:\n{create}"
                   "      - name: follow and hang up\n"
                   "        http: { url: \"${api}/containers/${cid}/logs?stdout=1&follow=1\", disconnect_after: 100ms }\n"
                   "    leaks:\n      suspects: [ { keyword: \"(*Server).logsContainer\" } ]\n      settle: 300ms\n" + delete)
    else:
        out.append(f"  - name: list {i:03d}\n    steps:\n{create}"
                   "      - http: { url: \"${api}/containers/json\" }\n        expect: { status: 200 }\n"
                   "      - http: { method: DELETE, url: \"${api}/containers/${cid}?force=1\" }\n"
                   "    leaks:\n      max_new_goroutines: 0\n      settle: 300ms\n")
open(f"{work}/many.yaml", "w").write(head + "".join(out))
open(f"{work}/big.yaml", "w").write(f"""suite: big-dump
vars:
  dumpgen: {examples}/dumpgen
target:
  run: ["${{dumpgen}}", -n, "{goroutines}", -serve, "127.0.0.1:${{port}}"]
  ready: {{ http: "http://127.0.0.1:${{port}}/debug/pprof/", timeout: 300s }}
dump:
  url: "http://127.0.0.1:${{port}}/debug/pprof/goroutine?debug=2"
scenarios:
  - name: {goroutines} parked goroutines, and an expectation that fails
    steps:
      - sleep: 100ms
      - snapshot: middle
      - http: {{ url: "http://127.0.0.1:${{port}}/debug/pprof/" }}
        expect: {{ status: 418 }}
""")
EOF

# --- the run ----------------------------------------------------------------------------
start=$EPOCHREALTIME
set +e
"$leakprobe" run "$work/many.yaml" "$work/big.yaml" --jobs 2 -q --html "$work/report.html" \
  --json "$work/report.json" --junit "$work/report.xml" >"$work/run.log" 2>&1
code=$?
set -e
run_s=$(awk -v a="$start" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.1f", b - a }')
if ((code != 1)); then
  echo "html_report: leakprobe run exited $code (1 expected: some scenarios fail); see $work/run.log" >&2
  tail -20 "$work/run.log" >&2
  exit 3
fi

# --- what the run produced --------------------------------------------------------------
/usr/bin/python3 - "$work/report.json" >"$work/summary.txt" <<'EOF'
import json, sys
doc = json.load(open(sys.argv[1]))
cases = [c for s in doc["suites"] for c in s["cases"]]
points = sum(len(c["timeline"]["points"]) for c in cases)
biggest = max(p["total"] for c in cases for p in c["timeline"]["points"])
groups = sum(len(c["leaks"]) for c in cases)
failed = sum(c["outcome"] in ("failed", "error") for c in cases)
print(f"{len(cases)} scenarios ({failed} failed or broken), {points} dumps in their timelines, "
      f"the biggest dump {biggest} goroutines, {groups} leak groups")
EOF

# --- opening it in Chromium -------------------------------------------------------------
# Each open: a fresh profile, HOME and TMPDIR under $work; its own session, killed
# afterwards by its process group, and any helper that left it (found by that HOME) by PID.
open_once() {  # $1: file, $2: where to write stdout; prints the wall time in ms
  local dir
  dir="$(mktemp -d "$work/chromium.XXXXXX")"
  mkdir "$dir/home" "$dir/tmp"
  local t0=$EPOCHREALTIME
  HOME="$dir/home" TMPDIR="$dir/tmp" setsid timeout 120 /usr/bin/chromium --headless --no-sandbox \
    --disable-gpu --disable-quic --no-first-run --disable-background-networking \
    --disable-component-update --disable-sync --disable-extensions --disable-default-apps \
    --disable-breakpad --disable-client-side-phishing-detection --disable-domain-reliability \
    --no-pings --metrics-recording-only \
    --disable-features=NetworkTimeServiceQuerying,OptimizationHints,MediaRouter,Translate,AutofillServerCommunication \
    "--host-resolver-rules=MAP * ~NOTFOUND" --user-data-dir="$dir/profile" \
    --dump-dom "file://$1" >"$2" 2>/dev/null &
  local pid=$!
  wait "$pid" || { echo "html_report: chromium failed on $1" >&2; exit 3; }
  local t1=$EPOCHREALTIME
  kill -KILL -- "-$pid" 2>/dev/null || true
  local left i
  for i in $(seq 100); do
    left=$(grep -lzs "^HOME=$dir/home\$" /proc/[0-9]*/environ 2>/dev/null | cut -d/ -f3 || true)
    [ -z "$left" ] && break
    sleep 0.1
  done
  for p in $left; do kill -KILL "$p" 2>/dev/null || true; done
  rm -rf "$dir"
  awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%d\n", (b - a) * 1000 }'
}
median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

printf '<!DOCTYPE html><html><head><meta charset="utf-8"><title>empty</title></head><body></body></html>\n' \
  >"$work/empty.html"
/usr/bin/python3 - "$work/report.html" "$work/probe.html" <<'EOF'
import re, sys
page = open(sys.argv[1], encoding="utf-8").read()
page = re.sub(r'<meta http-equiv="Content-Security-Policy"[^>]*>', "", page, count=1)
probe = ("<script>window.addEventListener('load', function () { setTimeout(function () {"
         "var n = performance.getEntriesByType('navigation')[0];"
         "document.documentElement.dataset.timing = [n.domInteractive, n.domContentLoadedEventEnd, n.loadEventEnd]"
         ".map(Math.round).join(' '); }, 0); });</script>")
open(sys.argv[2], "w", encoding="utf-8").write(page.replace("</body>", probe + "</body>", 1))
EOF

empty_ms=$(for i in $(seq "$opens"); do open_once "$work/empty.html" /dev/null; done | median)
report_ms=$(for i in $(seq "$opens"); do open_once "$work/report.html" "$work/dom.html"; done | median)
grep -q '<svg class="chart"' "$work/dom.html" || { echo "html_report: the rendered page has no chart" >&2; exit 3; }
timings=$(for i in $(seq "$opens"); do
  open_once "$work/probe.html" "$work/probe-dom.html" >/dev/null
  grep -o 'data-timing="[^"]*"' "$work/probe-dom.html" | tr -dc '0-9 \n'
  echo
done | grep . | sort -n -k3 | awk '{ v[NR] = $0 } END { print v[int((NR + 1) / 2)] }')
read -r dom_ready dom_loaded load_end <<<"$timings"

size() { stat -c %s "$1"; }
mb() { awk -v b="$1" 'BEGIN { printf "%.2f MB", b / 1e6 }'; }
echo
echo "run: $(cat "$work/summary.txt"), in ${run_s}s"
bytes=$(size "$work/report.html")
echo "HTML report:  $(mb "$bytes") ($bytes bytes)"
echo "JSON report:  $(mb "$(size "$work/report.json")"), JUnit: $(mb "$(size "$work/report.xml")")"
echo "Chromium --dump-dom, median of $opens: empty page ${empty_ms} ms, the report ${report_ms} ms:" \
     "the report costs $((report_ms - empty_ms)) ms"
echo "the page's own Navigation Timing (median): DOM interactive ${dom_ready} ms, DOMContentLoaded" \
     "${dom_loaded} ms, load ${load_end} ms"
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
