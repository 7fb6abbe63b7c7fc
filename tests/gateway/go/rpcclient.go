// Command rpcclient is a legacy Go 1.19 net/rpc client of Go's documentation
// Arith service (standard library only), for the gateway's end-to-end tests.
// It dials the gateway as a Go program would: rpc.Dial (gob over TCP),
// rpc.DialHTTP (HTTP CONNECT) or jsonrpc.Dial (JSON-RPC 1.0).
//
//	rpcclient -addr HOST:PORT [-dial gob|http|json] -mode checks
//	rpcclient -addr HOST:PORT [-dial ...] -mode calls [-conns C] [-n N] [-a A] [-b B] [-method M]
//	rpcclient -addr HOST:PORT [-dial ...] -mode big -pad BYTES
//
// checks: one "PASS <name>" or "FAIL <name>: <why>" line per check; exit 1 if
// any failed.
// calls: C connections, each making N sequential calls of M (default
// Arith.Multiply) with Args{A, B};
// one line per call, "OK <product>" or "ERR <error text>", then
// "DONE ok=X err=Y". Exit 0 either way (the test judges the lines).
// big: one Arith.Multiply whose argument carries a string of BYTES bytes,
// printing "BIG OK <v>" or "BIG ERR <text>", then one ordinary call on a new
// connection, "AFTER OK <v>" or "AFTER ERR <text>".
package main

import (
	"errors"
	"flag"
	"fmt"
	"net/rpc"
	"net/rpc/jsonrpc"
	"os"
	"strings"
	"sync"
)

type Args struct {
	A, B int
}

// ArgsPadded is Args with a field the proto does not have: big enough, it
// must be refused for its size before anything else looks at it.
type ArgsPadded struct {
	A, B int
	Pad  string
}

type Quotient struct {
	Quo, Rem int
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

func dial(kind, addr string) (*rpc.Client, error) {
	switch kind {
	case "gob":
		return rpc.Dial("tcp", addr)
	case "http":
		return rpc.DialHTTP("tcp", addr)
	case "json":
		return jsonrpc.Dial("tcp", addr)
	}
	return nil, fmt.Errorf("unknown -dial %q", kind)
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

func checks(client *rpc.Client) {
	check("multiply", func() error {
		var n int
		if err := client.Call("Arith.Multiply", Args{7, 8}, &n); err != nil {
			return err
		}
		if n != 56 {
			return fmt.Errorf("7*8: want 56, got %d", n)
		}
		return nil
	})
	check("multiply negative", func() error {
		var n int
		if err := client.Call("Arith.Multiply", Args{-6, 7}, &n); err != nil {
			return err
		}
		if n != -42 {
			return fmt.Errorf("-6*7: want -42, got %d", n)
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
		var q Quotient
		return wantError(client.Call("Arith.Divide", Args{1, 0}, &q), "divide by zero")
	})
	check("unknown service", func() error {
		var n int
		return wantError(client.Call("Nope.Multiply", Args{1, 2}, &n),
			"rpc: can't find service Nope.Multiply")
	})
	check("unknown method", func() error {
		var n int
		return wantError(client.Call("Arith.Nope", Args{1, 2}, &n),
			"rpc: can't find method Arith.Nope")
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
}

func oneLine(s string) string { return strings.ReplaceAll(s, "\n", " ") }

func calls(kind, addr, method string, conns, n, a, b int) {
	var mu sync.Mutex
	ok, bad := 0, 0
	var wg sync.WaitGroup
	for c := 0; c < conns; c++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			client, err := dial(kind, addr)
			for i := 0; i < n; i++ {
				var line string
				if err != nil {
					line = "ERR dial: " + oneLine(err.Error())
				} else {
					var p int
					if e := client.Call(method, Args{a, b}, &p); e != nil {
						line = "ERR " + oneLine(e.Error())
					} else {
						line = fmt.Sprintf("OK %d", p)
					}
				}
				mu.Lock()
				if strings.HasPrefix(line, "OK ") {
					ok++
				} else {
					bad++
				}
				fmt.Println(line)
				mu.Unlock()
			}
			if client != nil {
				client.Close()
			}
		}()
	}
	wg.Wait()
	fmt.Printf("DONE ok=%d err=%d\n", ok, bad)
}

func big(kind, addr string, pad int) {
	client, err := dial(kind, addr)
	if err != nil {
		fmt.Printf("BIG ERR dial: %v\n", err)
	} else {
		var p int
		err := client.Call("Arith.Multiply", ArgsPadded{A: 2, B: 3, Pad: strings.Repeat("x", pad)}, &p)
		if err != nil {
			fmt.Printf("BIG ERR %s\n", oneLine(err.Error()))
		} else {
			fmt.Printf("BIG OK %d\n", p)
		}
		client.Close()
	}
	client, err = dial(kind, addr)
	if err != nil {
		fmt.Printf("AFTER ERR dial: %v\n", err)
		return
	}
	defer client.Close()
	var p int
	if err := client.Call("Arith.Multiply", Args{4, 5}, &p); err != nil {
		fmt.Printf("AFTER ERR %s\n", oneLine(err.Error()))
		return
	}
	fmt.Printf("AFTER OK %d\n", p)
}

func main() {
	addr := flag.String("addr", "", "gateway address, host:port")
	kind := flag.String("dial", "gob", "gob (rpc.Dial), http (rpc.DialHTTP) or json (jsonrpc.Dial)")
	mode := flag.String("mode", "checks", "checks, calls or big")
	conns := flag.Int("conns", 1, "calls: connections")
	n := flag.Int("n", 1, "calls: calls per connection")
	a := flag.Int("a", 7, "calls: A")
	b := flag.Int("b", 8, "calls: B")
	method := flag.String("method", "Arith.Multiply", "calls: the method (its reply an int)")
	pad := flag.Int("pad", 1<<20, "big: bytes of padding")
	flag.Parse()

	switch *mode {
	case "checks":
		client, err := dial(*kind, *addr)
		if err != nil {
			fmt.Printf("FAIL dial: %v\n", err)
			os.Exit(1)
		}
		defer client.Close()
		checks(client)
	case "calls":
		calls(*kind, *addr, *method, *conns, *n, *a, *b)
	case "big":
		big(*kind, *addr, *pad)
	default:
		fmt.Fprintf(os.Stderr, "unknown -mode %q\n", *mode)
		os.Exit(2)
	}
	if failed {
		os.Exit(1)
	}
}
