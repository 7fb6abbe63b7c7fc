// Copyright 2024 The netrpc-gateway Authors. Licensed under the Apache License 2.0.
//
// File: bind.h
//
// Typed bindings: C++ types that Encoder::Encode and Decoder::Decode read and
// write directly, without going through the dynamic Value. `Codec<T>` says how
// a C++ type maps onto gob:
//
//   C++                                  Go                 gob
//   bool                                 bool               bool
//   int8_t ... int64_t (any signed int)  int8 ... int       int (range-checked)
//   enums                                their underlying integer
//   uint8_t ... uint64_t                 uint8 ... uint     uint (range-checked)
//   float, double                        float32, float64   float
//   std::complex<float/double>           complex64/128      complex
//   std::string                          string             string
//   netrpc::gob::Bytes (vector<uint8_t>) []byte             bytes
//   std::vector<T>                       []T                slice
//   std::array<T, N>                     [N]T               array
//   std::map, std::unordered_map,        map[K]V            map
//     absl::flat_hash_map
//   std::unique_ptr<T>, std::optional<T> *T                 T (pointers are
//                                                           not on the wire)
//   NETRPC_GOB_STRUCT structs (fields.h) struct             struct
//   netrpc::gob::Interface (interface.h) interface{}        interface
//   absl::Time                           time.Time          GobEncoder
//   absl::Duration                       time.Duration      int (nanoseconds)
//   T with GobEncode/GobDecode methods   a GobEncoder       GobEncoder
//   T with MarshalBinary/UnmarshalBinary a BinaryMarshaler  BinaryMarshaler
//
// Example:
//
//   struct Args { int64_t A = 0; int64_t B = 0; };
//   NETRPC_GOB_STRUCT_NAMED(Args, "main.Args", A, B);
//
//   netrpc::gob::Encoder enc;
//   std::string wire;
//   NETRPC_RETURN_IF_ERROR(enc.Encode(Args{7, 8}, &wire));
//
// Go's conventions that carry over:
// - Zero fields are not sent: 0, false, "", empty slices and byte strings,
//   null pointers and pointers to zero scalars, nil interfaces, and (a C++
//   choice) empty maps; use std::optional<std::map<...>> to send an empty map
//   (Go's empty non-nil map). Nested structs and arrays are always sent.
// - Decoding matches fields by name, skips remote fields with no local
//   counterpart, leaves absent local fields untouched, and range-checks
//   narrow integers and float32 (`value for "X" out of range`).
// - Unlike Go, a decoded slice replaces the whole vector (Go may reuse and
//   merge into the old elements); maps merge, structs merge.
// - 64-bit integers are spelt "int"/"uint" in Go type names ([]int,
//   map[string]int), matching the common Go declarations; names are
//   informative only.
// - Go's promoted fields of embedded structs have no C++ counterpart: a
//   remote field matches only a member declared with its name.
//
// To bind another type, specialise `netrpc::gob::Codec<T>` with the members
// the built-in codecs below have (CodecDefaults documents them).
//
// Thread-safety: codecs are stateless; TypeOf<T>() is thread-safe.

#ifndef NETRPC_GOB_BIND_H_
#define NETRPC_GOB_BIND_H_

#include <array>
#include <cfloat>
#include <complex>
#include <cstdint>
#include <cstring>
#include <limits>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <type_traits>
#include <unordered_map>
#include <utility>
#include <vector>

#include "absl/base/attributes.h"
#include "absl/container/flat_hash_map.h"
#include "absl/functional/function_ref.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "netrpc/gob/codec_internal.h"
#include "netrpc/gob/fields.h"
#include "netrpc/gob/time.h"
#include "netrpc/gob/type.h"

