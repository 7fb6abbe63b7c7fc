// Copyright netrpc-gateway authors. Licensed under the BSD-style licence of Go.
//
// File: types.h
//
// The argument and reply types of Go's net/rpc examples and tests, with
// their gob bindings: Args and Quotient from the package documentation,
// Reply from server_test.go. Named in package "rpc", as server_test.go
// declares them, so /debug/rpc reads as a Go server's ("*rpc.Args"); gob
// sends only the bare names.

#ifndef NETRPC_EXAMPLES_TYPES_H_
#define NETRPC_EXAMPLES_TYPES_H_

#include <cstdint>

#include "netrpc/gob/bind.h"

namespace netrpc::examples {

struct Args {
  int64_t A = 0;
  int64_t B = 0;
};

struct Quotient {
  int64_t Quo = 0;
  int64_t Rem = 0;
};

struct Reply {
  int64_t C = 0;
};

NETRPC_GOB_STRUCT_NAMED(Args, "rpc.Args", A, B);
NETRPC_GOB_STRUCT_NAMED(Quotient, "rpc.Quotient", Quo, Rem);
NETRPC_GOB_STRUCT_NAMED(Reply, "rpc.Reply", C);

}  // namespace netrpc::examples

#endif  // NETRPC_EXAMPLES_TYPES_H_
