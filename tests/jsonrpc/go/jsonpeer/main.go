// Command jsonpeer is the Go 1.19 side of the jsonrpc interop tests: Go's
// own net/rpc/jsonrpc server and client, and Go's encoding/json, driven the
// same way the C++ side is driven, so that tests/jsonrpc can compare them.
//
//	jsonpeer serve          serve Arith and BuiltinTypes (netrpc/jsonrpc/
//	                        test_services.h has the same in C++) with
//	                        jsonrpc.ServeConn; prints "listening jsonrpc ADDR"
//	jsonpeer client ADDR [PREFIX...]
//	                        run all_test.go's client-side checks (TestServer,
//	                        TestServerNoParams, TestServerEmptyMessage,
//	                        TestClient, TestBuiltinTypes) and a few more
//	                        against ADDR, or only those whose names start
//	                        with a PREFIX; prints "ok NAME" or "FAIL NAME:
//	                        why", exit 1 on any failure
//	jsonpeer rawclient ADDR make the two calls of the SPEC's client capture
//	                        against ADDR and print their outcome on one line
//	jsonpeer corpus         print generated values and inputs with what
//	                        json.Marshal and json.Unmarshal make of them
//	                        (format below)
package main

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"net"
	"net/rpc"
	"net/rpc/jsonrpc"
	"os"
	"reflect"
	"strconv"
	"strings"
	"time"
)

// ---------------------------------------------------------------------------
// Services: netrpc/jsonrpc/test_services.h in Go.

type Args struct{ A, B int }
type Reply struct{ C int }
type Quotient struct{ Quo, Rem int }

type Arith int

func (t *Arith) Add(args *Args, reply *Reply) error { reply.C = args.A + args.B; return nil }
func (t *Arith) Mul(args *Args, reply *Reply) error { reply.C = args.A * args.B; return nil }
func (t *Arith) Div(args *Args, reply *Reply) error {
	if args.B == 0 {
		return errors.New("divide by zero")
	}
	reply.C = args.A / args.B
	return nil
}
func (t *Arith) Multiply(args *Args, reply *int) error { *reply = args.A * args.B; return nil }
func (t *Arith) Divide(args *Args, quo *Quotient) error {
	if args.B == 0 {
		return errors.New("divide by zero")
	}
	quo.Quo, quo.Rem = args.A/args.B, args.A%args.B
	return nil
}
func (t *Arith) Square(x int, reply *int) error { *reply = x * x; return nil }
func (t *Arith) Sleep(ms int, reply *int) error {
	time.Sleep(time.Duration(ms) * time.Millisecond)
	*reply = ms
	return nil
}
func (t *Arith) EmptyErr(x int, reply *int) error   { *reply = 5; return errors.New("") }
func (t *Arith) NilSlice(x int, reply *[]int) error { *reply = nil; return nil }
func (t *Arith) NaN(x int, reply *float64) error    { *reply = math.NaN(); return nil }
func (t *Arith) Bytes(x int, reply *[]byte) error   { *reply = []byte{1, 2, 3}; return nil }
func (t *Arith) ErrHTML(x int, reply *int) error    { return errors.New("a<b>&c \u2028") }

type BuiltinTypes struct{}

func (BuiltinTypes) Map(i int, reply *map[int]int) error { (*reply)[i] = i; return nil }
func (BuiltinTypes) Slice(i int, reply *[]int) error     { *reply = append(*reply, i); return nil }
func (BuiltinTypes) Array(i int, reply *[1]int) error    { (*reply)[0] = i; return nil }

func serve() {
	rpc.Register(new(Arith))
	rpc.Register(BuiltinTypes{})
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	fmt.Printf("listening jsonrpc %s\n", l.Addr())
	for {
		c, err := l.Accept()
		if err != nil {
			return
		}
		go jsonrpc.ServeConn(c)
	}
}

// ---------------------------------------------------------------------------
// Client checks: all_test.go against a server at an address.