namespace netrpc::gob {

// Bytes is Go's []byte.
using Bytes = std::vector<uint8_t>;

// Codec<T> maps the C++ type T onto gob; see the file comment. The primary
// template is undefined: using an unsupported type fails to compile.
template <typename T, typename Enable = void>
struct Codec;

// TypeOf returns the gob Type of T as Go would describe a value of T encoded
// at top level (a process-wide, immortal Type). Use it to build dynamic
// Values of bound C++ types.
template <typename T>
const Type* TypeOf();

namespace internal {

// CodecDefaults documents, and defaults, what every Codec<T> provides:
//
//   using Base = T;  // T without unique_ptr/optional wrappers
//   static std::string GoName();     // reflect.Type.Name(): "Args", "" for
//                                    // unnamed types and pointers
//   static std::string GoString();   // reflect.Type.String(): "main.Args",
//                                    // "[]int", "*main.Args"
//   static const Type* Describe(Describer&, absl::string_view name);
//                                    // the gob type, named as Go would
//   static bool IsZero(const T&);    // omitted from a struct
//   static void Encode(EncState&, const T&);      // always writes
//   static bool Compatible(const Type* remote);   // Go's compatibleType
//   static const Plan* Compile(DecState&, const Type* remote,
//                              const std::string& name,
//                              const std::string& ovfl);
//   static void Decode(DecState&, const Plan*, T*);
struct CodecDefaults {
  static constexpr bool kIsStruct = false;     // a gob struct at top level
  static constexpr bool kIsPointer = false;    // unique_ptr, optional
  static constexpr bool kIsMap = false;        // non-nil even when empty
  static constexpr bool kIsInterface = false;  // netrpc::gob::Interface
};

template <typename T>
using BaseOf = typename Codec<T>::Base;

// IsNil reports whether v is a null pointer wrapper.
template <typename T>
bool IsNil(const T& v) {
  if constexpr (Codec<T>::kIsPointer) {
    return !v;
  } else {
    (void)v;
    return false;
  }
}

// PointeeIsZero: Go omits a pointer field when it points to a zero value,
// except that a map behind a pointer is non-nil and therefore sent.
template <typename T>
bool PointeeIsZero(const T& v) {
  if constexpr (Codec<T>::kIsMap) {
    (void)v;
    return false;
  } else {
    return Codec<T>::IsZero(v);
  }
}

inline void FailOverflow(DecState& st, const Plan* plan) {
  st.FailText(absl::StrCat("value for \"", plan == nullptr ? "" : plan->ovfl,
                           "\" out of range"));
}

// BareName returns what follows the last '.' of a Go type name.
inline std::string BareName(absl::string_view name) {
  size_t dot = name.rfind('.');
  return std::string(dot == absl::string_view::npos ? name
                                                    : name.substr(dot + 1));
}

// DescribeTop describes T as Go describes the type of a top-level value
// (named with its own Name()).
template <typename T>
const Type* DescribeTop(Describer& d) {
  return Codec<T>::Describe(d, Codec<BaseOf<T>>::GoName());
}

// DescribeGlobally runs describe on the process-wide Describer under a lock.
const Type* DescribeGlobally(absl::FunctionRef<const Type*(Describer&)> describe);

// A scalar plan carries nothing but the overflow name, so those that cannot
// overflow use none.
inline const Plan* OvflPlan(DecState& st, const std::string& ovfl) {
  return st.dec->NewPlan(ovfl);
}

}  // namespace internal

// ---------------------------------------------------------------------------
// Scalars.

template <>
struct Codec<bool> : internal::CodecDefaults {
  using Base = bool;
  static std::string GoName() { return "bool"; }
  static std::string GoString() { return "bool"; }
  static const Type* Describe(internal::Describer&, absl::string_view) {
    return BoolType();
  }
  static bool IsZero(bool v) { return !v; }
  static void Encode(internal::EncState& st, bool v) {
    st.b->push_back(v ? 1 : 0);
  }
  static bool Compatible(const Type* r) { return r->kind() == Kind::kBool; }
  static const internal::Plan* Compile(internal::DecState&, const Type*,
                                       const std::string&, const std::string&) {
    return nullptr;
  }
  static void Decode(internal::DecState& st, const internal::Plan*, bool* out) {
    uint64_t v = st.Uint();
    if (st.ok()) *out = v != 0;
  }
};

template <typename T>
struct Codec<T, std::enable_if_t<std::is_integral_v<T> &&
                                 !std::is_same_v<T, bool>>>
    : internal::CodecDefaults {
  using Base = T;
  static constexpr bool kSigned = std::is_signed_v<T>;
  static std::string GoName() { return GoString(); }
  static std::string GoString() {
    const char* s = kSigned ? "int" : "uint";
    if constexpr (sizeof(T) < 8) return absl::StrCat(s, sizeof(T) * 8);
    return s;
  }
  static const Type* Describe(internal::Describer&, absl::string_view) {
    return kSigned ? IntType() : UintType();
  }
  static bool IsZero(T v) { return v == 0; }
  static void Encode(internal::EncState& st, T v) {
    if constexpr (kSigned) {
      AppendInt(st.b, static_cast<int64_t>(v));
    } else {
      AppendUint(st.b, static_cast<uint64_t>(v));
    }
  }
  static bool Compatible(const Type* r) {
    return r->kind() == (kSigned ? Kind::kInt : Kind::kUint);
  }
  static const internal::Plan* Compile(internal::DecState& st, const Type*,
                                       const std::string&,
                                       const std::string& ovfl) {
    if constexpr (sizeof(T) < 8) return internal::OvflPlan(st, ovfl);
    return nullptr;
  }
  static void Decode(internal::DecState& st, const internal::Plan* plan,
                     T* out) {
    if constexpr (kSigned) {
      int64_t v = st.Int();
      if (!st.ok()) return;
      if constexpr (sizeof(T) < 8) {
        if (v < std::numeric_limits<T>::min() ||
            v > std::numeric_limits<T>::max()) {
          internal::FailOverflow(st, plan);
          return;
        }
      }
      *out = static_cast<T>(v);
    } else {
      uint64_t v = st.Uint();
      if (!st.ok()) return;
      if constexpr (sizeof(T) < 8) {
        if (v > std::numeric_limits<T>::max()) {
          internal::FailOverflow(st, plan);
          return;
        }
      }
      *out = static_cast<T>(v);
    }
  }
};

// Enums travel as their underlying integer, range-checked on decode (Go's
// `type Color int`). Name the Go type with NETRPC_GOB_TYPE_NAME to have it
// spelt in composite names; otherwise the integer's name is used.
template <typename T>
struct Codec<T, std::enable_if_t<std::is_enum_v<T>>> : internal::CodecDefaults {
  using Base = T;
  using U = std::underlying_type_t<T>;
  static std::string GoName() {
    if constexpr (internal::HasGoTypeName<T>::value) {
      std::string s = GoTypeName<T>();
      size_t dot = s.rfind('.');
      return dot == std::string::npos ? s : s.substr(dot + 1);
    }
    return Codec<U>::GoName();
  }
  static std::string GoString() {
    if constexpr (internal::HasGoTypeName<T>::value) return GoTypeName<T>();
    return Codec<U>::GoString();
  }
  static const Type* Describe(internal::Describer& d, absl::string_view name) {
    return Codec<U>::Describe(d, name);
  }
  static bool IsZero(T v) { return static_cast<U>(v) == 0; }
  static void Encode(internal::EncState& st, T v) {
    Codec<U>::Encode(st, static_cast<U>(v));
  }
  static bool Compatible(const Type* r) { return Codec<U>::Compatible(r); }
  static const internal::Plan* Compile(internal::DecState& st, const Type* r,
                                       const std::string& name,
                                       const std::string& ovfl) {
    return Codec<U>::Compile(st, r, name, ovfl);
  }
  static void Decode(internal::DecState& st, const internal::Plan* plan,
                     T* out) {
    U v{};
    Codec<U>::Decode(st, plan, &v);
    if (st.ok()) *out = static_cast<T>(v);
  }
};

namespace internal {

// Float32 checks a decoded float for float32 range like Go's float32FromBits
// (overflow to a finite value out of range is an error; Inf and underflow
// are fine).
inline bool Float32(DecState& st, const Plan* plan, double v, float* out) {
  double a = v < 0 ? -v : v;
  if (a > FLT_MAX && a <= DBL_MAX) {
    FailOverflow(st, plan);
    return false;
  }
  *out = static_cast<float>(v);
  return true;
}

}  // namespace internal

template <>
struct Codec<double> : internal::CodecDefaults {
  using Base = double;
  static std::string GoName() { return "float64"; }
  static std::string GoString() { return "float64"; }
  static const Type* Describe(internal::Describer&, absl::string_view) {
    return FloatType();
  }
  static bool IsZero(double v) { return v == 0; }
  static void Encode(internal::EncState& st, double v) { AppendFloat(st.b, v); }
  static bool Compatible(const Type* r) { return r->kind() == Kind::kFloat; }
  static const internal::Plan* Compile(internal::DecState&, const Type*,
                                       const std::string&, const std::string&) {
    return nullptr;
  }
  static void Decode(internal::DecState& st, const internal::Plan*,
                     double* out) {
    uint64_t u = st.Uint();
    if (st.ok()) *out = FloatFromBits(u);
  }
};

template <>
struct Codec<float> : internal::CodecDefaults {
  using Base = float;
  static std::string GoName() { return "float32"; }
  static std::string GoString() { return "float32"; }
  static const Type* Describe(internal::Describer&, absl::string_view) {
    return FloatType();
  }
  static bool IsZero(float v) { return v == 0; }
  static void Encode(internal::EncState& st, float v) { AppendFloat(st.b, v); }
  static bool Compatible(const Type* r) { return r->kind() == Kind::kFloat; }
  static const internal::Plan* Compile(internal::DecState& st, const Type*,
                                       const std::string&,
                                       const std::string& ovfl) {
    return internal::OvflPlan(st, ovfl);
  }
  static void Decode(internal::DecState& st, const internal::Plan* plan,
                     float* out) {
    uint64_t u = st.Uint();
    if (st.ok()) internal::Float32(st, plan, FloatFromBits(u), out);
  }
};

template <typename F>
struct Codec<std::complex<F>,
             std::enable_if_t<std::is_same_v<F, float> ||
                              std::is_same_v<F, double>>>
    : internal::CodecDefaults {
  using Base = std::complex<F>;
  static constexpr bool k64 = std::is_same_v<F, float>;
  static std::string GoName() { return GoString(); }
  static std::string GoString() { return k64 ? "complex64" : "complex128"; }
  static const Type* Describe(internal::Describer&, absl::string_view) {
    return ComplexType();
  }
  static bool IsZero(const Base& v) { return v == Base(); }
  static void Encode(internal::EncState& st, const Base& v) {
    AppendFloat(st.b, v.real());
    AppendFloat(st.b, v.imag());
  }
  static bool Compatible(const Type* r) { return r->kind() == Kind::kComplex; }
  static const internal::Plan* Compile(internal::DecState& st, const Type*,
                                       const std::string&,
                                       const std::string& ovfl) {
    if constexpr (k64) return internal::OvflPlan(st, ovfl);
    return nullptr;
  }
  static void Decode(internal::DecState& st, const internal::Plan* plan,
                     Base* out) {
    double re = FloatFromBits(st.Uint());
    double im = FloatFromBits(st.Uint());
    if (!st.ok()) return;
    if constexpr (k64) {
      float r, i;
      if (!internal::Float32(st, plan, re, &r) ||
          !internal::Float32(st, plan, im, &i)) {
        return;
      }
      *out = Base(r, i);
    } else {
      *out = Base(re, im);
    }
  }
};

template <>
struct Codec<std::string> : internal::CodecDefaults {
  using Base = std::string;
  static std::string GoName() { return "string"; }
  static std::string GoString() { return "string"; }
  static const Type* Describe(internal::Describer&, absl::string_view) {
    return StringType();
  }
  static bool IsZero(const std::string& v) { return v.empty(); }
  static void Encode(internal::EncState& st, const std::string& v) {
    AppendString(st.b, v);
  }
  static bool Compatible(const Type* r) { return r->kind() == Kind::kString; }
  static const internal::Plan* Compile(internal::DecState&, const Type*,
                                       const std::string&, const std::string&) {
    return nullptr;
  }
  static void Decode(internal::DecState& st, const internal::Plan*,
                     std::string* out) {
    uint64_t n;
    if (!st.Length(&n)) {
      // Go's getLength reports the failed length as 0.
      if (st.ok()) st.FailText("gob: bad string slice length: 0");
      return;
    }
    out->assign(reinterpret_cast<const char*>(st.p), n);
    st.p += n;
  }
};

template <>
struct Codec<Bytes> : internal::CodecDefaults {
  using Base = Bytes;
  static std::string GoName() { return ""; }
  static std::string GoString() { return "[]uint8"; }
  static const Type* Describe(internal::Describer&, absl::string_view) {
    return BytesType();
  }
  static bool IsZero(const Bytes& v) { return v.empty(); }
  static void Encode(internal::EncState& st, const Bytes& v) {
    AppendUint(st.b, v.size());
    st.b->append(reinterpret_cast<const char*>(v.data()), v.size());
  }
  static bool Compatible(const Type* r) { return r->kind() == Kind::kBytes; }
  static const internal::Plan* Compile(internal::DecState&, const Type*,
                                       const std::string&, const std::string&) {
    return nullptr;
  }
  static void Decode(internal::DecState& st, const internal::Plan*,
                     Bytes* out) {
    uint64_t n;
    if (!st.Length(&n)) {
      if (st.ok()) st.FailText("gob: bad []uint8 slice length: 0");
      return;
    }
    out->assign(st.p, st.p + n);
    st.p += n;
  }
};

template <>
struct Codec<absl::Duration> : internal::CodecDefaults {
  using Base = absl::Duration;
  static std::string GoName() { return "Duration"; }
  static std::string GoString() { return "time.Duration"; }
  static const Type* Describe(internal::Describer&, absl::string_view) {
    return IntType();
  }
  static bool IsZero(absl::Duration v) { return v == absl::ZeroDuration(); }
  static void Encode(internal::EncState& st, absl::Duration v) {
    AppendInt(st.b, absl::ToInt64Nanoseconds(v));
  }
  static bool Compatible(const Type* r) { return r->kind() == Kind::kInt; }
  static const internal::Plan* Compile(internal::DecState&, const Type*,
                                       const std::string&, const std::string&) {
    return nullptr;
  }
  static void Decode(internal::DecState& st, const internal::Plan*,
                     absl::Duration* out) {
    int64_t v = st.Int();
    if (st.ok()) *out = absl::Nanoseconds(v);
  }
};

// ---------------------------------------------------------------------------
// Opaque (GobEncoder, BinaryMarshaler) types.

namespace internal {

template <typename T, typename = void>
struct HasGobEncoder : std::false_type {};
template <typename T>
struct HasGobEncoder<
    T, std::void_t<decltype(std::declval<const T&>().GobEncode(
                       std::declval<std::string*>())),
                   decltype(std::declval<T&>().GobDecode(
                       std::declval<absl::string_view>()))>>
    : std::true_type {};

template <typename T, typename = void>
struct HasBinaryMarshaler : std::false_type {};
template <typename T>
struct HasBinaryMarshaler<
    T, std::void_t<decltype(std::declval<const T&>().MarshalBinary(
                       std::declval<std::string*>())),
                   decltype(std::declval<T&>().UnmarshalBinary(
                       std::declval<absl::string_view>()))>>
    : std::true_type {};

// kExternalKind<T> is the gob kind of a type with encoding methods, or
// kInvalid. Go prefers GobEncoder to BinaryMarshaler, and so do we.
template <typename T>
inline constexpr Kind kExternalKind =
    HasGobEncoder<T>::value        ? Kind::kGobEncoder
    : HasBinaryMarshaler<T>::value ? Kind::kBinaryMarshaler
                                   : Kind::kInvalid;

template <typename T, typename = void>
struct HasIsZero : std::false_type {};
template <typename T>
struct HasIsZero<T, std::void_t<decltype(bool(std::declval<const T&>().IsZero()))>>
    : std::true_type {};

template <typename T, typename = void>
struct HasEqual : std::false_type {};
template <typename T>
struct HasEqual<T, std::void_t<decltype(bool(std::declval<const T&>() ==
                                             std::declval<const T&>()))>>
    : std::true_type {};

// ExternalDescribe declares an opaque type (no components, so no recursion).
inline const Type* ExternalDescribe(Describer& d, const void* tag, Kind kind,
                                    absl::string_view name) {
  if (const Type* t = d.Find(tag)) return t;
  return d.Declare(tag, kind, name);
}

// DecodeOpaque reads the byte-counted payload of an external value.
inline bool DecodeOpaque(DecState& st, absl::string_view* data) {
  uint64_t n;
  if (!st.Length(&n)) {
    if (st.ok()) st.FailText("gob: GobDecoder: length too large for buffer");
    return false;
  }
  *data = absl::string_view(reinterpret_cast<const char*>(st.p), n);
  st.p += n;
  return true;
}

}  // namespace internal

// A type T with
//   absl::Status GobEncode(std::string* out) const;
//   absl::Status GobDecode(absl::string_view data);
// (or MarshalBinary/UnmarshalBinary) is sent as opaque bytes. Name it with
// NETRPC_GOB_TYPE_NAME(T, "pkg.Name"). It is zero (omitted from structs) when
// it has `bool IsZero() const` returning true, or else when it compares equal
// to T{}; types with neither are always sent.
template <typename T>
struct Codec<T, std::enable_if_t<internal::kExternalKind<T> != Kind::kInvalid>>
    : internal::CodecDefaults {
  static_assert(internal::HasGoTypeName<T>::value,
                "name the type with NETRPC_GOB_TYPE_NAME(T, \"pkg.Name\")");
  using Base = T;
  static constexpr Kind kKind = internal::kExternalKind<T>;
  static std::string GoString() { return GoTypeName<T>(); }
  static std::string GoName() { return internal::BareName(GoString()); }
  static const Type* Describe(internal::Describer& d, absl::string_view name) {
    return internal::ExternalDescribe(d, internal::TagOf<T>(), kKind, name);
  }
  static bool IsZero(const T& v) {
    if constexpr (internal::HasIsZero<T>::value) {
      return v.IsZero();
    } else if constexpr (internal::HasEqual<T>::value &&
                         std::is_default_constructible_v<T>) {
      return v == T{};
    } else {
      return false;
    }
  }
  static void Encode(internal::EncState& st, const T& v) {
    std::string data;
    absl::Status s;
    if constexpr (kKind == Kind::kGobEncoder) {
      s = v.GobEncode(&data);
    } else {
      s = v.MarshalBinary(&data);
    }
    if (!s.ok()) {
      st.Fail(std::move(s));
      return;
    }
    AppendString(st.b, data);
  }
  static bool Compatible(const Type* r) { return r->kind() == kKind; }
  static const internal::Plan* Compile(internal::DecState&, const Type*,
                                       const std::string&, const std::string&) {
    return nullptr;
  }
  static void Decode(internal::DecState& st, const internal::Plan*, T* out) {
    absl::string_view data;
    if (!internal::DecodeOpaque(st, &data)) return;
    absl::Status s;
    if constexpr (kKind == Kind::kGobEncoder) {
      s = out->GobDecode(data);
    } else {
      s = out->UnmarshalBinary(data);
    }
    if (!s.ok()) st.Fail(std::move(s));
  }
};

template <>
struct Codec<absl::Time> : internal::CodecDefaults {
  using Base = absl::Time;
  static std::string GoName() { return "Time"; }
  static std::string GoString() { return "time.Time"; }
  static const Type* Describe(internal::Describer& d, absl::string_view name) {
    return internal::ExternalDescribe(d, internal::TagOf<absl::Time>(),
                                      Kind::kGobEncoder, name);
  }
  static bool IsZero(absl::Time v) { return v == GoZeroTime(); }
  static void Encode(internal::EncState& st, absl::Time v) {
    AppendUint(st.b, 15);
    absl::Status s = AppendGoTime(v, st.b);
    if (!s.ok()) st.Fail(std::move(s));
  }
  static bool Compatible(const Type* r) {
    return r->kind() == Kind::kGobEncoder;
  }
  static const internal::Plan* Compile(internal::DecState&, const Type*,
                                       const std::string&, const std::string&) {
    return nullptr;
  }
  static void Decode(internal::DecState& st, const internal::Plan*,
                     absl::Time* out) {
    absl::string_view data;
    if (!internal::DecodeOpaque(st, &data)) return;
    absl::StatusOr<GoTime> t = ParseGoTime(data);
    if (!t.ok()) {
      st.Fail(t.status());
      return;
    }
    *out = t->time;
  }
};

// ---------------------------------------------------------------------------
// Pointers.

namespace internal {

template <typename P, typename T>
struct PointerCodec : CodecDefaults {
  using Base = typename Codec<T>::Base;
  static constexpr bool kIsStruct = Codec<T>::kIsStruct;
  static constexpr bool kIsPointer = true;
  static std::string GoName() { return ""; }
  static std::string GoString() { return "*" + Codec<T>::GoString(); }
  static const Type* Describe(Describer& d, absl::string_view name) {
    return Codec<T>::Describe(d, name);
  }
  static bool IsZero(const P& p) { return !p || PointeeIsZero<T>(*p); }
  static void Encode(EncState& st, const P& p) {
    if (!p) {
      st.Fail(absl::InvalidArgumentError(
          absl::StrCat("gob: cannot encode nil pointer of type ", GoString())));
      return;
    }
    Codec<T>::Encode(st, *p);
  }
  static bool Compatible(const Type* r) { return Codec<T>::Compatible(r); }
  static const Plan* Compile(DecState& st, const Type* r,
                             const std::string& name, const std::string& ovfl) {
    return Codec<T>::Compile(st, r, name, ovfl);
  }
};

}  // namespace internal

template <typename T, typename D>
struct Codec<std::unique_ptr<T, D>>
    : internal::PointerCodec<std::unique_ptr<T, D>, T> {
  static void Decode(internal::DecState& st, const internal::Plan* plan,
                     std::unique_ptr<T, D>* out) {
    if (!*out) out->reset(new T());
    Codec<T>::Decode(st, plan, out->get());
  }
};

template <typename T>
struct Codec<std::optional<T>> : internal::PointerCodec<std::optional<T>, T> {
  static void Decode(internal::DecState& st, const internal::Plan* plan,
                     std::optional<T>* out) {
    if (!out->has_value()) out->emplace();
    Codec<T>::Decode(st, plan, &**out);
  }
};

// ---------------------------------------------------------------------------
// Slices, arrays, maps.

namespace internal {

// DecodeElements decodes n elements into a vector-like container, never
// reserving more than the message can hold (each element takes a byte).
template <typename E, typename V>
void DecodeElements(DecState& st, const Plan* plan, uint64_t n, V* out) {
  out->clear();
  out->reserve(std::min<uint64_t>(n, st.remaining()));
  for (uint64_t i = 0; i < n; ++i) {
    if (ABSL_PREDICT_FALSE(st.p >= st.end)) {
      st.FailText(absl::StrCat(
          "gob: decoding array or slice: length exceeds input size (", n,
          " elements)"));
      return;
    }
    if constexpr (std::is_same_v<E, bool>) {
      bool b = false;  // std::vector<bool> has no addressable elements
      Codec<bool>::Decode(st, plan, &b);
      out->push_back(b);
    } else {
      out->emplace_back();
      Codec<E>::Decode(st, plan, &out->back());
    }
    if (ABSL_PREDICT_FALSE(!st.ok())) return;
  }
}

}  // namespace internal

template <typename E, typename A>
struct Codec<std::vector<E, A>,
             std::enable_if_t<!std::is_same_v<std::vector<E, A>, Bytes>>>
    : internal::CodecDefaults {
  using Base = std::vector<E, A>;
  static std::string GoName() { return ""; }
  static std::string GoString() { return "[]" + Codec<E>::GoString(); }
  static const Type* Describe(internal::Describer& d, absl::string_view name) {
    const void* tag = internal::TagOf<Base>();
    if (const Type* t = d.Find(tag)) return t;
    Type* t = d.Declare(tag, Kind::kSlice, name);
    d.SetElem(t, Codec<E>::Describe(d, Codec<E>::GoName()));
    return t;
  }
  static bool IsZero(const Base& v) { return v.empty(); }
  static void Encode(internal::EncState& st, const Base& v) {
    if (!st.Enter()) return;
    AppendUint(st.b, v.size());
    for (const E& e : v) {
      if (internal::IsNil(e)) {
        st.Fail(absl::InvalidArgumentError("gob: encodeArray: nil element"));
        return;
      }
      Codec<E>::Encode(st, e);
    }
    st.Leave();
  }
  static bool Compatible(const Type* r) {
    return r->kind() == Kind::kSlice && Codec<E>::Compatible(r->elem());
  }
  static const internal::Plan* Compile(internal::DecState& st, const Type* r,
                                       const std::string& name,
                                       const std::string&) {
    std::string elem_name = "element of " + name;
    internal::Plan* plan = st.dec->NewPlan(elem_name);
    plan->elem = Codec<E>::Compile(st, r->elem(), elem_name, elem_name);
    return plan;
  }
  static void Decode(internal::DecState& st, const internal::Plan* plan,
                     Base* out) {
    uint64_t n = st.Uint();
    if (!st.ok() || !st.ChargeCount(n, sizeof(E), &Codec<E>::GoString) ||
        !st.Enter()) {
      return;
    }
    internal::DecodeElements<E>(st, plan->elem, n, out);
    st.Leave();
  }
};

template <typename E, size_t N>
struct Codec<std::array<E, N>> : internal::CodecDefaults {
  using Base = std::array<E, N>;
  static std::string GoName() { return ""; }
  static std::string GoString() {
    return absl::StrCat("[", N, "]", Codec<E>::GoString());
  }
  static const Type* Describe(internal::Describer& d, absl::string_view name) {
    const void* tag = internal::TagOf<Base>();
    if (const Type* t = d.Find(tag)) return t;
    Type* t = d.Declare(tag, Kind::kArray, name);
    d.SetLen(t, static_cast<int64_t>(N));
    d.SetElem(t, Codec<E>::Describe(d, ""));
    return t;
  }
  static bool IsZero(const Base&) { return false; }  // arrays are always sent
  static void Encode(internal::EncState& st, const Base& v) {
    if (!st.Enter()) return;
    AppendUint(st.b, N);
    for (const E& e : v) {
      if (internal::IsNil(e)) {
        st.Fail(absl::InvalidArgumentError("gob: encodeArray: nil element"));
        return;
      }
      Codec<E>::Encode(st, e);
    }
    st.Leave();
  }
  static bool Compatible(const Type* r) {
    return r->kind() == Kind::kArray &&
           r->len() == static_cast<int64_t>(N) &&
           Codec<E>::Compatible(r->elem());
  }
  static const internal::Plan* Compile(internal::DecState& st, const Type* r,
                                       const std::string& name,
                                       const std::string&) {
    std::string elem_name = "element of " + name;
    internal::Plan* plan = st.dec->NewPlan(elem_name);
    plan->elem = Codec<E>::Compile(st, r->elem(), elem_name, elem_name);
    return plan;
  }
  static void Decode(internal::DecState& st, const internal::Plan* plan,
                     Base* out) {
    uint64_t n = st.Uint();
    if (!st.ok()) return;
    if (n != N) {
      st.FailText("gob: length mismatch in decodeArray");
      return;
    }
    if (!st.Enter()) return;
    for (size_t i = 0; i < N && st.ok(); ++i) {
      if (st.p >= st.end) {
        st.FailText(absl::StrCat(
            "gob: decoding array or slice: length exceeds input size (", N,
            " elements)"));
        return;
      }
      Codec<E>::Decode(st, plan->elem, &(*out)[i]);
    }
    st.Leave();
  }
};

namespace internal {

// MapCodec serves every map-like container M with key K and value V.
template <typename M, typename K, typename V>
struct MapCodec : CodecDefaults {
  using Base = M;
  static constexpr bool kIsMap = true;
  static std::string GoName() { return ""; }
  static std::string GoString() {
    return absl::StrCat("map[", Codec<K>::GoString(), "]",
                        Codec<V>::GoString());
  }
  static const Type* Describe(Describer& d, absl::string_view name) {
    const void* tag = TagOf<M>();
    if (const Type* t = d.Find(tag)) return t;
    Type* t = d.Declare(tag, Kind::kMap, name);
    d.SetKey(t, Codec<K>::Describe(d, ""));
    d.SetElem(t, Codec<V>::Describe(d, ""));
    return t;
  }
  static bool IsZero(const M& m) { return m.empty(); }
  static void Encode(EncState& st, const M& m) {
    if (!st.Enter()) return;
    AppendUint(st.b, m.size());
    for (const auto& [k, v] : m) {
      if (IsNil(k) || IsNil(v)) {
        st.Fail(absl::InvalidArgumentError(
            "gob: encodeReflectValue: nil element"));
        return;
      }
      Codec<K>::Encode(st, k);
      Codec<V>::Encode(st, v);
    }
    st.Leave();
  }
  static bool Compatible(const Type* r) {
    return r->kind() == Kind::kMap && Codec<K>::Compatible(r->key()) &&
           Codec<V>::Compatible(r->elem());
  }
  static const Plan* Compile(DecState& st, const Type* r,
                             const std::string& name, const std::string&) {
    Plan* plan = st.dec->NewPlan(name);
    // Go names nested containers "key of"/"element of" the map, but reports
    // a scalar key or element overflow under the map's own name.
    plan->key = Codec<K>::Compile(st, r->key(), "key of " + name, name);
    plan->elem = Codec<V>::Compile(st, r->elem(), "element of " + name, name);
    return plan;
  }
  static void Decode(DecState& st, const Plan* plan, M* out) {
    uint64_t n = st.Uint();
    if (!st.ok() || !st.Enter()) return;
    for (uint64_t i = 0; i < n; ++i) {
      if (st.p >= st.end) {
        st.FailText("EOF");
        return;
      }
      if (!st.Charge(sizeof(typename M::value_type) + 2 * sizeof(void*))) {
        return;
      }
      K k{};
      V v{};
      Codec<K>::Decode(st, plan->key, &k);
      Codec<V>::Decode(st, plan->elem, &v);
      if (!st.ok()) return;
      out->insert_or_assign(std::move(k), std::move(v));
    }
    st.Leave();
  }
};

}  // namespace internal

template <typename K, typename V, typename C, typename A>
struct Codec<std::map<K, V, C, A>>
    : internal::MapCodec<std::map<K, V, C, A>, K, V> {};

template <typename K, typename V, typename H, typename E, typename A>
struct Codec<std::unordered_map<K, V, H, E, A>>
    : internal::MapCodec<std::unordered_map<K, V, H, E, A>, K, V> {};

template <typename K, typename V, typename H, typename E, typename A>
struct Codec<absl::flat_hash_map<K, V, H, E, A>>
    : internal::MapCodec<absl::flat_hash_map<K, V, H, E, A>, K, V> {};

// ---------------------------------------------------------------------------
// Structs.

namespace internal {

// IsExportedConst is IsExportedName for compile-time names.
constexpr bool IsExportedConst(const char* name) {
  unsigned char c = static_cast<unsigned char>(name[0]);
  if (c < 0x80) return c >= 'A' && c <= 'Z';
  if ((c & 0xe0) != 0xc0) return false;
  unsigned char c1 = static_cast<unsigned char>(name[1]);
  if ((c1 & 0xc0) != 0x80) return false;
  uint32_t r = ((c & 0x1f) << 6) | (c1 & 0x3f);
  if (r >= 0xc0 && r <= 0xde) return r != 0xd7;
  if (r >= 0x391 && r <= 0x3a9) return r != 0x3a2;
  return r >= 0x400 && r <= 0x42f;
}

// StructInfo holds the compile-time tables of a NETRPC_GOB_STRUCT type.
template <typename T>
struct StructInfo {
  static constexpr auto kFields = GobFields<T>();
  static constexpr size_t kCount = GobFieldCount<T>();

