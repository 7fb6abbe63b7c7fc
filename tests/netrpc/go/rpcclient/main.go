// Command rpcclient runs the client-side checks of Go 1.19's
// net/rpc/server_test.go against a net/rpc server given by address: the
// C++ //netrpc/examples:test_server in tests/netrpc/go_client_test.cc.
//
//	rpcclient --tcp=ADDR --newserver_tcp=ADDR --http=ADDR
//
// Each check prints "ok <name>" or "FAIL <name>: <why>"; the exit code is 1
// if any check failed. The server must serve what server_test.go's
// startServer and startNewServer register.
package main

import (
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/rpc"
	"os"
	"reflect"
	"strings"
	"sync"
	"time"
)

type Args struct {
	A, B int
}

type Reply struct {
	C int
}

var failed bool

func fail(name, format string, a ...any) {
	failed = true
	fmt.Printf("FAIL %s: %s\n", name, fmt.Sprintf(format, a...))
}

func ok(name string) { fmt.Printf("ok %s\n", name) }

// check runs one named check; it fails if fn reports an error.
func check(name string, fn func() error) {
	if err := fn(); err != nil {
		fail(name, "%v", err)
		return
	}
	ok(name)
}

func errorf(format string, a ...any) error { return fmt.Errorf(format, a...) }

func wantAdd(client *rpc.Client, method string, a, b int) error {
	args := &Args{a, b}
	reply := new(Reply)
	if err := client.Call(method, args, reply); err != nil {
		return errorf("%s: expected no error but got %q", method, err.Error())
	}
	if reply.C != a+b {
		return errorf("%s: expected %d got %d", method, a+b, reply.C)
	}
	return nil
}

// testRPC is server_test.go's testRPC, check by check.
func testRPC(addr string) {
	client, err := rpc.Dial("tcp", addr)
	if err != nil {
		fail("testRPC", "dialing: %v", err)
		return
	}
	defer client.Close()

	check("testRPC/Add", func() error { return wantAdd(client, "Arith.Add", 7, 8) })
	check("testRPC/EmbedExported", func() error { return wantAdd(client, "Embed.Exported", 7, 0) })
	check("testRPC/BadOperation", func() error {
		err := client.Call("Arith.BadOperation", &Args{7, 0}, new(Reply))
		if err == nil {
			return errorf("expected error")
		}
		if !strings.HasPrefix(err.Error(), "rpc: can't find method ") {
			return errorf("expected can't find method error; got %q", err)
		}
		if _, isServer := err.(rpc.ServerError); !isServer {
			return errorf("expected rpc.ServerError; got %T", err)
		}
		return nil
	})
	check("testRPC/UnknownMethod", func() error {
		err := client.Call("Arith.Unknown", &Args{7, 8}, new(Reply))
		if err == nil {
			return errorf("expected error calling unknown service")
		}
		if !strings.Contains(err.Error(), "method") {
			return errorf("expected error about method; got %v", err)
		}
		return nil
	})
	check("testRPC/UnknownService", func() error {
		err := client.Call("Nope.Add", &Args{7, 8}, new(Reply))
		if err == nil || err.Error() != "rpc: can't find service Nope.Add" {
			return errorf("got %v", err)
		}
		return nil
	})
	check("testRPC/IllFormed", func() error {
		err := client.Call("NoDot", &Args{7, 8}, new(Reply))
		if err == nil || err.Error() != "rpc: service/method request ill-formed: NoDot" {
			return errorf("got %v", err)
		}
		return nil
	})
	check("testRPC/OutOfOrder", func() error {
		args := &Args{7, 8}
		mulReply := new(Reply)
		mulCall := client.Go("Arith.Mul", args, mulReply, nil)
		addReply := new(Reply)
		addCall := client.Go("Arith.Add", args, addReply, nil)
		addCall = <-addCall.Done
		if addCall.Error != nil {
			return errorf("Add: %v", addCall.Error)
		}
		if addReply.C != args.A+args.B {
			return errorf("Add: expected %d got %d", args.A+args.B, addReply.C)
		}
		mulCall = <-mulCall.Done
		if mulCall.Error != nil {
			return errorf("Mul: %v", mulCall.Error)
		}
		if mulReply.C != args.A*args.B {
			return errorf("Mul: expected %d got %d", args.A*args.B, mulReply.C)
		}
		return nil
	})
	check("testRPC/DivideByZero", func() error {
		err := client.Call("Arith.Div", &Args{7, 0}, new(Reply))
		if err == nil || err.Error() != "divide by zero" {
			return errorf("expected divide by zero error; got %v", err)
		}
		return nil
	})
	check("testRPC/BadType", func() error {
		reply := new(Reply)
		err := client.Call("Arith.Add", reply, reply)
		if err == nil {
			return errorf("expected error calling Arith.Add with wrong arg type")
		}
		if !strings.Contains(err.Error(), "type") {
			return errorf("expected error about type; got %v", err)
		}
		// The connection goes on after a bad body, as Go's.
		return wantAdd(client, "Arith.Add", 1, 2)
	})
	check("testRPC/NonStructArg", func() error {
		str := "12345"
		reply := new(Reply)
		if err := client.Call("Arith.Scan", &str, reply); err != nil {
			return errorf("Scan: %v", err)
		}
		if reply.C != 12345 {
			return errorf("Scan: expected 12345 got %d", reply.C)
		}
		return nil
	})
	check("testRPC/NonStructReply", func() error {
		str := ""
		if err := client.Call("Arith.String", &Args{27, 35}, &str); err != nil {
			return errorf("String: %v", err)
		}
		if str != "27+35=62" {
			return errorf("String: expected 27+35=62 got %s", str)
		}
		return nil
	})
	check("testRPC/Mul", func() error {
		reply := new(Reply)
		if err := client.Call("Arith.Mul", &Args{7, 8}, reply); err != nil {
			return errorf("Mul: %v", err)
		}
		if reply.C != 56 {
			return errorf("Mul: expected 56 got %d", reply.C)
		}
		return nil
	})
	check("testRPC/DottedServiceName", func() error { return wantAdd(client, "net.rpc.Arith.Add", 7, 8) })
	check("testRPC/ErrorMethod", func() error {
		// Go's Arith.Error panics; the C++ test server returns an error.
		err := client.Call("Arith.Error", &Args{7, 8}, new(Reply))
		if err == nil || err.Error() != "ERROR" {
			return errorf("expected ERROR; got %v", err)
		}
		return nil
	})
}

