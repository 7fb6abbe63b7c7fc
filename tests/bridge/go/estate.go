// The Go types of the imagined legacy estate, declared as its Go programs
// declare them (no generated code, Go's own spellings: UserID, time.Time,
// time.Duration, *User), and the canonical values both Go peers and the C++
// tests agree on (estate_values.cc builds the same values as protobuf
// messages).
//
// This file is compiled into both Go peers, userclient and userserver,
// together with the peer's own main file (see ../BUILD.bazel).

package main

import (
	"fmt"
	"math"
	"reflect"
	"time"
)

type Role int32

const (
	RoleUnspecified Role = iota
	RoleReader
	RoleAdmin
)

type Geo struct {
	Lat, Lng float64
}

type Address struct {
	Street string
	City   string
	Geo    Geo
}

type Device struct {
	Model string
	Seen  time.Time
}

type User struct {
	UserID  int64
	Name    string
	Role    Role
	Active  bool
	Score   float64
	Ratio   float32
	Avatar  []byte
	Tags    []string
	Lucky   []int32
	Home    Address
	Past    []Address
	Quota   map[string]int64
	Devices map[int32]Device
	Created time.Time
	Session time.Duration
	Manager *User
}

type Widths struct {
	I32  int32
	I64  int64
	Si32 int32
	Si64 int64
	Sf32 int32
	Sf64 int64
	U32  uint32
	U64  uint64
	Fx32 uint32
	Fx64 uint64
	Fl32 float32
	Fl64 float64
	Span time.Duration
	At   time.Time
}

type FailRequest struct {
	Code    int32
	Message string
}

type Nap struct {
	Duration time.Duration
}

// Args and Quotient are the types of Go's net/rpc documentation (Arith).
type Args struct {
	A, B int
}

type Quotient struct {
	Quo, Rem int
}

// CanonicalUserID marks the canonical user: a server receiving it checks it
// field by field.
const CanonicalUserID = 42

// canonicalUser is a User with every field set, in C++ estate_values.cc's
// CanonicalUser. Every value struct (Home, Past[i], Geo) is non-zero:
// Go sends a zero value struct anyway, which protobuf would see as a set
// message field.
func canonicalUser() User {
	cet := time.FixedZone("CET", 3600)
	return User{
		UserID: CanonicalUserID,
		Name:   "Rob ✓",
		Role:   RoleAdmin,
		Active: true,
		Score:  math.Pi,
		Ratio:  0.1,
		Avatar: []byte{0, 1, 0xff},
		Tags:   []string{"go", "", "ünïcode"},
		Lucky:  []int32{math.MinInt32, 0, 7},
		Home:   Address{Street: "1 Main St", City: "Sydney", Geo: Geo{-33.8688, 151.2093}},
		Past: []Address{
			{Street: "600 Mountain Ave", City: "Murray Hill", Geo: Geo{40.68, -74.40}},
			{City: "Mountain View", Geo: Geo{Lat: 37.42}},
		},
		Quota: map[string]int64{"disk": 1 << 40, "cpu": -3, "zero": 0},
		Devices: map[int32]Device{
			-1: {Model: "pager"},
			7:  {Model: "phone", Seen: time.Date(2023, 3, 1, 12, 0, 0, 5, cet)},
		},
		Created: time.Date(2009, 11, 10, 23, 0, 0, 123456789, time.UTC),
		Session: 36*time.Hour + 1,
		Manager: &User{
			UserID: 7,
			Name:   "Ken",
			Role:   RoleReader,
			Home:   Address{City: "Berkeley", Geo: Geo{Lng: 1}},
		},
	}
}

// widthsMin and widthsMax hold every field at its type's limit (unsigned
// minimums are 0). Timestamps span years 1 to 9999; year 1's first instant
// is Go's zero time, which gob does not send, hence the nanosecond.
func widthsMin() Widths {
	return Widths{
		I32: math.MinInt32, I64: math.MinInt64,
		Si32: math.MinInt32, Si64: math.MinInt64,
		Sf32: math.MinInt32, Sf64: math.MinInt64,
		Fl32: -math.MaxFloat32, Fl64: -math.MaxFloat64,
		Span: math.MinInt64,
		At:   time.Date(1, 1, 1, 0, 0, 0, 1, time.UTC),
	}
}

