// File: netrpc_to_grpc.h
//
// Direction 1: Go net/rpc callers reach gRPC upstreams. NetRpcServices turns
// every routed net/rpc service of a Mapping into a netrpc::ServiceDesc whose
// methods take the argument as a gob::Value (no C++ type), write it as the
// upstream's request message in protobuf wire bytes (GobToWire), call the
// upstream through a UnaryClient, or any Backend (backend.h),
// asynchronously: no thread waits on the call, and read the reply's bytes
// back into the gob value the Go client expects (WireToGob).
//
//   netrpc::Server server;
//   bridge::GenericClient upstream(channel);
//   for (const netrpc::ServiceDesc& s :
//        bridge::NetRpcServices(mapping, &upstream)) {
//     NETRPC_RETURN_IF_ERROR(server.RegisterName(s.type_name(), s));
//   }
//
// What a Go client sees (its rpc.ServerError text):
//   - the upstream's status UNKNOWN with message M: exactly M, as the legacy
//     server would have sent it ("divide by zero");
//   - any other upstream status: Go gRPC's text,
//     "rpc error: code = NotFound desc = no such user";
//   - no reply within the route's timeout: "bridge: Arith.Multiply: no reply
//     from /demo.v1.Arith/Multiply within 30s";
//   - upstream unreachable: "bridge: Arith.Multiply: upstream unavailable:
//     rpc error: code = Unavailable desc = ...";
//   - a value that does not map (out of range, unknown field, ...): the
//     mapping's "bridge: ..." text;
//   - a Service.Method with no route: Go's own "rpc: can't find service ..."
//     and "rpc: can't find method ..." (the server's, as nothing registers it).

#ifndef BRIDGE_NETRPC_TO_GRPC_H_
#define BRIDGE_NETRPC_TO_GRPC_H_

#include <memory>
#include <vector>

#include "bridge/backend.h"
#include "bridge/grpc/generic_client.h"
#include "bridge/mapping.h"
#include "netrpc/service.h"

namespace bridge {

// NetRpcServices returns one service per net/rpc service name in mapping's
// routes. The services keep mapping alive; upstream must outlive them.
std::vector<netrpc::ServiceDesc> NetRpcServices(
    std::shared_ptr<const Mapping> mapping, const UnaryClient* upstream);

// NetRpcServices sending every call to backend, which the services keep
// alive. The backend is told the caller's protocol and address from
// netrpc::CurrentCall(), or `protocol` when the server does not say.
std::vector<netrpc::ServiceDesc> NetRpcServices(
    std::shared_ptr<const Mapping> mapping, std::shared_ptr<Backend> backend,
    absl::string_view protocol = "netrpc");

}  // namespace bridge

#endif  // BRIDGE_NETRPC_TO_GRPC_H_