  template <size_t I>
  using Member =
      typename std::tuple_element_t<I, std::remove_const_t<decltype(kFields)>>::
          Member;

  template <size_t I>
  static constexpr const char* Name() {
    return std::get<I>(kFields).name;
  }

  template <size_t... I>
  static constexpr std::array<int, kCount> WireNumbers(
      std::index_sequence<I...>) {
    std::array<int, kCount> out{};
    const char* names[] = {Name<I>()..., nullptr};
    int next = 0;
    for (size_t i = 0; i < kCount; ++i) {
      out[i] = IsExportedConst(names[i]) ? next++ : -1;
    }
    return out;
  }
  // kWire[i] is the wire field number of member i, -1 when unexported.
  static constexpr std::array<int, kCount> kWire =
      WireNumbers(std::make_index_sequence<kCount>());

  static constexpr size_t Exported() {
    size_t n = 0;
    for (size_t i = 0; i < kCount; ++i) n += kWire[i] >= 0 ? 1 : 0;
    return n;
  }

  template <size_t I>
  static void EncodeField(EncState& st, const T& v, int* last) {
    constexpr int wire = kWire[I];
    if constexpr (wire >= 0) {
      using M = Member<I>;
      const M& m = v.*(std::get<I>(kFields).member);
      if (!Codec<M>::IsZero(m)) {
        AppendUint(st.b, static_cast<uint64_t>(wire - *last));
        *last = wire;
        Codec<M>::Encode(st, m);
      }
    }
  }
  template <size_t... I>
  static void EncodeFields([[maybe_unused]] EncState& st,
                           [[maybe_unused]] const T& v,
                           std::index_sequence<I...>) {
    [[maybe_unused]] int last = -1;
    (EncodeField<I>(st, v, &last), ...);
  }

