#!/usr/bin/env bash
# Times `leakprobe scan` against panicparse and `grep -c` on big debug=2 dumps and checks
# the targets of issue 3. Not part of ctest (tests must not depend on wall-clock speed);
# see bench/README.md.
#
#   bench/scan_vs_peers.sh [--leakprobe PATH] [--dumpgen PATH] [--keep DIR] [--runs N]
#                          [--peer-timeout SECONDS]
#
#   --leakprobe PATH        default build/leakprobe
#   --dumpgen PATH          default build/examples/dumpgen
#   --keep DIR              write the dumps to DIR and keep them; dumps already there are
#                           reused (default: a temp folder, removed at the end)
#   --runs N                runs of each command; the best wall time counts (default 3).
#                           A run slower than 30 s is not repeated.
#   --peer-timeout SECONDS  a run is killed after this long and shown as "> SECONDS"
#                           (default 300; panicparse needs minutes on the big dumps)
#
# Dumps: dumpgen -n 100000 (~36 MB) and -n 500000 -full (~181 MB; -full because pprof cuts
# debug=2 at 64 MB). Each command runs with the file already in the page cache and its
# output to /dev/null (grep's to a file: GNU grep writing to /dev/null stops at the first
# match). Wall time is measured with bash's EPOCHREALTIME, peak RSS with /usr/bin/time -f %M.
# Exit: 0 all targets met, 1 a target missed or undecided, 2 bad invocation or a tool missing, 3 a command
# failed or a count disagrees.
set -euo pipefail
export LC_ALL=C  # a "." in EPOCHREALTIME and in awk's numbers
root="$(cd "$(dirname "$0")/.." && pwd)"

leakprobe="$root/build/leakprobe"
dumpgen="$root/build/examples/dumpgen"
keep=""
runs=3
peer_timeout=300
slow=30

usage() {
  sed -n '6,16p' "$0" | sed 's/^# \{0,1\}//' >&2
  exit 2
}
while (($#)); do
  case "$1" in
    --leakprobe) leakprobe="${2:?}"; shift 2 ;;
    --dumpgen) dumpgen="${2:?}"; shift 2 ;;
    --keep) keep="${2:?}"; shift 2 ;;
    --runs) runs="${2:?}"; shift 2 ;;
    --peer-timeout) peer_timeout="${2:?}"; shift 2 ;;
    -h|--help) usage ;;
    *) echo "scan_vs_peers: unknown argument \"$1\"" >&2; usage ;;
  esac
done
[[ "$runs" =~ ^[1-9][0-9]*$ ]] || { echo "scan_vs_peers: --runs wants a number >= 1" >&2; exit 2; }
[[ "$peer_timeout" =~ ^[1-9][0-9]*$ ]] || { echo "scan_vs_peers: --peer-timeout wants seconds" >&2; exit 2; }

missing=0
for tool in "$leakprobe" "$dumpgen"; do
  [ -x "$tool" ] || { echo "scan_vs_peers: $tool is missing; build it (scripts/build) or pass its path" >&2; missing=1; }
done
for tool in panicparse /usr/bin/time timeout grep awk; do
  command -v "$tool" >/dev/null || { echo "scan_vs_peers: $tool is missing (scripts/setup installs panicparse)" >&2; missing=1; }
done
((missing == 0)) || exit 2

tmp="$(mktemp -d /tmp/leakprobe-bench-XXXXXX)"
trap 'rm -rf "$tmp"' EXIT
if [ -n "$keep" ]; then
  mkdir -p "$keep"
  dir="$(cd "$keep" && pwd)"
else
  dir="$tmp/dumps"
  mkdir -p "$dir"
fi

cores="$(nproc)"
load() { cut -d' ' -f1 /proc/loadavg; }
echo "machine: $cores cores, load average $(load) at the start; $(uname -srm)"
echo "leakprobe: $leakprobe ($("$leakprobe" --version 2>&1 | head -n 1))"
echo "panicparse: $(command -v panicparse) ($(dpkg-query -W -f='${Version}' panicparse 2>/dev/null || echo "version unknown"))"

