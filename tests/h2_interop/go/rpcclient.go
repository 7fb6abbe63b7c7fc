// Command rpcclient is a legacy Go 1.19 net/rpc client (gob over TCP,
// unchanged standard library) calling, through the bridge, the Go gRPC
// server grpcserver.go: Arith as Go's documentation declares it, and
// Probe.Fail for errors of every kind. The error texts it wants are computed
// by grpc-go itself (status.Error(...).Error()), so the check is against
// Go's own words, not our reading of them.
//
//	rpcclient HOST:PORT
//
// Each check prints "PASS <name>" or "FAIL <name>: <why>"; the exit code is
// 1 if any check failed.
package main

import (
	"errors"
	"fmt"
	"net/rpc"
	"os"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
)

type Args struct {
	A, B int
}

type Quotient struct {
	Quo, Rem int
}

type FailRequest struct {
	Code    int32
	Message string
}

type FailReply struct {
	Note string
}

var failed bool

func check(name string, fn func() error) {
	if err := fn(); err != nil {
		failed = true
		fmt.Printf("FAIL %s: %v\n", name, err)
		return
	}
	fmt.Printf("PASS %s\n", name)
}

// wantError wants an rpc.ServerError with exactly the text want.
func wantError(err error, want string) error {
	if _, ok := err.(rpc.ServerError); !ok {
		return fmt.Errorf("want rpc.ServerError %q, got %T %v", want, err, err)
	}
	if err.Error() != want {
		return fmt.Errorf("want error %q, got %q", want, err.Error())
	}
	return nil
}

// tricky is a status message that needs grpc-message's percent-encoding.
const tricky = "no such user: ünïcode ✓, 100% sure\nsecond line %41"

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: rpcclient host:port")
		os.Exit(2)
	}
	client, err := rpc.Dial("tcp", os.Args[1])
	if err != nil {
		fmt.Printf("FAIL dial: %v\n", err)
		os.Exit(1)
	}
	defer client.Close()

	check("multiply", func() error {
		var n int
		if err := client.Call("Arith.Multiply", Args{6, -7}, &n); err != nil {
			return err
		}
		if n != -42 {
			return fmt.Errorf("6*-7: want -42, got %d", n)
		}
		return nil
	})
	check("divide", func() error {
		var q Quotient
		if err := client.Call("Arith.Divide", Args{17, 5}, &q); err != nil {
			return err
		}
		if q.Quo != 3 || q.Rem != 2 {
			return fmt.Errorf("17/5: want 3 rem 2, got %+v", q)
		}
		return nil
	})
	check("divide by zero", func() error {
		// What grpc-go makes of the server's errors.New("divide by zero"):
		// UNKNOWN, whose message alone crosses back to net/rpc.
		want := status.Convert(errors.New("divide by zero")).Message()
		var q Quotient
		return wantError(client.Call("Arith.Divide", Args{1, 0}, &q), want)
	})
	for _, c := range []codes.Code{codes.NotFound, codes.InvalidArgument,
		codes.PermissionDenied, codes.FailedPrecondition, codes.Internal} {
		c := c
		check("fail "+c.String(), func() error {
			var r FailReply
			err := client.Call("Probe.Fail", FailRequest{Code: int32(c), Message: tricky}, &r)
			return wantError(err, status.Error(c, tricky).Error())
		})
	}
	check("fail Unknown", func() error {
		var r FailReply
		err := client.Call("Probe.Fail", FailRequest{Code: int32(codes.Unknown), Message: tricky}, &r)
		return wantError(err, tricky)
	})
	check("fail Unknown with a trailing space", func() error {
		// As fmt.Errorf("bad input: %s", "") gives: grpc-go sends the space
		// as it is (it percent-encodes only outside ' '..'~').
		var r FailReply
		err := client.Call("Probe.Fail", FailRequest{Code: int32(codes.Unknown), Message: "bad input: "}, &r)
		return wantError(err, "bad input: ")
	})
	check("connection still good after errors", func() error {
		var n int
		if err := client.Call("Arith.Multiply", Args{3, 3}, &n); err != nil {
			return err
		}
		if n != 9 {
			return errors.New("3*3 is not 9")
		}
		return nil
	})
	if failed {
		os.Exit(1)
	}
}
