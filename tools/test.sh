#!/usr/bin/env bash
# The whole test suite, from a fresh Debian bookworm machine: installs what it
# needs, then runs every test with warnings as errors.
set -euo pipefail
cd "$(dirname "$0")/.."
tools/setup.sh
bazel test --config=ci //... "$@"
