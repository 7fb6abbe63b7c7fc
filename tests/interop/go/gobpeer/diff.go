package main

import (
	"bytes"
	"encoding"
	"encoding/gob"
	"fmt"
	"math"
	"reflect"
	"time"
)

// maxDiffs bounds the report: past it, more lines only hide the first cause.
const maxDiffs = 20

var (
	timeType            = reflect.TypeOf(time.Time{})
	binaryMarshalerType = reflect.TypeOf((*encoding.BinaryMarshaler)(nil)).Elem()
	gobEncoderType      = reflect.TypeOf((*gob.GobEncoder)(nil)).Elem()
	tooManyDiffs        = fmt.Sprintf("(more than %d differences; stopped)", maxDiffs)
)

// diff compares a decoded value with the expected one and describes each
// difference as "path: got X, want Y". It is reflect.DeepEqual made precise:
// floats compare by bit pattern (so -0 differs from +0 and NaN equals the same
// NaN), time.Time by instant and zone offset (Equal plus Zone), and other
// GobEncoder and BinaryMarshaler types by their encoded bytes.
func diff(got, want reflect.Value) []string {
	var out []string
	walk("value", got, want, &out)
	return out
}

func walk(path string, got, want reflect.Value, out *[]string) {
	if len(*out) >= maxDiffs {
		if (*out)[len(*out)-1] != tooManyDiffs {
			*out = append(*out, tooManyDiffs)
		}
		return
	}
	report := func(format string, args ...interface{}) {
		*out = append(*out, path+": "+fmt.Sprintf(format, args...))
	}
	if got.Type() != want.Type() {
		report("got type %v, want %v", got.Type(), want.Type())
		return
	}
	t := want.Type()
	if t == timeType {
		g, w := got.Interface().(time.Time), want.Interface().(time.Time)
		_, goff := g.Zone()
		_, woff := w.Zone()
		if !g.Equal(w) || goff != woff {
			report("got %v, want %v", g.Format(time.RFC3339Nano), w.Format(time.RFC3339Nano))
		}
		return
	}
	// Pointers to external types are followed first (a nil one has no bytes).
	if k := t.Kind(); k != reflect.Ptr && k != reflect.Interface && want.CanInterface() &&
		(t.Implements(gobEncoderType) || t.Implements(binaryMarshalerType)) {
		g, gerr := externalBytes(got)
		w, werr := externalBytes(want)
		if gerr != nil || werr != nil || !bytes.Equal(g, w) {
			report("got %x (%v), want %x (%v)", g, gerr, w, werr)
		}
		return
	}
	switch want.Kind() {
	case reflect.Bool:
		if got.Bool() != want.Bool() {
			report("got %v, want %v", got.Bool(), want.Bool())
		}
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		if got.Int() != want.Int() {
			report("got %d, want %d", got.Int(), want.Int())
		}
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		if got.Uint() != want.Uint() {
			report("got %d, want %d", got.Uint(), want.Uint())
		}
	case reflect.Float32, reflect.Float64:
		if !sameFloat(t.Kind(), got.Float(), want.Float()) {
			report("got %v (bits %#x), want %v (bits %#x)", got.Float(),
				math.Float64bits(got.Float()), want.Float(), math.Float64bits(want.Float()))
		}
	case reflect.Complex64, reflect.Complex128:
		g, w := got.Complex(), want.Complex()
		k := reflect.Float64
		if t.Kind() == reflect.Complex64 {
			k = reflect.Float32
		}
		if !sameFloat(k, real(g), real(w)) || !sameFloat(k, imag(g), imag(w)) {
			report("got %v, want %v", g, w)
		}
	case reflect.String:
		if got.String() != want.String() {
			report("got %q, want %q", got.String(), want.String())
		}
	case reflect.Slice:
		if got.IsNil() != want.IsNil() {
			report("got %s, want %s", nilOrEmpty(got), nilOrEmpty(want))
			return
		}
		fallthrough
	case reflect.Array:
		if got.Len() != want.Len() {
			report("got length %d, want %d", got.Len(), want.Len())
			return
		}
		for i := 0; i < want.Len(); i++ {
			walk(fmt.Sprintf("%s[%d]", path, i), got.Index(i), want.Index(i), out)
		}
	case reflect.Map:
		if got.IsNil() != want.IsNil() {
			report("got %s, want %s", nilOrEmpty(got), nilOrEmpty(want))
			return
		}
		iter := want.MapRange()
		for iter.Next() {
			k := iter.Key()
			g := got.MapIndex(k)
			kpath := fmt.Sprintf("%s[%#v]", path, k.Interface())
			if !g.IsValid() {
				*out = append(*out, kpath+": missing")
				continue
			}
			walk(kpath, g, iter.Value(), out)
		}
		iter = got.MapRange()
		for iter.Next() {
			if !want.MapIndex(iter.Key()).IsValid() {
				*out = append(*out, fmt.Sprintf("%s[%#v]: unexpected entry", path, iter.Key().Interface()))
			}
		}
	case reflect.Ptr, reflect.Interface:
		if got.IsNil() || want.IsNil() {
			if got.IsNil() != want.IsNil() {
				report("got %s, want %s", describeNil(got), describeNil(want))
			}
			return
		}
		walk(path, got.Elem(), want.Elem(), out)
	case reflect.Struct:
		for i := 0; i < t.NumField(); i++ {
			walk(path+"."+t.Field(i).Name, got.Field(i), want.Field(i), out)
		}
	case reflect.Func, reflect.Chan:
		if got.IsNil() != want.IsNil() {
			report("got %s, want %s", describeNil(got), describeNil(want))
		}
	default:
		report("cannot compare kind %v", t.Kind())
	}
}

// sameFloat compares two floats of kind k by bit pattern.
func sameFloat(k reflect.Kind, a, b float64) bool {
	if k == reflect.Float32 {
		return math.Float32bits(float32(a)) == math.Float32bits(float32(b))
	}
	return math.Float64bits(a) == math.Float64bits(b)
}

// externalBytes returns what a GobEncoder or BinaryMarshaler makes of v.
func externalBytes(v reflect.Value) ([]byte, error) {
	switch x := v.Interface().(type) {
	case gob.GobEncoder:
		return x.GobEncode()
	case encoding.BinaryMarshaler:
		return x.MarshalBinary()
	}
	return nil, fmt.Errorf("%v is not an external type", v.Type())
}

func nilOrEmpty(v reflect.Value) string {
	if v.IsNil() {
		return "nil"
	}
	return fmt.Sprintf("non-nil with %d elements", v.Len())
}

func describeNil(v reflect.Value) string {
	if v.IsNil() {
		return "nil"
	}
	if v.Kind() == reflect.Interface {
		return fmt.Sprintf("a %v", v.Elem().Type())
	}
	return "non-nil"
}
