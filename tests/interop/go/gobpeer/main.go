// Command gobpeer is the real encoding/gob for interop tests: it writes gob
// streams of a corpus of values that covers every gob kind, and checks that a
// stream someone else wrote decodes, into the original Go types, to exactly
// those values.
//
// Usage:
//
//	gobpeer list            # the case names, one a line, in corpus order
//	gobpeer encode          # every case, one after another, on one Encoder
//	gobpeer encode CASE     # one case on a fresh Encoder (in a fresh process,
//	                        # so type ids start at 65 as in any new Go program)
//	gobpeer verify [CASE]   # read a stream from stdin and check it holds
//	                        # exactly the values `encode [CASE]` writes
//	gobpeer count [CASE]    # decode a stream that may stop early (a
//	                        # truncated one): print how many values it
//	                        # holds, and exit 1 if it does not end cleanly
//	                        # between two values
//
// verify prints "ok: N values" and exits 0, or prints each difference (with
// the path to the differing field) to stderr and exits 1. A stream with fewer
// or more values than expected, or one Go cannot decode, is a failure too.
package main

import (
	"bufio"
	"encoding/gob"
	"fmt"
	"io"
	"os"
	"reflect"
	"strings"
)

func usage() {
	fmt.Fprintln(os.Stderr, "usage: gobpeer list | encode [CASE] | verify [CASE] | count [CASE]")
	os.Exit(2)
}

// selectCases returns every case, or the one named by args[0].
func selectCases(args []string) []gobCase {
	switch len(args) {
	case 0:
		return corpus
	case 1:
		for _, c := range corpus {
			if c.name == args[0] {
				return []gobCase{c}
			}
		}
		fmt.Fprintf(os.Stderr, "gobpeer: unknown case %q (see gobpeer list)\n", args[0])
		os.Exit(2)
	}
	usage()
	return nil
}

func encode(cases []gobCase) error {
	w := bufio.NewWriter(os.Stdout)
	enc := gob.NewEncoder(w)
	for _, c := range cases {
		for i, v := range c.values {
			if err := enc.Encode(v); err != nil {
				return fmt.Errorf("encode case %s value %d (%T): %v", c.name, i, v, err)
			}
		}
	}
	return w.Flush()
}

// decodeAll decodes the expected values of cases from r, in order, into their
// own types, until the values or the stream run out. It returns the values
// decoded and the error that stopped it: nil at a clean end of stream (between
// two values), else Go's decoding error.
func decodeAll(cases []gobCase, r io.Reader) ([]reflect.Value, error) {
	dec := gob.NewDecoder(bufio.NewReader(r))
	var got []reflect.Value
	for _, c := range cases {
		for i, want := range c.expected() {
			v := reflect.New(reflect.TypeOf(want))
			if err := dec.Decode(v.Interface()); err != nil {
				if err == io.EOF {
					return got, nil
				}
				return got, fmt.Errorf("case %s value %d (%T): %v", c.name, i, want, err)
			}
			got = append(got, v.Elem())
		}
	}
	// Decoding into the zero Value discards a value of any type.
	switch err := dec.DecodeValue(reflect.Value{}); err {
	case io.EOF:
		return got, nil
	case nil:
		return got, fmt.Errorf("stream has more than the %d values expected", len(got))
	default:
		return got, fmt.Errorf("after the %d values expected: %v", len(got), err)
	}
}

// verify checks that r holds exactly the expected values of cases and
// returns the number of values decoded and every problem found.
func verify(cases []gobCase, r io.Reader) (int, []string) {
	got, err := decodeAll(cases, r)
	total := 0
	for _, c := range cases {
		total += len(c.expected())
	}
	var problems []string
	n := 0
	for _, c := range cases {
		for i, want := range c.expected() {
			if n == len(got) {
				if err == nil {
					err = fmt.Errorf("stream ended after %d values, want %d", n, total)
				}
				return len(got), append(problems, err.Error())
			}
			where := fmt.Sprintf("case %s value %d (%T)", c.name, i, want)
			for _, d := range diff(got[n], reflect.ValueOf(want)) {
				problems = append(problems, fmt.Sprintf("%s: %s", where, d))
			}
			n++
		}
	}
	if err != nil {
		problems = append(problems, err.Error())
	}
	return len(got), problems
}

func main() {
	if len(os.Args) < 2 {
		usage()
	}
	switch os.Args[1] {
	case "list":
		for _, c := range corpus {
			fmt.Println(c.name)
		}
	case "encode":
		if err := encode(selectCases(os.Args[2:])); err != nil {
			fmt.Fprintf(os.Stderr, "gobpeer: %v\n", err)
			os.Exit(1)
		}
	case "count":
		got, err := decodeAll(selectCases(os.Args[2:]), os.Stdin)
		fmt.Println(len(got))
		if err != nil {
			fmt.Fprintf(os.Stderr, "gobpeer: %v\n", err)
			os.Exit(1)
		}
	case "verify":
		n, problems := verify(selectCases(os.Args[2:]), os.Stdin)
		if len(problems) > 0 {
			fmt.Fprintf(os.Stderr, "gobpeer: verify failed after %d values:\n  %s\n",
				n, strings.Join(problems, "\n  "))
			os.Exit(1)
		}
		fmt.Printf("ok: %d values\n", n)
	default:
		usage()
	}
}
