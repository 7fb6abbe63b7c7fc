#!/usr/bin/env bash
# Runs the gateway's embedded demo from a fresh Debian bookworm machine:
# installs what it needs, builds, and serves an in-process gRPC Arith backend
# to Go net/rpc clients (net/rpc on :1234, HTTP on :8080, gRPC on :50051,
# admin on :9901). Arguments go to the gateway (e.g. --config=$PWD/gw.yaml,
# or --demo_ports=0,0,0,0 for free ports).
set -euo pipefail
cd "$(dirname "$0")/.."
tools/setup.sh
exec bazel run //gateway -- "$@"
