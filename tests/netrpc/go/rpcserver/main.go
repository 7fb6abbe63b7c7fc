// Command rpcserver is a Go 1.19 net/rpc server for the C++ client's interop
// tests (tests/netrpc/go_server_test.cc): the Arith service of the net/rpc
// package documentation plus a few methods of server_test.go, on the
// default server, served over TCP and over HTTP (rpc.HandleHTTP).
//
//	rpcserver
//
// It listens on 127.0.0.1:0 twice and prints, once ready:
//
//	listening tcp 127.0.0.1:PORT
//	listening http 127.0.0.1:PORT
//
// then serves until killed.
package main

import (
	"errors"
	"fmt"
	"log"
	"net"
	"net/http"
	"net/rpc"
	"strings"
	"time"
)

type Args struct {
	A, B int
}

type Quotient struct {
	Quo, Rem int
}

type Reply struct {
	C int
}

type Arith int

func (t *Arith) Multiply(args *Args, reply *int) error {
	*reply = args.A * args.B
	return nil
}

func (t *Arith) Divide(args *Args, quo *Quotient) error {
	if args.B == 0 {
		return errors.New("divide by zero")
	}
	quo.Quo = args.A / args.B
	quo.Rem = args.A % args.B
	return nil
}

func (t *Arith) Add(args Args, reply *Reply) error {
	reply.C = args.A + args.B
	return nil
}

func (t *Arith) SleepMilli(args *Args, reply *Reply) error {
	time.Sleep(time.Duration(args.A) * time.Millisecond)
	reply.C = args.A
	return nil
}

// Types exercises the built-in types of gob on the way back.
type Types struct{}

func (Types) Upper(s *string, reply *string) error {
	*reply = strings.ToUpper(*s)
	return nil
}

func (Types) Map(args *Args, reply *map[string]int) error {
	(*reply)["a"] = args.A
	(*reply)["b"] = args.B
	return nil
}

func (Types) Slice(args *Args, reply *[]int) error {
	*reply = append(*reply, args.A, args.B)
	return nil
}

func (Types) Array(args *Args, reply *[2]int) error {
	(*reply)[0], (*reply)[1] = args.A, args.B
	return nil
}

func listen() net.Listener {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		log.Fatal(err)
	}
	return l
}

func main() {
	if err := rpc.Register(new(Arith)); err != nil {
		log.Fatal(err)
	}
	if err := rpc.Register(Types{}); err != nil {
		log.Fatal(err)
	}
	rpc.HandleHTTP()
	tcp, web := listen(), listen()
	go rpc.Accept(tcp)
	go http.Serve(web, nil)
	fmt.Printf("listening tcp %s\n", tcp.Addr())
	fmt.Printf("listening http %s\n", web.Addr())
	select {}
}
