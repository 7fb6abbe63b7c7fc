// Copyright netrpc-gateway authors. Licensed under the BSD-style licence of Go.
//
// File: test_types.h
//
// The argument and reply types of Go's net/rpc tests (server_test.go), with
// their wire bindings, shared by netrpc's unit tests. Test-only.

#ifndef NETRPC_TEST_TYPES_H_
#define NETRPC_TEST_TYPES_H_

#include <cstdint>

#include "netrpc/go_type.h"

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

}  // namespace netrpc::test_types

NETRPC_GO_NAME(netrpc::test_types::Args, "Args");
NETRPC_GO_NAME(netrpc::test_types::Reply, "Reply");
NETRPC_GO_NAME(netrpc::test_types::local, "local");

#endif  // NETRPC_TEST_TYPES_H_
