// Copyright netrpc-gateway authors. Licensed under the BSD-style licence of Go.

#include "netrpc/service.h"

#include "absl/strings/match.h"
#include "absl/strings/strip.h"
#include "absl/strings/str_format.h"

namespace netrpc {
namespace service_internal {

bool IsExported(absl::string_view name) {
  return !name.empty() && name[0] >= 'A' && name[0] <= 'Z';
}

bool IsExportedOrBuiltinType(absl::string_view type) {
  while (absl::ConsumePrefix(&type, "*")) {
  }
  // Unnamed composites have no package path in Go: they always qualify.
  if (absl::StartsWith(type, "[") || absl::StartsWith(type, "map[") ||
      absl::StartsWith(type, "struct") || absl::StartsWith(type, "func") ||
      absl::StartsWith(type, "chan")) {
    return true;
  }
  size_t dot = type.rfind('.');
  if (dot != absl::string_view::npos) return IsExported(type.substr(dot + 1));
  // No package: a predeclared type, or a type named without one.
  static constexpr absl::string_view kPredeclared[] = {
      "bool",   "string",  "int",    "int8",      "int16",      "int32",
      "int64",  "uint",    "uint8",  "uint16",    "uint32",     "uint64",
      "uintptr", "float32", "float64", "complex64", "complex128", "byte",
      "rune",   "error",   "any"};
  for (absl::string_view p : kPredeclared) {
    if (type == p) return true;
  }
  return IsExported(type);
}

std::string Unsuitable(absl::string_view method, absl::string_view arg_type,
                       absl::string_view reply_type, bool arg_ok,
                       bool reply_pointer) {
  // Go skips unexported methods without a word: they are not in the
  // exported method set at all.
  if (!IsExported(method)) {
    return absl::StrFormat("rpc.Register: method %s is not exported", method);
  }
  if (!arg_ok) {
    return absl::StrFormat(
        "rpc.Register: argument of method \"%s\" must be taken by value, "
        "const reference or const pointer: \"%s\"",
        method, arg_type);
  }
  if (!IsExportedOrBuiltinType(arg_type)) {
    return absl::StrFormat(
        "rpc.Register: argument type of method \"%s\" is not exported: \"%s\"",
        method, arg_type);
  }
  if (!reply_pointer) {
    return absl::StrFormat(
        "rpc.Register: reply type of method \"%s\" is not a pointer: \"%s\"",
        method, reply_type);
  }
  if (!IsExportedOrBuiltinType(reply_type)) {
    return absl::StrFormat(
        "rpc.Register: reply type of method \"%s\" is not exported: \"%s\"",
        method, reply_type);
  }
  return "";
}

}  // namespace service_internal
}  // namespace netrpc
