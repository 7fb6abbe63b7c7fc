// Command grpcarith is a Go gRPC client (Debian's grpc-go 1.33, no
// generated code: the two messages are declared by hand with protobuf struct
// tags, as goclient in tests/bridge_grpc does) calling demo.v1.Arith through
// the bridge, which forwards to userserver's Go net/rpc Arith.
//
//	grpcarith 127.0.0.1:PORT
//
// Each check prints "PASS <name>" or "FAIL <name>: <why>"; the exit code is
// 1 if any check failed.
package main

import (
	"context"
	"fmt"
	"os"
	"time"

	"github.com/golang/protobuf/proto"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
)

type ArithArgs struct {
	A int64 `protobuf:"varint,1,opt,name=a,proto3"`
	B int64 `protobuf:"varint,2,opt,name=b,proto3"`
}

func (m *ArithArgs) Reset()         { *m = ArithArgs{} }
func (m *ArithArgs) String() string { return proto.CompactTextString(m) }
func (*ArithArgs) ProtoMessage()    {}

type Product struct {
	Value int64 `protobuf:"varint,1,opt,name=value,proto3"`
}

func (m *Product) Reset()         { *m = Product{} }
func (m *Product) String() string { return proto.CompactTextString(m) }
func (*Product) ProtoMessage()    {}

type ArithQuotient struct {
	Quo int64 `protobuf:"varint,1,opt,name=quo,proto3"`
	Rem int64 `protobuf:"varint,2,opt,name=rem,proto3"`
}

func (m *ArithQuotient) Reset()         { *m = ArithQuotient{} }
func (m *ArithQuotient) String() string { return proto.CompactTextString(m) }
func (*ArithQuotient) ProtoMessage()    {}

var failed bool

func check(name string, fn func() error) {
	if err := fn(); err != nil {
		failed = true
		fmt.Printf("FAIL %s: %v\n", name, err)
		return
	}
	fmt.Printf("PASS %s\n", name)
}

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: grpcarith host:port")
		os.Exit(2)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	cc, err := grpc.DialContext(ctx, os.Args[1], grpc.WithInsecure(), grpc.WithBlock())
	if err != nil {
		fmt.Printf("FAIL dial: %v\n", err)
		os.Exit(1)
	}
	defer cc.Close()

	check("Multiply", func() error {
		var p Product
		if err := cc.Invoke(ctx, "/demo.v1.Arith/Multiply", &ArithArgs{A: 6, B: -7}, &p); err != nil {
			return err
		}
		if p.Value != -42 {
			return fmt.Errorf("6 * -7: want -42, got %d", p.Value)
		}
		return nil
	})
	check("Divide", func() error {
		var q ArithQuotient
		if err := cc.Invoke(ctx, "/demo.v1.Arith/Divide", &ArithArgs{A: 17, B: 5}, &q); err != nil {
			return err
		}
		if q.Quo != 3 || q.Rem != 2 {
			return fmt.Errorf("17 / 5: want 3 rem 2, got %d rem %d", q.Quo, q.Rem)
		}
		return nil
	})
	check("Divide by zero is UNKNOWN with Go's text", func() error {
		var q ArithQuotient
		err := cc.Invoke(ctx, "/demo.v1.Arith/Divide", &ArithArgs{A: 1, B: 0}, &q)
		s, _ := status.FromError(err)
		if s.Code() != codes.Unknown || s.Message() != "divide by zero" {
			return fmt.Errorf("want Unknown \"divide by zero\", got %v", err)
		}
		return nil
	})

	if failed {
		os.Exit(1)
	}
}
