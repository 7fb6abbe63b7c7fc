package main

import (
	"encoding/gob"
	"fmt"
	"math"
	"strings"
	"time"
)

// gobCase is one named group of values, encoded in order on one Encoder.
type gobCase struct {
	name   string
	values []interface{}
	// want, if set, is what a decoder of values must produce instead of
	// values themselves: fields that never reach the wire (unexported, chan,
	// func) come back zero.
	want []interface{}
}

func (c gobCase) expected() []interface{} {
	if c.want != nil {
		return c.want
	}
	return c.values
}

// Every value below survives a Go-to-Go round trip exactly (gob_corpus_test
// checks it), so any difference seen after another implementation handled
// the stream is that implementation's. Hence: no -0 or pointer to a zero
// value inside structs (gob omits both, and they come back +0 and nil), and
// no empty slices (they come back nil).

type Point struct{ X, Y int }

type IntLimits struct {
	I    int
	I8   int8
	I16  int16
	I32  int32
	I64  int64
	U    uint
	U8   uint8
	U16  uint16
	U32  uint32
	U64  uint64
	Uptr uintptr
}

type Floats struct {
	F32  float32
	F64  float64
	C64  complex64
	C128 complex128
}

type Bools struct{ T, F bool }

type Strings struct {
	ASCII   string
	Unicode string
	Invalid string // not UTF-8: gob does not care
	Long    string // longer than 127 bytes: a two-byte length
}

// Blob is a named []byte: still gob's bytes.
type Blob []byte

type Bytes struct {
	All   []byte
	Small []byte
	Named Blob
}

type Slices struct {
	Ints    []int
	Strs    []string
	Points  []Point
	Nested  [][]int
	Ptrs    []*Point
	Floats  []float64
	Bools   []bool
	U16s    []uint16
	Structs []Inner
}

type Arrays struct {
	A3     [3]int
	S2     [2]string
	P2     [2]Point
	B4     [4]byte // an array of bytes is an array, not gob bytes
	Zero   [2]int  // arrays are sent even when all zero
	Nested [2][2]int8
}

type Maps struct {
	SI    map[string]int
	IS    map[int]string
	SP    map[string]Point
	SS    map[string][]string
	U8B   map[uint8]bool
	Empty map[string]int // empty but not nil: sent, with count 0
	Nil   map[string]int // nil: omitted
}

type StructKey struct {
	M map[Point]string
}

type Inner struct {
	Name string
	Vals []int
}

type Outer struct {
	ID    uint
	Tags  map[string]int
	Data  []byte
	Items []Inner
	Ratio float64
	Flag  bool
	Sub   Inner
	Arr   [2]int8
}

type Pointers struct {
	P     *int
	PP    **string
	PS    *Point
	Nil   *int
	PPtrs *[]int
}

// Node is a linked list: a type that refers to itself through a pointer.
type Node struct {
	Val  int
	Next *Node
}

// Tree refers to itself twice.
type Tree struct {
	Val         int
	Left, Right *Tree
}

// Dir refers to itself through a slice.
type Dir struct {
	Name     string
	Children []Dir
}

type Base struct{ X, Y int }

type Embedding struct {
	Base // an ordinary field named "Base" on the wire
	Name string
}

type Secretive struct {
	Public  int
	private string // unexported: never on the wire
	Also    string
	hidden  []int
	Ch      chan int // chan and func fields are not sent either
	Fn      func()
}

type Holder struct{ V interface{} }

// Celsius is a named non-struct type, sent inside interfaces.
type Celsius float64

type Ifaces struct {
	List []interface{}
	Map  map[string]interface{}
	Any  interface{}
}

type WithTime struct {
	When  time.Time
	Zero  time.Time // the zero time: omitted
	Local time.Time
	Ptr   *time.Time
}

// Ratio is a GobEncoder of our own (time.Time is the other).
type Ratio struct{ num, den int64 }

func (r Ratio) GobEncode() ([]byte, error) { return []byte(fmt.Sprintf("%d/%d", r.num, r.den)), nil }
func (r *Ratio) GobDecode(b []byte) error {
	_, err := fmt.Sscanf(string(b), "%d/%d", &r.num, &r.den)
	return err
}

