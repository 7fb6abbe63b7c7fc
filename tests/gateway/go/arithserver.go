// Command arithserver is a legacy Go 1.19 net/rpc server (standard library
// only): the Arith service of Go's net/rpc documentation, the upstream the
// gateway bridges gRPC callers to. (tests/bridge's userserver serves the same
// Arith, but its Bazel target is private to tests/bridge.)
//
//	arithserver [-addr 127.0.0.1:0]
//
// Once listening it prints "listening tcp 127.0.0.1:PORT", then serves raw
// TCP (rpc.Accept) until killed. -addr lets a test restart it on its port.
package main

import (
	"errors"
	"flag"
	"fmt"
	"log"
	"net"
	"net/rpc"
	"os"
)

type Args struct {
	A, B int
}

type Quotient struct {
	Quo, Rem int
}

type Arith int

func (*Arith) Multiply(args *Args, reply *int) error {
	*reply = args.A * args.B
	return nil
}

func (*Arith) Divide(args *Args, quo *Quotient) error {
	if args.B == 0 {
		return errors.New("divide by zero")
	}
	quo.Quo = args.A / args.B
	quo.Rem = args.A % args.B
	return nil
}

func main() {
	addr := flag.String("addr", "127.0.0.1:0", "address to serve raw TCP on")
	flag.Parse()
	log.SetFlags(0)
	if err := rpc.Register(new(Arith)); err != nil {
		log.Fatal(err)
	}
	l, err := net.Listen("tcp", *addr)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("listening tcp %s\n", l.Addr())
	os.Stdout.Sync()
	rpc.Accept(l)
}
