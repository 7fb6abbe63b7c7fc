#!/bin/bash
# Runs netrpc2proto's Go unit tests (netrpc2proto_test.go) with `go test`:
# the test file is copied next to the tool's sources in $TEST_TMPDIR, and
# GOPATH points at the inventory estate in testdata/gopath. Go settings as
# //bazel:go.bzl has them: standard library only, nothing downloaded.
set -euo pipefail
R="${TEST_SRCDIR}/${TEST_WORKSPACE:-netrpc_gateway}"
W="${TEST_TMPDIR}/netrpc2proto"
mkdir -p "$W"
cp -L "$R"/tools/netrpc2proto/*.go "$W"/
cp -L "$R"/tests/netrpc2proto/netrpc2proto_test.go "$W"/
export HOME="$TEST_TMPDIR" GOCACHE=/tmp/netrpc-gateway-gocache \
  GOFLAGS=-buildvcs=false GOPROXY=off CGO_ENABLED=0 GO111MODULE=off \
  GOPATH="$R/tests/netrpc2proto/testdata/gopath"
cd "$W"
exec /usr/bin/go test -count=1 -v .
