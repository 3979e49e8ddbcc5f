#!/usr/bin/env bash
# What leakprobe's own probing costs a big target, before (dump.poll: full, a full debug=2
# dump at every poll) and after (dump.poll: auto, per-stack counts), side by side in one run.
#
# For each size (default 1000 10000 100000 goroutines) dumpgen built with Go 1.27 parks that
# many goroutines and serves net/http/pprof on loopback; a ping loop beside it asks
# /debug/pprof/cmdline every 5 ms on one kept-alive connection and records how long each
# answer took. leakprobe attaches to it and runs, once per mode:
#   clean   /spawn?n=50&for=100ms (work in flight), then a leak check with max_new_goroutines: 0
#   leaky   /leak?n=20 (parked for good), then a leak check naming main.leakedWorker, settle 3s
#   growth  a repeat of 10 iterations of /spawn?n=5&for=20ms with a growth check
# and the table shows, from leakprobe's JSON timeline and the ping loop:
#   verdict   seconds from the end of the last step to the verdict (clean, leaky)
#   stall     the longest ping answer from the first step (the baseline is taken before it)
#             to the verdict, the part of it inside: the longest the target was frozen
#             (clean, growth); where it began goes to the log above the table
#   per-iter  the growth repeat's wall time over its 10 iterations
# and checks the floors of issue 19: at the largest size the stalls under auto stay at or
# under 50 ms and the clean verdict comes 5x sooner or more; at the smallest size no figure
# of auto is more than 10% (+5 ms) above full's.
#
# After the scenarios, each fetch the probe may make is timed once on its own, with the
# longest ping beside it: goroutine?debug=1 and ?debug=2, goroutineleak?debug=1 and ?debug=2,
# and heap?gc=1, a plain GC of the same heap, to tell the leak detector's cost from a GC's.
# The leak profile (Go 1.26+) runs a GC with leak detection in the target at every ask (at
# 100k goroutines a freeze of 120-150 ms, where heap?gc=1's plain GC freezes it for under
# 10 ms): its stall is the runtime's, whatever the form. A clean count check asks it once
# (twice when goroutines above the baseline remain), so under the default that one ask is
# the longest stall. --leak-profile off (dump.leak_profile: off) leaves it out, to see the
# polls alone; the default, auto, is what a scenario gets by default.
#
#   bench/probe_cost.sh [--leak-profile auto|off] [SIZES...]   e.g. bench/probe_cost.sh 1000 100000
#
# Needs build/leakprobe, build/examples/go1.27/dumpgen (scripts/setup fetches Go 1.27),
# and python3. Exits 0 when every floor holds, 1 when one does not, 2 when something is missing.
# At 100k goroutines a run takes about five minutes, most of it the full dumps of `full`.
set -euo pipefail
cd "$(dirname "$0")/.."
leak_profile=auto
if [ "${1:-}" = --leak-profile ]; then
  leak_profile=${2:-}
  shift 2
fi
case "$leak_profile" in auto | off) ;; *) echo "--leak-profile auto or off" >&2; exit 2 ;; esac
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(1000 10000 100000)
leakprobe=build/leakprobe
dumpgen=build/examples/go1.27/dumpgen
for f in "$leakprobe" "$dumpgen"; do
  [ -x "$f" ] || { echo "no $f: scripts/build (with Go 1.27 fetched by scripts/setup)" >&2; exit 2; }
done
command -v python3 > /dev/null || { echo "no python3" >&2; exit 2; }

work=$(mktemp -d)
dg_pid=""
ping_pid=""
stop_all() {
  [ -n "$ping_pid" ] && kill "$ping_pid" 2> /dev/null && wait "$ping_pid" 2> /dev/null || true
  [ -n "$dg_pid" ] && kill "$dg_pid" 2> /dev/null && wait "$dg_pid" 2> /dev/null || true
  ping_pid=""
  dg_pid=""
}
trap 'stop_all; rm -rf "$work"' EXIT

# The ping loop: "start_monotonic seconds" per answer to $work/pings.N, until killed or an
# hour has passed (a hang guard).
cat > "$work/ping.py" << 'EOF'
import http.client, sys, time
port, out = int(sys.argv[1]), sys.argv[2]
end = time.monotonic() + 3600
conn = None
with open(out, "w", buffering=1) as f:
    while time.monotonic() < end:
        t0 = time.monotonic()
        try:
            if conn is None:
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
            conn.request("GET", "/debug/pprof/cmdline")
            conn.getresponse().read()
        except (OSError, http.client.HTTPException):
            conn = None
            time.sleep(0.05)
            continue
        t1 = time.monotonic()
        f.write(f"{t0:.6f} {t1 - t0:.6f}\n")
        time.sleep(max(0.0, 0.005 - (time.monotonic() - t0)))
EOF

