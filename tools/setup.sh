#!/usr/bin/env bash
# Installs the Debian bookworm packages that the build and the tests need.
# Idempotent and quiet when everything is already there.
set -euo pipefail

PACKAGES=(
  bazel-bootstrap          # Bazel 4.2.3, offline (WORKSPACE mode)
  g++ clang pkg-config     # compilers (clang for --config=fuzz)
  libclang-rt-14-dev       # libFuzzer and sanitizer runtimes for clang
  libabsl-dev              # Abseil 20220623: Status, strings, flags, synchronization
  libprotobuf-dev protobuf-compiler
  libgrpc++-dev protobuf-compiler-grpc
  libgtest-dev libgmock-dev libbenchmark-dev
  libasio-dev              # standalone Asio: the event loop under netrpc
  libyaml-cpp-dev libcpp-httplib-dev openssl          # gateway config files
  libre2-dev               # error-mapping rules (regex)
  libnghttp2-dev           # HTTP/2 framing and HPACK for the bridge's lean gRPC client
  libgoogle-perftools-dev  # tcmalloc: the gateway's allocator
  golang-go                # Go 1.19: the real net/rpc and gob peers in tests
  golang-google-grpc-dev   # Go gRPC (GOPATH=/usr/share/gocode) for interop tests
)

missing=()
for p in "${PACKAGES[@]}"; do
  [[ "$p" == \#* ]] && continue
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if ((${#missing[@]} > 0)); then
  echo "setup: installing ${missing[*]}" >&2
  SUDO=""
  if [[ $(id -u) -ne 0 ]]; then SUDO="sudo"; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
