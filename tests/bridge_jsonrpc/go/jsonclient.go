// jsonclient is a legacy Go net/rpc/jsonrpc client of Shop (direction 1):
// it calls the bridge at -addr and prints one "PASS <check>" or
// "FAIL <check>: <why>" line per check.
package main

import (
	"errors"
	"flag"
	"fmt"
	"net/rpc"
	"net/rpc/jsonrpc"
	"os"
	"strings"
)

// OrderSmall64 sends Small past int32's range.
type OrderSmall64 struct {
	OrderID int64
	Small   int64
}

// OrderExtra has a field the proto lacks.
type OrderExtra struct {
	OrderID int64
	Coupon  string
}

// OrderLower spells the keys in lower case.
type OrderLower struct {
	OrderID  int64  `json:"orderid"`
	Customer string `json:"CUSTOMER"`
}

// OrderWrongType sends a number where a string belongs.
type OrderWrongType struct {
	Customer int
}

func main() {
	addr := flag.String("addr", "", "bridge address")
	flag.Parse()
	client, err := jsonrpc.Dial("tcp", *addr)
	if err != nil {
		fmt.Println("FAIL dial:", err)
		os.Exit(1)
	}
	defer client.Close()

	check := func(name string, err error) {
		if err != nil {
			fmt.Printf("FAIL %s: %s\n", name, strings.ReplaceAll(err.Error(), "\n", " | "))
		} else {
			fmt.Printf("PASS %s\n", name)
		}
	}
	wantError := func(err error, want string) error {
		if err == nil {
			return errors.New("no error")
		}
		if _, ok := err.(rpc.ServerError); !ok {
			return fmt.Errorf("not a ServerError: %T %v", err, err)
		}
		if err.Error() != want {
			return fmt.Errorf("error %q, want %q", err.Error(), want)
		}
		return nil
	}

	{
		var reply Order
		err := client.Call("Shop.Echo", canonicalOrder(), &reply)
		if err == nil {
			err = same(canonicalOrder(), reply)
		}
		check("echo canonical order", err)
	}
	{
		var reply Order
		err := client.Call("Shop.Echo", Order{}, &reply)
		if err == nil {
			err = same(Order{}, reply)
		}
		check("echo zero order", err)
	}
	{
		var n int
		err := client.Call("Shop.Lines", canonicalOrder(), &n)
		if err == nil && n != 2 {
			err = fmt.Errorf("got %d lines, want 2", n)
		}
		check("lines is a non-struct reply", err)
	}
	{
		var reply Order
		err := client.Call("Shop.Fail", FailRequest{Code: 2, Message: "out of stock"}, &reply)
		check("UNKNOWN arrives as its message alone", wantError(err, "out of stock"))
		err = client.Call("Shop.Fail", FailRequest{Code: 5, Message: "no such order"}, &reply)
		check("NOT_FOUND arrives as Go gRPC's text",
			wantError(err, "rpc error: code = NotFound desc = no such order"))
	}
	{
		var reply Order
		err := client.Call("Shop.Echo", OrderSmall64{OrderID: 1, Small: 3000000000}, &reply)
		check("int32 out of range", wantError(err,
			"bridge: value 3000000000 out of range for shop.v1.Order.small (int32)"))
	}
	{
		var reply Order
		err := client.Call("Shop.Echo", OrderExtra{OrderID: 1, Coupon: "x"}, &reply)
		check("unknown key refused", wantError(err,
			`bridge: JSON key "Coupon" of Order names no field of the mapped type; `+
				`add the field to the proto, declare its Go name (go_name option or `+
				`field_names in the config), or set unknown_fields: DROP_AND_COUNT`))
	}
	{
		var reply Order
		err := client.Call("Shop.Echo", OrderLower{OrderID: 5, Customer: "c"}, &reply)
		if err == nil {
			err = same(Order{OrderID: 5, Customer: "c"}, reply)
		}
		check("keys match ignoring case", err)
	}
	{
		var reply Order
		err := client.Call("Shop.Echo", OrderWrongType{Customer: 5}, &reply)
		check("wrong JSON type names the field", wantError(err,
			"json: cannot unmarshal number into Go struct field Order.Customer of type string"))
	}
	{
		var reply Order
		err := client.Call("Shop.Nope", Order{}, &reply)
		check("unknown method", wantError(err, "rpc: can't find method Shop.Nope"))
	}
	{
		var reply Order
		want := Order{OrderID: 9, Parent: &Order{Parent: &Order{Customer: "deep"}}}
		err := client.Call("Shop.Echo", want, &reply)
		if err == nil {
			err = same(want, reply)
		}
		check("connection still good after errors", err)
	}
}
