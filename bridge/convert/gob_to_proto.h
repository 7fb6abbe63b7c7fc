// File: gob_to_proto.h
//
// GobToProto fills a protobuf message from a decoded gob value: a Go
// client's argument on its way to a gRPC backend, or a Go server's reply on
// its way to a gRPC client. It writes the value as wire bytes with GobToWire
// (gob_to_wire.h), the one implementation of the mapping, and parses them;
// the bridge's hot path uses GobToWire directly.
//
//   netrpc::gob::Value args;                      // from gob::Decoder
//   std::unique_ptr<Message> req(factory.GetPrototype(in)->New());
//   NETRPC_RETURN_IF_ERROR(bridge::GobToProto(args, req.get(), types, opts));
//
// Go struct fields match proto fields by Go name (names.h). Integers are
// range-checked against the proto field (a value that does not fit is an
// error, never truncated); gob's signed and unsigned integers stay apart, as
// Go keeps them apart; a proto3 string must be valid UTF-8. A Go field with
// no proto counterpart fails the conversion (STRICT) or is dropped and
// reported (DROP_AND_COUNT). Error texts start with "bridge:" and name the
// proto field and the Go field.

#ifndef BRIDGE_CONVERT_GOB_TO_PROTO_H_
#define BRIDGE_CONVERT_GOB_TO_PROTO_H_

#include "absl/status/status.h"
#include "google/protobuf/message.h"

#include "bridge/convert/gob_types.h"
#include "bridge/convert/options.h"
#include "netrpc/gob/value.h"

namespace bridge {

// GobToProto merges `value` into `message`, as protobuf merges parsed
// bytes; see the file comment. [thread-safe]
absl::Status GobToProto(const netrpc::gob::Value& value,
                        google::protobuf::Message* message, GobTypes& types,
                        const ConvertOptions& options);

}  // namespace bridge

#endif  // BRIDGE_CONVERT_GOB_TO_PROTO_H_
