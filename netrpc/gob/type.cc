// Copyright 2024 The netrpc-gateway Authors. Licensed under the Apache License 2.0.

#include "netrpc/gob/type.h"

#include <atomic>
#include <utility>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "netrpc/gob/type_internal.h"
#include "netrpc/gob/wire.h"

namespace netrpc::gob {
namespace {

// Structs with more fields than this get a hash index for FieldIndex.
constexpr size_t kIndexedFieldCount = 16;

uint64_t NextSerial() {
  static std::atomic<uint64_t> next{1};
  return next.fetch_add(1, std::memory_order_relaxed);
}

// Predefined holds the process-wide predefined types (never destroyed, so
// that pointers stay valid during static destruction of other objects).
struct Predefined {
  TypeArena arena;
  const Type* basic[9] = {};    // index = id 1..8
  const Type* wire[9] = {};     // index = id - 16, ids 16..24

  Predefined() {
    using internal::TypeAccess;
    static constexpr struct {
      Kind kind;
      const char* name;
    } kBasic[] = {
        {Kind::kInvalid, ""},      {Kind::kBool, "bool"},
        {Kind::kInt, "int"},       {Kind::kUint, "uint"},
        {Kind::kFloat, "float"},   {Kind::kBytes, "bytes"},
        {Kind::kString, "string"}, {Kind::kComplex, "complex"},
        {Kind::kInterface, "interface"},
    };
    for (TypeId id = 1; id <= 8; ++id) {
      Type* t = TypeAccess::NewShell(&arena, kBasic[id].kind, kBasic[id].name);
      SetId(t, id);
      TypeAccess::SetContainsInterface(t, id == kInterfaceId);
      basic[id] = t;
    }
    // Go's wireType family, with the names and layout Go's type.go gives
    // them (the element of []*fieldType is reached through a pointer, hence
    // its empty name).
    Type* wire_type = Struct(kWireTypeId, "wireType");
    Type* array_type = Struct(kArrayTypeId, "arrayType");
    Type* common_type = Struct(kCommonTypeId, "CommonType");
    Type* slice_type = Struct(kSliceTypeId, "sliceType");
    Type* struct_type = Struct(kStructTypeId, "structType");
    Type* field_type = Struct(kFieldTypeId, "");
    Type* field_slice =
        TypeAccess::NewShell(&arena, Kind::kSlice, "[]*gob.fieldType");
    SetId(field_slice, kFieldTypeSliceId);
    wire[kFieldTypeSliceId - kWireTypeId] = field_slice;
    Type* map_type = Struct(kMapTypeId, "mapType");
    Type* gob_encoder_type = Struct(kGobEncoderTypeId, "gobEncoderType");

    const Type* int_type = basic[kIntId];
    const Type* string_type = basic[kStringId];
    TypeAccess::AddField(wire_type, "ArrayT", array_type);
    TypeAccess::AddField(wire_type, "SliceT", slice_type);
    TypeAccess::AddField(wire_type, "StructT", struct_type);
    TypeAccess::AddField(wire_type, "MapT", map_type);
    TypeAccess::AddField(wire_type, "GobEncoderT", gob_encoder_type);
    TypeAccess::AddField(wire_type, "BinaryMarshalerT", gob_encoder_type);
    TypeAccess::AddField(wire_type, "TextMarshalerT", gob_encoder_type);
    TypeAccess::AddField(array_type, "CommonType", common_type);
    TypeAccess::AddField(array_type, "Elem", int_type);
    TypeAccess::AddField(array_type, "Len", int_type);
    TypeAccess::AddField(common_type, "Name", string_type);
    TypeAccess::AddField(common_type, "Id", int_type);
    TypeAccess::AddField(slice_type, "CommonType", common_type);
    TypeAccess::AddField(slice_type, "Elem", int_type);
    TypeAccess::AddField(struct_type, "CommonType", common_type);
    TypeAccess::AddField(struct_type, "Field", field_slice);
    TypeAccess::AddField(field_type, "Name", string_type);
    TypeAccess::AddField(field_type, "Id", int_type);
    TypeAccess::SetElem(field_slice, field_type);
    TypeAccess::AddField(map_type, "CommonType", common_type);
    TypeAccess::AddField(map_type, "Key", int_type);
    TypeAccess::AddField(map_type, "Elem", int_type);
    TypeAccess::AddField(gob_encoder_type, "CommonType", common_type);
  }

  Type* Struct(TypeId id, const char* name) {
    Type* t = internal::TypeAccess::NewShell(&arena, Kind::kStruct, name);
    SetId(t, id);
    wire[id - kWireTypeId] = t;
    return t;
  }