# One row of figures from a run: its JSON report, the marks of its first steps, the pings.
cat > "$work/figures.py" << 'EOF'
import json, sys
report, marks, pings = sys.argv[1], sys.argv[2], sys.argv[3]
cases = {c["name"]: c for s in json.load(open(report))["suites"] for c in s["cases"]}
start = {}
for line in open(marks):
    name, t = line.split()
    start[name] = float(t)
pings = [tuple(map(float, l.split())) for l in open(pings) if len(l.split()) == 2]
def stall(name):
    # The longest answer that overlaps [the first step, the verdict]: the mark is taken as
    # the first step starts, the verdict is as far after it as the timeline says. Where it
    # was goes to stderr: after which of leakprobe's fetches it began.
    t = cases[name]["timeline"]
    # The mark is written as the exec step ends (python's start alone takes ~90 ms): the
    # step's end, not its start, is the mark's time on the timeline. Aligned on the start, the
    # window ran past the verdict into the next scenario's baseline dump.
    s0 = t["steps"][0]["end"]
    until = start[name] + t["verdict_t"] - s0
    # A ping counts for its part inside the window: one sent just before the verdict may
    # wait out the next scenario's baseline, which is not this one's.
    inside = [(min(t0 + d, until) - max(t0, start[name]), t0) for t0, d in pings if t0 + d >= start[name] and t0 <= until]
    if not inside:
        return float("nan")
    d, t0 = max(inside)
    at = t0 - start[name]
    before = [p for p in t["points"] if p["t"] - s0 <= at]
    after = before[-1]["label"] if before else "the window began"
    print(f"  {name}: longest stall {d * 1000:.0f} ms, from {at:+.3f} s (after: {after})", file=sys.stderr)
    return d
def verdict(name):
    t = cases[name]["timeline"]
    return t["verdict_t"] - t["steps"][-1]["end"]
# Each scenario must end as it is meant to, or its figures measure something else.
for name, want in (("clean", "passed"), ("leaky", "failed"), ("growth", "passed")):
    c = cases[name]
    if c["outcome"] != want:
        sys.exit(f"{name}: {c['outcome']}, not {want}: {c['message']}")
growth = cases["growth"]["timeline"]["steps"][-1]
print(json.dumps({
    "clean_verdict": verdict("clean"),
    "clean_stall": stall("clean"),
    "leaky_verdict": verdict("leaky"),
    "growth_per_iter": (growth["end"] - growth["start"]) / 10,
    "growth_stall": stall("growth"),
}))
EOF

# The table, full and auto side by side, and the floors.
cat > "$work/summary.py" << 'EOF'
import json, sys
rows = {}
for line in sys.stdin:
    n, mode, js = line.split(" ", 2)
    rows[(int(n), mode)] = json.loads(js)
sizes = sorted({n for n, _ in rows})
ms = lambda s: f"{s * 1000:9.0f}"
print()
print("goroutines  figure                            full (ms)   auto (ms)   full/auto")
for n in sizes:
    f, a = rows[(n, "full")], rows[(n, "auto")]
    for key, what in (("clean_verdict", "clean: last step -> verdict"), ("clean_stall", "clean: longest stall"),
                      ("leaky_verdict", "leaky: last step -> verdict"), ("growth_per_iter", "growth: per iteration"),
                      ("growth_stall", "growth: longest stall")):
        ratio = f[key] / a[key] if a[key] > 0 else float("inf")
        print(f"{n:10d}  {what:30s} {ms(f[key])}   {ms(a[key])}   {ratio:8.1f}x")
ok = True
def floor(good, text):
    global ok
    ok = ok and good
    print(("PASS " if good else "FAIL ") + text)
print()
big, small = max(sizes), min(sizes)
a, f = rows[(big, "auto")], rows[(big, "full")]
floor(a["clean_stall"] <= 0.050,
      f"{big}: longest stall through the clean settle under auto <= 50 ms ({a['clean_stall'] * 1000:.0f} ms)")
floor(a["growth_stall"] <= 0.050,
      f"{big}: longest stall through the growth check under auto <= 50 ms ({a['growth_stall'] * 1000:.0f} ms)")
floor(f["clean_verdict"] >= 5 * a["clean_verdict"],
      f"{big}: last step -> clean verdict 5x sooner or more under auto ({f['clean_verdict'] / a['clean_verdict']:.1f}x)")
a, f = rows[(small, "auto")], rows[(small, "full")]
for key in ("clean_verdict", "leaky_verdict", "growth_per_iter"):
    floor(a[key] <= f[key] * 1.10 + 0.005,
          f"{small}: {key} under auto no slower than under full ({a[key] * 1000:.0f} vs {f[key] * 1000:.0f} ms)")
sys.exit(0 if ok else 1)
EOF

