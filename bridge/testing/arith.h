// File: arith.h
//
// Test fixtures for the bridge's in-process tests, around the demo Arith
// service: the gRPC backend (the "new" service), its Schema as the bridge
// would load it at run time, and the Go documentation's structs as a legacy
// net/rpc client or server declares them.

#ifndef BRIDGE_TESTING_ARITH_H_
#define BRIDGE_TESTING_ARITH_H_

#include <cstdint>
#include <memory>
#include <vector>

#include "bridge/backend.h"
#include "bridge/mapping.h"
#include "bridge/schema/schema.h"
#include "google/protobuf/descriptor.pb.h"
#include "grpcpp/grpcpp.h"
#include "netrpc/gob/fields.h"
#include "proto/demo/v1/arith.grpc.pb.h"

namespace bridge_testing {

// Args and Quotient are Go's `type Args struct{ A, B int }` and
// `type Quotient struct{ Quo, Rem int }`.
struct Args {
  int64_t A = 0;
  int64_t B = 0;
};
NETRPC_GOB_STRUCT(Args, A, B);

struct Quotient {
  int64_t Quo = 0;
  int64_t Rem = 0;
};
NETRPC_GOB_STRUCT(Quotient, Quo, Rem);

// ArgsPlus is an Args with a field the proto does not have.
struct ArgsPlus {
  int64_t A = 0;
  int64_t B = 0;
  int64_t C = 0;
};
NETRPC_GOB_STRUCT_NAMED(ArgsPlus, "Args", A, B, C);

// ArithBackend is the gRPC Arith, with errors as a Go gRPC server sends them:
// Divide by zero is UNKNOWN "divide by zero", a negative divisor NOT_FOUND,
// and Multiply with A == kHang waits until the call is cancelled.
class ArithBackend final : public demo::v1::Arith::Service {
 public:
  static constexpr int64_t kHang = -1;

  grpc::Status Multiply(grpc::ServerContext* ctx, const demo::v1::Args* a,
                        demo::v1::Product* p) override;
  grpc::Status Divide(grpc::ServerContext* ctx, const demo::v1::Args* a,
                      demo::v1::Quotient* q) override;
};

// ClockFiles is a small schema whose file imports another (clock.proto,
// importing google/protobuf/timestamp.proto), for tests of how imports
// travel. The importing file comes first.
std::vector<google::protobuf::FileDescriptorProto> ClockFiles();

// ArithSchema is the demo proto as a run-time Schema (descriptors copied out
// of the compiled-in pool, as a descriptor-set file would give them).
std::shared_ptr<const bridge::Schema> ArithSchema();

// ArithMapping is the demo's bridge config over ArithSchema(): net/rpc
// "Arith" is demo.v1.Arith, with Product unwrapped (Go's `reply *int`).
std::shared_ptr<const bridge::Mapping> ArithMapping();

// MultiplyCall is a Backend call of Arith.Multiply(a, b) that owns its
// request (call.request points into it; moving keeps it valid).
struct MultiplyCall {
  // On the heap, so that a move does not move the bytes (as a short
  // std::string's would).
  std::unique_ptr<std::string> request;
  bridge::BackendCall call;
};

// NewMultiplyCall makes one on mapping, with protocol "netrpc" and a 5s
// deadline.
MultiplyCall NewMultiplyCall(std::shared_ptr<const bridge::Mapping> mapping,
                             int64_t a, int64_t b);

// ProductOf is a Multiply response's product, or its status.
absl::StatusOr<int64_t> ProductOf(const absl::StatusOr<std::string>& r);

}  // namespace bridge_testing

#endif  // BRIDGE_TESTING_ARITH_H_