  static void SetId(Type* t, TypeId id);
};

const Predefined& GetPredefined() {
  static const Predefined* predefined = new Predefined();
  return *predefined;
}

// kMaxStringDepth bounds the nesting String() spells out: types come from
// the wire and may nest thousands of unnamed levels.
constexpr size_t kMaxStringDepth = 32;

void AppendTypeString(const Type* t, absl::flat_hash_set<const Type*>* path,
                      std::string* out) {
  if (!t->name().empty()) {
    out->append(t->name());
    return;
  }
  if (path->size() >= kMaxStringDepth || !path->insert(t).second) {
    out->append("...");
    return;
  }
  switch (t->kind()) {
    case Kind::kSlice:
      out->append("[]");
      AppendTypeString(t->elem(), path, out);
      break;
    case Kind::kArray:
      absl::StrAppend(out, "[", t->len(), "]");
      AppendTypeString(t->elem(), path, out);
      break;
    case Kind::kMap:
      out->append("map[");
      AppendTypeString(t->key(), path, out);
      out->append("]");
      AppendTypeString(t->elem(), path, out);
      break;
    case Kind::kStruct:
      out->append("struct {");
      for (size_t i = 0; i < t->fields().size(); ++i) {
        out->append(i == 0 ? " " : "; ");
        out->append(t->fields()[i].name);
        out->append(" ");
        AppendTypeString(t->fields()[i].type, path, out);
      }
      out->append(t->fields().empty() ? "}" : " }");
      break;
    default:
      absl::StrAppend(out, KindName(t->kind()));
      break;
  }
  path->erase(t);
}

}  // namespace

void Predefined::SetId(Type* t, TypeId id) {
  internal::TypeAccess::SetPredefinedId(t, id);
}

absl::string_view KindName(Kind kind) {
  switch (kind) {
    case Kind::kInvalid:
      return "invalid";
    case Kind::kBool:
      return "bool";
    case Kind::kInt:
      return "int";
    case Kind::kUint:
      return "uint";
    case Kind::kFloat:
      return "float";
    case Kind::kComplex:
      return "complex";
    case Kind::kString:
      return "string";
    case Kind::kBytes:
      return "bytes";
    case Kind::kInterface:
      return "interface";
    case Kind::kStruct:
      return "struct";
    case Kind::kSlice:
      return "slice";
    case Kind::kArray:
      return "array";
    case Kind::kMap:
      return "map";
    case Kind::kGobEncoder:
      return "gob_encoder";
    case Kind::kBinaryMarshaler:
      return "binary_marshaler";
    case Kind::kTextMarshaler:
      return "text_marshaler";
  }
  return "invalid";
}

Type::Type(Kind kind, std::string name)
    : kind_(kind), serial_(NextSerial()), name_(std::move(name)) {}

int Type::FieldIndex(absl::string_view name) const {
  if (field_index_ != nullptr) {
    auto it = field_index_->find(name);
    return it == field_index_->end() ? -1 : it->second;
  }
  for (size_t i = 0; i < fields_.size(); ++i) {
    if (fields_[i].name == name) return static_cast<int>(i);
  }
  return -1;
}

std::string Type::String() const {
  std::string out;
  absl::flat_hash_set<const Type*> path;
  AppendTypeString(this, &path, &out);
  return out;
}

const Type* BoolType() { return GetPredefined().basic[kBoolId]; }
const Type* IntType() { return GetPredefined().basic[kIntId]; }
const Type* UintType() { return GetPredefined().basic[kUintId]; }
const Type* FloatType() { return GetPredefined().basic[kFloatId]; }
const Type* BytesType() { return GetPredefined().basic[kBytesId]; }
const Type* StringType() { return GetPredefined().basic[kStringId]; }
const Type* ComplexType() { return GetPredefined().basic[kComplexId]; }
const Type* InterfaceType() { return GetPredefined().basic[kInterfaceId]; }

const Type* PredefinedType(TypeId id) {
  const Predefined& p = GetPredefined();
  if (id >= 1 && id <= 8) return p.basic[id];
  if (id >= kWireTypeId && id <= kGobEncoderTypeId) {
    return p.wire[id - kWireTypeId];
  }
  return nullptr;
}

void internal::TypeAccess::AddField(Type* t, std::string name,
                                    const Type* type) {
  int index = static_cast<int>(t->fields_.size());
  if (t->field_index_ != nullptr) {
    t->field_index_->try_emplace(name, index);
  }
  t->fields_.push_back({std::move(name), type});
  if (t->field_index_ == nullptr && t->fields_.size() > kIndexedFieldCount) {
    t->field_index_ =
        std::make_unique<absl::flat_hash_map<std::string, int>>();
    for (size_t i = 0; i < t->fields_.size(); ++i) {
      t->field_index_->try_emplace(t->fields_[i].name, static_cast<int>(i));
    }
  }
}

TypeArena::TypeArena() = default;
TypeArena::~TypeArena() = default;

Type* TypeArena::Add(Kind kind, std::string name) {
  types_.push_back(std::unique_ptr<Type>(new Type(kind, std::move(name))));
  return types_.back().get();
}

Type* TypeArena::NewStruct(std::string name) {
  return Add(Kind::kStruct, std::move(name));
}

absl::Status TypeArena::AddField(Type* struct_type, std::string name,
                                 const Type* type) {
  if (struct_type == nullptr || struct_type->kind() != Kind::kStruct) {
    return absl::InvalidArgumentError("gob: AddField on a non-struct type");
  }
  if (type == nullptr) {
    return absl::InvalidArgumentError(
        absl::StrCat("gob: field ", name, " of ", struct_type->name(),
                     " has no type"));
  }
  if (name.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat("gob: empty field name in ", struct_type->name()));
  }
  if (struct_type->FieldIndex(name) >= 0) {
    return absl::InvalidArgumentError(absl::StrCat(
        "gob: duplicate field ", name, " in ", struct_type->name()));
  }
  internal::TypeAccess::AddField(struct_type, std::move(name), type);
  return absl::OkStatus();
}

const Type* TypeArena::NewSlice(const Type* elem, std::string name) {
  Type* t = Add(Kind::kSlice, std::move(name));
  t->elem_ = elem;
  return t;
}

const Type* TypeArena::NewArray(const Type* elem, int64_t len,
                                std::string name) {
  Type* t = Add(Kind::kArray, std::move(name));
  t->elem_ = elem;
  t->len_ = len;
  return t;
}

const Type* TypeArena::NewMap(const Type* key, const Type* elem,
                              std::string name) {
  Type* t = Add(Kind::kMap, std::move(name));
  t->key_ = key;
  t->elem_ = elem;
  return t;
}

const Type* TypeArena::NewExternal(Kind kind, std::string name) {
  if (!IsExternal(kind)) return nullptr;
  return Add(kind, std::move(name));
}

}  // namespace netrpc::gob
