// Command gobbench measures Go's encoding/gob on the value that
// //netrpc/gob:gob_benchmark measures, so tools/bench/gob/run.sh can print
// the two side by side.
//
// Both sides measure a warmed stream: the Encoder has already sent the type
// definitions and the Decoder has already received them, as on a long-lived
// net/rpc connection. Encode appends one value message to a buffer that is
// reset each time; Decode reads one value message into a fresh value.
//
// Output: one line per benchmark, tab-separated:
//
//	NAME	NS_PER_OP	ALLOCS_PER_OP	BYTES_PER_OP
package main

import (
	"bytes"
	"encoding/gob"
	"flag"
	"fmt"
	"io"
	"os"
	"testing"
)

// Inner and Value are the benchmark's value shape; gob_benchmark.cc declares
// the same fields (names, order, kinds) for its C++ struct.
type Inner struct {
	Name  string
	Score float64
}

type Value struct {
	ID    int64
	Count int32
	Flags uint64
	Name  string
	Nums  []int64
	Sub   Inner
	Attrs map[string]int64
}

func sample() Value {
	return Value{
		ID:    1234567,
		Count: -42,
		Flags: 0xdeadbeef,
		Name:  "netrpc-gateway benchmark value",
		Nums:  []int64{1, -2, 3, 400, -5000, 60000, -700000, 8000000, -90000000, 1 << 40},
		Sub:   Inner{Name: "inner", Score: 0.75},
		Attrs: map[string]int64{"alpha": 1, "beta": -2, "gamma": 300},
	}
}

// repeater is an endless stream: head once, then body over and over.
type repeater struct {
	head, body []byte
	pos        int
}

func (r *repeater) Read(p []byte) (int, error) {
	n := 0
	for n < len(p) {
		if len(r.head) > 0 {
			c := copy(p[n:], r.head)
			r.head = r.head[c:]
			n += c
			continue
		}
		c := copy(p[n:], r.body[r.pos:])
		r.pos = (r.pos + c) % len(r.body)
		n += c
	}
	return n, nil
}

func benchEncode(b *testing.B) {
	v := sample()
	var buf bytes.Buffer
	enc := gob.NewEncoder(&buf)
	if err := enc.Encode(&v); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		buf.Reset()
		if err := enc.Encode(&v); err != nil {
			b.Fatal(err)
		}
	}
}

func benchDecode(b *testing.B) {
	v := sample()
	var buf bytes.Buffer
	enc := gob.NewEncoder(&buf)
	if err := enc.Encode(&v); err != nil {
		b.Fatal(err)
	}
	head := append([]byte(nil), buf.Bytes()...) // type definitions + first value
	buf.Reset()
	if err := enc.Encode(&v); err != nil {
		b.Fatal(err)
	}
	var r io.Reader = &repeater{head: head, body: append([]byte(nil), buf.Bytes()...)}
	dec := gob.NewDecoder(r)
	var warm Value
	if err := dec.Decode(&warm); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		var out Value
		if err := dec.Decode(&out); err != nil {
			b.Fatal(err)
		}
	}
}

func main() {
	only := flag.String("run", "", "run only the benchmark with this name")
	flag.Parse()
	benchmarks := []struct {
		name string
		fn   func(*testing.B)
	}{
		{"Encode", benchEncode},
		{"Decode", benchDecode},
	}
	for _, bm := range benchmarks {
		if *only != "" && *only != bm.name {
			continue
		}
		r := testing.Benchmark(bm.fn)
		if r.N == 0 {
			fmt.Fprintf(os.Stderr, "gobbench: %s failed\n", bm.name)
			os.Exit(1)
		}
		fmt.Printf("%s\t%d\t%d\t%d\n", bm.name, r.NsPerOp(), r.AllocsPerOp(), r.AllocedBytesPerOp())
	}
}