# ---- the dumps ----------------------------------------------------------------------------
declare -A file count
make_dump() {  # make_dump NAME DUMPGEN-ARGS...
  local name=$1; shift
  file[$name]="$dir/debug2-$name.txt"
  if [ -s "${file[$name]}" ] && [ -s "$dir/count-$name.txt" ]; then
    echo "dump $name: reusing ${file[$name]}"
  else
    echo "dump $name: dumpgen $* ..."
    "$dumpgen" "$@" -debug2 "${file[$name]}" -count "$dir/count-$name.txt" 2>"$tmp/dumpgen.err" || {
      cat "$tmp/dumpgen.err" >&2; echo "scan_vs_peers: dumpgen failed" >&2; exit 3; }
  fi
  count[$name]="$(tr -d '[:space:]' <"$dir/count-$name.txt")"
}
make_dump 100k -n 100000
make_dump 500k -n 500000 -full

# ---- panicparse really reads a file argument, whole ---------------------------------------
# A ~1 MB head of the small dump, cut at a goroutine: the goroutines panicparse groups must
# add up to the headers grep counts. (Without a file argument it would read stdin, here
# /dev/null, and report nothing.)
sample="$tmp/sample.txt"
head -c 1000000 "${file[100k]}" | awk '/^goroutine /{n++} n<=2000' >"$sample"
want="$(grep -c '^goroutine ' "$sample")"
got="$(panicparse -parse=false "$sample" </dev/null 2>/dev/null | awk -F: '/^[0-9]+: /{s+=$1} END{print s+0}')"
if [ "$got" != "$want" ]; then
  echo "scan_vs_peers: panicparse accounted for $got of the $want goroutines of a sample; not reading its file?" >&2
  exit 3
fi
echo "check: panicparse groups all $want goroutines of a $(wc -c <"$sample")-byte sample given as a file argument"

# ---- timing --------------------------------------------------------------------------------
# measure OUT CMD...: runs CMD with its output to OUT; sets best (seconds, 3 decimals), rss
# (KB, the largest of the runs), n (runs made) and timed_out (1 when a run was killed at
# --peer-timeout).
measure() {
  local out=$1; shift
  best=""; rss=0; n=0; timed_out=0
  local i start end wall r rc
  for ((i = 0; i < runs; i++)); do
    rc=0
    start=$EPOCHREALTIME
    /usr/bin/time -o "$tmp/time" -f '%M' timeout "$peer_timeout" "$@" \
      >"$out" 2>"$tmp/stderr" </dev/null || rc=$?
    end=$EPOCHREALTIME
    n=$((n + 1))
    if ((rc == 124)); then
      timed_out=1
      best="$peer_timeout"
      rss="$(tail -n 1 "$tmp/time")"  # when it was stopped
      return
    fi
    if ((rc != 0)); then
      echo "scan_vs_peers: \"$*\" exited with $rc:" >&2
      tail -n 20 "$tmp/stderr" >&2
      exit 3
    fi
    wall="$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.3f", b - a }')"
    r="$(tail -n 1 "$tmp/time")"
    if ((r > rss)); then rss=$r; fi
    if [ -z "$best" ] || awk -v w="$wall" -v b="$best" 'BEGIN { exit !(w < b) }'; then best=$wall; fi
    if awk -v w="$wall" -v s="$slow" 'BEGIN { exit !(w > s) }'; then break; fi
  done
  return 0
}

