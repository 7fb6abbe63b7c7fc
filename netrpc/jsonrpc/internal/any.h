// Copyright netrpc-gateway authors. Licensed under the BSD-style licence of Go.
//
// File: internal/any.h
//
// DecodeAny decodes a JSON value as Go's decoder does into an `any` (nil,
// bool, float64, string, []any, map[string]any) and prints it as fmt's %v
// would. The jsonrpc client needs exactly this for a response's "error"
// member, which Go declares `any` and reports, when it is not a string, as
// "invalid error <%v>": `invalid error map[code:1 message:x]`.

#ifndef NETRPC_JSONRPC_INTERNAL_ANY_H_
#define NETRPC_JSONRPC_INTERNAL_ANY_H_

#include <string>

#include "netrpc/jsonrpc/internal/decode.h"

namespace netrpc::jsonrpc::internal {

// Any is a decoded `any`: its JSON kind, the string if it is one, and its
// %v text ("<nil>", "true", "1e+21", "[1 x]", "map[a:1 b:<nil>]").
struct Any {
  Reader::Kind kind = Reader::Kind::kNull;
  std::string string_value;
  std::string formatted = "<nil>";
};

// DecodeAny decodes the next value of `r`. A number that overflows float64
// is Go's type error ("json: cannot unmarshal number 1e400 into Go value of
// type float64"), saved in `st`, and is nil in the result.
void DecodeAny(Reader& r, DecodeState& st, Any* out);

}  // namespace netrpc::jsonrpc::internal

#endif  // NETRPC_JSONRPC_INTERNAL_ANY_H_
