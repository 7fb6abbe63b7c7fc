// File: backend.h
//
// Backend is where a bridged call goes, in protobuf terms: a request message
// of the route's input type in, a response message (or a status) out, both
// as protobuf wire bytes, so that no hop builds a message object. Both
// front ends use it, whichever upstream serves the route:
//
//   net/rpc caller --gob--> NetRpcServices --wire--> Backend
//   gRPC caller   --wire--> GrpcToNetRpc   --wire--> Backend
//
//   GrpcBackend:   Backend --wire--> a gRPC upstream (a UnaryClient)
//   NetRpcBackend: Backend --gob---> a Go net/rpc server (NetRpcPool)
//
// so a gateway can put routing, mirroring and metrics in one Backend that
// wraps the others.
//
// Statuses are in gRPC's terms. A Go server's error text comes back as its
// code (UNKNOWN, or what the mapping's error_rules give it) with the text
// verbatim, and netrpc::IsServerError(status) stays true so a net/rpc caller
// is shown the text unchanged (see NetRpcErrorText in grpc/status.h).

#ifndef BRIDGE_BACKEND_H_
#define BRIDGE_BACKEND_H_

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/functional/any_invocable.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "bridge/grpc/generic_client.h"
#include "bridge/mapping.h"
#include "bridge/netrpc_pool.h"

namespace bridge {

// BackendCall is one call as a Backend sees it. mapping keeps route alive;
// request, protocol and peer are valid only until Backend::Call returns (copy
// what is needed later).
struct BackendCall {
  // mapping is the mapping the call was decoded with; it owns route.
  std::shared_ptr<const Mapping> mapping;
  const Route* route = nullptr;
  // request is a message of route->method->input_type(), in protobuf wire
  // format.
  absl::string_view request;
  // deadline is when the caller stops waiting (the route's timeout, or a
  // gRPC caller's sooner deadline).
  absl::Time deadline = absl::InfiniteFuture();
  // timeout is the time the call was given when it started, deadline's
  // distance then, for error texts ("did not answer within 1s").
  absl::Duration timeout = absl::InfiniteDuration();
  // protocol is the caller's: "netrpc", "netrpc_http", "jsonrpc", "grpc".
  absl::string_view protocol;
  // peer is the caller's address, for logs ("127.0.0.1:5123"); may be empty.
  absl::string_view peer;
};

// Backend answers calls. [thread-safe]
class Backend {
 public:
  // Done receives the response message's wire bytes, or the status.
  using Done = absl::AnyInvocable<void(absl::StatusOr<std::string>)>;

  virtual ~Backend() = default;

  // Call starts call and returns without waiting for it. done runs exactly
  // once, on any thread (possibly before Call returns), with a response of
  // route->method->output_type() (wire bytes) or an error status. It must
  // not block.
  virtual void Call(const BackendCall& call, Done done) = 0;
};

// GrpcBackend calls the route's gRPC method (route->path) through a
// UnaryClient (GenericClient or H2Client), with the route's metadata.
class GrpcBackend final : public Backend {
 public:
  // client must outlive the backend.
  explicit GrpcBackend(const UnaryClient* client) : client_(client) {}
  // GrpcBackend owning its client.
  explicit GrpcBackend(std::unique_ptr<UnaryClient> client)
      : owned_(std::move(client)), client_(owned_.get()) {}

  void Call(const BackendCall& call, Done done) override;

 private:
  std::unique_ptr<UnaryClient> owned_;
  const UnaryClient* client_;
};

// NetRpcBackend calls "Service.Method" (route->netrpc_name()) on a Go
// net/rpc server through a NetRpcPool, converting the request's wire bytes
// to gob and the gob reply back with the mapping. What it answers:
//   - the Go method's error text M: CodeForError(M) (UNKNOWN unless an
//     error rule says otherwise) with M, marked netrpc::IsServerError; the
//     server's own "rpc: can't find ..." texts: UNIMPLEMENTED;
//   - no reply by the deadline: DEADLINE_EXCEEDED naming the address;
//   - connection refused or broken: UNAVAILABLE naming the address;
//   - a request that does not map, or whose bytes are not the route's input
//     message: the mapping's INVALID_ARGUMENT (or OUT_OF_RANGE); a reply
//     that does not map: INTERNAL.
class NetRpcBackend final : public Backend {
 public:
  // pool must outlive the backend.
  explicit NetRpcBackend(NetRpcPool* pool) : pool_(pool) {}

  void Call(const BackendCall& call, Done done) override {
    Start(call, *pool_, std::move(done));
  }

  // Start is Call on a given pool, for backends that choose among several.
  static void Start(const BackendCall& call, NetRpcPool& pool, Done done);

 private:
  NetRpcPool* const pool_;
};

}  // namespace bridge

#endif  // BRIDGE_BACKEND_H_