func testNewServerRPC(addr string) {
	client, err := rpc.Dial("tcp", addr)
	if err != nil {
		fail("testNewServerRPC", "dialing: %v", err)
		return
	}
	defer client.Close()
	check("testNewServerRPC/Add", func() error { return wantAdd(client, "newServer.Arith.Add", 7, 8) })
	check("testNewServerRPC/Embed", func() error { return wantAdd(client, "Embed.Exported", 7, 0) })
	check("testNewServerRPC/NoBuiltinTypes", func() error {
		// Registrations are per server: BuiltinTypes is on the default one only.
		var m map[int]int
		err := client.Call("BuiltinTypes.Map", &Args{7, 8}, &m)
		if err == nil || err.Error() != "rpc: can't find service BuiltinTypes.Map" {
			return errorf("got %v", err)
		}
		return nil
	})
}

func testHTTPRPC(addr, path, method string) {
	name := "testHTTPRPC" + path
	var client *rpc.Client
	var err error
	if path == "" {
		client, err = rpc.DialHTTP("tcp", addr)
	} else {
		client, err = rpc.DialHTTPPath("tcp", addr, path)
	}
	if err != nil {
		fail(name, "dialing: %v", err)
		return
	}
	defer client.Close()
	check(name+"/Add", func() error { return wantAdd(client, method, 7, 8) })
}

func testBuiltinTypes(addr string) {
	client, err := rpc.DialHTTP("tcp", addr)
	if err != nil {
		fail("TestBuiltinTypes", "dialing: %v", err)
		return
	}
	defer client.Close()
	check("TestBuiltinTypes/Map", func() error {
		replyMap := map[int]int{}
		if err := client.Call("BuiltinTypes.Map", &Args{7, 8}, &replyMap); err != nil {
			return errorf("Map: %v", err)
		}
		if replyMap[7] != 8 || len(replyMap) != 1 {
			return errorf("Map: expected map[7:8] got %v", replyMap)
		}
		return nil
	})
	check("TestBuiltinTypes/Slice", func() error {
		replySlice := []int{}
		if err := client.Call("BuiltinTypes.Slice", &Args{7, 8}, &replySlice); err != nil {
			return errorf("Slice: %v", err)
		}
		if e := []int{7, 8}; !reflect.DeepEqual(replySlice, e) {
			return errorf("Slice: expected %v got %v", e, replySlice)
		}
		return nil
	})
	check("TestBuiltinTypes/Array", func() error {
		replyArray := [2]int{}
		if err := client.Call("BuiltinTypes.Array", &Args{7, 8}, &replyArray); err != nil {
			return errorf("Array: %v", err)
		}
		if e := [2]int{7, 8}; replyArray != e {
			return errorf("Array: expected %v got %v", e, replyArray)
		}
		return nil
	})
}

