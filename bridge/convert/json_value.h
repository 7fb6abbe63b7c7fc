// File: json_value.h
//
// GobValueToJson and JsonToGobValue carry the bridge's gob values in
// JSON, as Go's encoding/json writes and reads the Go values they stand
// for: how a bridged method answers a Go `net/rpc/jsonrpc` client, and how
// the bridge calls a Go jsonrpc server. The value stays a gob::Value typed
// by the mapping's gob types (gob_types.h), so the rest of the bridge
// (GobToProto, ProtoToGob) does not know which wire format it came from.
//
//   std::string json;
//   NETRPC_RETURN_IF_ERROR(bridge::GobValueToJson(reply, &json));
//   // {"Quo":2,"Rem":1}
//
//   netrpc::gob::Value args;
//   NETRPC_RETURN_IF_ERROR(bridge::JsonToGobValue(
//       R"({"a":7,"B":8})", *types.For(Args::descriptor()), &args, options));
//
// The JSON forms, as Go's encoding/json has them for the Go types of the
// mapping:
//
//   gob type            JSON
//   bool                true / false
//   int, uint           number (decoded range-checked to int64 / uint64;
//                       the proto field's narrower range is GobToProto's)
//   float               number in Go's float64 format; NaN and ±Inf fail
//                       ("json: unsupported value: NaN")
//   string              string
//   []byte              base64 string (also an array of numbers on input)
//   []T, [N]T           array
//   map[K]V             object, keys sorted; K a string or an integer
//                       (map[bool]V fails as Go fails: "json: unsupported
//                       type: map[bool]...")
//   struct              object of its fields by Go name, in order
//   time.Time ("Time")  RFC 3339 string with nanoseconds
//   time.Duration (int) number of nanoseconds
//
// Decoding follows json.Unmarshal: keys match field names exactly, else
// ignoring case; null leaves a scalar alone and makes a struct field of
// struct, slice, map or []byte type nil; a value of the wrong JSON kind or a
// number out of range is Go's type error naming the field ("json: cannot
// unmarshal number 1e30 into Go struct field Args.A of type int64"), saved
// while the rest is still decoded. Decoded values are the ones a gob decode
// of the same Go value gives: struct fields Go's gob encoder would omit
// (zero numbers, false, "", empty slices and []byte, the zero time, nil)
// are left absent.
//
// Unknown keys: Go's decoder skips a key that names no field. The bridge's
// contract is that nothing is dropped silently, so a key with no field
// follows ConvertOptions::unknown_fields as a gob field with no proto
// counterpart does: STRICT fails the call ("bridge: JSON key \"C\" of Args
// names no field of the mapped type; ..."), DROP_AND_COUNT skips it and
// tells on_drop.
//
// Encoding writes every field of a struct, as Go does; a field absent from
// the value is written as Go writes the zero of its type, with nil for
// slices, maps, []byte and structs (a message field without presence reads
// as Go's nil *T; a Go client decodes null into a value struct as its zero).
// Times are written in the zone they carry (UTC for values from protobuf).
// float is Go's float64: a float32 Go field receives the float64 spelling
// of the float proto value, which Go reads back to the same float32.
//
// Thread-safety: both functions are thread-safe (they read only their
// arguments).

#ifndef BRIDGE_CONVERT_JSON_VALUE_H_
#define BRIDGE_CONVERT_JSON_VALUE_H_

#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

#include "bridge/convert/options.h"
#include "netrpc/gob/type.h"
#include "netrpc/gob/value.h"

namespace bridge {

// GobValueToJson appends the JSON of `value` to `*out` (Go's json.Marshal
// of the Go value it stands for). An absent value is `null`. On error
// nothing is appended; errors are Go's texts ("json: unsupported value:
// +Inf", "json: unsupported type: complex128").
absl::Status GobValueToJson(const netrpc::gob::Value& value, std::string* out);

// JsonToGobValue decodes the JSON text `json` into `*value` as a value of
// gob type `type` (Go's json.Unmarshal). If `*value` already holds a value
// of that type the JSON merges into it, as Go's does; otherwise it starts
// from the zero value of `type`. Syntax errors, type errors and time parse
// errors are Go's texts (kInvalidArgument); unknown keys follow `options`
// (see the file comment).
absl::Status JsonToGobValue(absl::string_view json,
                            const netrpc::gob::Type* type,
                            netrpc::gob::Value* value,
                            const ConvertOptions& options);

// GoZeroValue is the value a Go net/rpc peer's new(T) holds for gob type
// `type`, as a gob decode of it gives: Value::Zero(type), except that a
// time.Time holds the bytes of Go's zero time (Value::Zero leaves them
// empty).
netrpc::gob::Value GoZeroValue(const netrpc::gob::Type* type);

}  // namespace bridge

#endif  // BRIDGE_CONVERT_JSON_VALUE_H_
