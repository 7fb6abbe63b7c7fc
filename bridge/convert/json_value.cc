#include "bridge/convert/json_value.h"

#include <algorithm>
#include <cstdint>
#include <utility>
#include <vector>

#include "absl/base/attributes.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/time.h"

#include "netrpc/gob/time.h"
#include "netrpc/jsonrpc/internal/decode.h"
#include "netrpc/jsonrpc/internal/encode.h"
#include "netrpc/jsonrpc/internal/scanner.h"
#include "netrpc/jsonrpc/internal/time.h"

namespace bridge {
namespace {

namespace gob = ::netrpc::gob;
namespace json = ::netrpc::jsonrpc::internal;
using Kind = json::Reader::Kind;

// IsTime reports whether t is the mapping's time.Time.
bool IsTime(const gob::Type* t) {
  return t->kind() == gob::Kind::kGobEncoder && t->name() == "Time";
}

// GoSpelling is how Go's errors name the Go type a gob type stands for.
// Integers and floats are the widest Go types, the ranges JSON decoding
// checks (a narrower proto field is GobToProto's to check).
std::string GoSpelling(const gob::Type* t) {
  switch (t->kind()) {
    case gob::Kind::kBool:
      return "bool";
    case gob::Kind::kInt:
      return "int64";
    case gob::Kind::kUint:
      return "uint64";
    case gob::Kind::kFloat:
      return "float64";
    case gob::Kind::kComplex:
      return "complex128";
    case gob::Kind::kString:
      return "string";
    case gob::Kind::kBytes:
      return "[]uint8";
    case gob::Kind::kInterface:
      return "interface {}";
    case gob::Kind::kSlice:
      return absl::StrCat("[]", GoSpelling(t->elem()));
    case gob::Kind::kArray:
      return absl::StrCat("[", t->len(), "]", GoSpelling(t->elem()));
    case gob::Kind::kMap:
      return absl::StrCat("map[", GoSpelling(t->key()), "]",
                          GoSpelling(t->elem()));
    case gob::Kind::kStruct:
      return t->name().empty() ? t->String() : t->name();
    default:
      return IsTime(t) ? "time.Time" : t->name();
  }
}

bool KeyKindOk(const gob::Type* key) {
  return key->kind() == gob::Kind::kString || key->kind() == gob::Kind::kInt ||
         key->kind() == gob::Kind::kUint;
}

// ZeroOf is the zero value of t as a gob decode gives it: for time.Time,
// the bytes of Go's zero time.
gob::Value ZeroOf(const gob::Type* t) {
  if (IsTime(t)) {
    std::string bytes;
    (void)gob::AppendGoTime(gob::GoZeroTime(), &bytes);  // finite: cannot fail
    return gob::Value::External(t, std::move(bytes));
  }
  return gob::Value::Zero(t);
}

absl::Status Unsupported(const gob::Type* t) {
  return absl::InvalidArgumentError(
      absl::StrCat("json: unsupported type: ", GoSpelling(t)));
}

// ---------------------------------------------------------------------------
// Encoding

absl::Status Encode(const gob::Value& v, std::string* out);

// EncodeAbsent writes the zero of t as Go writes it (nil for slices, maps,
// []byte and, standing for *T, structs).
absl::Status EncodeAbsent(const gob::Type* t, std::string* out) {
  switch (t->kind()) {
    case gob::Kind::kBool:
      out->append("false");
      return absl::OkStatus();
    case gob::Kind::kInt:
    case gob::Kind::kUint:
    case gob::Kind::kFloat:
      out->append("0");
      return absl::OkStatus();
    case gob::Kind::kString:
      out->append("\"\"");
      return absl::OkStatus();
    case gob::Kind::kMap:
      if (!KeyKindOk(t->key())) return Unsupported(t);
      out->append("null");
      return absl::OkStatus();
    case gob::Kind::kBytes:
    case gob::Kind::kSlice:
    case gob::Kind::kStruct:
    case gob::Kind::kInterface:
      out->append("null");
      return absl::OkStatus();
    case gob::Kind::kArray:
      return Encode(gob::Value::Zero(t), out);
    default:
      if (IsTime(t)) return json::AppendTime(gob::GoZeroTime(), out);
      return Unsupported(t);
  }
}

absl::Status EncodeTime(const gob::Value& v, std::string* out) {
  if (v.bytes().empty()) return json::AppendTime(gob::GoZeroTime(), out);
  absl::StatusOr<gob::GoTime> t = gob::ParseGoTime(v.bytes());
  if (!t.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("json: error calling MarshalJSON for type time.Time: ",
                     t.status().message()));
  }
  if (t->utc) return json::AppendTime(t->time, out);
  // AppendTime writes UTC only; it still checks the year range.
  std::string checked;
  absl::Status s = json::AppendTime(t->time, &checked);
  if (!s.ok()) return s;
  out->push_back('"');
  out->append(gob::FormatRFC3339Nano(*t));
  out->push_back('"');
  return absl::OkStatus();
}

absl::Status EncodeMap(const gob::Value& v, std::string* out) {
  const gob::Type* key = v.type()->key();
  if (!KeyKindOk(key)) return Unsupported(v.type());
  // Go writes the entries sorted by the key's JSON text.
  std::vector<std::pair<std::string, size_t>> keys;
  keys.reserve(v.size());
  for (size_t i = 0; i < v.size(); ++i) {
    const gob::Value& k = v.map_key(i);
    switch (key->kind()) {
      case gob::Kind::kString:
        keys.emplace_back(std::string(k.string_value()), i);
        break;
      case gob::Kind::kInt:
        keys.emplace_back(absl::StrCat(k.int_value()), i);
        break;
      default:
        keys.emplace_back(absl::StrCat(k.uint_value()), i);
        break;
    }
  }
  std::sort(keys.begin(), keys.end());
  out->push_back('{');
  for (size_t j = 0; j < keys.size(); ++j) {
    if (j > 0) out->push_back(',');
    json::AppendString(keys[j].first, out);
    out->push_back(':');
    const gob::Value& value = v.map_value(keys[j].second);
    absl::Status s = value.present() ? Encode(value, out)
                                     : EncodeAbsent(v.type()->elem(), out);
    if (!s.ok()) return s;
  }
  out->push_back('}');
  return absl::OkStatus();
}

absl::Status Encode(const gob::Value& v, std::string* out) {
  const gob::Type* t = v.type();
  if (t == nullptr) {
    out->append("null");
    return absl::OkStatus();
  }
  switch (t->kind()) {
    case gob::Kind::kBool:
      out->append(v.bool_value() ? "true" : "false");
      return absl::OkStatus();
    case gob::Kind::kInt:
      absl::StrAppend(out, v.int_value());
      return absl::OkStatus();
    case gob::Kind::kUint:
      absl::StrAppend(out, v.uint_value());
      return absl::OkStatus();
    case gob::Kind::kFloat:
      return json::AppendFloat(v.float_value(), 64, out);
    case gob::Kind::kString:
      json::AppendString(v.string_value(), out);
      return absl::OkStatus();
    case gob::Kind::kBytes:
      json::AppendBase64(v.bytes(), out);
      return absl::OkStatus();
    case gob::Kind::kSlice:
    case gob::Kind::kArray: {
      out->push_back('[');
      for (size_t i = 0; i < v.size(); ++i) {
        if (i > 0) out->push_back(',');
        const gob::Value& e = v.elem(i);
        absl::Status s =
            e.present() ? Encode(e, out) : EncodeAbsent(t->elem(), out);
        if (!s.ok()) return s;
      }
      out->push_back(']');
      return absl::OkStatus();
    }
    case gob::Kind::kMap:
      return EncodeMap(v, out);
    case gob::Kind::kStruct: {
      out->push_back('{');
      const auto& fields = t->fields();
      for (size_t i = 0; i < fields.size(); ++i) {
        if (i > 0) out->push_back(',');
        json::AppendString(fields[i].name, out);
        out->push_back(':');
        const gob::Value& f = v.field(i);
        absl::Status s =
            f.present() ? Encode(f, out) : EncodeAbsent(fields[i].type, out);
        if (!s.ok()) return s;
      }
      out->push_back('}');
      return absl::OkStatus();
    }
    case gob::Kind::kInterface: {
      const gob::Value* concrete = v.interface_value();
      if (concrete == nullptr) {
        out->append("null");
        return absl::OkStatus();
      }
      return Encode(*concrete, out);
    }
    default:
      if (IsTime(t)) return EncodeTime(v, out);
      return Unsupported(t);
  }
}

// ---------------------------------------------------------------------------
// Decoding

// OmittedByGob reports whether Go's gob encoder leaves out a struct field
// holding v, so that a decoded struct holds what a gob decode would: gob's
// rule, plus Go's zero time.Time, which Go omits as a zero GobEncoder.
bool OmittedByGob(const gob::Value& v) {
  if (!v.present()) return true;
  if (v.kind() == gob::Kind::kGobEncoder && IsTime(v.type())) {
    if (v.bytes().empty()) return true;
    absl::StatusOr<gob::GoTime> t = gob::ParseGoTime(v.bytes());
    return t.ok() && t->utc && t->time == gob::GoZeroTime();
  }
  return gob::OmittedFromStruct(v);
}

class Decoder {
 public:
  Decoder(json::Reader& r, json::DecodeState& st, const ConvertOptions& options)
      : r_(r), st_(st), options_(options) {}

