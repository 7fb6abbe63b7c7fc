// Command userserver is a legacy Go 1.19 net/rpc server of the estate
// (standard library only): the Users service and the Arith service of Go's
// net/rpc documentation, over raw TCP. In grpc_to_netrpc_e2e_test and
// bridge_fault_test gRPC clients reach it through the bridge.
//
//	userserver [-addr 127.0.0.1:0] [-http_addr 127.0.0.1:0]
//
// It serves raw TCP on -addr and HTTP (rpc.HandleHTTP: CONNECT /_goRPC_) on
// -http_addr. Once listening it prints
//
//	listening tcp 127.0.0.1:PORT
//	listening http 127.0.0.1:PORT
//
// then serves until killed. -addr lets a test restart it on the port it had.
package main

import (
	"errors"
	"flag"
	"fmt"
	"log"
	"net"
	"net/http"
	"net/rpc"
	"os"
	"time"
)

type Users struct{}

// Echo answers with its argument. The canonical user must arrive exactly as
// Go declares it (go/estate.go): the bridge's protobuf -> gob half is checked
// here, not only the round trip.
func (Users) Echo(u *User, reply *User) error {
	if u.UserID == CanonicalUserID {
		if d := diff(canonicalUser(), *u); d != "" {
			return errors.New("userserver: canonical user arrived changed: " + d)
		}
	}
	*reply = *u
	return nil
}

func (Users) EchoWidths(w *Widths, reply *Widths) error {
	*reply = *w
	return nil
}

func (Users) Count(u *User, n *int) error {
	*n = len(u.Devices)
	return nil
}

func (Users) Fail(r *FailRequest, reply *User) error {
	return errors.New(r.Message)
}

func (Users) Sleep(n *Nap, reply *Nap) error {
	time.Sleep(n.Duration)
	*reply = *n
	return nil
}

// UserV2 is a newer User than the bridge's schema knows: Nickname is new.
type UserV2 struct {
	UserID   int64
	Name     string
	Nickname string
}

func (Users) Newer(u *User, reply *UserV2) error {
	*reply = UserV2{UserID: u.UserID, Name: u.Name, Nickname: "bob"}
	return nil
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
	httpAddr := flag.String("http_addr", "127.0.0.1:0", "address to serve HTTP on")
	flag.Parse()
	log.SetFlags(0)
	if err := rpc.Register(Users{}); err != nil {
		log.Fatal(err)
	}
	if err := rpc.Register(new(Arith)); err != nil {
		log.Fatal(err)
	}
	rpc.HandleHTTP()
	l, err := net.Listen("tcp", *addr)
	if err != nil {
		log.Fatal(err)
	}
	h, err := net.Listen("tcp", *httpAddr)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("listening tcp %s\nlistening http %s\n", l.Addr(), h.Addr())
	os.Stdout.Sync()
	go http.Serve(h, nil)
	rpc.Accept(l)
}
