// Copyright 2024 The netrpc-gateway Authors. Licensed under the Apache License 2.0.
//
// File: type.h
//
// Gob type descriptions. A `Type` says what a gob value looks like: its kind,
// its Go name, and for composites the field, element, key and length. Types
// form graphs that may be recursive (a struct whose field refers back to it),
// so they never own each other: a `TypeArena` owns the user types it creates
// and the predefined types (bool, int, ..., interface; Go's wireType family)
// live for the whole process.
//
// `WireType` is Go's wireType: the description as it travels in a type
// definition message, with references by type id instead of by pointer.
//
// Example: describing Go's `type Point struct{ X, Y int }`
//
//   netrpc::gob::TypeArena arena;
//   netrpc::gob::Type* point = arena.NewStruct("Point");
//   NETRPC_RETURN_IF_ERROR(arena.AddField(point, "X", IntType()));
//   NETRPC_RETURN_IF_ERROR(arena.AddField(point, "Y", IntType()));
//   const Type* points = arena.NewSlice(point);        // []Point
//
// Names: `Type::name()` is exactly the CommonType.Name an encoder sends in the
// type's definition. Go uses the bare type name for named types ("Point"),
// the Go spelling for unnamed types reached as struct fields ("[]int",
// "map[string]int") and "" otherwise. Decoders ignore names.
//
// Thread-safety: a Type is immutable once built and may be shared freely.
// Building (TypeArena::New*, AddField) is not thread-safe.