  // Decode decodes the next JSON value into *v, which is absent or of type
  // t. It consumes the value unless st_ has failed. It recurses once per
  // nesting level, so it stays a thin dispatcher: the work is in helpers
  // kept out of its frame (ASan's frames are large, and nesting goes to
  // kMaxDecodeDepth).
  void Decode(const gob::Type* t, gob::Value* v) {
    if (IsTime(t)) return DecodeTime(t, v);
    Kind kind = r_.Peek();
    if (kind == Kind::kNull) return DecodeNull(t, v);
    switch (t->kind()) {
      case gob::Kind::kSlice:
        if (kind != Kind::kArray) return WrongKind(t, kind);
        return DecodeSlice(t, v);
      case gob::Kind::kArray:
        if (kind != Kind::kArray) return WrongKind(t, kind);
        return DecodeArray(t, v);
      case gob::Kind::kMap:
        if (kind != Kind::kObject || !KeyKindOk(t->key())) {
          return WrongKind(t, kind);
        }
        return DecodeMap(t, v);
      case gob::Kind::kStruct:
        if (kind != Kind::kObject) return WrongKind(t, kind);
        return DecodeStruct(t, v);
      default:
        return DecodeScalar(t, kind, v);
    }
  }

 private:
  ABSL_ATTRIBUTE_NOINLINE void WrongKind(const gob::Type* t, Kind kind) {
    st_.TypeError(json::KindName(kind), GoSpelling(t));
    r_.Skip();
  }

