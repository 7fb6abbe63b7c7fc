// The Go side of shop.proto: the types a legacy Go jsonrpc estate declares,
// the canonical values both sides compare against, and a deep comparison.
package main

import (
	"encoding/json"
	"fmt"
	"math"
	"reflect"
	"time"
)

type Price struct {
	Cents    int64
	Currency string
}

type Item struct {
	Sku   string
	Qty   uint32
	Price *Price
	Tags  []string
}

type Order struct {
	OrderID   int64
	Customer  string
	Items     []Item
	Notes     map[string]int64
	ByLine    map[int32]Item
	Signature []byte
	Placed    time.Time
	Ttl       time.Duration
	Paid      bool
	Total     float64
	Discount  float32
	Big       uint64
	Small     int32
	Parent    *Order
}

type FailRequest struct {
	Code    int32
	Message string
}

// CanonicalOrderID marks the canonical order for the gRPC backend.
const CanonicalOrderID = 42

// canonicalOrder is the value both sides know (the C++ twin is
// CanonicalOrder() in jsonrpc_e2e_test.cc). Empty slices and maps are nil,
// as they come back from a bridge that cannot tell empty from nil.
func canonicalOrder() Order {
	return Order{
		OrderID:  CanonicalOrderID,
		Customer: "Zoë <z@example.com> & co",
		Items: []Item{
			{Sku: "a-1", Qty: 3, Price: &Price{Cents: 1999, Currency: "EUR"}, Tags: []string{"x", ""}},
			{Sku: "b"},
		},
		Notes:     map[string]int64{"gift": 1, "zero": 0, "neg": -1 << 40},
		ByLine:    map[int32]Item{-1: {Sku: "neg"}, 7: {Sku: "seven", Qty: 7}},
		Signature: []byte{0, 1, 0xff},
		Placed:    time.Date(2023, 3, 1, 11, 0, 0, 5, time.UTC),
		Ttl:       36*time.Hour + 1,
		Paid:      true,
		Total:     math.Pi,
		Discount:  0.1,
		Big:       math.MaxUint64,
		Small:     math.MinInt32,
		Parent:    &Order{OrderID: 7, Customer: "parent", Ttl: -time.Nanosecond},
	}
}

// same compares deeply and says how the values differ.
func same(want, got interface{}) error {
	if reflect.DeepEqual(want, got) {
		return nil
	}
	w, _ := json.Marshal(want)
	g, _ := json.Marshal(got)
	return fmt.Errorf("want %s\n got %s", w, g)
}