type WithRatio struct {
	R    Ratio
	List []Ratio
}

// IPv4 is a BinaryMarshaler (and not a GobEncoder).
type IPv4 struct{ a [4]byte }

func (ip IPv4) MarshalBinary() ([]byte, error) { return ip.a[:], nil }
func (ip *IPv4) UnmarshalBinary(b []byte) error {
	if len(b) != 4 {
		return fmt.Errorf("IPv4: %d bytes", len(b))
	}
	copy(ip.a[:], b)
	return nil
}

type WithIPv4 struct {
	Addr  IPv4
	Addrs []IPv4
	Ptr   *IPv4
	ByKey map[string]IPv4
}

type Empty struct{}

type WithEmpty struct {
	E Empty // sent even though it has nothing in it
	N int
}

type Zeros struct {
	I   int
	S   string
	Sl  []int
	M   map[string]int
	Sub Point
	Arr [2]int
	F   float64
	B   bool
	P   *int
	V   interface{}
}

func init() {
	gob.Register(Point{})
	gob.Register(Holder{})
	gob.Register(Celsius(0))
	gob.Register(map[string]int{})
	gob.Register(time.Time{})
	gob.Register(IPv4{})
	gob.Register(Ratio{})
	gob.Register([]interface{}{})
}

func ptr[T any](v T) *T { return &v }

var (
	when  = time.Date(2009, 11, 10, 23, 0, 0, 123456789, time.UTC)
	india = time.Date(2023, 3, 14, 15, 9, 26, 535897932, time.FixedZone("IST", 5*3600+1800))
	west  = time.Date(1969, 7, 20, 20, 17, 40, 0, time.FixedZone("", -7*3600))
)

func allBytes() []byte {
	b := make([]byte, 256)
	for i := range b {
		b[i] = byte(i)
	}
	return b
}

func largeInts() []int {
	v := make([]int, 20000)
	for i := range v {
		v[i] = i*i - 7*i
	}
	return v
}

func tree() *Tree {
	return &Tree{Val: 1,
		Left:  &Tree{Val: 2, Left: &Tree{Val: 4}},
		Right: &Tree{Val: 3, Right: &Tree{Val: -5}},
	}
}