  ABSL_ATTRIBUTE_NOINLINE void DecodeNull(const gob::Type* t, gob::Value* v) {
    r_.Skip();
    switch (t->kind()) {
      case gob::Kind::kBytes:
      case gob::Kind::kSlice:
      case gob::Kind::kMap:
      case gob::Kind::kStruct:
      case gob::Kind::kInterface:
        *v = gob::Value();  // Go's nil
        break;
      default:
        break;  // null leaves other values alone
    }
  }

  ABSL_ATTRIBUTE_NOINLINE void DecodeScalar(const gob::Type* t, Kind kind,
                                            gob::Value* v) {
    switch (t->kind()) {
      case gob::Kind::kBool:
        if (kind != Kind::kBool) return WrongKind(t, kind);
        *v = gob::Value::Bool(r_.Literal()[0] == 't');
        return;
      case gob::Kind::kInt: {
        if (kind != Kind::kNumber) return WrongKind(t, kind);
        absl::string_view lit = r_.Literal();
        int64_t n;
        if (json::ParseInt(lit, 64, &n)) {
          *v = gob::Value::Int(n);
        } else {
          st_.TypeError(absl::StrCat("number ", lit), GoSpelling(t));
        }
        return;
      }
      case gob::Kind::kUint: {
        if (kind != Kind::kNumber) return WrongKind(t, kind);
        absl::string_view lit = r_.Literal();
        uint64_t n;
        if (json::ParseUint(lit, 64, &n)) {
          *v = gob::Value::Uint(n);
        } else {
          st_.TypeError(absl::StrCat("number ", lit), GoSpelling(t));
        }
        return;
      }
      case gob::Kind::kFloat: {
        if (kind != Kind::kNumber) return WrongKind(t, kind);
        absl::string_view lit = r_.Literal();
        double d;
        if (json::ParseFloat(lit, 64, &d)) {
          *v = gob::Value::Float(d);
        } else {
          st_.TypeError(absl::StrCat("number ", lit), GoSpelling(t));
        }
        return;
      }
      case gob::Kind::kString:
        if (kind != Kind::kString) return WrongKind(t, kind);
        *v = gob::Value::String(json::Unquote(r_.Literal()));
        return;
      case gob::Kind::kBytes:
        DecodeBytes(t, kind, v);
        return;
      case gob::Kind::kInterface:
        // Go would decode a map[string]any or []any, which has no gob
        // form in the mapping (which never makes interface types).
        st_.SaveError(absl::StrCat(
            "bridge: cannot decode JSON into a Go interface value", Where()));
        r_.Skip();
        return;
      default:
        WrongKind(t, kind);
        return;
    }
  }

  // Where names the field being decoded, for the bridge's own errors.
  std::string Where() const {
    if (path_.empty()) return "";
    return absl::StrCat(" (field ", absl::StrJoin(path_, "."), ")");
  }

