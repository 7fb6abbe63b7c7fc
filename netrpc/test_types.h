// Copyright netrpc-gateway authors. Licensed under the BSD-style licence of Go.
//
// File: test_types.h
//
// The argument and reply types of Go's net/rpc tests (server_test.go), with
// their wire bindings, shared by netrpc's unit tests. Test-only.

#ifndef NETRPC_TEST_TYPES_H_
#define NETRPC_TEST_TYPES_H_

#include <cstdint>

#include "netrpc/gob/bind.h"

namespace netrpc::test_types {

struct Args {
  int64_t A = 0;
  int64_t B = 0;
};

struct Reply {
  int64_t C = 0;
};

// local is an unexported Go type (lower-case name).
struct local {
  int64_t X = 0;
};

NETRPC_GOB_STRUCT_NAMED(Args, "rpc.Args", A, B);
NETRPC_GOB_STRUCT_NAMED(Reply, "rpc.Reply", C);
NETRPC_GOB_STRUCT_NAMED(local, "rpc.local", X);

}  // namespace netrpc::test_types

#endif  // NETRPC_TEST_TYPES_H_
