// Copyright netrpc-gateway authors. Licensed under the BSD-style licence of Go.
//
// File: json.h
//
// Marshal and Unmarshal are Go's json.Marshal and json.Unmarshal for the C++
// types of bind.h: the same bytes out (member order, escaping, number
// formats, base64, sorted map keys) and the same behaviour and error texts
// in. The jsonrpc codecs encode and decode arguments and replies with them,
// through netrpc::Body's JSON hooks.
//
//   struct Args { int64_t A = 0; int64_t B = 0; };
//   NETRPC_GOB_STRUCT_NAMED(Args, "main.Args", A, B);
//
//   std::string json;
//   NETRPC_RETURN_IF_ERROR(netrpc::jsonrpc::Marshal(Args{7, 8}, &json));
//   // json == R"({"A":7,"B":8})"
//
//   Args args;
//   absl::Status s = netrpc::jsonrpc::Unmarshal(R"({"a":"x"})", &args);
//   // s: "json: cannot unmarshal string into Go struct field Args.A of
//   // type int"
//
// Errors are kInvalidArgument with Go's text. Input limits: nesting deeper
// than 10000 levels is rejected, as Go's.
//
// Thread-safety: both functions are thread-safe.

#ifndef NETRPC_JSONRPC_JSON_H_
#define NETRPC_JSONRPC_JSON_H_

#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

#include "netrpc/jsonrpc/bind.h"
#include "netrpc/jsonrpc/internal/decode.h"
#include "netrpc/jsonrpc/internal/scanner.h"

namespace netrpc::jsonrpc {

// Marshal appends the JSON encoding of `value` to `*out` (Go's
// json.Marshal). On error nothing is appended: "json: unsupported value:
// NaN", "json: unsupported type: complex128", ...
template <typename T>
absl::Status Marshal(const T& value, std::string* out) {
  size_t size = out->size();
  absl::Status status = JsonCodec<T>::Encode(value, out);
  if (!status.ok()) out->resize(size);
  return status;
}

// Unmarshal decodes the JSON text `data` into `*value` (Go's
// json.Unmarshal): the text must be one JSON value, else a syntax error
// ("unexpected end of JSON input", "invalid character 'x' looking for
// beginning of value"); a type error leaves the rest of the value decoded
// and returns the first such error.
template <typename T>
absl::Status Unmarshal(absl::string_view data, T* value) {
  absl::Status valid = internal::CheckValid(data);
  if (!valid.ok()) return valid;
  internal::Reader reader(data);
  internal::DecodeState state;
  JsonCodec<T>::Decode(reader, state, value);
  return state.status();
}

}  // namespace netrpc::jsonrpc

#endif  // NETRPC_JSONRPC_JSON_H_
