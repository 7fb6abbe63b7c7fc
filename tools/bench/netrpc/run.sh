#!/usr/bin/env bash
# Go's net/rpc server vs ours (//netrpc/examples:test_server), driven by the same
# load generator in one run: 1 caller; 64 callers on 1 connection; 64 on 4.
# Prints, per load generator, calls/s and p50/p99 (µs) of each server (median
# of ROUNDS runs), the ratio ours/Go, and CPU per call (µs) of each server and
# of the load generator.
#
#   tools/bench/netrpc/run.sh            # ROUNDS=5 CALLS=50000 LOADGEN=both
#   ROUNDS=3 CALLS=20000 tools/bench/netrpc/run.sh
#   LOADGEN=cc CC_FLAGS=-batch=false tools/bench/netrpc/run.sh
#
# Knobs (environment):
#   LOADGEN   go (loadgen.go: Go's net/rpc client), cc (loadgen_cc.cc: our gob
#             codec, pipelined, one thread) or both (default: one table each)
#   CC_FLAGS  extra loadgen_cc flags: -batch=false (a send per request) or
#             -engine=client (netrpc::Client's Go API)
#   ROUNDS (5), CALLS (50000 per measured run), WARMUP (1000 calls before each)
#   BIN       <bazel-bin of -c opt>: skip the build (Bazel's lock busy, binaries
#             fresh)
#
# CPU per call: each measured run is its own load generator process, after a
# separate warm-up run of the same load, so the server's CPU time before and
# after it covers exactly the measured calls (plus one dial). Server CPU is the
# sum over its threads of /proc/PID/task/*/schedstat (ns, on-CPU time, user +
# system); ticks of /proc/PID/stat (10 ms) are too coarse for the C++ load
# generator's 20 ms runs. The load generator reports its own (getrusage, -cpu)
# over the timed calls only.
#
# Results and what made them: README.md beside this script.
#
# The machine has 2 cores shared by the servers, the load generator and
# whatever else runs: compare ratios within one run, not absolute numbers.
set -euo pipefail
cd "$(dirname "$0")/../../.."
ROUNDS=${ROUNDS:-5}
CALLS=${CALLS:-50000}
WARMUP=${WARMUP:-1000}
LOADGEN=${LOADGEN:-both}
CC_FLAGS=${CC_FLAGS:-}
case $LOADGEN in
  go | cc) gens=("$LOADGEN") ;;
  both) gens=(go cc) ;;
  *) echo "bench: LOADGEN is go, cc or both, not $LOADGEN" >&2; exit 2 ;;
esac

if [[ -z "${BIN:-}" ]]; then
  bazel build -c opt //tools/bench/netrpc:all //netrpc/examples:test_server >/dev/null 2>&1 ||
    { echo "bench: build failed; run: bazel build -c opt //tools/bench/netrpc:all //netrpc/examples:test_server" >&2; exit 1; }
  BIN=$(bazel info -c opt bazel-bin 2>/dev/null)
fi
tmp=$(mktemp -d)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
  rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP PIPE

# start NAME CMD...: runs a server, waits for its "listening tcp ADDR" line;
# sets ADDR and PID (not in a subshell, so that cleanup knows every pid).
start() {
  local name=$1; shift
  "$@" >"$tmp/$name.out" 2>"$tmp/$name.err" &
  PID=$!
  pids+=("$PID")
  for _ in $(seq 1 200); do
    ADDR=$(awk '/^listening tcp /{print $3; exit}' "$tmp/$name.out" 2>/dev/null || true)
    [[ -n "$ADDR" ]] && return
    kill -0 "$PID" 2>/dev/null || break
    sleep 0.05
  done
  echo "bench: $name did not start: $(cat "$tmp/$name.err")" >&2
  exit 1
}

start go "$BIN/tools/bench/netrpc/goserver" --tcp=127.0.0.1:0
go_addr=$ADDR go_pid=$PID
start ours "$BIN/netrpc/examples/test_server" --tcp=127.0.0.1:0
ours_addr=$ADDR ours_pid=$PID

