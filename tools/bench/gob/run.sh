#!/usr/bin/env bash
# Go's encoding/gob vs ours, on the same value, in one run.
#
#   tools/bench/gob/run.sh              # ROUNDS=5 by default
#
# Builds Go's side (//tools/bench/gob:gobbench) and ours
# (//netrpc/gob:gob_benchmark, Google Benchmark) with -c opt, runs each ROUNDS
# times, alternating so that both see the same machine state, and prints per
# case the median ns/op of each and the ratio Go/ours (above 1: ours is
# faster). Cases are matched by name, ignoring case, a "BM_" prefix and
# punctuation (BM_Encode matches Go's Encode); a case only one side has is
# shown with "-" for the other.
#
# The machine has 2 shared cores: compare ratios, not absolute numbers.
set -euo pipefail
cd "$(dirname "$0")/../../.."
ROUNDS=${ROUNDS:-5}

targets=(//tools/bench/gob:gobbench //netrpc/gob:gob_benchmark)
if ! bazel build -c opt "${targets[@]}" >/dev/null 2>&1; then
  echo "bench: build failed; run: bazel build -c opt ${targets[*]}" >&2
  exit 1
fi
BIN=$(bazel info -c opt bazel-bin 2>/dev/null)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# Each run appends lines "SIDE NAME NS_PER_OP" to $tmp/runs.
for round in $(seq 1 "$ROUNDS"); do
  echo "bench: round $round of $ROUNDS" >&2
  "$BIN/tools/bench/gob/gobbench" | awk -F'\t' '{print "go", $1, $2}' >>"$tmp/runs"
  # Google Benchmark's CSV: name,iterations,real_time,cpu_time,time_unit,...,
  # error_occurred,error_message. Go's ns/op is wall time, so real_time.
  "$BIN/netrpc/gob/gob_benchmark" --benchmark_format=csv 2>/dev/null |
    awk -F, '
      NR == 1 { next }
      $9 == "true" { next }
      {
        name = $1; gsub(/"/, "", name)
        scale = ($5 == "us") ? 1e3 : ($5 == "ms") ? 1e6 : ($5 == "s") ? 1e9 : 1
        printf "ours %s %.1f\n", name, $3 * scale
      }' >>"$tmp/runs"
done

# Cases are keyed by their normalized name; rows come in the order the
# benchmark binary lists its cases, then Go-only cases.
awk '{ key = tolower($2); sub(/^bm_/, "", key); gsub(/[^a-z0-9]/, "", key)
       print $1, key, $2, $3 }' "$tmp/runs" >"$tmp/keyed"
{ grep '^ours ' "$tmp/keyed" || true; grep '^go ' "$tmp/keyed" || true; } |
  awk '!seen[$2]++ { print $2 }' >"$tmp/order"
sort -k1,1 -k2,2 -k4,4g "$tmp/keyed" |
  awk '
    function flush() {
      if (n == 0) return
      printf "%s %s %s %.1f\n", side, key, name, (n % 2) ? v[(n + 1) / 2] : (v[n / 2] + v[n / 2 + 1]) / 2
      n = 0
    }
    $1 != side || $2 != key { flush(); side = $1; key = $2; name = $3 }
    { v[++n] = $4 }
    END { flush() }' >"$tmp/medians"
awk '
  FNR == NR { median[$1, $2] = $4; if ($1 == "ours" || !(($2) in label)) label[$2] = $3; next }
  FNR == 1 { printf "%-32s %14s %14s %10s\n", "case", "Go ns/op", "ours ns/op", "Go/ours" }
  {
    k = $1
    g = (("go", k) in median) ? sprintf("%.0f", median["go", k]) : "-"
    o = (("ours", k) in median) ? sprintf("%.0f", median["ours", k]) : "-"
    r = (g != "-" && o != "-" && median["ours", k] > 0) ? sprintf("%.2f", median["go", k] / median["ours", k]) : "-"
    printf "%-32s %14s %14s %10s\n", label[k], g, o, r
  }' "$tmp/medians" "$tmp/order"
echo "(median of $ROUNDS runs each; $(nproc) cores; $(go version 2>/dev/null | cut -d' ' -f3))"