#ifndef NETRPC_GOB_TYPE_H_
#define NETRPC_GOB_TYPE_H_

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace netrpc::gob {

// TypeId identifies a type on one gob stream. Ids are signed on the wire
// (a definition is announced by -id).
using TypeId = int64_t;

// The predefined type ids (Go's type.go; 9..15 are reserved placeholders).
inline constexpr TypeId kBoolId = 1;
inline constexpr TypeId kIntId = 2;
inline constexpr TypeId kUintId = 3;
inline constexpr TypeId kFloatId = 4;
inline constexpr TypeId kBytesId = 5;
inline constexpr TypeId kStringId = 6;
inline constexpr TypeId kComplexId = 7;
inline constexpr TypeId kInterfaceId = 8;
inline constexpr TypeId kWireTypeId = 16;
inline constexpr TypeId kArrayTypeId = 17;
inline constexpr TypeId kCommonTypeId = 18;
inline constexpr TypeId kSliceTypeId = 19;
inline constexpr TypeId kStructTypeId = 20;
inline constexpr TypeId kFieldTypeId = 21;
inline constexpr TypeId kFieldTypeSliceId = 22;
inline constexpr TypeId kMapTypeId = 23;
inline constexpr TypeId kGobEncoderTypeId = 24;

// kFirstUserId is the smallest id a decoder accepts in a type definition
// (Go's firstUserId); encoders allocate from kFirstUserId + 1.
inline constexpr TypeId kFirstUserId = 64;

// Kind is the shape of a gob value.
enum class Kind : uint8_t {
  kInvalid = 0,
  kBool,
  kInt,        // every signed Go integer
  kUint,       // every unsigned Go integer
  kFloat,      // float32 and float64
  kComplex,    // complex64 and complex128
  kString,
  kBytes,      // []byte
  kInterface,  // any Go interface type
  kStruct,
  kSlice,
  kArray,
  kMap,
  kGobEncoder,        // opaque bytes from GobEncode
  kBinaryMarshaler,   // opaque bytes from MarshalBinary
  kTextMarshaler,     // opaque bytes from MarshalText (never sent by Go)
};

// KindName returns a lower-case name for kind ("struct", "gob_encoder", ...).
absl::string_view KindName(Kind kind);

// IsExternal reports whether kind is one of the three opaque-bytes kinds.
inline bool IsExternal(Kind kind) {
  return kind == Kind::kGobEncoder || kind == Kind::kBinaryMarshaler ||
         kind == Kind::kTextMarshaler;
}

namespace internal {
class TypeAccess;
}  // namespace internal

// Type describes one gob type. See the file comment.
class Type {
 public:
  // Field is one struct field: its Go name and its type.
  struct Field {
    std::string name;
    const Type* type;
  };

  Type(const Type&) = delete;
  Type& operator=(const Type&) = delete;

  // kind is the shape of the type's values.
  Kind kind() const { return kind_; }

  // name is the CommonType.Name of the type (see the file comment). For the
  // predefined basic types it is Go's gob name: "bool", "int", "uint",
  // "float", "bytes", "string", "complex", "interface".
  const std::string& name() const { return name_; }

  // predefined_id is the fixed id of a predefined type, 0 for other types.
  TypeId predefined_id() const { return predefined_id_; }

  // fields lists a struct's fields in wire order.
  const std::vector<Field>& fields() const { return fields_; }

  // FieldIndex returns the index of the first field called name, or -1.
  // Matching is exact (case-sensitive), like gob's.
  int FieldIndex(absl::string_view name) const;

  // elem is the element type of a slice, array or map.
  const Type* elem() const { return elem_; }

  // key is the key type of a map.
  const Type* key() const { return key_; }

  // len is the length of an array.
  int64_t len() const { return len_; }

  // String renders the type for people: its name when it has one, otherwise
  // a Go-like spelling ("[]int", "map[string]Point", "struct { X int }").
  std::string String() const;

  // serial is unique per Type object for the life of the process; encoders
  // key their tables by it so that a freed and reused address never aliases.
  uint64_t serial() const { return serial_; }

 private:
  friend class TypeArena;
  friend class internal::TypeAccess;

  Type(Kind kind, std::string name);

  Kind kind_;
  TypeId predefined_id_ = 0;
  uint64_t serial_;
  std::string name_;
  std::vector<Field> fields_;
  // Built once a struct has many fields; small structs are searched linearly.
  std::unique_ptr<absl::flat_hash_map<std::string, int>> field_index_;
  const Type* elem_ = nullptr;
  const Type* key_ = nullptr;
  int64_t len_ = 0;
  // Set by the decoder for the types it builds (see codec_internal.h).
  bool contains_interface_ = false;
};

// The predefined basic types (ids 1..8), alive for the whole process.
const Type* BoolType();
const Type* IntType();
const Type* UintType();
const Type* FloatType();
const Type* BytesType();
const Type* StringType();
const Type* ComplexType();
const Type* InterfaceType();

// PredefinedType returns the predefined type with the given id (1..8 and
// Go's wireType family 16..24), or nullptr for any other id.
const Type* PredefinedType(TypeId id);

// TypeArena owns the types it creates; they live until the arena does.
// Values, encoders and decoders hold plain pointers to types, so an arena must
// outlive every Value and Encoder use of its types.
class TypeArena {
 public:
  TypeArena();
  ~TypeArena();
  TypeArena(const TypeArena&) = delete;
  TypeArena& operator=(const TypeArena&) = delete;

  // NewStruct creates a struct type with no fields yet; add them with
  // AddField. A field may refer to the struct itself (recursive types).
  Type* NewStruct(std::string name);

  // AddField appends a field to a struct created by NewStruct. Fails if
  // the name is empty or already used, or type is null.
  absl::Status AddField(Type* struct_type, std::string name, const Type* type);

  // NewSlice creates []elem.
  const Type* NewSlice(const Type* elem, std::string name = "");

  // NewArray creates [len]elem.
  const Type* NewArray(const Type* elem, int64_t len, std::string name = "");

  // NewMap creates map[key]elem.
  const Type* NewMap(const Type* key, const Type* elem, std::string name = "");

  // NewExternal creates a GobEncoder, BinaryMarshaler or TextMarshaler type
  // named name (e.g. "Time" for Go's time.Time). Other kinds yield nullptr.
  const Type* NewExternal(Kind kind, std::string name);

  // size is the number of types created so far.
  size_t size() const { return types_.size(); }

 private:
  friend class internal::TypeAccess;
  Type* Add(Kind kind, std::string name);

  std::vector<std::unique_ptr<Type>> types_;
};

// WireType is Go's wireType: a type definition as sent on a stream, exactly
// one of ArrayT, SliceT, StructT, MapT, GobEncoderT, BinaryMarshalerT or
// TextMarshalerT (told apart by kind). Components are type ids.
struct WireType {
  struct Field {
    std::string name;
    TypeId id = 0;
  };

  Kind kind = Kind::kInvalid;  // kInvalid: the definition set no field
  std::string name;            // CommonType.Name
  TypeId id = 0;               // CommonType.Id (informative, unchecked)
  TypeId elem = 0;             // array, slice, map
  TypeId key = 0;              // map
  int64_t len = 0;             // array
  std::vector<Field> fields;   // struct
};

// AppendWireType appends the gob encoding of wire (the body of a definition
// message after the -id), with zero fields omitted as Go does.
void AppendWireType(const WireType& wire, std::string* out);

// ParseWireType decodes a wireType value from [*p, end), advancing *p. The
// error texts are Go's for the same malformation.
absl::Status ParseWireType(const uint8_t** p, const uint8_t* end,
                           WireType* wire);

}  // namespace netrpc::gob

#endif  // NETRPC_GOB_TYPE_H_
