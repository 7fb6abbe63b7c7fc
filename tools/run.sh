#!/usr/bin/env bash
# Runs the bridge demo from a fresh Debian bookworm machine: installs what it
# needs, builds, and serves the gRPC Arith backend to net/rpc clients.
# Arguments go to the demo (e.g. --tcp=127.0.0.1:1234).
set -euo pipefail
cd "$(dirname "$0")/.."
tools/setup.sh
exec bazel run //bridge/examples:arith_demo -- "$@"