  template <size_t I>
  static void DescribeField(Describer& d, Type* t) {
    if constexpr (kWire[I] >= 0) {
      using M = Member<I>;
      std::string name = Codec<BaseOf<M>>::GoName();
      if (name.empty()) name = Codec<BaseOf<M>>::GoString();
      d.AddField(t, Name<I>(), Codec<M>::Describe(d, name));
    }
  }
  template <size_t... I>
  static void DescribeFields([[maybe_unused]] Describer& d,
                             [[maybe_unused]] Type* t,
                             std::index_sequence<I...>) {
    (DescribeField<I>(d, t), ...);
  }

  using DecodeFn = void (*)(DecState&, const Plan*, T*);
  using CompileFn = const Plan* (*)(DecState&, const Type*, const std::string&,
                                    const std::string&);
  using CompatibleFn = bool (*)(const Type*);
  using GoStringFn = std::string (*)();

  template <size_t I>
  static void DecodeField(DecState& st, const Plan* plan, T* obj) {
    Codec<Member<I>>::Decode(st, plan, &(obj->*(std::get<I>(kFields).member)));
  }

  template <size_t... I>
  static constexpr std::array<DecodeFn, kCount> DecodeTable(
      std::index_sequence<I...>) {
    return {{&DecodeField<I>...}};
  }
  template <size_t... I>
  static constexpr std::array<CompileFn, kCount> CompileTable(
      std::index_sequence<I...>) {
    return {{&Codec<Member<I>>::Compile...}};
  }
  template <size_t... I>
  static constexpr std::array<CompatibleFn, kCount> CompatibleTable(
      std::index_sequence<I...>) {
    return {{&Codec<Member<I>>::Compatible...}};
  }
  template <size_t... I>
  static constexpr std::array<GoStringFn, kCount> GoStringTable(
      std::index_sequence<I...>) {
    return {{&Codec<Member<I>>::GoString...}};
  }
  template <size_t... I>
  static constexpr std::array<const char*, kCount> NameTable(
      std::index_sequence<I...>) {
    return {{Name<I>()...}};
  }

