// jsonserver is a legacy Go net/rpc/jsonrpc server of Shop (direction 2).
// It prints "listening tcp ADDR" once it accepts connections on -addr.
// Shop.Echo answers with the request, after checking that the canonical
// order (OrderID 42) arrived exactly as Go declares it.
package main

import (
	"errors"
	"flag"
	"fmt"
	"net"
	"net/rpc"
	"net/rpc/jsonrpc"
	"os"
)

type Shop struct{}

func (Shop) Echo(o Order, reply *Order) error {
	if o.OrderID == CanonicalOrderID {
		if err := same(canonicalOrder(), o); err != nil {
			return fmt.Errorf("canonical order differs: %v", err)
		}
	}
	*reply = o
	return nil
}

func (Shop) Lines(o Order, n *int) error {
	*n = len(o.Items)
	return nil
}

func (Shop) Fail(r FailRequest, reply *Order) error {
	return errors.New(r.Message)
}

// Canonical answers with the canonical order whatever it gets.
func (Shop) Canonical(o Order, reply *Order) error {
	*reply = canonicalOrder()
	return nil
}

func main() {
	addr := flag.String("addr", "127.0.0.1:0", "listen address")
	flag.Parse()
	server := rpc.NewServer()
	if err := server.Register(Shop{}); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	l, err := net.Listen("tcp", *addr)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	fmt.Printf("listening tcp %s\n", l.Addr())
	for {
		conn, err := l.Accept()
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		go server.ServeCodec(jsonrpc.NewServerCodec(conn))
	}
}
