#!/usr/bin/env bash
# The bridge benchmark, side by side, on loopback:
#   A  Go net/rpc client -> Go net/rpc server                 (legacy baseline)
#   B  Go net/rpc client -> bridge -> C++ gRPC backend        (direction 1)
#   C  C++ gRPC client   -> C++ gRPC backend                  (gRPC alone)
# and, with CONFIGS="A B C D", for a breakdown of the bridge's cost:
#   D  Go net/rpc client -> our C++ net/rpc server (//netrpc/examples:test_server)
# at 1 caller and 64 callers (one connection, one channel). Prints the median
# over ROUNDS rounds of calls/s, p50/p99 latency (µs) and the CPU time per
# call (µs) of every process in the path, read from /proc/PID/stat (utime +
# stime) around the measured calls only, then two ratios:
#   bridge CPU/call ÷ Go server CPU/call   (goal <= 1.0)
#   B p50 - C p50 at 1 caller              (goal <= 50 µs)
# Every round's numbers go to $RAW.
#
#   tools/bench/bridge/run.sh              # ROUNDS=3, 20000 / 100000 calls
#   ROUNDS=5 CALLS_1=50000 tools/bench/bridge/run.sh
#
# Knobs (environment): ROUNDS (3), CALLS_1 (20000 calls at 1 caller),
# CALLS_64 (100000 at 64 callers), WARMUP (1000 calls before each measured
# run), BACKEND_API (callback or sync), RAW (/tmp/bridge-bench-raw.txt),
# TIMEOUT (seconds one client run may take, 120), BAZEL_FLAGS (-c opt),
# CONFIGS (A B C; add D for our net/rpc server alone), BRIDGE_FLAGS (extra
# bridge_main flags, e.g. --mutex_deadlock_checks=false), BRIDGE_BIN (another
# bridge_main binary to measure, e.g. a saved copy of an older build).
#
# How CPU per call is measured: each measured run is its own client process,
# after a separate warm-up run of the same client and load, so the servers'
# (bridge, backend, Go server) ticks before and after it cover exactly the
# measured calls and one connection setup. The client's own ticks are read at
# its exit (cpurun), less its fixed cost (start-up, dial, first call per
# caller), measured once per configuration with a run of one call per caller.
# Ticks are 1/CLK_TCK s (10 ms): the 1-caller runs are ~40+ ticks per process.
#
# The machine has 2 cores shared by every process in the path: compare within
# one run, not across machines.
set -euo pipefail
cd "$(dirname "$0")/../../.."
ROUNDS=${ROUNDS:-3}
CALLS_1=${CALLS_1:-20000}
CALLS_64=${CALLS_64:-100000}
WARMUP=${WARMUP:-1000}
BACKEND_API=${BACKEND_API:-callback}
RAW=${RAW:-/tmp/bridge-bench-raw.txt}
TIMEOUT=${TIMEOUT:-120}
BAZEL_FLAGS=${BAZEL_FLAGS:--c opt}
read -r -a cfgs <<<"${CONFIGS:-A B C}"
for cfg in "${cfgs[@]}"; do
  [[ $cfg == [ABCD] ]] || { echo "bench: CONFIGS holds A, B, C or D, not $cfg" >&2; exit 2; }
done
began=$SECONDS

# shellcheck disable=SC2086
targets="//tools/bench/bridge:all //tools/bench/netrpc:all //netrpc/examples:test_server"
# shellcheck disable=SC2086
bazel build $BAZEL_FLAGS $targets >/dev/null 2>&1 ||
  { echo "bench: build failed; run: bazel build $BAZEL_FLAGS $targets" >&2; exit 1; }