declare -A T R X B
printf '\n%-6s %8s %11s  %-12s %10s %5s %10s %9s\n' dump MB goroutines command "best s" runs "peak RSS" "RSS/size"
for name in 100k 500k; do
  f="${file[$name]}"
  bytes="$(stat -c %s "$f")"
  cat "$f" >/dev/null  # into the page cache: measure parsing, not the disk
  # The goroutines each tool accounts for, outside the timing.
  lp_total="$("$leakprobe" scan "$f" 2>/dev/null | head -n 1 | awk '{print $1}')" || true
  if [ "$lp_total" != "${count[$name]}" ]; then
    echo "scan_vs_peers: $name: dumpgen parked ${count[$name]} goroutines, leakprobe read $lp_total" >&2
    exit 3
  fi
  for tool in grep leakprobe panicparse; do
    case $tool in
      # grep's count goes to a file: GNU grep writing to /dev/null stops at the first match.
      grep) measure "$tmp/grep.out" grep -c '^goroutine ' "$f"
            if [ "$(cat "$tmp/grep.out")" != "${count[$name]}" ]; then
              echo "scan_vs_peers: the timed grep counted $(cat "$tmp/grep.out") goroutines, not ${count[$name]}" >&2
              exit 3
            fi ;;
      leakprobe) measure /dev/null "$leakprobe" scan "$f" ;;
      panicparse) measure /dev/null panicparse -parse=false "$f" ;;
    esac
    T[$tool.$name]=$best; R[$tool.$name]=$rss; X[$tool.$name]=$timed_out
    if ((timed_out)); then
      shown="> $best"; ratio="-"
      rss_shown="$(awk -v k="$rss" 'BEGIN { printf "> %.1f MB", k / 1024 }')"
    else
      shown="$best"
      rss_shown="$(awk -v k="$rss" 'BEGIN { printf "%.1f MB", k / 1024 }')"
      ratio="$(awk -v k="$rss" -v b="$bytes" 'BEGIN { printf "%.3f", k * 1024 / b }')"
    fi
    printf '%-6s %8.1f %11s  %-12s %10s %5s %10s %9s\n' "$name" "$(awk -v b="$bytes" 'BEGIN { print b / 1e6 }')" \
      "${count[$name]}" "$tool" "$shown" "$n" "$rss_shown" "$ratio"
  done
  B[$name]=$bytes
done

# ---- the targets ---------------------------------------------------------------------------
failed=0
check() {  # check LABEL VALUE OP TARGET [SUFFIX] [LOWER-BOUND]
  local label=$1 value=$2 op=$3 target=$4 suffix=${5:-} bound=${6:-0} verdict
  if awk -v v="$value" -v t="$target" -v op="$op" 'BEGIN { exit !(op == ">=" ? v >= t : v <= t) }'; then
    verdict=PASS
  elif ((bound)); then
    verdict="UNDECIDED (panicparse stopped at --peer-timeout)"; failed=1
  else
    verdict=FAIL; failed=1
  fi
  if ((bound)); then value="> $value"; fi
  printf '  %-46s %10s  target %s %s%s  %s\n' "$label" "$value$suffix" "$op" "$target" "$suffix" "$verdict"
}
div() { awk -v a="$1" -v b="$2" -v p="${3:-2}" 'BEGIN { printf "%.*f", p, (b > 0 ? a / b : 1e9) }'; }

echo
echo "targets (issue 3):"
check "leakprobe speed-up over panicparse, 100k" "$(div "${T[panicparse.100k]}" "${T[leakprobe.100k]}" 0)" ">=" 50 x \
  "${X[panicparse.100k]}"
check "leakprobe time 500k / 100k" "$(div "${T[leakprobe.500k]}" "${T[leakprobe.100k]}")" "<=" 5.5
check "leakprobe time 100k / grep -c 100k" "$(div "${T[leakprobe.100k]}" "${T[grep.100k]}")" "<=" 8
for name in 100k 500k; do
  check "leakprobe peak RSS / file size, $name" \
    "$(awk -v k="${R[leakprobe.$name]}" -v b="${B[$name]}" 'BEGIN { printf "%.3f", k * 1024 / b }')" "<=" 0.5
done

end_load="$(load)"
echo
echo "load average $end_load at the end on $cores cores."
if awk -v l="$end_load" -v c="$cores" 'BEGIN { exit !(l > c * 0.75) }'; then
  echo "note: the machine was busy; wall times are noisy. Run again when \`uptime\` shows a low load."
fi
[ -n "$keep" ] && echo "dumps kept in $dir"
exit "$failed"