var failed bool

// only, if not empty, limits the checks to those whose names start with
// one of its prefixes.
var only []string

func check(name string, fn func() error) {
	if len(only) > 0 {
		selected := false
		for _, prefix := range only {
			selected = selected || strings.HasPrefix(name, prefix)
		}
		if !selected {
			return
		}
	}
	if err := fn(); err != nil {
		failed = true
		fmt.Printf("FAIL %s: %v\n", name, err)
		return
	}
	fmt.Printf("ok %s\n", name)
}

type ArithAddResp struct {
	Id     any   `json:"id"`
	Result Reply `json:"result"`
	Error  any   `json:"error"`
}

func clientChecks(addr string) {
	dial := func() (net.Conn, error) { return net.Dial("tcp", addr) }

	check("TestServerNoParams", func() error {
		cli, err := dial()
		if err != nil {
			return err
		}
		defer cli.Close()
		dec := json.NewDecoder(cli)
		fmt.Fprintf(cli, `{"method": "Arith.Add", "id": "123"}`)
		var resp ArithAddResp
		if err := dec.Decode(&resp); err != nil {
			return fmt.Errorf("Decode after no params: %s", err)
		}
		if resp.Error == nil {
			return fmt.Errorf("Expected error, got nil")
		}
		return nil
	})

	check("TestServerEmptyMessage", func() error {
		cli, err := dial()
		if err != nil {
			return err
		}
		defer cli.Close()
		dec := json.NewDecoder(cli)
		fmt.Fprintf(cli, "{}")
		var resp ArithAddResp
		if err := dec.Decode(&resp); err != nil {
			return fmt.Errorf("Decode after empty: %s", err)
		}
		if resp.Error == nil {
			return fmt.Errorf("Expected error, got nil")
		}
		return nil
	})

	check("TestServer", func() error {
		cli, err := dial()
		if err != nil {
			return err
		}
		defer cli.Close()
		dec := json.NewDecoder(cli)
		for i := 0; i < 10; i++ {
			fmt.Fprintf(cli, `{"method": "Arith.Add", "id": "\u%04d", "params": [{"A": %d, "B": %d}]}`, i, i, i+1)
			var resp ArithAddResp
			if err := dec.Decode(&resp); err != nil {
				return fmt.Errorf("Decode: %s", err)
			}
			if resp.Error != nil {
				return fmt.Errorf("resp.Error: %s", resp.Error)
			}
			if resp.Id.(string) != string(rune(i)) {
				return fmt.Errorf("resp: bad id %q want %q", resp.Id.(string), string(rune(i)))
			}
			if resp.Result.C != 2*i+1 {
				return fmt.Errorf("resp: bad result: %d+%d=%d", i, i+1, resp.Result.C)
			}
		}
		return nil
	})

	client, err := jsonrpc.Dial("tcp", addr)
	if err != nil {
		check("Dial", func() error { return err })
		return
	}
	defer client.Close()

	check("TestClient/Add", func() error {
		args := &Args{7, 8}
		reply := new(Reply)
		if err := client.Call("Arith.Add", args, reply); err != nil {
			return fmt.Errorf("Add: expected no error but got string %q", err.Error())
		}
		if reply.C != args.A+args.B {
			return fmt.Errorf("Add: got %d expected %d", reply.C, args.A+args.B)
		}
		return nil
	})
	check("TestClient/Mul", func() error {
		args := &Args{7, 8}
		reply := new(Reply)
		if err := client.Call("Arith.Mul", args, reply); err != nil {
			return fmt.Errorf("Mul: expected no error but got string %q", err.Error())
		}
		if reply.C != args.A*args.B {
			return fmt.Errorf("Mul: got %d expected %d", reply.C, args.A*args.B)
		}
		return nil
	})
	check("TestClient/OutOfOrder", func() error {
		args := &Args{7, 8}
		mulReply := new(Reply)
		mulCall := client.Go("Arith.Mul", args, mulReply, nil)
		addReply := new(Reply)
		addCall := client.Go("Arith.Add", args, addReply, nil)
		addCall = <-addCall.Done
		if addCall.Error != nil {
			return fmt.Errorf("Add: expected no error but got string %q", addCall.Error.Error())
		}
		if addReply.C != args.A+args.B {
			return fmt.Errorf("Add: got %d expected %d", addReply.C, args.A+args.B)
		}
		mulCall = <-mulCall.Done
		if mulCall.Error != nil {
			return fmt.Errorf("Mul: expected no error but got string %q", mulCall.Error.Error())
		}
		if mulReply.C != args.A*args.B {
			return fmt.Errorf("Mul: got %d expected %d", mulReply.C, args.A*args.B)
		}
		return nil
	})
	check("TestClient/DivideByZero", func() error {
		err := client.Call("Arith.Div", &Args{7, 0}, new(Reply))
		if err == nil {
			return fmt.Errorf("Div: expected error")
		}
		if err.Error() != "divide by zero" {
			return fmt.Errorf("Div: expected divide by zero error; got %v", err)
		}
		return nil
	})
	check("TestBuiltinTypes/Map", func() error {
		arg := 7
		replyMap := map[int]int{}
		if err := client.Call("BuiltinTypes.Map", arg, &replyMap); err != nil {
			return fmt.Errorf("Map: expected no error but got string %q", err.Error())
		}
		if replyMap[arg] != arg {
			return fmt.Errorf("Map: expected %d got %d", arg, replyMap[arg])
		}
		return nil
	})
	check("TestBuiltinTypes/Slice", func() error {
		arg := 7
		replySlice := []int{}
		if err := client.Call("BuiltinTypes.Slice", arg, &replySlice); err != nil {
			return fmt.Errorf("Slice: expected no error but got string %q", err.Error())
		}
		if e := []int{arg}; !reflect.DeepEqual(replySlice, e) {
			return fmt.Errorf("Slice: expected %v got %v", e, replySlice)
		}
		return nil
	})
	check("TestBuiltinTypes/Array", func() error {
		arg := 7
		replyArray := [1]int{}
		if err := client.Call("BuiltinTypes.Array", arg, &replyArray); err != nil {
			return fmt.Errorf("Array: expected no error but got string %q", err.Error())
		}
		if e := [1]int{arg}; !reflect.DeepEqual(replyArray, e) {
			return fmt.Errorf("Array: expected %v got %v", e, replyArray)
		}
		return nil
	})
	check("CaptureMethods", func() error {
		var q Quotient
		if err := client.Call("Arith.Divide", &Args{17, 5}, &q); err != nil || q != (Quotient{3, 2}) {
			return fmt.Errorf("Divide: %v %v", q, err)
		}
		var n int
		if err := client.Call("Arith.Square", 9, &n); err != nil || n != 81 {
			return fmt.Errorf("Square: %v %v", n, err)
		}
		if err := client.Call("Arith.EmptyErr", 0, &n); err != nil || n != 5 {
			return fmt.Errorf("EmptyErr: %v %v", n, err)
		}
		var b []byte
		if err := client.Call("Arith.Bytes", 0, &b); err != nil || string(b) != "\x01\x02\x03" {
			return fmt.Errorf("Bytes: %v %v", b, err)
		}
		if err := client.Call("Arith.ErrHTML", 0, &n); err == nil || err.Error() != "a<b>&c \u2028" {
			return fmt.Errorf("ErrHTML: %v", err)
		}
		return nil
	})
	// Last: it shuts the client down.
	check("NilSliceReplyKillsGoClient", func() error {
		var s []int
		err := client.Call("Arith.NilSlice", 0, &s)
		if err == nil || err.Error() != "invalid error <nil>" {
			return fmt.Errorf("first call: %v", err)
		}
		var n int
		err = client.Call("Arith.Square", 3, &n)
		if err != rpc.ErrShutdown {
			return fmt.Errorf("next call: %v", err)
		}
		return nil
	})
	if failed {
		os.Exit(1)
	}
}