# shellcheck disable=SC2086
BIN=$(bazel info $BAZEL_FLAGS bazel-bin 2>/dev/null)
built=$SECONDS
LOADGEN=$BIN/tools/bench/netrpc/loadgen
GOSERVER=$BIN/tools/bench/netrpc/goserver
GRPC_LOADGEN=$BIN/tools/bench/bridge/grpc_loadgen
BACKEND=$BIN/tools/bench/bridge/backend
BRIDGE=${BRIDGE_BIN:-$BIN/tools/bench/bridge/bridge_main}
CPURUN=$BIN/tools/bench/bridge/cpurun
OURS=$BIN/netrpc/examples/test_server
DESCRIPTORS=$BIN/tools/bench/bridge/bench_proto.pb
TCK=$(getconf CLK_TCK)

tmp=$(mktemp -d)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
  rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP PIPE

# start NAME KIND CMD...: runs a server in the background and waits for its
# "listening KIND ADDR" line; sets ADDR and PID (not in a subshell, so that
# the trap knows every pid).
start() {
  local name=$1 kind=$2; shift 2
  "$@" >"$tmp/$name.out" 2>"$tmp/$name.err" &
  PID=$!
  pids+=("$PID")
  for _ in $(seq 1 200); do
    ADDR=$(awk -v k="$kind" '$1 == "listening" && $2 == k {print $3; exit}' "$tmp/$name.out" 2>/dev/null || true)
    [[ -n "$ADDR" ]] && return
    kill -0 "$PID" 2>/dev/null || break
    sleep 0.05
  done
  echo "bench: $name did not start: $(cat "$tmp/$name.err")" >&2
  exit 1
}

# ticks PID: utime + stime of every thread of PID, in clock ticks.
ticks() { sed 's/.*) //' "/proc/$1/stat" | awk '{print $12 + $13}'; }
# cpu_ticks: the machine's busy and total clock ticks so far (/proc/stat), to
# tell how much CPU other processes took during a measured run.
cpu_ticks() { awk '$1 == "cpu" {print $2 + $3 + $4 + $7 + $8 + $9, $2 + $3 + $4 + $5 + $6 + $7 + $8 + $9; exit}' /proc/stat; }

start goserver tcp "$GOSERVER" --tcp=127.0.0.1:0
go_addr=$ADDR go_pid=$PID
start backend grpc "$BACKEND" --grpc=127.0.0.1:0 --api="$BACKEND_API"
backend_addr=$ADDR backend_pid=$PID
# shellcheck disable=SC2086
start bridge tcp "$BRIDGE" --descriptor_set="$DESCRIPTORS" --backend="$backend_addr" --tcp=127.0.0.1:0 ${BRIDGE_FLAGS:-}
bridge_addr=$ADDR bridge_pid=$PID
ours_addr=- ours_pid=-
if [[ " ${cfgs[*]} " == *" D "* ]]; then
  start ours tcp "$OURS" --tcp=127.0.0.1:0
  ours_addr=$ADDR ours_pid=$PID
fi

# client CFG CALLERS CALLS WARMUP: the client command of a configuration.
client() {
  case $1 in
    A) echo "$LOADGEN -addr $go_addr -callers $2 -conns 1 -calls $3 -warmup $4" ;;
    B) echo "$LOADGEN -addr $bridge_addr -callers $2 -conns 1 -calls $3 -warmup $4" ;;
    C) echo "$GRPC_LOADGEN --target=$backend_addr --callers=$2 --calls=$3 --warmup=$4" ;;
    D) echo "$LOADGEN -addr $ours_addr -callers $2 -conns 1 -calls $3 -warmup $4" ;;
  esac
}
# bridge and server pids in the path of a configuration ("-" for none).
path_bridge() { case $1 in B) echo "$bridge_pid" ;; *) echo - ;; esac; }
path_server() { case $1 in A) echo "$go_pid" ;; D) echo "$ours_pid" ;; *) echo "$backend_pid" ;; esac; }

