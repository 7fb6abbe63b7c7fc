// File: gob_to_wire.h
//
// GobToWire writes a decoded gob value straight as protobuf wire bytes of a
// message type known from its descriptor: a Go client's argument on its way
// to a gRPC backend, or a Go server's reply on its way to a gRPC client. No
// protobuf message object is built: the bridge's hot path goes gob value ->
// wire bytes in one walk.
//
//   std::string wire;
//   NETRPC_RETURN_IF_ERROR(bridge::GobToWire(args, method->input_type(),
//                                            types, options, &wire));
//
// This is the mapping's one implementation: GobToProto (gob_to_proto.h) is
// GobToWire and a parse. Go struct fields match proto fields by Go name
// (names.h); integers are range-checked against the proto field; gob's
// signed and unsigned integers stay apart; a proto3 string must be valid
// UTF-8; a Go field with no proto counterpart fails (STRICT) or is dropped
// and reported (DROP_AND_COUNT). Fields are written in the Go struct's order
// (protobuf readers take any order); a proto3 scalar without presence is
// left out when zero, as protobuf's own serializer does. A struct type from
// the wire may name a field twice: it is then written twice and parses as
// setting it twice would leave it (the later scalar wins, even a zero;
// messages merge), and oneof members set in either count toward the one
// allowed.

#ifndef BRIDGE_CONVERT_GOB_TO_WIRE_H_
#define BRIDGE_CONVERT_GOB_TO_WIRE_H_

#include <string>

#include "absl/status/status.h"
#include "bridge/convert/gob_types.h"
#include "bridge/convert/options.h"
#include "google/protobuf/descriptor.h"
#include "netrpc/gob/value.h"

namespace bridge {

// GobToWire appends the wire encoding of `value`, as a message of type
// `message`, to *out. On error *out holds a partial encoding; discard it.
// [thread-safe]
absl::Status GobToWire(const netrpc::gob::Value& value,
                       const google::protobuf::Descriptor* message,
                       GobTypes& types, const ConvertOptions& options,
                       std::string* out);

}  // namespace bridge

#endif  // BRIDGE_CONVERT_GOB_TO_WIRE_H_
