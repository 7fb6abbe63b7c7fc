// Copyright 2024 The netrpc-gateway Authors. Licensed under the Apache License 2.0.
//
// The gob form of Go's wireType (type.go), by hand: the decoder needs it before
// it knows any other type, and the encoder writes one per type definition.

#include <algorithm>
#include <string>

#include "absl/strings/str_cat.h"
#include "netrpc/gob/type.h"
#include "netrpc/gob/wire.h"

namespace netrpc::gob {
namespace {

// Field numbers of wireType, in Go's declaration order.
int WireTypeField(Kind kind) {
  switch (kind) {
    case Kind::kArray:
      return 0;
    case Kind::kSlice:
      return 1;
    case Kind::kStruct:
      return 2;
    case Kind::kMap:
      return 3;
    case Kind::kGobEncoder:
      return 4;
    case Kind::kBinaryMarshaler:
      return 5;
    case Kind::kTextMarshaler:
      return 6;
    default:
      return -1;
  }
}

constexpr Kind kWireTypeKinds[] = {
    Kind::kArray,      Kind::kSlice,           Kind::kStruct,
    Kind::kMap,        Kind::kGobEncoder,      Kind::kBinaryMarshaler,
    Kind::kTextMarshaler,
};

// StructWriter appends struct fields with delta numbering, skipping zeros.
class StructWriter {
 public:
  explicit StructWriter(std::string* out) : out_(out) {}
  void Field(int num) {
    AppendUint(out_, static_cast<uint64_t>(num - last_));
    last_ = num;
  }
  void Int(int num, int64_t v) {
    if (v == 0) return;
    Field(num);
    AppendInt(out_, v);
  }
  void String(int num, absl::string_view s) {
    if (s.empty()) return;
    Field(num);
    AppendString(out_, s);
  }
  void End() { out_->push_back(0); }

 private:
  std::string* out_;
  int last_ = -1;
};

void AppendCommonType(const WireType& wire, std::string* out) {
  StructWriter w(out);
  w.String(0, wire.name);
  w.Int(1, wire.id);
  w.End();
}

// WireParser decodes with Go's struct rules and error texts; the first error
// sticks.
class WireParser {
 public:
  WireParser(const uint8_t** p, const uint8_t* end) : p_(p), end_(end) {}

  const absl::Status& status() const { return status_; }

  bool Uint(uint64_t* x) {
    const uint8_t* at = *p_;
    if (ReadUint(p_, end_, x) == UintResult::kOk) return true;
    return Fail(UintError(at, end_));
  }

  bool Int(int64_t* v) {
    uint64_t u;
    if (!Uint(&u)) return false;
    *v = IntFromUint(u);
    return true;
  }

  // Int32 reads a Go typeId (an int32), range-checked like Go's decInt32.
  bool Int32(int64_t* v, absl::string_view field) {
    if (!Int(v)) return false;
    if (*v < INT32_MIN || *v > INT32_MAX) {
      return Fail(absl::InvalidArgumentError(
          absl::StrCat("value for \"", field, "\" out of range")));
    }
    return true;
  }

  bool String(std::string* s) {
    uint64_t n;
    if (!Uint(&n)) return false;
    if (n > static_cast<uint64_t>(end_ - *p_)) {
      // Go's getLength reports 0 as the length it failed on.
      return Fail(
          absl::InvalidArgumentError("gob: bad string slice length: 0"));
    }
    s->assign(reinterpret_cast<const char*>(*p_), n);
    *p_ += n;
    return true;
  }

  // Struct calls field(num) for each field present in a struct with
  // num_fields fields; a missing terminator at the end of input is fine.
  template <typename Fn>
  bool Struct(int num_fields, Fn field) {
    int num = -1;
    while (*p_ < end_) {
      uint64_t delta;
      if (!Uint(&delta)) return false;
      if (delta == 0) return true;
      if (delta >= (uint64_t{1} << 63)) {
        return Fail(absl::InvalidArgumentError(
            "gob: decode: corrupted data: negative delta"));
      }
      if (delta >= static_cast<uint64_t>(num_fields - num)) {
        return Fail(absl::InvalidArgumentError(
            "gob: bad data: field numbers out of bounds"));
      }
      num += static_cast<int>(delta);
      if (!field(num)) return false;
    }
    return true;
  }

