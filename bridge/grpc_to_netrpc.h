// File: grpc_to_netrpc.h
//
// Direction 2: gRPC callers reach a legacy Go net/rpc server. GrpcToNetRpc is
// the UnaryHandler of a GenericServer (grpc/generic_server.h): it finds the
// route of the called method and hands the request to a Backend (backend.h)
// with the route's deadline; with a NetRpcBackend, that reads the request's
// wire bytes into the gob value the Go server's method expects, calls
// "Service.Method" through a NetRpcPool, and writes the gob reply as the
// response's wire bytes.
//
//   bridge::NetRpcPool pool({.address = "127.0.0.1:1234"});
//   bridge::GrpcToNetRpc handler(mapping, &pool);
//   auto server = bridge::GenericServer::Start(options, schema, &handler);
//
// A gateway passes its own Backend instead (routing to gRPC or net/rpc
// upstreams alike).
//
// What a gRPC caller sees:
//   - the Go method's error text M: status UNKNOWN with message M, or the
//     code the config's error_rules give M; the Go server's own "rpc: can't
//     find method ..." (a bridged method it lacks): UNIMPLEMENTED;
//   - the caller's deadline (or the route's timeout, if sooner) passing:
//     DEADLINE_EXCEEDED; the late net/rpc reply is dropped;
//   - the net/rpc server unreachable or its connection broken: UNAVAILABLE,
//     naming the address;
//   - a method the config does not bridge: UNIMPLEMENTED;
//   - a request that does not map, or bytes that are not the input message:
//     INVALID_ARGUMENT (or OUT_OF_RANGE) with the mapping's "bridge: ..."
//     text; a reply that does not map: INTERNAL.

#ifndef BRIDGE_GRPC_TO_NETRPC_H_
#define BRIDGE_GRPC_TO_NETRPC_H_

#include <memory>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "bridge/backend.h"
#include "bridge/grpc/generic_server.h"
#include "bridge/mapping.h"
#include "bridge/netrpc_pool.h"

namespace bridge {

// GrpcToNetRpc answers gRPC calls from a net/rpc upstream. [thread-safe]
class GrpcToNetRpc final : public UnaryHandler {
 public:
  // upstream is not owned and must outlive the handler.
  GrpcToNetRpc(std::shared_ptr<const Mapping> mapping, NetRpcPool* upstream);
  // GrpcToNetRpc sending every routed call to backend.
  GrpcToNetRpc(std::shared_ptr<const Mapping> mapping,
               std::shared_ptr<Backend> backend);

  // Set makes calls that start from now on use next and its backend (a
  // reload); calls in flight finish on the old ones.
  void Set(std::shared_ptr<const Mapping> next,
           std::shared_ptr<Backend> backend);
  // SetMapping is Set keeping the backend.
  void SetMapping(std::shared_ptr<const Mapping> next);

  void Handle(const ServerCall& call, Done done) override;

 private:
  mutable absl::Mutex mu_;
  std::shared_ptr<const Mapping> mapping_ ABSL_GUARDED_BY(mu_);
  std::shared_ptr<Backend> backend_ ABSL_GUARDED_BY(mu_);
};

}  // namespace bridge

#endif  // BRIDGE_GRPC_TO_NETRPC_H_
