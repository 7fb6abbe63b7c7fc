// Copyright 2024 The netrpc-gateway Authors. Licensed under the Apache License 2.0.

#include "netrpc/gob/value.h"

#include <complex>
#include <cstring>
#include <memory>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/hash/hash.h"
#include "absl/strings/str_cat.h"

#include "netrpc/gob/value_internal.h"

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

// Hashed hashes a Value consistently with operator==.
struct Hashed {
  const Value& v;

  template <typename H>
  friend H AbslHashValue(H h, Hashed k) {
    using internal::ValueAccess;
    const Value& v = k.v;
    h = H::combine(std::move(h), v.type());
    switch (v.kind()) {
      case Kind::kInvalid:
        return h;
      case Kind::kBool:
      case Kind::kInt:
      case Kind::kUint:
        return H::combine(std::move(h), ValueAccess::scalar_a(v));
      case Kind::kFloat:  // absl hashes 0.0 and -0.0 alike, as == has them
        return H::combine(std::move(h), v.float_value());
      case Kind::kComplex:
        return H::combine(std::move(h), v.complex_value().real(),
                          v.complex_value().imag());
      case Kind::kString:
      case Kind::kBytes:
      case Kind::kGobEncoder:
      case Kind::kBinaryMarshaler:
      case Kind::kTextMarshaler:
        return H::combine(std::move(h), v.bytes());
      case Kind::kStruct:
        for (size_t i = 0; i < v.type()->fields().size(); ++i) {
          h = H::combine(std::move(h), Hashed{v.field(i)});
        }
        return h;
      case Kind::kInterface:
      case Kind::kSlice:
      case Kind::kArray:
      case Kind::kMap: {
        const std::vector<Value>& elems = ValueAccess::elems(v);
        h = H::combine(std::move(h), v.bytes(), elems.size());
        for (const Value& e : elems) h = H::combine(std::move(h), Hashed{e});
        return h;
      }
    }
    return h;
  }
};

// Below this many entries, MapBuilder searches linearly: building the index
// costs more than it saves for the small maps most messages carry (measured
// on string keys, the break-even is about 20 entries).
constexpr size_t kIndexFrom = 16;

}  // namespace

bool OmittedFromStruct(const Value& v) {
  switch (v.kind()) {
    case Kind::kBool:
      return !v.bool_value();
    case Kind::kInt:
      return v.int_value() == 0;
    case Kind::kUint:
      return v.uint_value() == 0;
    case Kind::kFloat:
      return v.float_value() == 0;
    case Kind::kComplex:
      return v.complex_value() == std::complex<double>();
    case Kind::kString:
    case Kind::kBytes:
      return v.bytes().empty();
    case Kind::kSlice:
      return v.size() == 0;
    case Kind::kInterface:
      return v.interface_value() == nullptr;
    default:
      return false;
  }
}

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

absl::Status Value::CheckMapEntry(const Value& key, const Value& value) const {
  if (kind() != Kind::kMap) {
    return absl::InvalidArgumentError(
        absl::StrCat("gob: MapInsert into a ", KindName(kind())));
  }
  if (key.type() != type_->key()) return Mismatch("map key", type_->key(), key);
  if (value.type() != type_->elem()) {
    return Mismatch("map element", type_->elem(), value);
  }
  return absl::OkStatus();
}

absl::Status Value::MapInsert(Value key, Value value) {
  if (absl::Status s = CheckMapEntry(key, value); !s.ok()) return s;
  size_t i = LinearMapSearch(key);
  if (i < size()) {
    elems_[2 * i + 1] = std::move(value);
    return absl::OkStatus();
  }
  elems_.push_back(std::move(key));
  elems_.push_back(std::move(value));
  return absl::OkStatus();
}

const Value* Value::MapFind(const Value& key) const {
  if (kind() != Kind::kMap) return nullptr;
  size_t i = LinearMapSearch(key);
  return i < size() ? &elems_[2 * i + 1] : nullptr;
}

size_t Value::LinearMapSearch(const Value& key) const {
  for (size_t i = 0; i < elems_.size(); i += 2) {
    if (elems_[i] == key) return i / 2;
  }
  return elems_.size() / 2;
}

// Index is the set of a map's entry numbers, searched by key.
class MapBuilder::Index {
 public:
  explicit Index(const Value* map)
      : map_(map), entries_(2 * map->size(), KeyHash{map}, KeyEq{map}) {
    // Of equal keys, the first stays indexed: the one MapInsert replaces.
    for (size_t i = 0; i < map->size(); ++i) entries_.insert(i);
  }

  // Search returns the number of the entry whose key equals key, or the
  // map's size.
  size_t Search(const Value& key) const {
    auto it = entries_.find(key);
    return it == entries_.end() ? map_->size() : *it;
  }

  void Add(size_t entry) { entries_.insert(entry); }

 private:
  // KeyHash and KeyEq see an entry number as the entry's key.
  struct KeyHash {
    using is_transparent = void;
    size_t operator()(size_t entry) const {
      return (*this)(map->map_key(entry));
    }
    size_t operator()(const Value& key) const {
      return absl::Hash<Hashed>{}(Hashed{key});
    }
    const Value* map;
  };
  struct KeyEq {
    using is_transparent = void;
    // An entry equals itself even when its key does not (NaN): the set
    // needs that to find what it inserted.
    bool operator()(size_t a, size_t b) const {
      return a == b || map->map_key(a) == map->map_key(b);
    }
    bool operator()(const Value& key, size_t entry) const {
      return key == map->map_key(entry);
    }
    bool operator()(size_t entry, const Value& key) const {
      return key == map->map_key(entry);
    }
    const Value* map;
  };

  const Value* const map_;
  absl::flat_hash_set<size_t, KeyHash, KeyEq> entries_;
};

MapBuilder::MapBuilder(Value* map) : map_(map) {}

MapBuilder::~MapBuilder() = default;

absl::Status MapBuilder::Insert(Value key, Value value) {
  if (absl::Status s = map_->CheckMapEntry(key, value); !s.ok()) return s;
  const size_t n = map_->size();
  if (index_ == nullptr && n >= kIndexFrom) {
    index_ = std::make_unique<Index>(map_);
  }
  size_t i =
      index_ != nullptr ? index_->Search(key) : map_->LinearMapSearch(key);
  if (i < n) {
    *map_->mutable_map_value(i) = std::move(value);
    return absl::OkStatus();
  }
  map_->elems_.push_back(std::move(key));
  map_->elems_.push_back(std::move(value));
  if (index_ != nullptr) index_->Add(n);
  return absl::OkStatus();
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
