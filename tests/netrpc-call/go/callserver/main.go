// Command callserver is the Go 1.19 net/rpc server that netrpc-call's tests
// call (tests/netrpc-call/netrpc_call_test.cc): the Arith of the net/rpc
// documentation plus methods with float, string and rich struct arguments,
// served over gob on TCP, over HTTP (rpc.HandleHTTP, with /debug/rpc) and
// over jsonrpc. It is also the Go package that --go_package reads.
//
// It listens on 127.0.0.1:0 three times and prints, once ready:
//
//	listening tcp 127.0.0.1:PORT
//	listening http 127.0.0.1:PORT
//	listening jsonrpc 127.0.0.1:PORT
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
	"net/rpc/jsonrpc"
	"strings"
	"time"
)

type Args struct {
	A, B int
}

type Quotient struct {
	Quo, Rem int
}

// ScaleArgs has a float64 field: inferred JSON must spell it 7.0. (Named
// Scale, it would meet a netrpc2proto bug: `rpc Scale(Scale)` resolves the
// argument to the method; see README.md.)
type ScaleArgs struct {
	X float64
	N int
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

func (t *Arith) Scale(args *ScaleArgs, reply *float64) error {
	*reply = args.X * float64(args.N)
	return nil
}

// Sleep waits A milliseconds, for timeouts.
func (t *Arith) Sleep(args *Args, reply *int) error {
	time.Sleep(time.Duration(args.A) * time.Millisecond)
	*reply = args.A
	return nil
}

// Item has the types JSON cannot say by itself: []byte, time.Time, maps,
// float64, and a Go name protoc-gen-go would spell differently (UserID).
type Item struct {
	Name   string
	Data   []byte
	Tags   []string
	When   time.Time
	Price  float64
	Counts map[string]int
	UserID int64
}

type Store struct{}

// Echo returns the item an hour later, tagged "seen".
func (Store) Echo(args *Item, reply *Item) error {
	*reply = *args
	reply.When = args.When.Add(time.Hour)
	reply.Tags = append(reply.Tags, "seen")
	return nil
}

type Types struct{}

func (Types) Upper(s *string, reply *string) error {
	*reply = strings.ToUpper(*s)
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
	if err := rpc.Register(Store{}); err != nil {
		log.Fatal(err)
	}
	if err := rpc.Register(Types{}); err != nil {
		log.Fatal(err)
	}
	rpc.HandleHTTP()
	tcp, web, js := listen(), listen(), listen()
	go rpc.Accept(tcp)
	go http.Serve(web, nil)
	go func() {
		for {
			c, err := js.Accept()
			if err != nil {
				log.Fatal(err)
			}
			go jsonrpc.ServeConn(c)
		}
	}()
	fmt.Printf("listening tcp %s\n", tcp.Addr())
	fmt.Printf("listening http %s\n", web.Addr())
	fmt.Printf("listening jsonrpc %s\n", js.Addr())
	select {}
}
