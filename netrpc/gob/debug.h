// Copyright 2024 The netrpc-gateway Authors. Licensed under the Apache License 2.0.
//
// File: debug.h
//
// One-line JSON renderings of gob values and types, for people and tools
// (`gob dump`), in the spirit of Go's debug.go and encoding/json.
//
//   Value v;
//   NETRPC_RETURN_IF_ERROR(dec.DecodeValue(&v));
//   std::cout << netrpc::gob::ValueToJson(v) << "\n";
//   // {"ServiceMethod":"Arith.Multiply","Seq":1}
//
// Values, following Go's encoding/json where it has a rule:
// - bool, int, uint: JSON literals; float: Go's shortest format ("0.5",
//   "1e-7"), NaN and infinities as the strings "NaN", "+Inf", "-Inf";
//   complex: [real, imag].
// - string: a JSON string escaped as Go does (<, >, & as \u003c..., invalid
//   UTF-8 as \ufffd); []byte: base64 (standard, padded).
// - struct: an object with the fields in wire order; a field the sender
//   omitted shows its zero value (0, "", false), or null for composites,
//   interfaces and opaque values (Go's nil pointers, slices and maps).
// - slice, array: a JSON array.
// - map: an object when keys are strings or integers (keys as strings,
//   sorted like Go's encoding/json), otherwise an array of [key, value]
//   pairs in stream order.
// - interface: null, or {"type": registered name, "value": concrete}.
// - GobEncoder etc.: a time.Time (a GobEncoder named "Time" whose bytes
//   parse) as an RFC 3339 string with nanoseconds, like Go's
//   time.Time.MarshalJSON; anything else as
//   {"type": name, "kind": "gob_encoder", "data": base64}.
//
// Thread-safety: pure functions.

#ifndef NETRPC_GOB_DEBUG_H_
#define NETRPC_GOB_DEBUG_H_

#include <string>

#include "absl/strings/string_view.h"
#include "netrpc/gob/type.h"
#include "netrpc/gob/value.h"

namespace netrpc::gob {

// ValueToJson renders v (see the file comment); an absent value is null.
std::string ValueToJson(const Value& v);

// TypeToJson renders a type: {"kind":"struct","name":"Point","fields":
// [{"name":"X","type":"int"},...]}; component types appear by their
// String().
std::string TypeToJson(const Type* t);

// WireTypeToJson renders a type definition as received:
// {"type_id":65,"def":{"kind":"struct","name":"Point","fields":
// [{"name":"X","id":2,"type":"int"},...]}}; references to predefined types
// carry their name.
std::string WireTypeToJson(TypeId id, const WireType& wire);

// AppendJsonString appends s as a JSON string with Go's escaping.
void AppendJsonString(absl::string_view s, std::string* out);

// AppendJsonFloat appends f in Go's encoding/json format.
void AppendJsonFloat(double f, std::string* out);

}  // namespace netrpc::gob

#endif  // NETRPC_GOB_DEBUG_H_
