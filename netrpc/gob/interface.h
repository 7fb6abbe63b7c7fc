// Copyright 2024 The netrpc-gateway Authors. Licensed under the Apache License 2.0.
//
// File: interface.h
//
// Go interface values in typed bindings. A struct member of type
// `netrpc::gob::Interface` is a Go `interface{}` field: nil, or a concrete
// value sent under the name its type was registered with (Go's
// gob.Register). Decoding looks the name up in a process-wide registry to
// know which C++ type to build, like Go's decoder.
//
//   struct Point { int64_t X = 0; int64_t Y = 0; };
//   NETRPC_GOB_STRUCT_NAMED(Point, "main.Point", X, Y);
//   struct Holder { netrpc::gob::Interface V; };
//   NETRPC_GOB_STRUCT(Holder, V);
//
//   NETRPC_RETURN_IF_ERROR(netrpc::gob::Register<Point>());   // "main.Point"
//   Holder h{netrpc::gob::Interface::Of(Point{1, 2})};
//   ...
//   if (const Point* p = decoded.V.Get<Point>()) { ... }
//
// Go's builtin registrations are present from the start: "int" (int64_t),
// "int8" ... "int64", "uint" (uint64_t), "uint8" ... "uint64", "uintptr",
// "float32" (float), "float64" (double), "complex64", "complex128", "bool",
// "string", "[]uint8" (Bytes) and the slices of each ("[]int", ...,
// "[]string"). "int64" and "[]int64" decode into int64_t and
// std::vector<int64_t>, which encode as "int" and "[]int"; likewise
// "uint64"/"uintptr" for uint64_t.
//
// Thread-safety: registration and lookups are thread-safe; register at
// start-up. An Interface is an immutable, shareable value.

#ifndef NETRPC_GOB_INTERFACE_H_
#define NETRPC_GOB_INTERFACE_H_

#include <memory>
#include <string>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "netrpc/gob/bind.h"
#include "netrpc/gob/codec_internal.h"
#include "netrpc/gob/value.h"

namespace netrpc::gob {

class Interface;

namespace internal {

// InterfaceBox holds the concrete value of a non-nil Interface.
class InterfaceBox {
 public:
  virtual ~InterfaceBox() = default;
  virtual const void* tag() const = 0;
  virtual std::string GoString() const = 0;
  virtual const Type* Describe(Describer& d) const = 0;
  virtual void EncodeTop(EncState& st) const = 0;
  virtual bool Equals(const InterfaceBox& other) const = 0;
  virtual const Value* value() const { return nullptr; }
};

template <typename T>
class TypedBox final : public InterfaceBox {
 public:
  TypedBox() = default;
  explicit TypedBox(T v) : value_(std::move(v)) {}
  const void* tag() const override { return TagOf<T>(); }
  std::string GoString() const override { return Codec<T>::GoString(); }
  const Type* Describe(Describer& d) const override {
    return DescribeTop<T>(d);
  }
  void EncodeTop(EncState& st) const override {
    internal::EncodeTop<T>(st, value_);
  }
  bool Equals(const InterfaceBox& other) const override {
    if (other.tag() != tag()) return false;
    if constexpr (HasEqual<T>::value) {
      return value_ == static_cast<const TypedBox&>(other).value_;
    } else {
      return this == &other;
    }
  }
  const T& get() const { return value_; }
  T* mutable_get() { return &value_; }

 private:
  T value_;
};

// InterfaceEntry is one registration: a name and the C++ type it decodes to.
struct InterfaceEntry {
  std::string name;
  const void* tag;
  std::string go_string;
  void (*decode)(DecState& st, const Type* remote, absl::string_view name,
                 Interface* out);
};

// RegisterEntry adds entry; `primary` also makes it the name the type is
// encoded under. Go's bijection rules apply to primary registrations.
absl::Status RegisterEntry(InterfaceEntry entry, bool primary);

// NameOf returns the name tag is encoded under, or "".
std::string InterfaceNameOf(const void* tag);

void EncodeInterfaceValue(EncState& st, const Interface& v);
void DecodeInterfaceValue(DecState& st, Interface* out);

template <typename T>
void DecodeConcrete(DecState& st, const Type* remote, absl::string_view name,
                    Interface* out);

}  // namespace internal

// Interface is a Go interface{} value: nil, or a registered name and a
// concrete value (a bound C++ value or a dynamic Value).
class Interface {
 public:
  // Interface constructs nil.
  Interface() = default;

