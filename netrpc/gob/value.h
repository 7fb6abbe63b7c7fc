// Copyright 2024 The netrpc-gateway Authors. Licensed under the Apache License 2.0.
//
// File: value.h
//
// `Value` is a gob value together with its `Type`, built and read without any
// C++ type of its own: the dynamic model. Use it where the Go types are only
// known at run time (a descriptor-driven bridge, `gob dump`); use the typed
// bindings of bind.h where a C++ struct exists, they are much faster.
//
// Example: Go's Point{X: 22, Y: 33}
//
//   netrpc::gob::Value p = netrpc::gob::Value::Zero(point_type);
//   NETRPC_RETURN_IF_ERROR(p.SetField("X", netrpc::gob::Value::Int(22)));
//   NETRPC_RETURN_IF_ERROR(p.SetField("Y", netrpc::gob::Value::Int(33)));
//   int64_t x = p.Field("X")->int_value();   // 22
//
// Presence. A default-constructed Value is *absent* (no type). Struct fields
// start absent; an absent field is not sent, like a Go field holding a nil
// pointer or a zero value, and a decoded struct leaves the fields the sender
// omitted absent. Reading a scalar from an absent or differently-kinded Value
// yields the zero of the accessor's type, so `v.Field("X")->int_value()` is 0
// when X was omitted.
//
// Encoding rules for present struct fields follow Go: zero numbers, false,
// empty strings, empty byte strings, empty slices and nil interfaces are
// omitted; nested structs, arrays, maps (even empty: an empty non-nil Go map)
// and opaque GobEncoder values are always sent.
//
// Ownership: a Value holds plain pointers to its types; the TypeArena (or the
// Decoder) that owns them must outlive it. Values own their children.
//
// Thread-safety: like std::string; const methods may be called concurrently.

#ifndef NETRPC_GOB_VALUE_H_
#define NETRPC_GOB_VALUE_H_

#include <complex>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "netrpc/gob/type.h"

namespace netrpc::gob {

namespace internal {
class ValueAccess;
}  // namespace internal

class Value {
 public:
  // Value constructs an absent value.
  Value() = default;

  // Bool, Int, Uint, Float, Complex, String and Bytes make values of the
  // predefined types (every Go integer width is Int or Uint on the wire).
  static Value Bool(bool v);
  static Value Int(int64_t v);
  static Value Uint(uint64_t v);
  static Value Float(double v);
  static Value Complex(std::complex<double> v);
  static Value String(std::string v);
  static Value Bytes(std::string v);

  // Zero returns the zero value of type: 0, "", false; a struct with every
  // field absent; an empty slice or map; an array of zero elements (len
  // elements, so only for types you built); a nil interface; empty opaque
  // bytes for the external kinds.
  static Value Zero(const Type* type);

  // Interface returns an interface value holding concrete under the
  // registered name (Go's gob.Register name, e.g. "main.Point" or "int").
  // An empty name or an absent concrete value gives a nil interface.
  static Value Interface(std::string name, Value concrete);

  // NilInterface returns a nil interface value.
  static Value NilInterface();

  // External returns a GobEncoder/BinaryMarshaler/TextMarshaler value of
  // type holding the bytes its Go method produced.
  static Value External(const Type* type, std::string data);

  // present reports whether the value exists (has a type).
  bool present() const { return type_ != nullptr; }

  // type is the value's type (null when absent); kind is its kind.
  const Type* type() const { return type_; }
  Kind kind() const { return type_ == nullptr ? Kind::kInvalid : type_->kind(); }

  // bool_value, int_value, uint_value, float_value, complex_value read a
  // scalar; they return zero for an absent value or another kind.
  bool bool_value() const { return kind() == Kind::kBool && a_ != 0; }
  int64_t int_value() const;
  uint64_t uint_value() const;
  double float_value() const;
  std::complex<double> complex_value() const;
  // bytes is the content of a string, a []byte or an external value;
  // string_value is the same as a string_view.
  const std::string& bytes() const { return str_; }
  absl::string_view string_value() const { return str_; }

  // Field returns the field called name of a struct value (absent if unset),
  // or nullptr if the struct type has no such field.
  const Value* Field(absl::string_view name) const;

  // field returns field i of a struct value (absent if unset).
  const Value& field(size_t i) const;