  // DecodeElem decodes a slice or array element or a map value: never
  // absent, as gob sends every element (null leaves Go's zero).
  void DecodeElem(const gob::Type* t, gob::Value* v) {
    if (v->type() != t) *v = ZeroOf(t);
    Decode(t, v);
    if (!v->present()) *v = ZeroOf(t);
  }

  ABSL_ATTRIBUTE_NOINLINE void DecodeTime(const gob::Type* t, gob::Value* v) {
    // time.Time is a json.Unmarshaler: it gets the raw value, whatever its
    // kind (null leaves it alone), and its error ends decoding.
    absl::Time parsed = absl::InfiniteFuture();
    absl::Status s = json::ParseTime(r_.Value(), &parsed);
    if (!s.ok()) {
      st_.Fail(std::move(s));
      return;
    }
    if (parsed == absl::InfiniteFuture()) return;  // null
    std::string bytes;
    s = gob::AppendGoTime(parsed, &bytes);
    if (!s.ok()) {
      st_.Fail(std::move(s));
      return;
    }
    *v = gob::Value::External(t, std::move(bytes));
  }

  ABSL_ATTRIBUTE_NOINLINE void DecodeBytes(const gob::Type* t, Kind kind,
                                           gob::Value* v) {
    if (kind == Kind::kString) {
      std::string bytes;
      absl::Status s = json::DecodeBase64(json::Unquote(r_.Literal()), &bytes);
      if (s.ok()) {
        *v = gob::Value::Bytes(std::move(bytes));
      } else {
        st_.SaveError(std::string(s.message()));
      }
      return;
    }
    if (kind != Kind::kArray) return WrongKind(t, kind);
    // A []byte is also a slice of numbers to Go's decoder.
    json::DecodeState::DepthScope depth(st_);
    if (!depth.ok()) {
      r_.Skip();
      return;
    }
    std::string bytes(v->bytes());
    size_t i = 0;
    r_.Enter();
    while (!st_.failed() && r_.More()) {
      if (i >= bytes.size()) bytes.push_back('\0');
      Kind k = r_.Peek();
      if (k == Kind::kNumber) {
        absl::string_view lit = r_.Literal();
        uint64_t n;
        if (json::ParseUint(lit, 8, &n)) {
          bytes[i] = static_cast<char>(n);
        } else {
          st_.TypeError(absl::StrCat("number ", lit), "uint8");
        }
      } else if (k == Kind::kNull) {
        r_.Skip();
      } else {
        st_.TypeError(json::KindName(k), "uint8");
        r_.Skip();
      }
      ++i;
    }
    bytes.resize(i);
    *v = gob::Value::Bytes(std::move(bytes));
  }

  ABSL_ATTRIBUTE_NOINLINE void DecodeSlice(const gob::Type* t, gob::Value* v) {
    json::DecodeState::DepthScope depth(st_);
    if (!depth.ok()) {
      r_.Skip();
      return;
    }
    // Go decodes into the existing elements, then cuts the slice to the
    // input's length.
    std::vector<gob::Value> elems;
    if (v->type() == t) {
      elems.reserve(v->size());
      for (size_t i = 0; i < v->size(); ++i) {
        elems.push_back(std::move(*v->mutable_elem(i)));
      }
    }
    size_t i = 0;
    r_.Enter();
    while (!st_.failed() && r_.More()) {
      if (i >= elems.size()) elems.emplace_back();
      DecodeElem(t->elem(), &elems[i]);
      ++i;
    }
    elems.resize(std::min(i, elems.size()));
    gob::Value out = gob::Value::Zero(t);
    for (gob::Value& e : elems) {
      if (e.type() != t->elem()) e = ZeroOf(t->elem());
      (void)out.Append(std::move(e));  // types checked just above
    }
    *v = std::move(out);
  }

  ABSL_ATTRIBUTE_NOINLINE void DecodeArray(const gob::Type* t, gob::Value* v) {
    json::DecodeState::DepthScope depth(st_);
    if (!depth.ok()) {
      r_.Skip();
      return;
    }
    if (v->type() != t) *v = gob::Value::Zero(t);
    // Go: extra elements are skipped, missing ones zeroed.
    size_t n = v->size();
    size_t i = 0;
    r_.Enter();
    while (!st_.failed() && r_.More()) {
      if (i < n) {
        DecodeElem(t->elem(), v->mutable_elem(i));
      } else {
        r_.Skip();
      }
      ++i;
    }
    for (; i < n && !st_.failed(); ++i) {
      *v->mutable_elem(i) = ZeroOf(t->elem());
    }
  }

