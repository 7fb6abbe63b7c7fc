// Copyright 2024 The netrpc-gateway Authors. Licensed under the Apache License 2.0.
//
// Encoding, decoding and skipping of values described only by a Type: the
// dynamic Value model and Go's "ignore" engines (decode.go's ignore*).

#include <algorithm>
#include <complex>
#include <string>

#include "absl/strings/str_cat.h"
#include "netrpc/gob/codec_internal.h"
#include "netrpc/gob/value_internal.h"

namespace netrpc::gob::internal {
namespace {

constexpr absl::string_view kErrBadType =
    "gob: unknown type id or corrupted data";

// ---------------------------------------------------------------------------
// Encoding.

absl::Status TypeMismatch(const Type* want, const Value& got) {
  return absl::InvalidArgumentError(absl::StrCat(
      "gob: value of type ", got.type()->String(),
      " where the type says ", want->String()));
}

void EncodeBody(EncState& st, const Value& v);

// Check fails st unless v is present and has type want.
bool Check(EncState& st, const Value& v, const Type* want,
           absl::string_view nil_text) {
  if (!v.present()) {
    st.Fail(absl::InvalidArgumentError(nil_text));
    return false;
  }
  if (v.type() != want) {
    st.Fail(TypeMismatch(want, v));
    return false;
  }
  return true;
}

void EncodeStruct(EncState& st, const Value& v) {
  if (!st.Enter()) return;
  const std::vector<Type::Field>& fields = v.type()->fields();
  size_t last = static_cast<size_t>(-1);
  for (size_t i = 0; i < fields.size() && st.ok(); ++i) {
    const Value& f = v.field(i);
    if (!f.present()) continue;
    if (f.type() != fields[i].type) {
      st.Fail(TypeMismatch(fields[i].type, f));
      return;
    }
    if (OmittedFromStruct(f)) continue;
    AppendUint(st.b, i - last);
    last = i;
    EncodeBody(st, f);
  }
  st.b->push_back(0);
  st.Leave();
}

void EncodeBody(EncState& st, const Value& v) {
  if (!st.ok()) return;
  switch (v.kind()) {
    case Kind::kInvalid:
      st.Fail(absl::InvalidArgumentError("gob: cannot encode nil value"));
      return;
    case Kind::kBool:
      AppendUint(st.b, v.bool_value() ? 1 : 0);
      return;
    case Kind::kInt:
      AppendInt(st.b, v.int_value());
      return;
    case Kind::kUint:
      AppendUint(st.b, v.uint_value());
      return;
    case Kind::kFloat:
      AppendFloat(st.b, v.float_value());
      return;
    case Kind::kComplex:
      AppendFloat(st.b, v.complex_value().real());
      AppendFloat(st.b, v.complex_value().imag());
      return;
    case Kind::kString:
    case Kind::kBytes:
    case Kind::kGobEncoder:
    case Kind::kBinaryMarshaler:
    case Kind::kTextMarshaler:
      AppendString(st.b, v.bytes());
      return;
    case Kind::kStruct:
      EncodeStruct(st, v);
      return;
    case Kind::kArray:
      if (v.size() != static_cast<uint64_t>(v.type()->len())) {
        st.Fail(absl::InvalidArgumentError(
            absl::StrCat("gob: array value of type ", v.type()->String(),
                         " has ", v.size(), " elements")));
        return;
      }
      [[fallthrough]];
    case Kind::kSlice: {
      if (!st.Enter()) return;
      AppendUint(st.b, v.size());
      for (size_t i = 0; i < v.size() && st.ok(); ++i) {
        if (!Check(st, v.elem(i), v.type()->elem(),
                   "gob: encodeArray: nil element")) {
          return;
        }
        EncodeBody(st, v.elem(i));
      }
      st.Leave();
      return;
    }
    case Kind::kMap: {
      if (!st.Enter()) return;
      AppendUint(st.b, v.size());
      for (size_t i = 0; i < v.size() && st.ok(); ++i) {
        constexpr absl::string_view kNil =
            "gob: encodeReflectValue: nil element";
        if (!Check(st, v.map_key(i), v.type()->key(), kNil) ||
            !Check(st, v.map_value(i), v.type()->elem(), kNil)) {
          return;
        }
        EncodeBody(st, v.map_key(i));
        EncodeBody(st, v.map_value(i));
      }
      st.Leave();
      return;
    }
    case Kind::kInterface: {
      const Value* concrete = v.interface_value();
      if (concrete == nullptr) {
        AppendUint(st.b, 0);
        return;
      }
      if (concrete->kind() == Kind::kInterface) {
        st.Fail(absl::InvalidArgumentError(
            "gob: an interface value cannot hold an interface value"));
        return;
      }
      st.enc->EncodeInterface(
          st, v.interface_name(), concrete->type(),
          [concrete](EncState& inner) { EncodeTopValue(inner, *concrete); });
      return;
    }
  }
}

// ---------------------------------------------------------------------------
// Decoding.

void DecodeBody(DecState& st, const Type* t, Value* out);

void DecodeStruct(DecState& st, const Type* t, Value* out) {
  ValueAccess::Reset(out, t);
  if (!st.Enter()) return;
  const std::vector<Type::Field>& fields = t->fields();
  std::vector<Value>* elems = ValueAccess::mutable_elems(out);
  int64_t num = -1;
  while (NextField(st, fields.size(), &num)) {
    if (elems->empty()) {
      if (!st.Charge(fields.size() * sizeof(Value))) break;
      elems->resize(fields.size());
    }
    DecodeBody(st, fields[num].type, &(*elems)[num]);
  }
  st.Leave();
}

void DecodeElems(DecState& st, const Type* elem, uint64_t n, Value* out) {
  std::vector<Value>* elems = ValueAccess::mutable_elems(out);
  elems->reserve(std::min<uint64_t>(n, st.remaining()));
  for (uint64_t i = 0; i < n && st.ok(); ++i) {
    if (st.p >= st.end) {
      st.FailText(absl::StrCat(
          "gob: decoding array or slice: length exceeds input size (", n,
          " elements)"));
      return;
    }
    elems->emplace_back();
    DecodeBody(st, elem, &elems->back());
  }
}

void DecodeInterface(DecState& st, Value* out) {
  absl::string_view name;
  if (!st.dec->ReadInterfaceName(st, &name, /*skipping=*/false)) return;
  ValueAccess::Reset(out, InterfaceType());
  if (name.empty()) return;
  ValueAccess::mutable_str(out)->assign(name.data(), name.size());
  const Type* concrete = st.dec->ReadConcreteType(st, /*skipping=*/false);
  if (concrete == nullptr || !st.Charge(sizeof(Value)) || !st.Enter()) return;
  std::vector<Value>* elems = ValueAccess::mutable_elems(out);
  elems->emplace_back();
  DecodeTopValue(st, concrete, &elems->back());
  st.Leave();
}

void DecodeBody(DecState& st, const Type* t, Value* out) {
  if (!st.ok()) return;
  ValueAccess::Reset(out, t);
  switch (t->kind()) {
    case Kind::kBool:
      ValueAccess::SetScalar(out, st.Uint() != 0 ? 1 : 0);
      return;
    case Kind::kInt:
    case Kind::kUint:
      ValueAccess::SetScalar(out, t->kind() == Kind::kInt
                                      ? static_cast<uint64_t>(st.Int())
                                      : st.Uint());
      return;
    case Kind::kFloat: {
      double f = FloatFromBits(st.Uint());
      *out = Value::Float(f);
      return;
    }
    case Kind::kComplex: {
      double re = FloatFromBits(st.Uint());
      double im = FloatFromBits(st.Uint());
      *out = Value::Complex({re, im});
      return;
    }
    case Kind::kString:
    case Kind::kBytes:
    case Kind::kGobEncoder:
    case Kind::kBinaryMarshaler:
    case Kind::kTextMarshaler: {
      uint64_t n;
      if (!st.Length(&n)) {
        if (!st.ok()) return;
        st.FailText(t->kind() == Kind::kString ? "gob: bad string slice length: 0"
                    : t->kind() == Kind::kBytes
                        ? "gob: bad []uint8 slice length: 0"
                        : "gob: GobDecoder: length too large for buffer");
        return;
      }
      ValueAccess::mutable_str(out)->assign(
          reinterpret_cast<const char*>(st.p), n);
      st.p += n;
      return;
    }
    case Kind::kStruct:
      DecodeStruct(st, t, out);
      return;
    case Kind::kSlice:
    case Kind::kArray: {
      uint64_t n = st.Uint();
      if (!st.ok()) return;
      if (t->kind() == Kind::kArray && n != static_cast<uint64_t>(t->len())) {
        st.FailText("gob: length mismatch in decodeArray");
        return;
      }
      if (!st.ChargeCount(n, sizeof(Value),
                          [t] { return t->elem()->String(); }) ||
          !st.Enter()) {
        return;
      }
      DecodeElems(st, t->elem(), n, out);
      st.Leave();
      return;
    }
    case Kind::kMap: {
      uint64_t n = st.Uint();
      if (!st.ok() || !st.Enter()) return;
      // A key sent twice keeps its first place and its last value, as Go's
      // decoder (SetMapIndex) keeps it.
      MapBuilder builder(out);
      for (uint64_t i = 0; i < n && st.ok(); ++i) {
        if (st.p >= st.end) {
          st.FailText("EOF");
          break;
        }
        if (!st.Charge(2 * sizeof(Value))) break;
        Value key;
        Value elem;
        DecodeBody(st, t->key(), &key);
        DecodeBody(st, t->elem(), &elem);
        if (!st.ok()) break;
        absl::Status inserted = builder.Insert(std::move(key), std::move(elem));
        if (!inserted.ok()) {
          st.FailText(inserted.message());
          break;
        }
      }
      st.Leave();
      return;
    }
    case Kind::kInterface:
      DecodeInterface(st, out);
      return;
    case Kind::kInvalid:
      st.FailText(kErrBadType);
      return;
  }
}

// ---------------------------------------------------------------------------
// Skipping.

void SkipStruct(DecState& st, const Type* t) {
  if (!st.Enter()) return;
  const std::vector<Type::Field>& fields = t->fields();
  int64_t num = -1;
  while (NextField(st, fields.size(), &num)) {
    SkipValue(st, fields[num].type);
  }
  st.Leave();
}

void SkipBytes(DecState& st, absl::string_view error) {
  uint64_t n;
  if (!st.Length(&n)) {
    if (st.ok()) st.FailText(error);
    return;
  }
  st.p += n;
}

}  // namespace

void EncodeTopValue(EncState& st, const Value& v) {
  if (!v.present()) {
    st.Fail(absl::InvalidArgumentError("gob: cannot encode nil value"));
    return;
  }
  if (v.kind() == Kind::kStruct) {
    EncodeStruct(st, v);
    return;
  }
  st.b->push_back(0);  // a singleton is field 0 of no struct
  EncodeBody(st, v);
}

void DecodeTopValue(DecState& st, const Type* t, Value* out) {
  if (t == nullptr) {
    st.FailText(kErrBadType);
    return;
  }
  if (t->kind() == Kind::kStruct) {
    DecodeStruct(st, t, out);
    return;
  }
  uint64_t delta = st.Uint();
  if (st.ok() && delta != 0) {
    st.FailText("gob: decode: corrupted data: non-zero delta for singleton");
    return;
  }
  DecodeBody(st, t, out);
}

void SkipValue(DecState& st, const Type* t) {
  if (!st.ok()) return;
  switch (t->kind()) {
    case Kind::kBool:
    case Kind::kInt:
    case Kind::kUint:
    case Kind::kFloat:
      st.Uint();
      return;
    case Kind::kComplex:
      st.Uint();
      st.Uint();
      return;
    case Kind::kString:
    case Kind::kBytes:
      SkipBytes(st, "gob: slice length too large");
      return;
    case Kind::kGobEncoder:
    case Kind::kBinaryMarshaler:
    case Kind::kTextMarshaler:
      SkipBytes(st, "gob: GobDecoder: length too large for buffer");
      return;
    case Kind::kStruct:
      SkipStruct(st, t);
      return;
    case Kind::kSlice:
    case Kind::kArray: {
      uint64_t n = st.Uint();
      if (!st.ok()) return;
      if (t->kind() == Kind::kArray && n != static_cast<uint64_t>(t->len())) {
        st.FailText("gob: length mismatch in ignoreArray");
        return;
      }
      if (!st.Enter()) return;
      for (uint64_t i = 0; i < n && st.ok(); ++i) {
        if (st.p >= st.end) {
          st.FailText(absl::StrCat(
              "gob: decoding array or slice: length exceeds input size (", n,
              " elements)"));
          break;
        }
        SkipValue(st, t->elem());
      }
      st.Leave();
      return;
    }
    case Kind::kMap: {
      uint64_t n = st.Uint();
      if (!st.ok() || !st.Enter()) return;
      for (uint64_t i = 0; i < n && st.ok(); ++i) {
        if (st.p >= st.end) {
          st.FailText("EOF");
          break;
        }
        SkipValue(st, t->key());
        SkipValue(st, t->elem());
      }
      st.Leave();
      return;
    }
    case Kind::kInterface: {
      absl::string_view name;
      if (!st.dec->ReadInterfaceName(st, &name, /*skipping=*/true) ||
          name.empty()) {
        return;
      }
      const Type* concrete = st.dec->ReadConcreteType(st, /*skipping=*/true);
      if (concrete == nullptr || !st.Enter()) return;
      SkipTopValue(st, concrete);
      st.Leave();
      return;
    }
    case Kind::kInvalid:
      st.FailText(kErrBadType);
      return;
  }
}

void SkipTopValue(DecState& st, const Type* t) {
  if (t == nullptr) {
    st.FailText(kErrBadType);
    return;
  }
  if (t->kind() == Kind::kStruct) {
    SkipStruct(st, t);
    return;
  }
  uint64_t delta = st.Uint();
  if (st.ok() && delta != 0) {
    st.FailText("gob: decode: corrupted data: non-zero delta for singleton");
    return;
  }
  SkipValue(st, t);
}

}  // namespace netrpc::gob::internal
