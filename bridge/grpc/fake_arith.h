// File: fake_arith.h
//
// FakeArith is demo.v1.Arith as a gRPC backend written with generated code
// would serve it, for tests of the bridge's gRPC ends. [testonly]
//
//   bridge::FakeArith arith;
//   grpc::ServerBuilder builder;
//   builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(),
//                            &port);
//   builder.RegisterService(&arith);
//
// Multiply multiplies, except that a == kHang never answers: the call stays
// open until the client's deadline or cancellation ends it. Divide divides,
// and answers b == 0 with INVALID_ARGUMENT "divide by zero".

#ifndef BRIDGE_GRPC_FAKE_ARITH_H_
#define BRIDGE_GRPC_FAKE_ARITH_H_

#include <cstdint>
#include <map>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"

#include "proto/demo/v1/arith.grpc.pb.h"

namespace bridge {

// FakeArith serves demo.v1.Arith. [thread-safe]
class FakeArith final : public demo::v1::Arith::CallbackService {
 public:
  // kHang as Multiply's a makes the call hang until cancelled.
  static constexpr int64_t kHang = -424242;

  // last_metadata returns the client metadata of the last call.
  std::multimap<std::string, std::string> last_metadata() const
      ABSL_LOCKS_EXCLUDED(mu_);

 private:
  grpc::ServerUnaryReactor* Multiply(grpc::CallbackServerContext* context,
                                     const demo::v1::Args* args,
                                     demo::v1::Product* product) override;
  grpc::ServerUnaryReactor* Divide(grpc::CallbackServerContext* context,
                                   const demo::v1::Args* args,
                                   demo::v1::Quotient* quotient) override;

  void Record(const grpc::CallbackServerContext& context)
      ABSL_LOCKS_EXCLUDED(mu_);

  mutable absl::Mutex mu_;
  std::multimap<std::string, std::string> last_metadata_ ABSL_GUARDED_BY(mu_);
};

}  // namespace bridge

#endif  // BRIDGE_GRPC_FAKE_ARITH_H_