var corpus = []gobCase{
	{name: "point", values: []interface{}{
		Point{X: 1, Y: 2}, Point{X: -3}, Point{},
	}},
	{name: "int_fields_max", values: []interface{}{
		IntLimits{math.MaxInt, math.MaxInt8, math.MaxInt16, math.MaxInt32, math.MaxInt64,
			math.MaxUint, math.MaxUint8, math.MaxUint16, math.MaxUint32, math.MaxUint64, ^uintptr(0)},
	}},
	{name: "int_fields_min", values: []interface{}{
		IntLimits{I: math.MinInt, I8: math.MinInt8, I16: math.MinInt16, I32: math.MinInt32,
			I64: math.MinInt64, U: 1, U8: 1, U16: 1, U32: 1, U64: 1, Uptr: 1},
		IntLimits{I: -1, I8: -1, I16: 128, I32: -129, I64: 1 << 40, U: 128, U8: 127,
			U16: 256, U32: 65536, U64: 1 << 56},
	}},
	{name: "int_toplevel", values: []interface{}{
		0, 1, -1, 63, -64, 64, -65, 127, -128, 128, -129, 255, 256,
		int8(math.MinInt8), int8(math.MaxInt8), int16(math.MinInt16), int16(math.MaxInt16),
		int32(math.MinInt32), int32(math.MaxInt32), int64(math.MinInt64), int64(math.MaxInt64),
		uint8(math.MaxUint8), uint16(math.MaxUint16), uint32(math.MaxUint32),
		uint64(math.MaxUint64), uint(0), uintptr(math.MaxUint64), int(math.MinInt),
	}},
	{name: "floats", values: []interface{}{
		Floats{math.MaxFloat32, math.MaxFloat64,
			complex(math.MaxFloat32, -math.SmallestNonzeroFloat32), complex(math.MaxFloat64, 1)},
		Floats{math.SmallestNonzeroFloat32, math.SmallestNonzeroFloat64,
			complex(0, 1.5), complex(-0.1, math.SmallestNonzeroFloat64)},
		Floats{float32(math.Inf(1)), math.Inf(-1),
			complex(float32(math.Inf(-1)), 0), complex(math.NaN(), math.Inf(1))},
		Floats{F64: math.NaN()},
	}},
	{name: "float_toplevel", values: []interface{}{
		math.Copysign(0, -1), float32(math.Copysign(0, -1)), 0.0, 0.1, 1.0 / 3, -2.5,
		math.Inf(1), math.Inf(-1), math.NaN(), math.MaxFloat64, math.SmallestNonzeroFloat64,
		float32(0.1), float32(math.MaxFloat32), float32(math.SmallestNonzeroFloat32),
		complex64(complex(1.5, -2.5)), complex(math.Copysign(0, -1), math.Copysign(0, -1)),
	}},
	{name: "bools", values: []interface{}{
		Bools{T: true}, Bools{}, true, false,
	}},
	{name: "strings", values: []interface{}{
		Strings{"hello", "héllo, 世界 🌍", "\xff\xfe\x00x", strings.Repeat("gob", 100)},
		"", "∑ unicode", "a\x00b",
	}},
	{name: "bytes", values: []interface{}{
		Bytes{All: allBytes(), Small: []byte{0}, Named: Blob("named")},
		[]byte{0xde, 0xad, 0xbe, 0xef}, Blob{1},
	}},
	{name: "slices", values: []interface{}{
		Slices{
			Ints:    []int{0, -1, 1, math.MaxInt64},
			Strs:    []string{"a", "", "c"},
			Points:  []Point{{1, 2}, {}, {-1, 0}},
			Nested:  [][]int{{1, 2}, nil, {3}},
			Ptrs:    []*Point{{X: 5}, {}},
			Floats:  []float64{0, -1.5, math.Inf(1)},
			Bools:   []bool{true, false, true},
			U16s:    []uint16{0, 65535},
			Structs: []Inner{{Name: "in", Vals: []int{9}}},
		},
		[]string{"x", "y"}, [][]string{{"a"}, {"b", "c"}},
	}},
	{name: "arrays", values: []interface{}{
		Arrays{
			A3:     [3]int{1, 0, -1},
			S2:     [2]string{"", "s"},
			P2:     [2]Point{{1, 1}, {}},
			B4:     [4]byte{127, 0, 0, 1},
			Nested: [2][2]int8{{-128, 127}, {0, 1}},
		},
		[3]int{}, [2]string{"a", "b"},
	}},
	{name: "maps", values: []interface{}{
		Maps{
			SI:    map[string]int{"one": 1, "two": 2, "minus": -3},
			IS:    map[int]string{1: "a", -1: "b", 1 << 40: "c"},
			SP:    map[string]Point{"origin": {}, "p": {X: 1, Y: 2}},
			SS:    map[string][]string{"k": {"v1", "v2"}, "e": nil},
			U8B:   map[uint8]bool{0: true, 255: false},
			Empty: map[string]int{},
		},
		map[string]int{"x": 1, "y": 2, "z": 3}, map[int]string{}, map[string]float64{"pi": math.Pi},
	}},
	{name: "map_struct_key", values: []interface{}{
		StructKey{M: map[Point]string{{1, 2}: "a", {}: "origin"}},
	}},
	{name: "nested", values: []interface{}{
		Outer{
			ID:    300,
			Tags:  map[string]int{"k": -1},
			Data:  []byte{0xde, 0xad},
			Items: []Inner{{"a", []int{1, 2}}, {"", nil}},
			Ratio: 0.5,
			Flag:  true,
			Sub:   Inner{Name: "s"},
			Arr:   [2]int8{0, 5},
		},
		Outer{Sub: Inner{Vals: []int{-1}}},
	}},
	{name: "pointers", values: []interface{}{
		Pointers{P: ptr(7), PP: ptr(ptr("deep")), PS: &Point{X: 1}, PPtrs: &[]int{1, 2}},
		&Point{X: 3, Y: 4}, ptr(ptr(42)),
	}},
	{name: "recursive", values: []interface{}{
		Node{Val: 1, Next: &Node{Val: 2, Next: &Node{Val: 3}}},
		*tree(),
		Dir{Name: "/", Children: []Dir{{Name: "etc", Children: []Dir{{Name: "hosts"}}}, {Name: "tmp"}}},
	}},
	{name: "embedded", values: []interface{}{
		Embedding{Base: Base{X: 1, Y: 2}, Name: "n"},
		Embedding{Name: "zero base"},
	}},
	{name: "unexported",
		values: []interface{}{
			Secretive{Public: 1, private: "p", Also: "a", hidden: []int{1}, Ch: make(chan int), Fn: func() {}},
		},
		want: []interface{}{
			Secretive{Public: 1, Also: "a"},
		},
	},
	{name: "interface_basic", values: []interface{}{
		Holder{V: Point{1, 2}}, Holder{V: Point{3, 4}}, Holder{V: 7}, Holder{V: "s"},
		Holder{V: []string{"a", "b"}}, Holder{V: Celsius(-40)}, Holder{V: nil},
		Holder{V: map[string]int{"k": 1}}, Holder{V: uint8(200)}, Holder{V: []byte{1, 2}},
	}},
	{name: "interface_nested", values: []interface{}{
		Holder{V: Holder{V: Point{5, 6}}},
		Holder{V: Holder{V: Holder{V: "deepest"}}},
	}},
	{name: "interface_collections", values: []interface{}{
		Ifaces{
			List: []interface{}{1, "two", nil, Point{3, 3}, 4.5, true},
			Map:  map[string]interface{}{"int": 1, "point": Point{1, 1}, "nil": nil},
			Any:  []interface{}{"nested", 2},
		},
		[]interface{}{nil, "x"},
		map[string]interface{}{"a": Celsius(1.5)},
	}},
	{name: "interface_external", values: []interface{}{
		Holder{V: when}, Holder{V: IPv4{[4]byte{10, 0, 0, 1}}}, Holder{V: Ratio{1, 3}},
	}},
	{name: "time", values: []interface{}{
		WithTime{When: when, Ptr: ptr(west.UTC())},
		when, time.Time{}, []time.Time{when, west.UTC()},
	}},
	// Zone offsets other than UTC travel in time.Time's bytes too.
	{name: "time_zones", values: []interface{}{
		WithTime{When: india, Local: west, Ptr: &india},
		india, west,
	}},
	{name: "gob_encoder", values: []interface{}{
		WithRatio{R: Ratio{22, 7}, List: []Ratio{{1, 2}, {-3, 4}}},
		Ratio{355, 113},
	}},
	{name: "binary_marshaler", values: []interface{}{
		WithIPv4{
			Addr:  IPv4{[4]byte{127, 0, 0, 1}},
			Addrs: []IPv4{{[4]byte{10, 0, 0, 1}}, {[4]byte{192, 168, 1, 1}}},
			Ptr:   &IPv4{[4]byte{8, 8, 8, 8}},
			ByKey: map[string]IPv4{"lo": {[4]byte{127, 0, 0, 1}}},
		},
		IPv4{[4]byte{1, 2, 3, 4}},
	}},
	{name: "toplevel", values: []interface{}{
		3, "str", []string{"a", "b"}, map[string]int{"x": 1}, []Point{{1, 2}, {0, 0}},
		[]int{1}, map[string]Point{"p": {1, 2}}, Celsius(36.6),
	}},
	{name: "empty_struct", values: []interface{}{
		struct{}{}, Empty{}, WithEmpty{N: 1}, WithEmpty{}, []Empty{{}, {}},
	}},
	{name: "zeros", values: []interface{}{
		Zeros{}, Zeros{M: map[string]int{}}, IntLimits{}, Floats{}, Strings{}, 0, "",
	}},
	{name: "large", values: []interface{}{
		largeInts(), strings.Repeat("0123456789", 10000), Bytes{All: make([]byte, 70000)},
	}},
}