// rawClient makes jsonrpccapture.go's two calls and prints their outcome.
func rawClient(addr string) {
	client, err := jsonrpc.Dial("tcp", addr)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	defer client.Close()
	var r int
	err = client.Call("Arith.Multiply", &Args{7, 8}, &r)
	_, server := err.(rpc.ServerError)
	var r2 int
	err2 := client.Call("Arith.Multiply", &Args{1, 1}, &r2)
	fmt.Printf("first: reply=%d err=%s server=%t | next: err=%s\n", r, errStr(err), server, errStr(err2))
}

// errStr prints an error on one line: "<nil>", or its text escaped.
func errStr(err error) string {
	if err == nil {
		return "<nil>"
	}
	return esc(err.Error())
}

// ---------------------------------------------------------------------------
// Corpus: values and inputs with Go's answers, one per line, fields
// separated by tabs, text fields escaped with esc. The C++ test re-derives
// every answer from the same value or input:
//
//	f64 <bits hex> <json>          json.Marshal(math.Float64frombits(bits))
//	f32 <bits hex> <json>          the same for a float32
//	str <string> <json>            json.Marshal of a string
//	bytes <hex> <json>             json.Marshal of a []byte
//	map <k> <v> ... <json>         json.Marshal of a map[string]int
//	time <unix s> <ns> <json>      json.Marshal of a time.Time in UTC
//	dec <input> <error> <json>     json.Unmarshal into a Target, then
//	                               json.Marshal of it (normalized)
//
// A <json> that is an error is "ERR <text>".

