#!/usr/bin/env bash
# The whole test suite, from a fresh Debian bookworm machine: installs what it
# needs, then runs every test with warnings as errors. Extra arguments are
# flags for `bazel test` (e.g. --config=asan); TARGETS picks the targets
# (default //...).
set -uo pipefail
cd "$(dirname "$0")/.."
tools/setup.sh || exit 1

log=$(mktemp)
trap 'rm -f "$log"' EXIT
bazel test --config=ci "$@" -- ${TARGETS:-//...} 2>&1 | tee "$log"
rc=${PIPESTATUS[0]}

# One closing line in the plain form CI tools read: count Bazel's test results.
passed=$(grep -cE '^//[^ ]+ +(\(cached\) )?PASSED' "$log")
failed=$(grep -cE '^//[^ ]+ +(\(cached\) )?(FAILED|TIMEOUT|FLAKY|NO STATUS|FAILED TO BUILD)' "$log")
echo "tests: ${passed} passed, ${failed} failed"
exit "$rc"