// testTCPClose is TestTCPClose: an argument passed by value, over HTTP.
func testTCPClose(addr string) {
	check("TestTCPClose", func() error {
		client, err := rpc.DialHTTP("tcp", addr)
		if err != nil {
			return errorf("dialing: %v", err)
		}
		defer client.Close()
		args := Args{17, 8}
		var reply Reply
		if err := client.Call("Arith.Mul", args, &reply); err != nil {
			return errorf("arith error: %v", err)
		}
		if reply.C != 136 {
			return errorf("expected 136 got %d", reply.C)
		}
		return nil
	})
}

// testShutdown is TestShutdown: a client that half-closes its connection
// with a call in flight still gets the reply.
func testShutdown(addr string) {
	check("TestShutdown", func() error {
		c, err := net.Dial("tcp", addr)
		if err != nil {
			return err
		}
		client := rpc.NewClient(c)
		defer client.Close()
		reply := new(Reply)
		if err := client.Call("Arith.Add", &Args{7, 8}, reply); err != nil {
			return err
		}
		done := make(chan *rpc.Call, 1)
		call := client.Go("Arith.SleepMilli", &Args{50, 0}, reply, done)
		c.(*net.TCPConn).CloseWrite()
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			return errorf("no reply after half-close")
		}
		return call.Error
	})
}

// testConcurrent shares one client between many goroutines (the shape of
// BenchmarkEndToEnd) and pipelines slow and fast calls: replies come back
// as they finish, so the fast ones overtake the slow one.
func testConcurrent(addr string) {
	check("Concurrent/SharedClient", func() error {
		client, err := rpc.Dial("tcp", addr)
		if err != nil {
			return err
		}
		defer client.Close()
		var wg sync.WaitGroup
		errs := make(chan error, 64)
		for g := 0; g < 32; g++ {
			wg.Add(1)
			go func(g int) {
				defer wg.Done()
				for i := 0; i < 50; i++ {
					if err := wantAdd(client, "Arith.Add", g, i); err != nil {
						errs <- err
						return
					}
				}
			}(g)
		}
		wg.Wait()
		close(errs)
		return <-errs
	})
	check("Concurrent/SlowDoesNotBlockFast", func() error {
		client, err := rpc.Dial("tcp", addr)
		if err != nil {
			return err
		}
		defer client.Close()
		slow := client.Go("Arith.SleepMilli", &Args{2000, 0}, new(Reply), nil)
		for i := 0; i < 10; i++ {
			if err := wantAdd(client, "Arith.Add", i, i); err != nil {
				return err
			}
		}
		select {
		case <-slow.Done:
			return errorf("slow call finished before the fast ones")
		default:
		}
		<-slow.Done
		return slow.Error
	})
	check("Concurrent/AsyncMany", func() error {
		client, err := rpc.Dial("tcp", addr)
		if err != nil {
			return err
		}
		defer client.Close()
		// Go drops a completion when the Done channel is full: room for all.
		const n = 500
		done := make(chan *rpc.Call, n)
		replies := make([]Reply, n)
		go func() {
			for i := 0; i < n; i++ {
				client.Go("Arith.Mul", &Args{i, 3}, &replies[i], done)
			}
		}()
		for i := 0; i < n; i++ {
			call := <-done
			if call.Error != nil {
				return call.Error
			}
			a := call.Args.(*Args)
			if call.Reply.(*Reply).C != a.A*3 {
				return errorf("Mul %d: got %d", a.A, call.Reply.(*Reply).C)
			}
		}
		return nil
	})
}

// testErrorAfterClose is TestErrorAfterClientClose.
func testErrorAfterClose(addr string) {
	check("TestErrorAfterClientClose", func() error {
		client, err := rpc.Dial("tcp", addr)
		if err != nil {
			return err
		}
		if err := client.Close(); err != nil {
			return errorf("close: %v", err)
		}
		err = client.Call("Arith.Add", &Args{7, 9}, new(Reply))
		if err != rpc.ErrShutdown {
			return errorf("expected ErrShutdown, got %v", err)
		}
		return nil
	})
}

func get(url string) (int, string, error) {
	resp, err := http.Get(url)
	if err != nil {
		return 0, "", err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body), err
}

// addCalls reads the call count of newServer.Arith.Add from the second
// server's debug page (/bar).
func addCalls(addr string) (int, error) {
	_, body, err := get("http://" + addr + "/bar")
	if err != nil {
		return 0, err
	}
	i := strings.Index(body, "Service newServer.Arith")
	if i < 0 {
		return 0, errorf("no newServer.Arith on /bar:\n%s", body)
	}
	row := "<td align=left font=fixed>Add(rpc.Args, *rpc.Reply) error</td>\n\t\t\t<td align=center>"
	j := strings.Index(body[i:], row)
	if j < 0 {
		return 0, errorf("no Add row for newServer.Arith:\n%s", body)
	}
	var n int
	if _, err := fmt.Sscanf(body[i+j+len(row):], "%d</td>", &n); err != nil {
		return 0, errorf("bad count: %v", err)
	}
	return n, nil
}