type rng struct{ s uint64 }

// next is splitmix64.
func (r *rng) next() uint64 {
	r.s += 0x9e3779b97f4a7c15
	z := r.s
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
	z = (z ^ (z >> 27)) * 0x94d049bb133111eb
	return z ^ (z >> 31)
}

// Alphabet for generated strings: the bytes Go's encoder treats specially.
var stringAlphabet = []string{
	"a", "Z", " ", "\x00", "\x01", "\x1f", "\t", "\n", "\r", "\b", "\f", "\"", "\\", "/",
	"<", ">", "&", "\x7f", "\u00e9", "\u2028", "\u2029", "\U0001F600", "\xff", "\xc3",
	"\xe2\x80", "\xed\xa0\x80", "\xf4\x90\x80\x80", "\xc0\xaf", "\ufffd",
}

func genString(r *rng) string {
	n := int(r.next() % 8)
	var b strings.Builder
	for i := 0; i < n; i++ {
		b.WriteString(stringAlphabet[r.next()%uint64(len(stringAlphabet))])
	}
	return b.String()
}

// genDecimal returns "<m>e<e>" with |m| < 10^6 and -30 <= e < 30: values
// around Go's 1e-6 and 1e21 cut-offs.
func genDecimal(r *rng) string {
	m := int64(r.next()%2000000) - 1000000
	e := int64(r.next()%60) - 30
	return fmt.Sprintf("%de%d", m, e)
}

// out buffers the corpus's many lines.
var out = bufio.NewWriter(os.Stdout)