run_client() {  # TICKS_FILE CMD...: fails the bench on a client error
  if ! "$CPURUN" "$@" >"$tmp/line" 2>"$tmp/client.err"; then
    echo "bench: client failed: ${*:3}: $(cat "$tmp/client.err")" >&2
    exit 1
  fi
}

median() { sort -g | awk '{a[NR]=$1} END{print (NR ? a[int((NR+1)/2)] : "-")}'; }

{
  echo "# $(date -u +%FT%TZ) ROUNDS=$ROUNDS CALLS_1=$CALLS_1 CALLS_64=$CALLS_64 WARMUP=$WARMUP BACKEND_API=$BACKEND_API BRIDGE_FLAGS=${BRIDGE_FLAGS:-} CLK_TCK=$TCK"
  echo "# CPU in ticks (client less its fixed cost) and µs per call; '-' = no such process in the path"
  echo "# other%: CPU that processes outside the path took during the run, in % of the machine"
  printf '%-5s %-7s %-3s %7s %7s %8s %6s %6s | %7s %7s %7s | %8s %8s %8s | %6s\n' \
    round callers cfg calls secs calls/s p50 p99 cli_tk brg_tk srv_tk cli_us brg_us srv_us other%
} >"$RAW"

per_call() { awk -v t="$1" -v n="$2" -v hz="$TCK" 'BEGIN{ if (t == "-") print "-"; else printf "%.1f", t * 1e6 / hz / n }'; }

declare -A fixed
for load in 1 64; do
  calls=$CALLS_1; [[ $load == 64 ]] && calls=$CALLS_64
  # The clients' fixed cost per configuration at this load: start-up, dial
  # and one call per caller, median of 3, in ticks. Done here rather than
  # up front so that no 64-caller burst precedes the 1-caller rounds: after
  # one, our net/rpc server's worker pool keeps ~64 extra threads that every
  # call wakes (see README.md), which would make the 1-caller numbers depend
  # on when those threads happen to retire.
  for cfg in "${cfgs[@]}"; do
    : >"$tmp/fixed"
    for _ in 1 2 3; do
      # shellcheck disable=SC2046
      run_client "$tmp/ticks" "$TIMEOUT" $(client "$cfg" "$load" "$load" 0)
      cat "$tmp/ticks" >>"$tmp/fixed"
    done
    fixed[$cfg$load]=$(median <"$tmp/fixed")
  done
  for round in $(seq 1 "$ROUNDS"); do
    # Rotate the order each round: A B C, B C A, C A B, ...
    k=$(( (round - 1) % ${#cfgs[@]} ))
    order=("${cfgs[@]:k}" "${cfgs[@]:0:k}")
    for cfg in "${order[@]}"; do
      # shellcheck disable=SC2046
      run_client "$tmp/ticks" "$TIMEOUT" $(client "$cfg" "$load" $((load * 10)) "$WARMUP")
      bp=$(path_bridge "$cfg") sp=$(path_server "$cfg")
      b0=-; [[ $bp != - ]] && b0=$(ticks "$bp")
      s0=$(ticks "$sp")
      read -r busy0 all0 < <(cpu_ticks)
      # shellcheck disable=SC2046
      run_client "$tmp/ticks" "$TIMEOUT" $(client "$cfg" "$load" "$calls" 0)
      b1=-; [[ $bp != - ]] && b1=$(ticks "$bp")
      s1=$(ticks "$sp")
      read -r busy1 all1 < <(cpu_ticks)
      read -r _ _ n secs cps p50 p99 <"$tmp/line"
      ct=$(( $(cat "$tmp/ticks") - ${fixed[$cfg$load]} ))
      (( ct < 0 )) && ct=0
      bt=-; [[ $bp != - ]] && bt=$((b1 - b0))
      st=$((s1 - s0))
      ours=$(( $(cat "$tmp/ticks") + st ))
      [[ $bt != - ]] && ours=$((ours + bt))
      other=$(awk -v b=$((busy1 - busy0)) -v a=$((all1 - all0)) -v o="$ours" 'BEGIN{v = a ? 100 * (b - o) / a : 0; printf "%.0f", (v < 0 ? 0 : v)}')
      printf '%-5s %-7s %-3s %7s %7s %8s %6s %6s | %7s %7s %7s | %8s %8s %8s | %6s\n' \
        "$round" "$load" "$cfg" "$n" "$secs" "$cps" "$p50" "$p99" "$ct" "$bt" "$st" \
        "$(per_call "$ct" "$n")" "$(per_call "$bt" "$n")" "$(per_call "$st" "$n")" "$other" >>"$RAW"
    done
  done
done

# col LOAD CFG FIELD: the median of one column of $RAW over the rounds (fields:
# 6 calls/s, 7 p50, 8 p99, 14 client, 15 bridge, 16 server CPU µs per call).
col() {
  awk -v l="$1" -v c="$2" -v f="$3" '!/^#/ && $1 != "round" && $2 == l && $3 == c {print $f}' "$RAW" |
    { vals=$(cat); if grep -q -- '^-$' <<<"$vals"; then echo -; else median <<<"$vals"; fi; }
}
name() {
  case $1 in
    A) echo "A net/rpc->Go server" ;; B) echo "B net/rpc->bridge->gRPC" ;;
    C) echo "C gRPC->backend" ;; D) echo "D net/rpc->our server" ;;
  esac
}

