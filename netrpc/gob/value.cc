// Copyright 2024 The netrpc-gateway Authors. Licensed under the Apache License 2.0.

#include "netrpc/gob/value.h"

#include <cstring>
#include <utility>

#include "absl/strings/str_cat.h"

namespace netrpc::gob {
namespace {

uint64_t DoubleBits(double f) {
  uint64_t u;
  std::memcpy(&u, &f, sizeof u);
  return u;
}

double BitsDouble(uint64_t u) {
  double f;
  std::memcpy(&f, &u, sizeof f);
  return f;
}

std::string TypeName(const Type* t) {
  return t == nullptr ? "<absent>" : t->String();
}

absl::Status Mismatch(absl::string_view what, const Type* want,
                      const Value& got) {
  return absl::InvalidArgumentError(absl::StrCat(
      "gob: ", what, " wants a value of type ", TypeName(want), ", got ",
      TypeName(got.type())));
}

}  // namespace

Value Value::Bool(bool v) {
  Value out;
  out.type_ = BoolType();
  out.a_ = v ? 1 : 0;
  return out;
}

Value Value::Int(int64_t v) {
  Value out;
  out.type_ = IntType();
  out.a_ = static_cast<uint64_t>(v);
  return out;
}

Value Value::Uint(uint64_t v) {
  Value out;
  out.type_ = UintType();
  out.a_ = v;
  return out;
}

Value Value::Float(double v) {
  Value out;
  out.type_ = FloatType();
  out.a_ = DoubleBits(v);
  return out;
}

Value Value::Complex(std::complex<double> v) {
  Value out;
  out.type_ = ComplexType();
  out.a_ = DoubleBits(v.real());
  out.b_ = DoubleBits(v.imag());
  return out;
}

Value Value::String(std::string v) {
  Value out;
  out.type_ = StringType();
  out.str_ = std::move(v);
  return out;
}

Value Value::Bytes(std::string v) {
  Value out;
  out.type_ = BytesType();
  out.str_ = std::move(v);
  return out;
}

Value Value::Zero(const Type* type) {
  Value out;
  out.type_ = type;
  if (type != nullptr && type->kind() == Kind::kArray && type->len() > 0) {
    out.elems_.reserve(static_cast<size_t>(type->len()));
    for (int64_t i = 0; i < type->len(); ++i) {
      out.elems_.push_back(Zero(type->elem()));
    }
  }
  return out;
}

Value Value::Interface(std::string name, Value concrete) {
  if (name.empty() || !concrete.present()) return NilInterface();
  Value out;
  out.type_ = InterfaceType();
  out.str_ = std::move(name);
  out.elems_.push_back(std::move(concrete));
  return out;
}

Value Value::NilInterface() {
  Value out;
  out.type_ = InterfaceType();
  return out;
}

Value Value::External(const Type* type, std::string data) {
  Value out;
  out.type_ = type;
  out.str_ = std::move(data);
  return out;
}

const Value& Value::Absent() {
  static const Value* absent = new Value();
  return *absent;
}

int64_t Value::int_value() const {
  return kind() == Kind::kInt ? static_cast<int64_t>(a_) : 0;
}

uint64_t Value::uint_value() const { return kind() == Kind::kUint ? a_ : 0; }

double Value::float_value() const {
  return kind() == Kind::kFloat ? BitsDouble(a_) : 0.0;
}

std::complex<double> Value::complex_value() const {
  if (kind() != Kind::kComplex) return {};
  return {BitsDouble(a_), BitsDouble(b_)};
}

const Value* Value::Field(absl::string_view name) const {
  if (kind() != Kind::kStruct) return nullptr;
  int i = type_->FieldIndex(name);
  if (i < 0) return nullptr;
  return &field(static_cast<size_t>(i));
}

const Value& Value::field(size_t i) const {
  if (kind() != Kind::kStruct || i >= elems_.size()) return Absent();
  return elems_[i];
}

Value* Value::mutable_field(size_t i) {
  if (kind() != Kind::kStruct || i >= type_->fields().size()) return nullptr;
  elems_.resize(type_->fields().size());
  return &elems_[i];
}

absl::Status Value::SetField(absl::string_view name, Value value) {
  if (kind() != Kind::kStruct) {
    return absl::InvalidArgumentError(
        absl::StrCat("gob: SetField(", name, ") on a ", KindName(kind())));
  }
  int i = type_->FieldIndex(name);
  if (i < 0) {
    return absl::NotFoundError(
        absl::StrCat("gob: type ", type_->String(), " has no field ", name));
  }
  return SetFieldAt(static_cast<size_t>(i), std::move(value));
}

absl::Status Value::SetFieldAt(size_t index, Value value) {
  if (kind() != Kind::kStruct || index >= type_->fields().size()) {
    return absl::InvalidArgumentError(
        absl::StrCat("gob: no field ", index, " in ", TypeName(type_)));
  }
  const Type::Field& f = type_->fields()[index];
  if (value.present() && value.type() != f.type) {
    return Mismatch(absl::StrCat("field ", f.name), f.type, value);
  }
  elems_.resize(type_->fields().size());
  elems_[index] = std::move(value);
  return absl::OkStatus();
}

size_t Value::size() const {
  switch (kind()) {
    case Kind::kSlice:
    case Kind::kArray:
      return elems_.size();
    case Kind::kMap:
      return elems_.size() / 2;
    default:
      return 0;
  }
}

absl::Status Value::Append(Value v) {
  if (kind() != Kind::kSlice) {
    return absl::InvalidArgumentError(
        absl::StrCat("gob: Append to a ", KindName(kind())));
  }
  if (v.type() != type_->elem()) return Mismatch("slice element", type_->elem(), v);
  elems_.push_back(std::move(v));
  return absl::OkStatus();
}

absl::Status Value::MapInsert(Value key, Value value) {
  if (kind() != Kind::kMap) {
    return absl::InvalidArgumentError(
        absl::StrCat("gob: MapInsert into a ", KindName(kind())));
  }
  if (key.type() != type_->key()) return Mismatch("map key", type_->key(), key);
  if (value.type() != type_->elem()) {
    return Mismatch("map element", type_->elem(), value);
  }
  for (size_t i = 0; i < elems_.size(); i += 2) {
    if (elems_[i] == key) {
      elems_[i + 1] = std::move(value);
      return absl::OkStatus();
    }
  }
  elems_.push_back(std::move(key));
  elems_.push_back(std::move(value));
  return absl::OkStatus();
}

const Value* Value::MapFind(const Value& key) const {
  if (kind() != Kind::kMap) return nullptr;
  for (size_t i = 0; i < elems_.size(); i += 2) {
    if (elems_[i] == key) return &elems_[i + 1];
  }
  return nullptr;
}

bool operator==(const Value& a, const Value& b) {
  if (a.type_ != b.type_) return false;
  switch (a.kind()) {
    case Kind::kInvalid:
      return true;
    case Kind::kBool:
    case Kind::kInt:
    case Kind::kUint:
      return a.a_ == b.a_;
    case Kind::kFloat:
      return a.float_value() == b.float_value();
    case Kind::kComplex:
      return a.complex_value() == b.complex_value();
    case Kind::kString:
    case Kind::kBytes:
    case Kind::kGobEncoder:
    case Kind::kBinaryMarshaler:
    case Kind::kTextMarshaler:
      return a.str_ == b.str_;
    case Kind::kStruct: {
      size_t n = a.type_->fields().size();
      for (size_t i = 0; i < n; ++i) {
        if (!(a.field(i) == b.field(i))) return false;
      }
      return true;
    }
    case Kind::kInterface:
    case Kind::kSlice:
    case Kind::kArray:
    case Kind::kMap:
      return a.str_ == b.str_ && a.elems_ == b.elems_;
  }
  return false;
}

}  // namespace netrpc::gob
