// Command goserver is Go's own net/rpc server with the Arith.Mul method of
// net/rpc's server_test.go: the baseline the benchmark compares ours against.
// It prints "listening tcp ADDR" when ready and serves until killed.
package main

import (
	"flag"
	"fmt"
	"log"
	"net"
	"net/rpc"
)

type Args struct{ A, B int }

type Reply struct{ C int }

type Arith int

func (t *Arith) Mul(args *Args, reply *Reply) error {
	reply.C = args.A * args.B
	return nil
}

func main() {
	addr := flag.String("tcp", "127.0.0.1:0", "listen address")
	flag.Parse()
	if err := rpc.Register(new(Arith)); err != nil {
		log.Fatal(err)
	}
	l, err := net.Listen("tcp", *addr)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("listening tcp %s\n", l.Addr())
	rpc.Accept(l)
}
