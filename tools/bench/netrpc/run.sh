#!/usr/bin/env bash
# Go's net/rpc server vs ours (//netrpc/examples:test_server), driven by the same
# Go net/rpc load generator in one run. Prints calls/s and p50/p99 (µs) of each,
# the median of ROUNDS runs, and the ratio ours/Go.
#
#   tools/bench/netrpc/run.sh            # ROUNDS=5 CALLS=50000 by default
#   ROUNDS=3 CALLS=20000 tools/bench/netrpc/run.sh
#
# Results and what made them: README.md beside this script.
#
# The machine has 2 cores shared by the server and the load generator: compare
# ratios, not absolute numbers.
set -euo pipefail
cd "$(dirname "$0")/../../.."
ROUNDS=${ROUNDS:-5}
CALLS=${CALLS:-50000}

# BIN=<bazel-bin of -c opt> skips the build (when Bazel's lock is busy and the
# binaries are fresh).
if [[ -z "${BIN:-}" ]]; then
  bazel build -c opt //tools/bench/netrpc:all //netrpc/examples:test_server >/dev/null 2>&1 ||
    { echo "bench: build failed; run: bazel build -c opt //tools/bench/netrpc:all //netrpc/examples:test_server" >&2; exit 1; }
  BIN=$(bazel info -c opt bazel-bin 2>/dev/null)
fi
tmp=$(mktemp -d)
pids=()
# start runs in a $(...) subshell, so servers record their pids in files.
cleanup() {
  for f in "$tmp"/*.pid; do [[ -f "$f" ]] && kill "$(cat "$f")" 2>/dev/null; done
  rm -rf "$tmp"
}
trap cleanup EXIT

# start NAME CMD...: runs a server, waits for its "listening tcp ADDR" line.
start() {
  local name=$1; shift
  "$@" >"$tmp/$name.out" 2>"$tmp/$name.err" &
  pids+=($!)
  echo $! >"$tmp/$name.pid"
  for _ in $(seq 1 200); do
    addr=$(awk '/^listening tcp /{print $3; exit}' "$tmp/$name.out" 2>/dev/null || true)
    [[ -n "$addr" ]] && { echo "$addr"; return; }
    kill -0 "${pids[-1]}" 2>/dev/null || break
    sleep 0.05
  done
  echo "bench: $name did not start: $(cat "$tmp/$name.err")" >&2
  exit 1
}

go_addr=$(start go "$BIN/tools/bench/netrpc/goserver" --tcp=127.0.0.1:0)
our_addr=$(start ours "$BIN/netrpc/examples/test_server" --tcp=127.0.0.1:0)

median() { sort -n | awk '{a[NR]=$1} END{print a[int((NR+1)/2)]}'; }

printf '%-22s %12s %12s %8s | %9s %9s | %9s %9s\n' \
  "load" "Go calls/s" "ours calls/s" "ratio" "Go p50" "ours p50" "Go p99" "ours p99"
for load in "1 1" "64 1" "64 4"; do
  set -- $load
  : >"$tmp/go.runs"; : >"$tmp/ours.runs"
  # Rounds alternate between the servers, so that a burst of other load on
  # the machine falls on both alike.
  for _ in $(seq 1 "$ROUNDS"); do
    for who in go ours; do
      addr=$go_addr; [[ $who == ours ]] && addr=$our_addr
      "$BIN/tools/bench/netrpc/loadgen" -addr "$addr" -callers "$1" -conns "$2" -calls "$CALLS" >>"$tmp/$who.runs"
    done
  done
  g_cps=$(awk '{print $5}' "$tmp/go.runs" | median); o_cps=$(awk '{print $5}' "$tmp/ours.runs" | median)
  g_50=$(awk '{print $6}' "$tmp/go.runs" | median); o_50=$(awk '{print $6}' "$tmp/ours.runs" | median)
  g_99=$(awk '{print $7}' "$tmp/go.runs" | median); o_99=$(awk '{print $7}' "$tmp/ours.runs" | median)
  printf '%-22s %12s %12s %8s | %9s %9s | %9s %9s\n' \
    "$1 callers, $2 conn" "$g_cps" "$o_cps" "$(awk -v a="$o_cps" -v b="$g_cps" 'BEGIN{printf "%.2fx", a/b}')" \
    "$g_50" "$o_50" "$g_99" "$o_99"
done
