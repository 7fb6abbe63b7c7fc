// Command inventoryd is the estate's legacy Go net/rpc server: Catalog,
// Users as "Accounts", and Metrics, over raw TCP. Once listening it prints
//
//	listening tcp 127.0.0.1:PORT
//
// and serves until killed.
package main

import (
	"flag"
	"fmt"
	"log"
	"net"
	"net/rpc"
	"os"

	"example.com/inventory"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:0", "address to serve raw TCP on")
	flag.Parse()
	log.SetFlags(0)
	if err := rpc.Register(inventory.NewCatalog()); err != nil {
		log.Fatal(err)
	}
	if err := rpc.RegisterName("Accounts", inventory.NewUsers()); err != nil {
		log.Fatal(err)
	}
	if err := rpc.Register(inventory.Metrics{}); err != nil {
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
