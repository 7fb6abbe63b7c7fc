// Copyright 2024 The netrpc-gateway Authors. Licensed under the Apache License 2.0.
//
// File: value_internal.h
//
// Unchecked construction of Values for the decoder, which has already
// validated types against the stream. Not for use outside netrpc/gob.

#ifndef NETRPC_GOB_VALUE_INTERNAL_H_
#define NETRPC_GOB_VALUE_INTERNAL_H_

#include <string>
#include <vector>

#include "netrpc/gob/value.h"

namespace netrpc::gob::internal {

class ValueAccess {
 public:
  static void Reset(Value* v, const Type* type) {
    v->type_ = type;
    v->a_ = 0;
    v->b_ = 0;
    v->str_.clear();
    v->elems_.clear();
  }
  static void SetScalar(Value* v, uint64_t a, uint64_t b = 0) {
    v->SetScalar(a, b);
  }
  static uint64_t scalar_a(const Value& v) { return v.a_; }
  static uint64_t scalar_b(const Value& v) { return v.b_; }
  static std::string* mutable_str(Value* v) { return &v->str_; }
  static std::vector<Value>* mutable_elems(Value* v) { return &v->elems_; }
  static const std::vector<Value>& elems(const Value& v) { return v.elems_; }
};

}  // namespace netrpc::gob::internal

#endif  // NETRPC_GOB_VALUE_INTERNAL_H_
