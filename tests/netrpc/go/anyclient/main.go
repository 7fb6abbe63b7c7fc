// Command anyclient calls one port with Go 1.19's net/rpc (gob over TCP),
// net/rpc over HTTP CONNECT, net/rpc/jsonrpc and a plain HTTP GET of
// /debug/rpc, as a netrpc::ServeAny port must serve them all. With
// -limit_addr it also checks a server whose ServerOptions allow one call in
// flight per connection. It prints one "ok <what>" line per check and exits
// 1 at the first failure.
//
//	anyclient -addr 127.0.0.1:1234 [-limit_addr 127.0.0.1:1235]
package main

import (
	"flag"
	"fmt"
	"io"
	"log"
	"net/http"
	"net/rpc"
	"net/rpc/jsonrpc"
	"strings"
	"sync"
)

type Args struct{ A, B int }

type Reply struct{ C int }

func check(name string, c *rpc.Client) {
	defer c.Close()
	// Several callers at once, several calls each, on the one connection.
	var wg sync.WaitGroup
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			for i := 0; i < 50; i++ {
				var r Reply
				if err := c.Call("Arith.Mul", Args{g, i}, &r); err != nil {
					log.Fatalf("%s: Arith.Mul: %v", name, err)
				}
				if r.C != g*i {
					log.Fatalf("%s: Arith.Mul(%d, %d) = %d", name, g, i, r.C)
				}
			}
		}(g)
	}
	wg.Wait()
	var r Reply
	err := c.Call("Arith.Nope", Args{1, 2}, &r)
	if _, ok := err.(rpc.ServerError); !ok || err.Error() != "rpc: can't find method Arith.Nope" {
		log.Fatalf("%s: Arith.Nope: %v", name, err)
	}
	fmt.Printf("ok %s\n", name)
}

func main() {
	addr := flag.String("addr", "", "ServeAny address")
	limitAddr := flag.String("limit_addr", "", "address of a server with max_concurrent_calls_per_connection = 1")
	flag.Parse()

	c, err := rpc.Dial("tcp", *addr)
	if err != nil {
		log.Fatalf("rpc.Dial: %v", err)
	}
	check("gob", c)

	c, err = rpc.DialHTTP("tcp", *addr)
	if err != nil {
		log.Fatalf("rpc.DialHTTP: %v", err)
	}
	check("http", c)

	c, err = jsonrpc.Dial("tcp", *addr)
	if err != nil {
		log.Fatalf("jsonrpc.Dial: %v", err)
	}
	check("jsonrpc", c)

	resp, err := http.Get("http://" + *addr + "/debug/rpc")
	if err != nil {
		log.Fatalf("GET /debug/rpc: %v", err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !strings.Contains(string(body), "Arith") {
		log.Fatalf("GET /debug/rpc: %s\n%s", resp.Status, body)
	}
	fmt.Println("ok debug")

	if *limitAddr != "" {
		checkLimit(*limitAddr)
	}
}

// checkLimit: while Gate.Block runs on one connection, a second call on it
// gets the server's ServerError at once; the connection then goes on.
func checkLimit(addr string) {
	c, err := rpc.Dial("tcp", addr)
	if err != nil {
		log.Fatalf("limit: dial: %v", err)
	}
	defer c.Close()
	control, err := rpc.Dial("tcp", addr)
	if err != nil {
		log.Fatalf("limit: dial: %v", err)
	}
	defer control.Close()
	var r Reply
	blocked := c.Go("Gate.Block", Args{1, 2}, &r, nil)
	// Gate.Started returns once Block is running (another connection).
	if err := control.Call("Gate.Started", Args{}, &Reply{}); err != nil {
		log.Fatalf("limit: Gate.Started: %v", err)
	}
	err = c.Call("Gate.Add", Args{1, 1}, &Reply{})
	want := "rpc: too many calls in flight on this connection (limit 1)"
	if _, ok := err.(rpc.ServerError); !ok || err.Error() != want {
		log.Fatalf("limit: second call: got %v (%T), want ServerError %q", err, err, want)
	}
	if err := control.Call("Gate.Release", Args{}, &Reply{}); err != nil {
		log.Fatalf("limit: Gate.Release: %v", err)
	}
	<-blocked.Done
	if blocked.Error != nil || r.C != 3 {
		log.Fatalf("limit: Gate.Block: %v, %d", blocked.Error, r.C)
	}
	var sum Reply
	if err := c.Call("Gate.Add", Args{2, 2}, &sum); err != nil || sum.C != 4 {
		log.Fatalf("limit: after: %v, %d", err, sum.C)
	}
	fmt.Println("ok limit")
}