  bool CommonType(WireType* wire) {
    return Struct(2, [&](int num) {
      if (num == 0) return String(&wire->name);
      return Int32(&wire->id, "Id");
    });
  }

  bool Fields(std::vector<WireType::Field>* fields) {
    uint64_t n;
    if (!Uint(&n)) return false;
    if (n > (kGoTooBig >> 3)) {
      return Fail(absl::InvalidArgumentError(absl::StrCat(
          "gob: *gob.fieldType slice too big: ", n, " elements of 8 bytes")));
    }
    // Never trust the count: each element takes at least one byte.
    fields->clear();
    fields->reserve(std::min<uint64_t>(n, end_ - *p_));
    for (uint64_t i = 0; i < n; ++i) {
      if (*p_ >= end_) {
        return Fail(absl::InvalidArgumentError(absl::StrCat(
            "gob: decoding array or slice: length exceeds input size (", n,
            " elements)")));
      }
      WireType::Field& f = fields->emplace_back();
      bool ok = Struct(2, [&](int num) {
        if (num == 0) return String(&f.name);
        return Int32(&f.id, "Id");
      });
      if (!ok) return false;
    }
    return true;
  }

  bool Body(Kind kind, WireType* wire) {
    switch (kind) {
      case Kind::kArray:
        return Struct(3, [&](int num) {
          if (num == 0) return CommonType(wire);
          if (num == 1) return Int32(&wire->elem, "Elem");
          return Int(&wire->len);
        });
      case Kind::kSlice:
        return Struct(2, [&](int num) {
          if (num == 0) return CommonType(wire);
          return Int32(&wire->elem, "Elem");
        });
      case Kind::kStruct:
        return Struct(2, [&](int num) {
          if (num == 0) return CommonType(wire);
          return Fields(&wire->fields);
        });
      case Kind::kMap:
        return Struct(3, [&](int num) {
          if (num == 0) return CommonType(wire);
          if (num == 1) return Int32(&wire->key, "Key");
          return Int32(&wire->elem, "Elem");
        });
      default:
        return Struct(1, [&](int) { return CommonType(wire); });
    }
  }

 private:
  bool Fail(absl::Status s) {
    if (status_.ok()) status_ = std::move(s);
    *p_ = end_;
    return false;
  }

  const uint8_t** p_;
  const uint8_t* end_;
  absl::Status status_;
};

}  // namespace

void AppendWireType(const WireType& wire, std::string* out) {
  int field = WireTypeField(wire.kind);
  if (field < 0) {
    out->push_back(0);  // an empty wireType
    return;
  }
  AppendUint(out, static_cast<uint64_t>(field + 1));
  StructWriter w(out);
  w.Field(0);
  AppendCommonType(wire, out);
  switch (wire.kind) {
    case Kind::kArray:
      w.Int(1, wire.elem);
      w.Int(2, wire.len);
      break;
    case Kind::kSlice:
      w.Int(1, wire.elem);
      break;
    case Kind::kStruct:
      if (!wire.fields.empty()) {
        w.Field(1);
        AppendUint(out, wire.fields.size());
        for (const WireType::Field& f : wire.fields) {
          StructWriter fw(out);
          fw.String(0, f.name);
          fw.Int(1, f.id);
          fw.End();
        }
      }
      break;
    case Kind::kMap:
      w.Int(1, wire.key);
      w.Int(2, wire.elem);
      break;
    default:
      break;
  }
  w.End();
  out->push_back(0);  // end of wireType
}

absl::Status ParseWireType(const uint8_t** p, const uint8_t* end,
                           WireType* wire) {
  WireParser parser(p, end);
  *wire = WireType();
  parser.Struct(7, [&](int num) {
    Kind kind = kWireTypeKinds[num];
    // Go keeps every pointer that is set; the first one decides the kind.
    if (wire->kind != Kind::kInvalid) {
      WireType ignored;
      return parser.Body(kind, &ignored);
    }
    wire->kind = kind;
    return parser.Body(kind, wire);
  });
  return parser.status();
}

}  // namespace netrpc::gob
