// Command gobbench measures Go's encoding/gob on the value that
// //netrpc/gob:gob_benchmark measures, so tools/bench/gob/run.sh can print
// the two side by side.
//
// Both sides measure a warmed stream: the Encoder has already sent the type
// definitions and the Decoder has already received them, as on a long-lived
// net/rpc connection. TypedEncode appends one value message to a buffer that
// is reset each time; TypedDecode reads one value message into a fresh value.
// The names are those of the C++ benchmarks they compare with: Go's gob
// encodes and decodes Go structs, which our typed bindings stand for. Our
// dynamic-model benchmarks have no Go counterpart.
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

// Nested and Bench are the value gob_benchmark.cc measures, field for field
// (its C++ structs are bound under these Go names), with the same contents.
type Nested struct {
	A int
	B string
}

type Bench struct {
	I  int
	U  uint64
	J  int32
	S  string
	L  []int
	N  Nested
	M  map[string]int
	F  float64
	Ok bool
}

func sample() Bench {
	return Bench{
		I:  -123456,
		U:  987654321,
		J:  42,
		S:  "Arith.Multiply",
		L:  []int{1, 2, 3, 4, 5, 6, 7, 8, 9, 10},
		N:  Nested{7, "nested"},
		M:  map[string]int{"one": 1, "two": 2, "three": 3},
		F:  3.25,
		Ok: true,
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
	var warm Bench
	if err := dec.Decode(&warm); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		var out Bench
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
		{"TypedEncode", benchEncode},
		{"TypedDecode", benchDecode},
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
