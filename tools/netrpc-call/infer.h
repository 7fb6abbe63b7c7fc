// File: infer.h
//
// InferGobValue turns JSON text into a gob value without any schema: the
// types are guessed from the JSON itself, which is how `netrpc-call` calls a
// Go net/rpc method when it is given neither a descriptor set nor a Go
// package.
//
//   NETRPC_ASSIGN_OR_RETURN(netrpc_call::Inferred args,
//                           netrpc_call::InferGobValue(R"({"A":7,"B":8})"));
//   // args.value is a struct { A int; B int } holding 7 and 8.
//
// The rules (Go's gob decoder matches struct fields by name and checks
// kinds, so only the kinds need to be right):
//
//   JSON                      gob
//   object                    struct, the keys as field names, in order
//   integral number           int (uint above 2^63-1)
//   number with . e or E      float
//   string / true, false      string / bool
//   array                     slice of the elements' common type (ints and
//                             floats mixed give float; objects merge their
//                             keys); empty arrays are left out
//   null                      left out (Go: a nil pointer, not sent)
//
// Limits: a Go float64 given `7` receives an int and Go refuses it
// ("gob: decoding into local type float64, received remote type int"): write
// `7.0`. Strings stay strings (a time.Time needs a descriptor set); []byte,
// unsigned and map fields cannot be told from JSON either.
//
// Thread-safety: InferGobValue is thread-safe.

#ifndef TOOLS_NETRPC_CALL_INFER_H_
#define TOOLS_NETRPC_CALL_INFER_H_

#include <memory>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "netrpc/gob/type.h"
#include "netrpc/gob/value.h"

namespace netrpc_call {

// Inferred is a value with the arena that owns its types.
struct Inferred {
  std::shared_ptr<netrpc::gob::TypeArena> arena;
  netrpc::gob::Value value;
};

// InferGobValue parses `json` and builds the gob value it stands for (see
// the file comment). Errors are kInvalidArgument and name the JSON path
// ("$.Items[1].Price").
absl::StatusOr<Inferred> InferGobValue(absl::string_view json);

}  // namespace netrpc_call

#endif  // TOOLS_NETRPC_CALL_INFER_H_
