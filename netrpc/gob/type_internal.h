// Copyright 2024 The netrpc-gateway Authors. Licensed under the Apache License 2.0.
//
// File: type_internal.h
//
// Construction back doors for the decoder (types built from a stream, which
// may be cyclic through any kind and may repeat field names) and for typed
// bindings (types built in Go's order before their components exist). Not for
// use outside netrpc/gob.

#ifndef NETRPC_GOB_TYPE_INTERNAL_H_
#define NETRPC_GOB_TYPE_INTERNAL_H_

#include <cstdint>
#include <string>

#include "netrpc/gob/type.h"

namespace netrpc::gob::internal {

class TypeAccess {
 public:
  // NewShell creates a type of any kind with no components yet.
  static Type* NewShell(TypeArena* arena, Kind kind, std::string name) {
    return arena->Add(kind, std::move(name));
  }
  static void SetElem(Type* t, const Type* elem) { t->elem_ = elem; }
  static void SetKey(Type* t, const Type* key) { t->key_ = key; }
  static void SetLen(Type* t, int64_t len) { t->len_ = len; }
  static void SetPredefinedId(Type* t, TypeId id) { t->predefined_id_ = id; }
  static void SetContainsInterface(Type* t, bool v) {
    t->contains_interface_ = v;
  }
  static bool contains_interface(const Type* t) {
    return t->contains_interface_;
  }
  // AddField appends a field without the public checks (wire types may
  // repeat names or use empty ones).
  static void AddField(Type* t, std::string name, const Type* type);
  // Truncate destroys the types created after the first `size`.
  static void Truncate(TypeArena* arena, size_t size) {
    arena->types_.resize(size);
  }
};

}  // namespace netrpc::gob::internal

#endif  // NETRPC_GOB_TYPE_INTERNAL_H_