# cpu_ns PID: the CPU time (ns) of PID's live threads so far.
cpu_ns() { cat /proc/"$1"/task/*/schedstat 2>/dev/null | awk '{s += $1} END {printf "%.0f\n", s}'; }
median() { sort -g | awk '{a[NR]=$1} END{print (NR ? a[int((NR+1)/2)] : "-")}'; }

# measure GEN WHO CALLERS CONNS: one warm-up and one measured run; appends
# "calls/s p50 p99 server_us/call gen_us/call" to $tmp/WHO.runs.
measure() {
  local gen=$1 who=$2 callers=$3 conns=$4 addr pid cmd line s0 s1
  addr=$go_addr pid=$go_pid
  [[ $who == ours ]] && addr=$ours_addr pid=$ours_pid
  if [[ $gen == go ]]; then
    cmd=("$BIN/tools/bench/netrpc/loadgen")
  else
    # shellcheck disable=SC2206
    cmd=("$BIN/tools/bench/netrpc/loadgen_cc" $CC_FLAGS)
  fi
  cmd+=(-addr "$addr" -callers "$callers" -conns "$conns")
  "${cmd[@]}" -calls $((callers * 10)) -warmup "$WARMUP" >/dev/null 2>"$tmp/gen.err" ||
    { echo "bench: load generator failed: ${cmd[*]}: $(cat "$tmp/gen.err")" >&2; exit 1; }
  s0=$(cpu_ns "$pid")
  line=$("${cmd[@]}" -calls "$CALLS" -warmup 0 -cpu 2>"$tmp/gen.err") ||
    { echo "bench: load generator failed: ${cmd[*]}: $(cat "$tmp/gen.err")" >&2; exit 1; }
  s1=$(cpu_ns "$pid")
  echo "$line" | awk -v ns=$((s1 - s0)) '{printf "%s %s %s %.2f %s\n", $5, $6, $7, ns / 1e3 / $3, $8}' >>"$tmp/$who.runs"
}

col() { awk -v c="$2" '{print $c}' "$tmp/$1.runs" | median; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN{printf "%.2fx", a / b}'; }

echo "load average: $(cut -d' ' -f1-3 /proc/loadavg); ROUNDS=$ROUNDS CALLS=$CALLS${CC_FLAGS:+ CC_FLAGS=$CC_FLAGS}"
for gen in "${gens[@]}"; do
  echo
  if [[ $gen == go ]]; then
    echo "load generator: go (loadgen.go, Go's net/rpc client, a goroutine per caller)"
  else
    echo "load generator: cc (loadgen_cc ${CC_FLAGS:-pipelined, one thread})"
  fi
  printf '%-20s %10s %10s %6s | %6s %6s | %6s %6s | %-14s | %-14s\n' \
    "" "calls/s" "" "" "p50 µs" "" "p99 µs" "" "server µs/call" "loadgen µs/call"
  printf '%-20s %10s %10s %6s | %6s %6s | %6s %6s | %6s %7s | %6s %7s\n' \
    "load" "Go" "ours" "ratio" "Go" "ours" "Go" "ours" "Go" "ours" "w/ Go" "w/ ours"
  for load in "1 1" "64 1" "64 4"; do
    # shellcheck disable=SC2086
    set -- $load
    : >"$tmp/go.runs"; : >"$tmp/ours.runs"
    # Rounds alternate between the servers, so that a burst of other load on
    # the machine falls on both alike.
    for _ in $(seq 1 "$ROUNDS"); do
      for who in go ours; do measure "$gen" "$who" "$1" "$2"; done
    done
    printf '%-20s %10s %10s %6s | %6s %6s | %6s %6s | %6s %7s | %6s %7s\n' \
      "$1 caller(s), $2 conn" "$(col go 1)" "$(col ours 1)" "$(ratio "$(col ours 1)" "$(col go 1)")" \
      "$(col go 2)" "$(col ours 2)" "$(col go 3)" "$(col ours 3)" \
      "$(col go 4)" "$(col ours 4)" "$(col go 5)" "$(col ours 5)"
  done
done
echo
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
