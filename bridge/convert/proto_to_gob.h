// File: proto_to_gob.h
//
// ProtoToGob turns a protobuf message into the gob value a Go net/rpc peer
// expects, with the gob types of gob_types.h: a gRPC reply on its way to a Go
// client, or a gRPC request on its way to a Go server.
//
//   NETRPC_ASSIGN_OR_RETURN(netrpc::gob::Value v,
//                           bridge::ProtoToGob(reply, types, options));
//   NETRPC_RETURN_IF_ERROR(encoder.EncodeValue(v, &out));
//
// Nothing is lost silently: fields the sender's newer schema had (the
// message's unknown fields) fail the conversion, or are dropped and reported
// under DROP_AND_COUNT.
//
// It serializes the message and converts the bytes with WireToGob
// (wire_to_gob.h), the bridge's hot path, so both give the same values and
// errors; where the bytes are at hand, call WireToGob on them instead.

#ifndef BRIDGE_CONVERT_PROTO_TO_GOB_H_
#define BRIDGE_CONVERT_PROTO_TO_GOB_H_

#include "absl/status/statusor.h"
#include "google/protobuf/message.h"

#include "bridge/convert/gob_types.h"
#include "bridge/convert/options.h"
#include "netrpc/gob/value.h"

namespace bridge {

// ProtoToGob converts `message`; see the file comment. The value refers to
// types owned by `types`. [thread-safe]
absl::StatusOr<netrpc::gob::Value> ProtoToGob(
    const google::protobuf::Message& message, GobTypes& types,
    const ConvertOptions& options);

}  // namespace bridge

#endif  // BRIDGE_CONVERT_PROTO_TO_GOB_H_
