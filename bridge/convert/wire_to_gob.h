// File: wire_to_gob.h
//
// WireToGob reads protobuf wire bytes of a message type known from its
// descriptor straight into the gob value a Go net/rpc peer expects: a gRPC
// reply on its way to a Go client, or a gRPC request on its way to a Go
// server. No protobuf message object is built.
//
//   NETRPC_ASSIGN_OR_RETURN(netrpc::gob::Value v,
//                           bridge::WireToGob(wire, method->output_type(),
//                                             types, options));
//   NETRPC_RETURN_IF_ERROR(encoder.EncodeValue(v, &out));
//
// The result is the gob form (gob_types.h's mapping) of the message that
// ParseFromString would make of the bytes, with protobuf's merge rules (the
// last value of a singular field wins, a message field met twice is merged,
// packed and unpacked repeated fields both read, the last member of a oneof
// wins, the last map entry of a key wins); zero fields are left absent, as
// Go omits them; fields unknown to the schema (protobuf counts a known field
// in another wire type, and a value a proto2 enum does not declare, among
// them) fail the conversion, or are dropped and reported under
// DROP_AND_COUNT. Bytes that are not a valid encoding of the message
// (truncated, a bad tag or wire type, nesting deeper than 100, a proto3
// string that is not UTF-8, a missing proto2 required field) are an
// INVALID_ARGUMENT error starting "bridge: malformed <message full name>".

#ifndef BRIDGE_CONVERT_WIRE_TO_GOB_H_
#define BRIDGE_CONVERT_WIRE_TO_GOB_H_

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "bridge/convert/gob_types.h"
#include "bridge/convert/options.h"
#include "google/protobuf/descriptor.h"
#include "netrpc/gob/value.h"

namespace bridge {

// WireToGob converts `wire`, an encoded `message`; see the file comment. The
// value refers to types owned by `types`. [thread-safe]
absl::StatusOr<netrpc::gob::Value> WireToGob(
    absl::string_view wire, const google::protobuf::Descriptor* message,
    GobTypes& types, const ConvertOptions& options);

}  // namespace bridge

#endif  // BRIDGE_CONVERT_WIRE_TO_GOB_H_
