"""go_binary(): builds a Go program with Debian's Go 1.19, standard library only.

Tests run real Go peers (net/rpc, encoding/gob, jsonrpc) built from source in the
tree. Building them as Bazel actions, not inside each test, means each program is
compiled once per build and cached like any other output.

    go_binary(name = "gobpeer", srcs = ["gobpeer/main.go"])

With grpc = True the program may import Go gRPC from Debian's
golang-google-grpc-dev (GOPATH mode, /usr/share/gocode).
"""

def go_binary(name, srcs, grpc = False, **kwargs):
    if grpc:
        env = "GO111MODULE=off GOPATH=/usr/share/gocode"
    else:
        env = "GO111MODULE=off GOPATH=/nonexistent"

    # Go's build cache is content-addressed and safe to share between actions;
    # sharing it saves recompiling the standard library for every program.
    native.genrule(
        name = name + "_build",
        srcs = srcs,
        outs = [name],
        cmd = ("export HOME=$$(mktemp -d) GOCACHE=/tmp/netrpc-gateway-gocache " +
               "GOFLAGS=-buildvcs=false GOPROXY=off CGO_ENABLED=0 %s; " +
               "/usr/bin/go build -trimpath -o $@ $(SRCS)") % env,
        executable = True,
        **kwargs
    )