  static constexpr auto kDecode = DecodeTable(std::make_index_sequence<kCount>());
  static constexpr auto kCompile =
      CompileTable(std::make_index_sequence<kCount>());
  static constexpr auto kCompatible =
      CompatibleTable(std::make_index_sequence<kCount>());
  static constexpr auto kGoString =
      GoStringTable(std::make_index_sequence<kCount>());
  static constexpr auto kNames = NameTable(std::make_index_sequence<kCount>());

  // LocalIndex finds the member with Go name `name`, or -1.
  static int LocalIndex(absl::string_view name) {
    for (size_t i = 0; i < kCount; ++i) {
      if (name == kNames[i]) return static_cast<int>(i);
    }
    return -1;
  }
};

}  // namespace internal

template <typename T>
struct Codec<T, std::enable_if_t<kIsGobStruct<T> &&
                                 internal::kExternalKind<T> == Kind::kInvalid>>
    : internal::CodecDefaults {
  using Base = T;
  using Info = internal::StructInfo<T>;
  static constexpr bool kIsStruct = true;
  static std::string GoString() { return GoTypeName<T>(); }
  static std::string GoName() { return internal::BareName(GoString()); }

  static const Type* Describe(internal::Describer& d, absl::string_view name) {
    const void* tag = internal::TagOf<T>();
    if (const Type* t = d.Find(tag)) return t;
    Type* t = d.Declare(tag, Kind::kStruct, name);  // before its fields
    Info::DescribeFields(d, t, std::make_index_sequence<Info::kCount>());
    return t;
  }

  static bool IsZero(const T&) { return false; }  // structs are always sent

  static void Encode(internal::EncState& st, const T& v) {
    if constexpr (Info::kCount > 0 && Info::Exported() == 0) {
      (void)v;
      st.Fail(absl::InvalidArgumentError(
          absl::StrCat("gob: type ", GoString(), " has no exported fields")));
    } else {
      if (!st.Enter()) return;
      Info::EncodeFields(st, v, std::make_index_sequence<Info::kCount>());
      st.b->push_back(0);
      st.Leave();
    }
  }

  // Go checks a struct's fields only when compiling its decoder.
  static bool Compatible(const Type* r) { return !IsExternal(r->kind()); }

  static const internal::Plan* Compile(internal::DecState& st, const Type* r,
                                       const std::string&, const std::string&) {
    using internal::DecoderCore;
    const void* tag = internal::TagOf<T>();
    if (const internal::Plan* p =
            st.dec->FindPlan(DecoderCore::PlanKind::kStruct, r, tag)) {
      return p;
    }
    if (r->kind() != Kind::kStruct) {
      st.FailText(absl::StrCat("gob: type mismatch in decoder: want struct type ",
                               GoString(), "; got non-struct"));
      return nullptr;
    }
    internal::Plan* plan = st.dec->NewPlan("");
    st.dec->AddPlan(DecoderCore::PlanKind::kStruct, r, tag, plan);
    const std::vector<Type::Field>& fields = r->fields();
    plan->steps.resize(fields.size());
    for (size_t i = 0; i < fields.size(); ++i) {
      const Type::Field& f = fields[i];
      plan->steps[i].remote = f.type;
      if (f.name.empty()) {
        st.FailText(absl::StrCat("gob: empty name for remote field of type ",
                                 r->name()));
        return nullptr;
      }
      int local = IsExportedName(f.name) ? Info::LocalIndex(f.name) : -1;
      if (local < 0) continue;
      if (!Info::kCompatible[local](f.type)) {
        st.FailText(absl::StrCat("gob: wrong type (", Info::kGoString[local](),
                                 ") for received field ", r->name(), ".",
                                 f.name));
        return nullptr;
      }
      const internal::Plan* field_plan =
          Info::kCompile[local](st, f.type, f.name, f.name);
      if (!st.ok()) return nullptr;
      plan->steps[i].plan = field_plan;
      plan->steps[i].local = local;
      ++plan->matched;
    }
    return plan;
  }

  static void Decode(internal::DecState& st, const internal::Plan* plan,
                     T* out) {
    if (!st.Enter()) return;
    const std::vector<internal::Plan::Step>& steps = plan->steps;
    int64_t num = -1;
    while (internal::NextField(st, steps.size(), &num)) {
      const internal::Plan::Step& s = steps[num];
      if (s.local < 0) {
        internal::SkipValue(st, s.remote);
      } else {
        Info::kDecode[s.local](st, s.plan, out);
      }
    }
    st.Leave();
  }
};

// ---------------------------------------------------------------------------
// Top level.

namespace internal {

// NullPlan marks a compiled top-level decoder that needs no plan.
inline const Plan* NullPlan() {
  static const Plan* plan = new Plan();
  return plan;
}

// EncodeTop encodes v as a top-level value: a struct, or 00 and a singleton.
template <typename T>
void EncodeTop(EncState& st, const T& v) {
  using C = Codec<T>;
  if constexpr (C::kIsStruct) {
    if constexpr (C::kIsPointer) {
      if (!v) {
        st.Fail(absl::InvalidArgumentError(absl::StrCat(
            "gob: cannot encode nil pointer of type ", C::GoString())));
        return;
      }
      EncodeTop(st, *v);
    } else {
      C::Encode(st, v);
    }
  } else {
    st.b->push_back(0);
    C::Encode(st, v);
  }
}

// DecodeTop decodes a top-level value of remote type `remote` (null when its
// id is undefined) into *out, compiling and caching the plan. `concrete` is
// set for the concrete value of an interface, which Go names without '*'.
// kNoName is the empty name and overflow text of a top-level struct's plan
// (one object, not two temporaries per value decoded).
inline const std::string kNoName;

template <typename T>
void DecodeTop(DecState& st, const Type* remote, T* out, bool concrete) {
  using C = Codec<T>;
  using PlanKind = DecoderCore::PlanKind;
  if constexpr (C::kIsStruct) {
    using B = BaseOf<T>;
    if (remote == nullptr) {
      st.FailText("gob: unknown type id or corrupted data");
      return;
    }
    DecoderCore::PlanMark mark = st.dec->plan_mark();
    const Plan* plan = Codec<B>::Compile(st, remote, kNoName, kNoName);
    if (!st.ok()) {
      st.dec->RollbackPlans(mark);
      return;
    }
    if (plan->matched == 0 && StructInfo<B>::kCount > 0 &&
        !remote->fields().empty()) {
      st.FailText(absl::StrCat(
          "gob: type mismatch: no fields matched compiling decoder for ",
          Codec<B>::GoName()));
      return;
    }
    C::Decode(st, plan, out);  // a pointer codec allocates first
  } else {
    std::string local = concrete ? C::GoString() : "*" + C::GoString();
    if (remote == nullptr || !C::Compatible(remote)) {
      std::string remote_name = DecoderCore::TypeString(remote);
      if (C::kIsInterface) {
        st.FailText(absl::StrCat(
            "gob: local interface type ", local,
            " can only be decoded from remote interface type; received "
            "concrete type ",
            remote_name));
      } else {
        st.FailText(absl::StrCat("gob: decoding into local type ", local,
                                 ", received remote type ", remote_name));
      }
      return;
    }
    PlanKind kind = concrete ? PlanKind::kConcrete : PlanKind::kTop;
    const void* tag = TagOf<T>();
    const Plan* plan = st.dec->FindPlan(kind, remote, tag);
    if (plan == nullptr) {
      DecoderCore::PlanMark mark = st.dec->plan_mark();
      plan = C::Compile(st, remote, local, local);
      if (!st.ok()) {
        st.dec->RollbackPlans(mark);
        return;
      }
      if (plan == nullptr) plan = NullPlan();
      st.dec->AddPlan(kind, remote, tag, plan);
    }
    uint64_t delta = st.Uint();
    if (st.ok() && delta != 0) {
      st.FailText("gob: decode: corrupted data: non-zero delta for singleton");
      return;
    }
    C::Decode(st, plan, out);
  }
}

}  // namespace internal

template <typename T>
const Type* TypeOf() {
  static const Type* type = internal::DescribeGlobally(
      [](internal::Describer& d) { return internal::DescribeTop<T>(d); });
  return type;
}

}  // namespace netrpc::gob

#endif  // NETRPC_GOB_BIND_H_
