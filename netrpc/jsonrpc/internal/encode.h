// Copyright netrpc-gateway authors. Licensed under the BSD-style licence of Go.
//
// File: internal/encode.h
//
// The byte-level pieces of Go's JSON encoder (encode.go), shared by every
// typed encoder in bind.h: strings with Go's HTML-safe escaping, numbers in
// Go's formats, []byte as base64, and raw JSON compacted the way Go
// re-encodes a json.RawMessage. Each appends to a std::string.
//
//   std::string out;
//   AppendString("a<b", &out);              // "a\u003cb"
//   NETRPC_RETURN_IF_ERROR(AppendFloat(1e21, 64, &out));   // 1e+21

#ifndef NETRPC_JSONRPC_INTERNAL_ENCODE_H_
#define NETRPC_JSONRPC_INTERNAL_ENCODE_H_

#include <cstdint>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace netrpc::jsonrpc::internal {

// AppendString appends `s` as a JSON string, escaped as Go's encoder does
// with HTML escaping on: `"` and `\` backslashed; \n, \r, \t short; other
// bytes below 0x20 and < > & as \u00XX; U+2028 and U+2029 as \u2028 and
// \u2029; each byte of invalid UTF-8 as \ufffd.
void AppendString(absl::string_view s, std::string* out);

// AppendFloat appends `f` as Go encodes a float64 (bits 64) or float32
// (bits 32): the shortest text that reads back exactly, in %f style, or in
// %e style below 1e-6 and from 1e21 on, without a leading zero in a
// negative exponent (1e-7, 1e+21). NaN and infinities fail with
// "json: unsupported value: NaN" ("+Inf", "-Inf").
absl::Status AppendFloat(double f, int bits, std::string* out);

// FormatFloatG is strconv.FormatFloat(f, 'g', -1, bits), what fmt's %v
// prints: "1", "1.5", "1e+21", "1.234567e+06", "1e-05", "NaN", "+Inf".
std::string FormatFloatG(double f, int bits);

// AppendBase64 appends `bytes` as a JSON string in standard, padded base64
// (Go's encoding of []byte).
void AppendBase64(absl::string_view bytes, std::string* out);

// AppendCompact appends the valid JSON text `raw` with insignificant
// whitespace removed and < > & U+2028 U+2029 escaped (Go's compact with
// escapeHTML, as its encoder rewrites a json.RawMessage). Other escapes and
// number spellings stay as written.
void AppendCompact(absl::string_view raw, std::string* out);

}  // namespace netrpc::jsonrpc::internal

#endif  // NETRPC_JSONRPC_INTERNAL_ENCODE_H_
