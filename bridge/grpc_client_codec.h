// File: grpc_client_codec.h
//
// GrpcClientCodec is a netrpc::ClientCodec that speaks gRPC: a netrpc::Client
// built on it calls gRPC services in process, with the bridge's mapping and
// errors and no gateway hop. C++ code written against net/rpc keeps its
// structs and its Call/Go; only the dial changes.
//
//   NETRPC_ASSIGN_OR_RETURN(std::unique_ptr<netrpc::Client> client,
//                           bridge::DialGrpc("dns:///arith:50051", mapping));
//   int64_t product = 0;
//   NETRPC_RETURN_IF_ERROR(client->Call("Arith.Multiply", Args{7, 8}, &product));
//
// How a call travels: the argument is gob-encoded as for a Go server, decoded
// into a gob::Value, mapped to the route's request message and sent with
// GenericClient; the response is mapped back to a gob value, gob-encoded, and
// decoded into the caller's reply. Errors read exactly as a Go client of the
// bridge sees them (see netrpc_to_grpc.h); an unrouted method gets Go's
// "rpc: can't find service/method" text.
//
// [thread-safe] as netrpc's ClientCodec protocol requires.

#ifndef BRIDGE_GRPC_CLIENT_CODEC_H_
#define BRIDGE_GRPC_CLIENT_CODEC_H_

#include <memory>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "bridge/grpc/generic_client.h"
#include "bridge/mapping.h"
#include "grpcpp/channel.h"
#include "netrpc/client.h"
#include "netrpc/codec.h"

namespace bridge {

// NewGrpcClientCodec returns a ClientCodec calling through upstream, routed
// by mapping.
std::unique_ptr<netrpc::ClientCodec> NewGrpcClientCodec(
    std::shared_ptr<const Mapping> mapping,
    std::shared_ptr<const UnaryClient> upstream);

// DialGrpc returns a netrpc::Client whose calls reach the gRPC services of
// mapping over channel.
std::unique_ptr<netrpc::Client> DialGrpc(
    std::shared_ptr<grpc::ChannelInterface> channel,
    std::shared_ptr<const Mapping> mapping);

// DialGrpc connects to target (any gRPC target: "host:port", "dns:///...",
// "ipv4:..."), without TLS.
absl::StatusOr<std::unique_ptr<netrpc::Client>> DialGrpc(
    absl::string_view target, std::shared_ptr<const Mapping> mapping);

}  // namespace bridge

#endif  // BRIDGE_GRPC_CLIENT_CODEC_H_