func widthsMax() Widths {
	return Widths{
		I32: math.MaxInt32, I64: math.MaxInt64,
		Si32: math.MaxInt32, Si64: math.MaxInt64,
		Sf32: math.MaxInt32, Sf64: math.MaxInt64,
		U32: math.MaxUint32, U64: math.MaxUint64,
		Fx32: math.MaxUint32, Fx64: math.MaxUint64,
		Fl32: math.MaxFloat32, Fl64: math.MaxFloat64,
		Span: math.MaxInt64,
		At:   time.Date(9999, 12, 31, 23, 59, 59, 999999999, time.UTC),
	}
}

// widthsTiny holds the smallest positive floats (denormals).
func widthsTiny() Widths {
	return Widths{Fl32: math.SmallestNonzeroFloat32, Fl64: math.SmallestNonzeroFloat64}
}

var timeType = reflect.TypeOf(time.Time{})

// diff returns "" if want and got are equal, else where they first differ.
// It is reflect.DeepEqual except that times are equal when they are the same
// instant (protobuf keeps no zone), and a nil slice or map equals an empty
// one (gob sends neither). got may also be a pointer to want's type.
func diff(want, got interface{}) string {
	w, g := reflect.ValueOf(want), reflect.ValueOf(got)
	if g.Kind() == reflect.Pointer && w.Type() == g.Type().Elem() {
		g = g.Elem()
	}
	return diffValues("", w, g)
}

func diffValues(path string, w, g reflect.Value) string {
	if w.Type() == timeType {
		wt, gt := w.Interface().(time.Time), g.Interface().(time.Time)
		if !wt.Equal(gt) {
			return fmt.Sprintf("%s: want %v, got %v", path, wt, gt)
		}
		return ""
	}
	switch w.Kind() {
	case reflect.Pointer:
		if w.IsNil() || g.IsNil() {
			if w.IsNil() != g.IsNil() {
				return fmt.Sprintf("%s: want %v, got %v", path, w, g)
			}
			return ""
		}
		return diffValues(path, w.Elem(), g.Elem())
	case reflect.Struct:
		for i := 0; i < w.NumField(); i++ {
			name := path + "." + w.Type().Field(i).Name
			if d := diffValues(name, w.Field(i), g.Field(i)); d != "" {
				return d
			}
		}
		return ""
	case reflect.Slice:
		if w.Len() != g.Len() {
			return fmt.Sprintf("%s: want %d elements, got %d", path, w.Len(), g.Len())
		}
		for i := 0; i < w.Len(); i++ {
			if d := diffValues(fmt.Sprintf("%s[%d]", path, i), w.Index(i), g.Index(i)); d != "" {
				return d
			}
		}
		return ""
	case reflect.Map:
		if w.Len() != g.Len() {
			return fmt.Sprintf("%s: want %d entries, got %d", path, w.Len(), g.Len())
		}
		for _, k := range w.MapKeys() {
			gv := g.MapIndex(k)
			if !gv.IsValid() {
				return fmt.Sprintf("%s: key %v missing", path, k)
			}
			if d := diffValues(fmt.Sprintf("%s[%v]", path, k), w.MapIndex(k), gv); d != "" {
				return d
			}
		}
		return ""
	case reflect.Float32, reflect.Float64:
		// Bit patterns, so that -0 and +0 differ and limits are exact.
		if math.Float64bits(w.Float()) != math.Float64bits(g.Float()) {
			return fmt.Sprintf("%s: want %g, got %g", path, w.Float(), g.Float())
		}
		return ""
	default:
		if w.Interface() != g.Interface() {
			return fmt.Sprintf("%s: want %#v, got %#v", path, w.Interface(), g.Interface())
		}
		return ""
	}
}