  // Of holds value under the name its type was registered with. Encoding
  // fails with Go's "gob: type not registered for interface: T" if there is
  // none.
  template <typename T>
  static Interface Of(T value) {
    Interface out;
    out.name_ = internal::InterfaceNameOf(internal::TagOf<T>());
    out.box_ = std::make_shared<internal::TypedBox<T>>(std::move(value));
    return out;
  }

  // Named holds value under an explicit name (which a Go receiver must have
  // registered).
  template <typename T>
  static Interface Named(std::string name, T value) {
    Interface out;
    out.name_ = std::move(name);
    out.box_ = std::make_shared<internal::TypedBox<T>>(std::move(value));
    return out;
  }

  // FromValue holds a dynamic value under name; the value's types must
  // outlive the Interface.
  static Interface FromValue(std::string name, Value value);

  // is_nil reports whether the interface holds nothing.
  bool is_nil() const { return box_ == nullptr; }

  // name is the registered name of the concrete type ("" for nil).
  const std::string& name() const { return name_; }

  // Get returns the concrete value if it is a T, else nullptr.
  template <typename T>
  const T* Get() const {
    if (box_ == nullptr || box_->tag() != internal::TagOf<T>()) return nullptr;
    return &static_cast<const internal::TypedBox<T>&>(*box_).get();
  }

  // value returns the concrete value of an Interface made by FromValue.
  const Value* value() const {
    return box_ == nullptr ? nullptr : box_->value();
  }

  // operator== compares names and concrete values (values of types without
  // operator== compare by identity).
  friend bool operator==(const Interface& a, const Interface& b) {
    if (a.box_ == nullptr || b.box_ == nullptr) return a.box_ == b.box_;
    return a.name_ == b.name_ && a.box_->Equals(*b.box_);
  }
  friend bool operator!=(const Interface& a, const Interface& b) {
    return !(a == b);
  }

 private:
  friend void internal::EncodeInterfaceValue(internal::EncState&,
                                             const Interface&);
  template <typename T>
  friend void internal::DecodeConcrete(internal::DecState&, const Type*,
                                       absl::string_view, Interface*);

  std::string name_;
  std::shared_ptr<const internal::InterfaceBox> box_;
};

// RegisterName registers T for interface values under name (Go's
// gob.RegisterName): values of T are sent as name, and a received name
// decodes into a T. Fails, like Go panics, if name or T is already
// registered differently.
template <typename T>
absl::Status RegisterName(absl::string_view name) {
  return internal::RegisterEntry(
      {std::string(name), internal::TagOf<T>(), Codec<T>::GoString(),
       &internal::DecodeConcrete<T>},
      /*primary=*/true);
}

// Register registers T under its Go type name (Go's gob.Register default for
// named types: "main.Point"; for unnamed ones the Go spelling, "[]string").
template <typename T>
absl::Status Register() {
  return RegisterName<T>(Codec<T>::GoString());
}

template <>
struct Codec<Interface> : internal::CodecDefaults {
  using Base = Interface;
  static constexpr bool kIsInterface = true;
  static std::string GoName() { return ""; }
  static std::string GoString() { return "interface {}"; }
  static const Type* Describe(internal::Describer&, absl::string_view) {
    return InterfaceType();
  }
  static bool IsZero(const Interface& v) { return v.is_nil(); }
  static void Encode(internal::EncState& st, const Interface& v) {
    internal::EncodeInterfaceValue(st, v);
  }
  static bool Compatible(const Type* r) {
    return r->kind() == Kind::kInterface;
  }
  static const internal::Plan* Compile(internal::DecState&, const Type*,
                                       const std::string&, const std::string&) {
    return nullptr;
  }
  static void Decode(internal::DecState& st, const internal::Plan*,
                     Interface* out) {
    internal::DecodeInterfaceValue(st, out);
  }
};

namespace internal {

template <typename T>
void DecodeConcrete(DecState& st, const Type* remote, absl::string_view name,
                    Interface* out) {
  auto box = std::make_shared<TypedBox<T>>();
  DecodeTop<T>(st, remote, box->mutable_get(), /*concrete=*/true);
  if (!st.ok()) return;
  out->name_.assign(name.data(), name.size());
  out->box_ = std::move(box);
}

}  // namespace internal
}  // namespace netrpc::gob

#endif  // NETRPC_GOB_INTERFACE_H_