  // SetField sets a struct field by name, SetFieldAt by index; value must be
  // absent (unsets the field) or of the field's type (the same Type object).
  absl::Status SetField(absl::string_view name, Value value);
  absl::Status SetFieldAt(size_t index, Value value);

  // mutable_field returns field i for in-place changes, or nullptr.
  Value* mutable_field(size_t i);

  // size is the number of elements of a slice or array, or of entries of
  // a map; 0 for other kinds.
  size_t size() const;

  // elem returns element i < size() of a slice or array.
  const Value& elem(size_t i) const { return elems_[i]; }
  Value* mutable_elem(size_t i) { return &elems_[i]; }

  // Append adds an element to a slice; it must have the element type.
  absl::Status Append(Value v);

  // map_key and map_value return entry i of a map, in insertion (for a
  // decoded map: wire) order.
  const Value& map_key(size_t i) const { return elems_[2 * i]; }
  const Value& map_value(size_t i) const { return elems_[2 * i + 1]; }
  Value* mutable_map_value(size_t i) { return &elems_[2 * i + 1]; }

  // MapInsert sets map[key] = value, replacing an equal key. It searches
  // the entries linearly: build a map entry by entry with MapBuilder.
  absl::Status MapInsert(Value key, Value value);

  // MapFind returns the value stored under key, or nullptr. It searches the
  // entries linearly.
  const Value* MapFind(const Value& key) const;

  // interface_name is the registered name of an interface value's concrete
  // type ("" for nil).
  const std::string& interface_name() const { return str_; }

  // interface_value returns the concrete value, or nullptr for nil.
  const Value* interface_value() const {
    return elems_.empty() ? nullptr : &elems_[0];
  }

  // operator== says Values are equal when their types are the same objects and their
  // contents are equal (floats compare with ==; an unset struct field equals
  // an absent one).
  friend bool operator==(const Value& a, const Value& b);
  friend bool operator!=(const Value& a, const Value& b) { return !(a == b); }

 private:
  friend class internal::ValueAccess;
  friend class MapBuilder;

  static const Value& Absent();
  // CheckMapEntry checks that this is a map and key and value have its types.
  absl::Status CheckMapEntry(const Value& key, const Value& value) const;
  // LinearMapSearch returns the number of the first entry of this map whose
  // key equals key, or size().
  size_t LinearMapSearch(const Value& key) const;
  void SetScalar(uint64_t a, uint64_t b = 0) {
    a_ = a;
    b_ = b;
  }

  const Type* type_ = nullptr;
  // Scalars: bool, int, uint and float bits in a_; a complex's imaginary
  // part in b_.
  uint64_t a_ = 0;
  uint64_t b_ = 0;
  // String and []byte content, external bytes, interface name.
  std::string str_;
  // Struct fields (empty while every field is absent, else one per field),
  // slice and array elements, map keys and values interleaved, an
  // interface's concrete value.
  std::vector<Value> elems_;
};

// OmittedFromStruct reports whether Go's gob encoder leaves a struct field
// holding v out of the stream: a zero number, false, an empty string, byte
// slice or slice, a nil interface. Nested structs, arrays, maps and external
// (GobEncoder) values are always sent. v must be present.
bool OmittedFromStruct(const Value& v);

// MapBuilder inserts entries into a map value as MapInsert does (a key equal
// to an earlier one replaces that entry's value, in its place), in amortized
// constant time per entry where a run of MapInserts takes time quadratic in
// the map's size: build maps from untrusted input with it. It searches a
// small map linearly, and indexes the keys once the map passes a few
// entries.
//
//   netrpc::gob::MapBuilder builder(&map);
//   for (...) {
//     NETRPC_RETURN_IF_ERROR(builder.Insert(std::move(key), std::move(value)));
//   }
//
// The map must outlive the builder, and change only through it meanwhile:
// the index refers to keys by position.
class MapBuilder {
 public:
  explicit MapBuilder(Value* map);
  MapBuilder(const MapBuilder&) = delete;
  MapBuilder& operator=(const MapBuilder&) = delete;
  ~MapBuilder();

  // Insert sets map[key] = value, as MapInsert.
  absl::Status Insert(Value key, Value value);

 private:
  class Index;

  Value* const map_;
  std::unique_ptr<Index> index_;  // null until the map is big enough
};

}  // namespace netrpc::gob

#endif  // NETRPC_GOB_VALUE_H_
