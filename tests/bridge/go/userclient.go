// Command userclient is a legacy Go 1.19 net/rpc client of the estate's
// Users service (standard library only). In netrpc_to_grpc_e2e_test it
// calls the bridge, which forwards to a C++ gRPC server: the client must not
// be able to tell.
//
//	userclient -addr 127.0.0.1:PORT [-http]
//
// With -http it dials with rpc.DialHTTP (HTTP CONNECT) and also reads the
// /debug/rpc page. Each check prints "PASS <name>" or "FAIL <name>: <why>";
// the exit code is 1 if any check failed.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"net/http"
	"net/rpc"
	"os"
	"strings"
	"time"
)

var failed bool

// check runs one named check and prints its result.
func check(name string, fn func() error) {
	if err := fn(); err != nil {
		failed = true
		fmt.Printf("FAIL %s: %v\n", name, err)
		return
	}
	fmt.Printf("PASS %s\n", name)
}

// echo calls method with in and compares the reply with in.
func echo(client *rpc.Client, method string, in, out interface{}) error {
	if err := client.Call(method, in, out); err != nil {
		return err
	}
	if d := diff(in, out); d != "" {
		return errors.New(d)
	}
	return nil
}

// wantError calls method and wants an rpc.ServerError whose text is want
// (exactly, or only as a prefix if prefix is set).
func wantError(client *rpc.Client, method string, in, out interface{}, want string, prefix bool) error {
	err := client.Call(method, in, out)
	if _, ok := err.(rpc.ServerError); !ok {
		return fmt.Errorf("want rpc.ServerError %q, got %T %v", want, err, err)
	}
	if got := err.Error(); got != want && !(prefix && strings.HasPrefix(got, want)) {
		return fmt.Errorf("want error %q, got %q", want, got)
	}
	return nil
}

// Types a client might declare wrongly, named as such a client would.
type UserPlus struct { // a field the proto does not have
	UserID   int64
	Nickname string
}

type UserSpelledByProtocGenGo struct { // UserId, not the estate's UserID
	UserId int64
}

type WideWidths struct { // wider Go types than the proto's
	I32  int64
	U32  uint64
	Fl32 float64
	At   time.Time
}

func main() {
	addr := flag.String("addr", "", "bridge address, host:port")
	useHTTP := flag.Bool("http", false, "dial with HTTP CONNECT")
	flag.Parse()

	dial := rpc.Dial
	if *useHTTP {
		dial = rpc.DialHTTP
	}
	client, err := dial("tcp", *addr)
	if err != nil {
		fmt.Printf("FAIL dial: %v\n", err)
		os.Exit(1)
	}
	defer client.Close()

	check("echo canonical user", func() error {
		return echo(client, "Users.Echo", canonicalUser(), &User{})
	})
	check("echo empty user", func() error {
		return echo(client, "Users.Echo", User{}, &User{})
	})
	check("echo widths min", func() error {
		return echo(client, "Users.EchoWidths", widthsMin(), &Widths{})
	})
	check("echo widths max", func() error {
		return echo(client, "Users.EchoWidths", widthsMax(), &Widths{})
	})
	check("echo widths tiny", func() error {
		return echo(client, "Users.EchoWidths", widthsTiny(), &Widths{})
	})
	check("count is a non-struct reply", func() error {
		var n int
		if err := client.Call("Users.Count", canonicalUser(), &n); err != nil {
			return err
		}
		if n != 2 {
			return fmt.Errorf("want 2, got %d", n)
		}
		n = -1 // a zero reply must still arrive
		if err := client.Call("Users.Count", User{Name: "nobody"}, &n); err != nil {
			return err
		}
		if n != 0 {
			return fmt.Errorf("want 0, got %d", n)
		}
		return nil
	})

	var u User
	check("UNKNOWN arrives as its message alone", func() error {
		return wantError(client, "Users.Fail", FailRequest{Code: 2, Message: "disk on fire"}, &u,
			"disk on fire", false)
	})
	check("NOT_FOUND arrives as Go gRPC's text", func() error {
		return wantError(client, "Users.Fail", FailRequest{Code: 5, Message: "no such user"}, &u,
			"rpc error: code = NotFound desc = no such user", false)
	})
	check("unimplemented upstream method", func() error {
		return wantError(client, "Users.Purge", User{UserID: 1}, &u,
			"rpc error: code = Unimplemented desc = ", true)
	})
	check("unknown method", func() error {
		return wantError(client, "Users.Nope", User{}, &u, "rpc: can't find method Users.Nope", false)
	})
	check("unknown service", func() error {
		return wantError(client, "Nope.Echo", User{}, &u, "rpc: can't find service Nope.Echo", false)
	})
	check("int32 out of range", func() error {
		return wantError(client, "Users.EchoWidths", WideWidths{I32: math.MaxInt32 + 1}, &Widths{},
			"bridge: value 2147483648 out of range for estate.v1.Widths.i32 (int32)", false)
	})
	check("uint32 out of range", func() error {
		return wantError(client, "Users.EchoWidths", WideWidths{U32: math.MaxUint32 + 1}, &Widths{},
			"bridge: value 4294967296 out of range for estate.v1.Widths.u32 (uint32)", false)
	})
	check("float32 out of range", func() error {
		return wantError(client, "Users.EchoWidths", WideWidths{Fl32: math.MaxFloat64}, &Widths{},
			"bridge: value 1.79769e+308 out of range for estate.v1.Widths.fl32 (float)", false)
	})
	check("time out of Timestamp's range", func() error {
		return wantError(client, "Users.EchoWidths",
			WideWidths{At: time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC)}, &Widths{},
			"bridge: time 10000-01-01T00:00:00Z is outside google.protobuf.Timestamp's range", true)
	})
	check("extra Go field has no counterpart", func() error {
		return wantError(client, "Users.Echo", UserPlus{UserID: 1, Nickname: "rob"}, &u,
			"bridge: Go field UserPlus.Nickname has no counterpart in estate.v1.User", true)
	})
	check("UserId spelled by protoc-gen-go's rule has no counterpart", func() error {
		return wantError(client, "Users.Echo", UserSpelledByProtocGenGo{UserId: 1}, &u,
			"bridge: Go field UserSpelledByProtocGenGo.UserId has no counterpart in estate.v1.User", true)
	})
	check("string that is not UTF-8", func() error {
		return wantError(client, "Users.Echo", User{Name: "\xff"}, &u,
			"bridge: Go string for estate.v1.User.name is not valid UTF-8", true)
	})
	check("route timeout", func() error {
		var out Nap
		return wantError(client, "Users.Sleep", Nap{Duration: time.Minute}, &out,
			"bridge: Users.Sleep: no reply from /estate.v1.Users/Sleep within 500ms", false)
	})
	check("quick sleep", func() error {
		return echo(client, "Users.Sleep", Nap{Duration: time.Millisecond}, &Nap{})
	})
	check("connection still good after errors", func() error {
		return echo(client, "Users.Echo", canonicalUser(), &User{})
	})

	if *useHTTP {
		check("debug page lists bridged methods", func() error {
			resp, err := http.Get("http://" + *addr + "/debug/rpc")
			if err != nil {
				return err
			}
			defer resp.Body.Close()
			page, err := io.ReadAll(resp.Body)
			if err != nil {
				return err
			}
			for _, want := range []string{"Service Users", "Echo(*User, *User) error", "Count(*User, *int) error"} {
				if !strings.Contains(string(page), want) {
					return fmt.Errorf("no %q in page:\n%s", want, page)
				}
			}
			return nil
		})
	}

	if failed {
		os.Exit(1)
	}
}