scenario() {  # scenario MODE PORT: the three scenarios, attached to dumpgen on PORT
  local mark='echo "NAME $(python3 -c "import time; print(time.monotonic())")" >> '"$work/marks"
  cat << EOF
suite: probe-cost
vars: { base: "http://127.0.0.1:$2" }
target: { ready: { http: "\${base}/debug/pprof/cmdline" } }   # attached: the dump is too slow a probe at 100k
dump:
  url: "\${base}/debug/pprof/goroutine?debug=2"
  poll: $1
  leak_profile: $leak_profile
scenarios:
  - name: clean
    steps:
      - exec: { run: '${mark/NAME/clean}', shell: true }
      - http: { url: "\${base}/spawn?n=50&for=100ms" }
    leaks: { max_new_goroutines: 0, settle: 2m }
  - name: leaky
    steps:
      - exec: { run: '${mark/NAME/leaky}', shell: true }
      - http: { url: "\${base}/leak?n=20" }
    leaks: { suspects: [ { keyword: main.leakedWorker } ], settle: 3s }
  - name: growth
    steps:
      - exec: { run: '${mark/NAME/growth}', shell: true }
      - repeat: 10
        steps:
          - http: { url: "\${base}/spawn?n=5&for=20ms" }
        growth: { max_per_iteration: 0.5, settle: 3s, fds: false }
EOF
}

# One fetch on its own: how long it took, and the longest ping beside it.
fetch_cost() {  # fetch_cost PORT N URL-TAIL
  python3 - "$1" "$work/pings.$2" "$3" << 'EOF'
import sys, time, urllib.request
port, pings_file, tail = sys.argv[1], sys.argv[2], sys.argv[3]
t0 = time.monotonic()
urllib.request.urlopen(f"http://127.0.0.1:{port}/debug/pprof/{tail}", timeout=120).read()
t1 = time.monotonic()
time.sleep(0.3)  # the ping that waited through the fetch has answered by now
pings = [tuple(map(float, l.split())) for l in open(pings_file) if len(l.split()) == 2]
stall = max([d for a, d in pings if a + d >= t0 and a <= t1] or [0])
print(f"  {tail:24s} {1000 * (t1 - t0):8.0f} ms, longest ping beside it {1000 * stall:6.0f} ms")
EOF
}

echo "dump.leak_profile: $leak_profile"
echo "load at start: $(cut -d' ' -f1-3 /proc/loadavg)"
rows=()
for n in "${sizes[@]}"; do
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  "$dumpgen" -n "$n" -serve "127.0.0.1:$port" 2> "$work/dumpgen.log" &
  dg_pid=$!
  for _ in $(seq 1800); do grep -q "serving on" "$work/dumpgen.log" && break; sleep 0.1; done
  grep -q "serving on" "$work/dumpgen.log" || { cat "$work/dumpgen.log" >&2; exit 2; }
  python3 "$work/ping.py" "$port" "$work/pings.$n" &
  ping_pid=$!
  # Its connection must be older than the first baseline: it is the target's, not new.
  for _ in $(seq 100); do [ -s "$work/pings.$n" ] && break; sleep 0.1; done
  for mode in full auto; do
    : > "$work/marks"
    scenario "$mode" "$port" > "$work/s.yaml"
    set +e
    "$leakprobe" run -q "$work/s.yaml" --json "$work/r.json" > "$work/out.txt" 2>&1
    rc=$?
    set -e
    # 1: the leaky scenario fails, as it must; anything else is a broken run.
    if [ "$rc" != 1 ]; then
      echo "leakprobe exited $rc at n=$n, poll: $mode:" >&2
      cat "$work/out.txt" >&2
      exit 3
    fi
    echo "$n goroutines, poll: $mode:"
    if ! row=$(python3 "$work/figures.py" "$work/r.json" "$work/marks" "$work/pings.$n"); then
      echo "no figures from the run at n=$n, poll: $mode:" >&2
      cat "$work/out.txt" >&2
      exit 3
    fi
    rows+=("$n $mode $row")
  done
  # After the scenarios: once the runtime's leak detector ran, Go 1.27 marks what it proved
  # "(leaked)" in every later dump, which a suite with the leak profile off would judge.
  echo "$n goroutines, each fetch on its own:"
  # heap?gc=1 (net/http/pprof runs runtime.GC first) is the yardstick for the leak profile:
  # a plain collection of the same heap, which the target also runs on its own.
  for tail in "goroutine?debug=1" "goroutine?debug=2" "goroutineleak?debug=1" "goroutineleak?debug=2" \
    "heap?gc=1"; do
    fetch_cost "$port" "$n" "$tail"
  done
  stop_all
done
echo "load at end:   $(cut -d' ' -f1-3 /proc/loadavg)"
printf '%s\n' "${rows[@]}" | python3 "$work/summary.py"