echo "bridge benchmark: median of $ROUNDS rounds; CPU = µs of CPU per call of each process (/proc/PID/stat)"
echo "backend: C++ gRPC $BACKEND_API API; clients: Go net/rpc loadgen (A, B, D), C++ gRPC sync stub (C)"
printf '%-9s %-24s %9s %7s %7s | %8s %8s %8s %8s\n' \
  callers path calls/s p50_us p99_us cli_cpu brg_cpu srv_cpu tot_cpu
for load in 1 64; do
  for cfg in "${cfgs[@]}"; do
    cli=$(col "$load" "$cfg" 14) brg=$(col "$load" "$cfg" 15) srv=$(col "$load" "$cfg" 16)
    tot=$(awk -v a="$cli" -v b="$brg" -v c="$srv" 'BEGIN{printf "%.1f", a + (b == "-" ? 0 : b) + c}')
    printf '%-9s %-24s %9s %7s %7s | %8s %8s %8s %8s\n' "$load" "$(name "$cfg")" \
      "$(col "$load" "$cfg" 6)" "$(col "$load" "$cfg" 7)" "$(col "$load" "$cfg" 8)" \
      "$cli" "$brg" "$srv" "$tot"
  done
done
echo
has() { [[ " ${cfgs[*]} " == *" $1 "* ]]; }
has A && has B && for load in 1 64; do
  awk -v l="$load" -v b="$(col "$load" B 15)" -v g="$(col "$load" A 16)" 'BEGIN{
    r = b / g
    printf "bridge CPU/call / Go server CPU/call, %2d caller(s): %5.1f / %5.1f µs = %.2f  (goal <= 1.0: %s)\n",
      l, b, g, r, (r <= 1.0 ? "met" : "NOT met") }'
done
has B && has C && awk -v b="$(col 1 B 7)" -v c="$(col 1 C 7)" 'BEGIN{
  d = b - c
  printf "B p50 - C p50, 1 caller: %d - %d = %d µs  (goal <= 50 µs: %s)\n", b, c, d, (d <= 50 ? "met" : "NOT met") }'
other=$(awk '!/^#/ && $1 != "round" {print $NF}' "$RAW" | median)
echo "other processes took a median $other% of the machine's CPU during the measured runs"
if (( other > 10 )); then
  echo "note: the machine was busy with other work: absolute numbers are inflated; compare within this run" >&2
fi
echo "raw rounds: $RAW  (build $((built - began)) s, measuring $((SECONDS - built)) s)"
