#!/usr/bin/env bash
# What a read of the Go runtime's goroutineleak profile costs a target, beside a plain
# goroutine dump: dumpgen built with Go 1.27 parks N goroutines (default 10000) and serves
# net/http/pprof; each profile is fetched RUNS times (default 20) and the median and best
# wall times are printed. The leak profile runs a GC cycle with leak detection in the target
# before it writes, which is the difference.
#
#   bench/leak_profile_cost.sh [N] [RUNS]
#
# Needs build/examples/go1.27/dumpgen (scripts/setup fetches Go 1.27) and curl.
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-10000}
runs=${2:-20}
dumpgen=build/examples/go1.27/dumpgen
[ -x "$dumpgen" ] || { echo "no $dumpgen: scripts/build with Go 1.27 fetched" >&2; exit 2; }
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
log=$(mktemp)
"$dumpgen" -n "$n" -serve "127.0.0.1:$port" 2> "$log" &
pid=$!
trap 'kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null; rm -f "$log"' EXIT
for _ in $(seq 100); do grep -q "serving on" "$log" && break; sleep 0.1; done

measure() {
  local url=$1 times=()
  for _ in $(seq "$runs"); do
    times+=("$(curl -s -o /dev/null -w '%{time_total}' "$url")")
  done
  printf '%s\n' "${times[@]}" | sort -n | awk -v what="$2" '
    { t[NR] = $1 }
    END { printf "%-28s median %6.1f ms   best %6.1f ms   (%d runs)\n", what, t[int((NR + 1) / 2)] * 1000, t[1] * 1000, NR }'
}

echo "dumpgen (Go 1.27) with $(curl -s "http://127.0.0.1:$port/debug/pprof/goroutine?debug=1" | head -1)"
base="http://127.0.0.1:$port/debug/pprof"
measure "$base/goroutine?debug=2" "goroutine?debug=2"
measure "$base/goroutineleak?debug=2" "goroutineleak?debug=2"
measure "$base/goroutine?debug=1" "goroutine?debug=1"
measure "$base/goroutineleak?debug=1" "goroutineleak?debug=1"
