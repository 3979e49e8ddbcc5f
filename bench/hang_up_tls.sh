#!/usr/bin/env bash
# What TLS adds to a hang-up: the same scenario against minipouchd over http:// and over
# https:// (its --tls-listen, a throwaway self-signed certificate), run alternately RUNS
# times (default 5). The scenario has N iterations (default 50) each of a stats stream reset
# at its first body bytes, an attach upgraded with `Upgrade: tcp`, typed to and closed, and a
# plain GET; leakprobe's step log times each repeat, from its first request to its last
# hang-up, so the target's start is not in the figures. Prints each repeat's median and best
# per iteration, per protocol.
#
#   bench/hang_up_tls.sh [N] [RUNS]
#
# Needs build/leakprobe, build/examples/minipouchd and openssl.
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-50}
runs=${2:-5}
for bin in build/leakprobe build/examples/minipouchd; do
  [ -x "$bin" ] || { echo "no $bin: run scripts/build" >&2; exit 2; }
done
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=127.0.0.1 -addext subjectAltName=IP:127.0.0.1 \
  -keyout "$dir/key.pem" -out "$dir/cert.pem" 2>/dev/null

scenario() {  # scenario SCHEME PORTVAR
  cat <<YAML
suite: hang-up-$1
vars:
  api: "$1://127.0.0.1:\${$2}/v1.24"
target:
  run: ["$PWD/build/examples/minipouchd", --listen, "127.0.0.1:\${port}", --tls-listen, "127.0.0.1:\${port.tls}",
        --tls-cert, "$dir/cert.pem", --tls-key, "$dir/key.pem", --monitor=false]
  ready: { http: "http://127.0.0.1:\${port}/_ping" }
dump:
  url: "http://127.0.0.1:\${port}/debug/pprof/goroutine?debug=2"
scenarios:
  - name: hang-ups
    steps:
      - http: { method: POST, url: "\${api}/containers/create", insecure: true, json: { Cmd: [silent] } }
        capture: { cid: { json: /Id } }
      - http: { method: POST, url: "\${api}/containers/\${cid}/start", insecure: true }
      - name: stats reset
        repeat: $n
        steps:
          - http: { url: "\${api}/containers/\${cid}/stats?stream=1", insecure: true, hang_up: { at: body, how: reset } }
      - name: attach closed
        repeat: $n
        steps:
          - http: { method: POST, url: "\${api}/containers/\${cid}/attach?stream=1&stdin=1&stdout=1", insecure: true,
                    upgrade: tcp, send: ["hello\\n"], hang_up: { at: body, how: close } }
      - name: plain get
        repeat: $n
        steps:
          - http: { url: "\${api}/info", insecure: true }
    teardown:
      - http: { method: DELETE, url: "\${api}/containers/\${cid}?force=1", insecure: true }
YAML
}
scenario http port > "$dir/http.yaml"
scenario https port.tls > "$dir/https.yaml"

# Appends "SCHEME STEP MS" for each repeat of one run.
run() {
  build/leakprobe run "$dir/$1.yaml" -v 2>&1 |
    sed -n 's/.*step [0-9]* "\([^"]*\)": [0-9]* of [0-9]* iterations in \([0-9.]*\)\(ms\|s\)\b.*/\1|\2|\3/p' |
    awk -F'|' -v s="$1" '{ ms = $3 == "s" ? $2 * 1000 : $2; print s "|" $1 "|" ms }' >> "$dir/times"
}
for _ in $(seq "$runs"); do run http; run https; done
echo "minipouchd, $n iterations a repeat, $runs runs each, alternating; per iteration:"
sort -t'|' -k2,2 -k1,1 -k3,3n "$dir/times" | awk -F'|' -v n="$n" '
  { key = $2 "|" $1; t[key, ++c[key]] = $3 }
  END {
    for (key in c) {
      split(key, k, "|")
      m = t[key, int((c[key] + 1) / 2)]
      printf "  %-14s %-6s median %6.2f ms   best %6.2f ms\n", k[1], k[2], m / n, t[key, 1] / n
    }
  }' | sort