  ABSL_ATTRIBUTE_NOINLINE void DecodeMap(const gob::Type* t, gob::Value* v) {
    json::DecodeState::DepthScope depth(st_);
    if (!depth.ok()) {
      r_.Skip();
      return;
    }
    if (v->type() != t) *v = gob::Value::Zero(t);  // Go makes a nil map
    gob::MapBuilder map(v);
    const gob::Type* key_type = t->key();
    r_.Enter();
    while (!st_.failed() && r_.More()) {
      std::string key = json::Unquote(r_.Key());
      gob::Value elem = ZeroOf(t->elem());
      DecodeElem(t->elem(), &elem);
      if (st_.failed()) return;
      gob::Value k;
      // Go converts the key after decoding the value.
      if (key_type->kind() == gob::Kind::kString) {
        k = gob::Value::String(std::move(key));
      } else if (key_type->kind() == gob::Kind::kInt) {
        int64_t n;
        if (!json::ParseInt(key, 64, &n)) {
          st_.TypeError(absl::StrCat("number ", key), GoSpelling(key_type));
          continue;
        }
        k = gob::Value::Int(n);
      } else {
        uint64_t n;
        if (!json::ParseUint(key, 64, &n)) {
          st_.TypeError(absl::StrCat("number ", key), GoSpelling(key_type));
          continue;
        }
        k = gob::Value::Uint(n);
      }
      // Types are the map's own: Insert cannot fail.
      (void)map.Insert(std::move(k), std::move(elem));
    }
  }

  ABSL_ATTRIBUTE_NOINLINE void DecodeStruct(const gob::Type* t, gob::Value* v) {
    json::DecodeState::DepthScope depth(st_);
    if (!depth.ok()) {
      r_.Skip();
      return;
    }
    if (v->type() != t) *v = gob::Value::Zero(t);
    const auto& fields = t->fields();
    r_.Enter();
    while (!st_.failed() && r_.More()) {
      std::string key = json::Unquote(r_.Key());
      // Go: the field the key names exactly, else the first that matches
      // ignoring case.
      size_t found = fields.size();
      for (size_t i = 0; i < fields.size() && found == fields.size(); ++i) {
        if (fields[i].name == key) found = i;
      }
      for (size_t i = 0; i < fields.size() && found == fields.size(); ++i) {
        if (json::FoldEqual(fields[i].name, key)) found = i;
      }
      if (found == fields.size()) {
        Unknown(t, key);
        r_.Skip();
        continue;
      }
      json::DecodeState::FieldScope scope(st_, t->name(), fields[found].name);
      path_.push_back(fields[found].name);
      gob::Value* f = v->mutable_field(found);
      Decode(fields[found].type, f);
      // What Go's gob encoder would not send, a gob decode leaves absent.
      if (OmittedByGob(*f)) *f = gob::Value();
      path_.pop_back();
    }
  }

  ABSL_ATTRIBUTE_NOINLINE void Unknown(const gob::Type* t,
                                       absl::string_view key) {
    std::string what = absl::StrCat(
        "bridge: JSON key \"", absl::CHexEscape(key), "\" of ", GoSpelling(t),
        Where(), " names no field of the mapped type");
    if (options_.unknown_fields == netrpc::config::v1::DROP_AND_COUNT) {
      if (options_.on_drop) options_.on_drop(what);
      return;
    }
    st_.SaveError(absl::StrCat(
        what,
        "; add the field to the proto, declare its Go name (go_name option "
        "or field_names in the config), or set unknown_fields: "
        "DROP_AND_COUNT"));
  }

  json::Reader& r_;
  json::DecodeState& st_;
  const ConvertOptions& options_;
  std::vector<absl::string_view> path_;
};

}  // namespace

gob::Value GoZeroValue(const gob::Type* type) { return ZeroOf(type); }

absl::Status GobValueToJson(const gob::Value& value, std::string* out) {
  size_t size = out->size();
  absl::Status s = Encode(value, out);
  if (!s.ok()) out->resize(size);
  return s;
}

absl::Status JsonToGobValue(absl::string_view json_text, const gob::Type* type,
                            gob::Value* value, const ConvertOptions& options) {
  if (type == nullptr) {
    return absl::InternalError(
        "bridge: JSON decoding needs the gob type of the value");
  }
  absl::Status valid = json::CheckValid(json_text);
  if (!valid.ok()) return valid;
  if (value->type() != type) *value = ZeroOf(type);
  json::Reader r(json_text);
  json::DecodeState st;
  Decoder(r, st, options).Decode(type, value);
  // A top-level null leaves Go's zero value (net/rpc's new(T)).
  if (!value->present()) *value = ZeroOf(type);
  return st.status();
}

}  // namespace bridge