func esc(s string) string {
	return strings.NewReplacer(`\`, `\\`, "\t", `\t`, "\r", `\r`, "\n", `\n`).Replace(s)
}

func marshal(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		return "ERR " + err.Error()
	}
	return string(b)
}

func encodeCorpus() {
	r := &rng{1}
	for i := 0; i < 5000; i++ {
		bits := r.next()
		fmt.Fprintf(out, "f64\t%x\t%s\n", bits, marshal(math.Float64frombits(bits)))
	}
	for i := 0; i < 5000; i++ {
		f, _ := strconv.ParseFloat(genDecimal(r), 64)
		fmt.Fprintf(out, "f64\t%x\t%s\n", math.Float64bits(f), marshal(f))
	}
	for i := 0; i < 5000; i++ {
		bits := uint32(r.next())
		fmt.Fprintf(out, "f32\t%x\t%s\n", bits, marshal(math.Float32frombits(bits)))
	}
	for i := 0; i < 5000; i++ {
		f, _ := strconv.ParseFloat(genDecimal(r), 32)
		fmt.Fprintf(out, "f32\t%x\t%s\n", math.Float32bits(float32(f)), marshal(float32(f)))
	}
	for i := 0; i < 5000; i++ {
		s := genString(r)
		fmt.Fprintf(out, "str\t%s\t%s\n", esc(s), marshal(s))
	}
	for i := 0; i < 1000; i++ {
		b := make([]byte, r.next()%10)
		for j := range b {
			b[j] = byte(r.next())
		}
		fmt.Fprintf(out, "bytes\t%x\t%s\n", b, marshal(b))
	}
	for i := 0; i < 1000; i++ {
		m := map[string]int{}
		n := int(r.next() % 5)
		for j := 0; j < n; j++ {
			m[genString(r)] = j
		}
		fmt.Fprintf(out, "map")
		for k, v := range m {
			fmt.Fprintf(out, "\t%s\t%d", esc(k), v)
		}
		fmt.Fprintf(out, "\t%s\n", marshal(m))
	}
	for i := 0; i < 1000; i++ {
		sec := int64(r.next()%(400*365*86400)) - 100*365*86400
		nsec := int64(r.next() % 1000000000)
		fmt.Fprintf(out, "time\t%d\t%d\t%s\n", sec, nsec, marshal(time.Unix(sec, nsec).UTC()))
	}
}

type Inner struct {
	X    int
	Name string
}

// Target mirrors json_vectors_test.cc's: every kind the C++ bindings have.
type Target struct {
	B      bool
	I      int
	I8     int8
	U16    uint16
	U      uint
	F      float64
	F32    float32
	S      string
	Bs     []byte
	V      []int
	A      [2]int
	M      map[string]int
	MI     map[int]string
	P      *int
	In     Inner
	PIn    *Inner
	T      time.Time
	D      time.Duration
	Ss     []string
	hidden int
}

// decodeSeeds are the inputs the decode corpus mutates.
var decodeSeeds = []string{
	`{"B":true,"I":-5,"I8":-128,"U16":65535,"U":18446744073709551615,"F":2.5e-3,"F32":0.1,"S":"x\u00e9\ud83d\ude00\n","Bs":"AQID","V":[1,2],"A":[3,4],"M":{"k":1,"j":2},"MI":{"-2":"a","7":"b"},"P":7,"In":{"X":1,"Name":"n"},"PIn":{"X":2},"T":"2009-11-10T23:00:00.5+01:00","D":99,"Ss":["a","b"],"hidden":5}`,
	`{"b":false,"i":1e2,"i8":300,"u16":-1,"u":1.5,"f":1e400,"f32":1e39,"s":5,"bs":"AQI","v":[1,"x",null],"a":[1,2,3],"m":[1],"mi":{"x":"a"},"p":"s","in":{"x":"s"},"pin":null,"t":5,"d":"x","ss":null}`,
	`{"V":null,"M":null,"P":null,"Bs":null,"A":null,"In":null,"T":null,"Ss":[],"MI":{},"Bs":[1,2,255],"PIn":{"Name":"\ud800"}}`,
	`{"\u212a":1,"S":"\u0041\u00e9\\\"\/","T":"2009-02-29T00:00:00Z","T":"2008-02-29T24:00:00Z"}`,
	`[{"A":1},"B",2,true,null]`,
	`{"T":"2009-11-10T23:00:00.123456789123Z","D":-9223372036854775808,"I":9223372036854775807,"F32":3.4028235e38,"F":-0}`,
}

// normalize gives Go's decoded value the shape the C++ one has: nil slices
// and maps as empty ones (C++ has no nil container), times in UTC.
func normalize(v reflect.Value) {
	switch v.Kind() {
	case reflect.Ptr:
		if !v.IsNil() {
			normalize(v.Elem())
		}
	case reflect.Struct:
		if t, ok := v.Interface().(time.Time); ok {
			v.Set(reflect.ValueOf(t.UTC()))
			return
		}
		for i := 0; i < v.NumField(); i++ {
			if v.Type().Field(i).IsExported() {
				normalize(v.Field(i))
			}
		}
	case reflect.Slice:
		if v.IsNil() {
			v.Set(reflect.MakeSlice(v.Type(), 0, 0))
		}
	case reflect.Map:
		if v.IsNil() {
			v.Set(reflect.MakeMap(v.Type()))
		}
	}
}

// mutationAlphabet holds bytes that keep a mutated input JSON more often
// than a random byte would.
const mutationAlphabet = "0123456789-+.eE\"[]{}:, ntfalsru\\/xA"

// decodeFields and decodeValues make the systematic part of the decode
// corpus: every value into every field, {"<field>":<value>}.
var decodeFields = []string{"B", "I", "I8", "U16", "U", "F", "F32", "S", "Bs", "V", "A", "M", "MI", "P", "In", "PIn", "T", "D", "Ss", "hidden", "pin", "\u212a"}

var decodeValues = []string{
	`null`, `true`, `0`, `-1`, `1.5`, `-0`, `1e400`, `1e-400`, `300`, `65536`, `-129`,
	`18446744073709551615`, `18446744073709551616`, `9223372036854775808`, `3.4028236e38`,
	`""`, `"x"`, `"AQID"`, `"AQ=="`, `"A"`, `"2009-11-10T23:00:00Z"`, `"\u00e9\ud800"`,
	`[]`, `[null]`, `[1,"x",3]`, `[1,2,3]`, `[300]`, `[[1]]`, `{}`, `{"X":"s"}`, `{"x":1,"name":"n"}`,
	`{"1":"a","x":"b"}`, `{"k":1.5}`, `[{"X":1}]`, `{"a":null}`,
}

func decodeOne(in []byte) {
	t := Target{}
	err := json.Unmarshal(in, &t)
	normalize(reflect.ValueOf(&t))
	b, merr := json.Marshal(t)
	if merr != nil {
		b = []byte("ERR " + merr.Error())
	}
	fmt.Fprintf(out, "dec\t%s\t%s\t%s\n", esc(string(in)), errStr(err), b)
}

func decodeCorpus() {
	for _, f := range decodeFields {
		for _, v := range decodeValues {
			decodeOne([]byte(`{"` + f + `":` + v + `}`))
		}
	}
	r := &rng{2}
	for _, seed := range decodeSeeds {
		for k := 0; k < 400; k++ {
			in := []byte(seed)
			switch {
			case k == 0:
			case k%4 == 0:
				in = in[:r.next()%uint64(len(in))]
			default:
				for n := r.next()%3 + 1; n > 0; n-- {
					pos := r.next() % uint64(len(in))
					if r.next()%2 == 0 {
						in[pos] = byte(r.next())
					} else {
						in[pos] = mutationAlphabet[r.next()%uint64(len(mutationAlphabet))]
					}
				}
			}
			decodeOne(in)
		}
	}
}

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: jsonpeer serve|client ADDR [PREFIX...]|rawclient ADDR|corpus")
		os.Exit(2)
	}
	switch os.Args[1] {
	case "serve":
		serve()
	case "client":
		only = os.Args[3:]
		clientChecks(os.Args[2])
	case "rawclient":
		rawClient(os.Args[2])
	case "corpus":
		encodeCorpus()
		decodeCorpus()
		out.Flush()
	default:
		fmt.Fprintf(os.Stderr, "unknown mode %q\n", os.Args[1])
		os.Exit(2)
	}
}
