#!/usr/bin/env bash
# Where the bridge's CPU goes, free of the machine's noise: runs bridge_main
# under valgrind's callgrind, zeroes the counters after a warm-up, makes
# CALLS calls through it with Go's net/rpc loadgen, and prints the bridge's
# instructions per call and its costliest functions (inclusive), as the
# gateway runs (absl::Mutex deadlock detection off), and with CHECKS_ON=1
# the same total with Debian's default detection on
# (--mutex_deadlock_checks=true).
#
#   tools/bench/bridge/profile.sh           # CALLS=2000 CALLERS=1
#   CALLERS=64 CALLS=6400 tools/bench/bridge/profile.sh
#   BRIDGE_BIN=/tmp/old_bridge_main tools/bench/bridge/profile.sh
#
# Knobs: CALLS, CALLERS, OUT, BAZEL_FLAGS, BRIDGE_BIN (another bridge_main
# binary, e.g. a copy of an older build, to compare), CHECKS_ON (1: also
# profile with deadlock detection on; 0, the default: skip that run).
#
# Leaves the callgrind files in $OUT (/tmp/bridge-callgrind) for
# callgrind_annotate or kcachegrind. Needs valgrind.
set -euo pipefail
cd "$(dirname "$0")/../../.."
CALLS=${CALLS:-2000}
CALLERS=${CALLERS:-1}
OUT=${OUT:-/tmp/bridge-callgrind}
BAZEL_FLAGS=${BAZEL_FLAGS:--c opt}
CHECKS_ON=${CHECKS_ON:-0}
command -v valgrind >/dev/null || { echo "profile: needs valgrind (apt-get install valgrind)" >&2; exit 1; }

# shellcheck disable=SC2086
bazel build $BAZEL_FLAGS //tools/bench/bridge:all //tools/bench/netrpc:loadgen >/dev/null 2>&1 ||
  { echo "profile: build failed" >&2; exit 1; }
# shellcheck disable=SC2086
BIN=$(bazel info $BAZEL_FLAGS bazel-bin 2>/dev/null)
BRIDGE_BIN=${BRIDGE_BIN:-$BIN/tools/bench/bridge/bridge_main}
mkdir -p "$OUT"
tmp=$(mktemp -d)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
  rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP PIPE

start() {  # NAME KIND CMD...: as run.sh's; sets ADDR and PID
  local name=$1 kind=$2; shift 2
  "$@" >"$tmp/$name.out" 2>"$tmp/$name.err" &
  PID=$!
  pids+=("$PID")
  for _ in $(seq 1 600); do
    ADDR=$(awk -v k="$kind" '$1 == "listening" && $2 == k {print $3; exit}' "$tmp/$name.out" 2>/dev/null || true)
    [[ -n "$ADDR" ]] && return
    kill -0 "$PID" 2>/dev/null || break
    sleep 0.05
  done
  echo "profile: $name did not start: $(cat "$tmp/$name.err")" >&2
  exit 1
}

start backend grpc "$BIN/tools/bench/bridge/backend" --grpc=127.0.0.1:0
backend=$ADDR

# profile_bridge TAG FLAGS...: one callgrind run; prints instructions per call.
profile_bridge() {
  local tag=$1; shift
  rm -f "$OUT/$tag".*
  start "bridge_$tag" tcp valgrind --tool=callgrind --callgrind-out-file="$OUT/$tag.%p" \
    "$BRIDGE_BIN" --descriptor_set="$BIN/tools/bench/bridge/bench_proto.pb" \
    --backend="$backend" --tcp=127.0.0.1:0 "$@"
  local pid=$PID addr=$ADDR
  "$BIN/tools/bench/netrpc/loadgen" -addr "$addr" -callers "$CALLERS" -calls $((CALLERS * 20)) -warmup 500 >/dev/null
  callgrind_control -z "$pid" >/dev/null 2>&1
  "$BIN/tools/bench/netrpc/loadgen" -addr "$addr" -callers "$CALLERS" -calls "$CALLS" -warmup 0 >"$tmp/line"
  callgrind_control -d "$pid" >/dev/null 2>&1
  kill "$pid"; wait "$pid" 2>/dev/null || true
  local n file
  read -r _ _ n _ <"$tmp/line"
  file=$(ls "$OUT/$tag".*.1)
  awk -v n="$n" -v t="$tag" '/^summary:/{printf "%-28s %8.0f instructions per call (%d calls)\n", t, $2 / n, n}' "$file"
  echo "$file"
}

echo "bridge_main under callgrind, $CALLERS caller(s):"
main=$(profile_bridge as_the_gateway)
head -1 <<<"$main"
if [[ $CHECKS_ON == 1 ]]; then
  checked=$(profile_bridge deadlock_checks_on --mutex_deadlock_checks=true)
  head -1 <<<"$checked"
fi
file=$(tail -1 <<<"$main")
n=$(awk '{print $3}' "$tmp/line")
echo
echo "costliest functions, inclusive, instructions per call (as the gateway runs):"
callgrind_annotate --inclusive=yes --threshold=100 "$file" 2>/dev/null |
  grep -E 'bridge::|netrpc::|grpc_core::Executor::ThreadMain|grpc_call_start_batch|grpc_completion_queue_next|CallbackWithStatusTag::Run|absl::[a-z0-9]*::Mutex::(Lock|Unlock)\(|malloc.c:(malloc|free) |scheduler::run' |
  grep -v -E 'std::thread::_State_impl|_M_invoke|_M_manager' |
  awk -v n="$n" '{c=$1; gsub(",", "", c); sub(/^ *[0-9,]+ +\([ 0-9.]+%\) +/, ""); sub(/^\?\?\?:/, ""); sub(/ \[.*$/, ""); printf "%8.0f  %s\n", c / n, substr($0, 1, 150)}' |
  head -25
echo "files: $OUT"