// testHTTPPages checks the non-CONNECT answers: the debug pages, 405, 404,
// and a dial to an unknown path.
func testHTTPPages(addr string) {
	check("HTTP/DebugPage", func() error {
		code, body, err := get("http://" + addr + "/debug/rpc")
		if err != nil {
			return err
		}
		if code != 200 {
			return errorf("status %d", code)
		}
		for _, want := range []string{
			"<title>Services</title>",
			"\tService Arith\n",
			"\tService BuiltinTypes\n",
			"\tService Embed\n",
			"\tService net.rpc.Arith\n",
			"<td align=left font=fixed>Add(rpc.Args, *rpc.Reply) error</td>",
			"<td align=left font=fixed>Mul(*rpc.Args, *rpc.Reply) error</td>",
			"<td align=left font=fixed>Scan(string, *rpc.Reply) error</td>",
			"<td align=left font=fixed>String(*rpc.Args, *string) error</td>",
			"<td align=left font=fixed>Map(*rpc.Args, *map[int]int) error</td>",
			"<td align=left font=fixed>Slice(*rpc.Args, *[]int) error</td>",
			"<td align=left font=fixed>Array(*rpc.Args, *[2]int) error</td>",
		} {
			if !strings.Contains(body, want) {
				return errorf("page lacks %q:\n%s", want, body)
			}
		}
		if strings.Contains(body, "newServer.Arith") {
			return errorf("default server page lists the second server's service")
		}
		// Services sorted by name.
		if strings.Index(body, "Service Arith") > strings.Index(body, "Service net.rpc.Arith") {
			return errorf("services not sorted:\n%s", body)
		}
		return nil
	})
	check("HTTP/DebugPageCounts", func() error {
		// Calls are counted per registered method: three more calls of
		// newServer.Arith.Add show as three more on the second server's page.
		before, err := addCalls(addr)
		if err != nil {
			return err
		}
		client, err := rpc.DialHTTPPath("tcp", addr, "/foo")
		if err != nil {
			return err
		}
		defer client.Close()
		for i := 0; i < 3; i++ {
			if err := wantAdd(client, "newServer.Arith.Add", i, 1); err != nil {
				return err
			}
		}
		after, err := addCalls(addr)
		if err != nil {
			return err
		}
		if after != before+3 {
			return errorf("newServer.Arith.Add calls: %d before, %d after 3 calls", before, after)
		}
		return nil
	})
	check("HTTP/GetRPCPath405", func() error {
		code, body, err := get("http://" + addr + "/_goRPC_")
		if err != nil {
			return err
		}
		if code != 405 || body != "405 must CONNECT\n" {
			return errorf("got %d %q", code, body)
		}
		return nil
	})
	check("HTTP/UnknownPath404", func() error {
		code, body, err := get("http://" + addr + "/nope")
		if err != nil {
			return err
		}
		if code != 404 || body != "404 page not found\n" {
			return errorf("got %d %q", code, body)
		}
		return nil
	})
	check("HTTP/DialUnknownPath", func() error {
		_, err := rpc.DialHTTPPath("tcp", addr, "/nope")
		want := "dial-http tcp " + addr + ": unexpected HTTP response: 404 Not Found"
		if err == nil || err.Error() != want {
			return errorf("expected %q, got %v", want, err)
		}
		return nil
	})
}

func main() {
	tcp := flag.String("tcp", "", "address of the default server (gob over TCP)")
	newTCP := flag.String("newserver_tcp", "", "address of the second server")
	httpAddr := flag.String("http", "", "address of the HTTP server")
	flag.Parse()
	if *tcp == "" || *newTCP == "" || *httpAddr == "" {
		fmt.Fprintln(os.Stderr, "usage: rpcclient --tcp=ADDR --newserver_tcp=ADDR --http=ADDR")
		os.Exit(2)
	}
	testRPC(*tcp)
	testNewServerRPC(*newTCP)
	testHTTPRPC(*httpAddr, "", "Arith.Add")
	testHTTPRPC(*httpAddr, "/foo", "Arith.Add")
	testHTTPRPC(*httpAddr, "/foo", "newServer.Arith.Add")
	testBuiltinTypes(*httpAddr)
	testTCPClose(*httpAddr)
	testShutdown(*tcp)
	testConcurrent(*tcp)
	testErrorAfterClose(*tcp)
	testHTTPPages(*httpAddr)
	if failed {
		os.Exit(1)
	}
	fmt.Println("PASS")
}
