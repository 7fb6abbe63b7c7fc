// Copyright 2024 The netrpc-gateway Authors. Licensed under the Apache License 2.0.

#include "netrpc/gob/debug.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "netrpc/gob/time.h"

namespace netrpc::gob {
namespace {

void AppendValue(const Value& v, std::string* out);

// DecodeRune decodes one UTF-8 rune at s[i]; returns its length, or 0 for
// invalid UTF-8 (Go's utf8.DecodeRuneInString rules: no surrogates, no
// overlong forms, at most U+10FFFF).
size_t DecodeRune(absl::string_view s, size_t i, uint32_t* rune) {
  unsigned char c = static_cast<unsigned char>(s[i]);
  size_t n;
  uint32_t r;
  if (c < 0x80) {
    *rune = c;
    return 1;
  } else if ((c & 0xe0) == 0xc0) {
    n = 2;
    r = c & 0x1f;
  } else if ((c & 0xf0) == 0xe0) {
    n = 3;
    r = c & 0x0f;
  } else if ((c & 0xf8) == 0xf0) {
    n = 4;
    r = c & 0x07;
  } else {
    return 0;
  }
  if (i + n > s.size()) return 0;
  for (size_t k = 1; k < n; ++k) {
    unsigned char cc = static_cast<unsigned char>(s[i + k]);
    if ((cc & 0xc0) != 0x80) return 0;
    r = (r << 6) | (cc & 0x3f);
  }
  static constexpr uint32_t kMin[] = {0, 0, 0x80, 0x800, 0x10000};
  if (r < kMin[n] || r > 0x10ffff || (r >= 0xd800 && r <= 0xdfff)) return 0;
  *rune = r;
  return n;
}

void AppendStructJson(const Value& v, std::string* out) {
  out->push_back('{');
  const std::vector<Type::Field>& fields = v.type()->fields();
  for (size_t i = 0; i < fields.size(); ++i) {
    if (i > 0) out->push_back(',');
    AppendJsonString(fields[i].name, out);
    out->push_back(':');
    const Value& f = v.field(i);
    if (f.present()) {
      AppendValue(f, out);
      continue;
    }
    // An omitted field: the zero value a Go receiver would see.
    switch (fields[i].type->kind()) {
      case Kind::kBool:
        out->append("false");
        break;
      case Kind::kInt:
      case Kind::kUint:
      case Kind::kFloat:
        out->append("0");
        break;
      case Kind::kComplex:
        out->append("[0,0]");
        break;
      case Kind::kString:
        out->append("\"\"");
        break;
      default:
        out->append("null");
        break;
    }
  }
  out->push_back('}');
}

bool IsIntegerKind(Kind k) { return k == Kind::kInt || k == Kind::kUint; }

void AppendMapJson(const Value& v, std::string* out) {
  Kind key_kind = v.type()->key()->kind();
  if (key_kind != Kind::kString && !IsIntegerKind(key_kind)) {
    out->push_back('[');
    for (size_t i = 0; i < v.size(); ++i) {
      if (i > 0) out->push_back(',');
      out->push_back('[');
      AppendValue(v.map_key(i), out);
      out->push_back(',');
      AppendValue(v.map_value(i), out);
      out->push_back(']');
    }
    out->push_back(']');
    return;
  }
  std::vector<std::pair<std::string, size_t>> keys;
  keys.reserve(v.size());
  for (size_t i = 0; i < v.size(); ++i) {
    const Value& k = v.map_key(i);
    std::string s = key_kind == Kind::kString ? std::string(k.string_value())
                    : key_kind == Kind::kInt  ? absl::StrCat(k.int_value())
                                              : absl::StrCat(k.uint_value());
    keys.emplace_back(std::move(s), i);
  }
  std::stable_sort(keys.begin(), keys.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  out->push_back('{');
  for (size_t i = 0; i < keys.size(); ++i) {
    if (i > 0) out->push_back(',');
    AppendJsonString(keys[i].first, out);
    out->push_back(':');
    AppendValue(v.map_value(keys[i].second), out);
  }
  out->push_back('}');
}

void AppendExternalJson(const Value& v, std::string* out) {
  if (v.kind() == Kind::kGobEncoder && v.type()->name() == "Time") {
    absl::StatusOr<GoTime> t = ParseGoTime(v.bytes());
    if (t.ok()) {
      AppendJsonString(FormatRFC3339Nano(*t), out);
      return;
    }
  }
  out->append("{\"type\":");
  AppendJsonString(v.type()->name(), out);
  out->append(",\"kind\":");
  AppendJsonString(KindName(v.kind()), out);
  out->append(",\"data\":");
  AppendJsonString(absl::Base64Escape(v.bytes()), out);
  out->push_back('}');
}

void AppendValue(const Value& v, std::string* out) {
  switch (v.kind()) {
    case Kind::kInvalid:
      out->append("null");
      return;
    case Kind::kBool:
      out->append(v.bool_value() ? "true" : "false");
      return;
    case Kind::kInt:
      absl::StrAppend(out, v.int_value());
      return;
    case Kind::kUint:
      absl::StrAppend(out, v.uint_value());
      return;
    case Kind::kFloat:
      AppendJsonFloat(v.float_value(), out);
      return;
    case Kind::kComplex:
      out->push_back('[');
      AppendJsonFloat(v.complex_value().real(), out);
      out->push_back(',');
      AppendJsonFloat(v.complex_value().imag(), out);
      out->push_back(']');
      return;
    case Kind::kString:
      AppendJsonString(v.string_value(), out);
      return;
    case Kind::kBytes:
      AppendJsonString(absl::Base64Escape(v.bytes()), out);
      return;
    case Kind::kStruct:
      AppendStructJson(v, out);
      return;
    case Kind::kSlice:
    case Kind::kArray:
      out->push_back('[');
      for (size_t i = 0; i < v.size(); ++i) {
        if (i > 0) out->push_back(',');
        AppendValue(v.elem(i), out);
      }
      out->push_back(']');
      return;
    case Kind::kMap:
      AppendMapJson(v, out);
      return;
    case Kind::kInterface:
      if (v.interface_value() == nullptr) {
        out->append("null");
        return;
      }
      out->append("{\"type\":");
      AppendJsonString(v.interface_name(), out);
      out->append(",\"value\":");
      AppendValue(*v.interface_value(), out);
      out->push_back('}');
      return;
    case Kind::kGobEncoder:
    case Kind::kBinaryMarshaler:
    case Kind::kTextMarshaler:
      AppendExternalJson(v, out);
      return;
  }
}

void AppendRef(absl::string_view key, TypeId id, std::string* out) {
  absl::StrAppend(out, ",\"", key, "\":", id);
  if (const Type* t = PredefinedType(id)) {
    absl::StrAppend(out, ",\"", key, "_type\":");
    AppendJsonString(t->name(), out);
  }
}

}  // namespace

void AppendJsonString(absl::string_view s, std::string* out) {
  static constexpr char kHex[] = "0123456789abcdef";
  out->push_back('"');
  size_t i = 0;
  while (i < s.size()) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      switch (c) {
        case '"':
          out->append("\\\"");
          break;
        case '\\':
          out->append("\\\\");
          break;
        case '\n':
          out->append("\\n");
          break;
        case '\r':
          out->append("\\r");
          break;
        case '\t':
          out->append("\\t");
          break;
        default:
          if (c < 0x20 || c == '<' || c == '>' || c == '&') {
            out->append("\\u00");
            out->push_back(kHex[c >> 4]);
            out->push_back(kHex[c & 0xf]);
          } else {
            out->push_back(static_cast<char>(c));
          }
      }
      ++i;
      continue;
    }
    uint32_t r;
    size_t n = DecodeRune(s, i, &r);
    if (n == 0) {
      out->append("\\ufffd");
      ++i;
      continue;
    }
    if (r == 0x2028 || r == 0x2029) {
      absl::StrAppend(out, "\\u202", r == 0x2028 ? "8" : "9");
    } else {
      out->append(s.data() + i, n);
    }
    i += n;
  }
  out->push_back('"');
}

void AppendJsonFloat(double f, std::string* out) {
  if (std::isnan(f)) {
    out->append("\"NaN\"");
    return;
  }
  if (std::isinf(f)) {
    out->append(f > 0 ? "\"+Inf\"" : "\"-Inf\"");
    return;
  }
  double a = std::fabs(f);
  bool exp = a != 0 && (a < 1e-6 || a >= 1e21);
  char buf[64];
  auto r = std::to_chars(
      buf, buf + sizeof buf, f,
      exp ? std::chars_format::scientific : std::chars_format::fixed);
  std::string s(buf, r.ptr);
  if (exp) {
    // Go writes e-7, not e-07.
    size_t n = s.size();
    if (n >= 4 && s[n - 4] == 'e' && s[n - 3] == '-' && s[n - 2] == '0') {
      s.erase(n - 2, 1);
    }
  }
  out->append(s);
}

std::string ValueToJson(const Value& v) {
  std::string out;
  AppendValue(v, &out);
  return out;
}

std::string TypeToJson(const Type* t) {
  std::string out = "{\"kind\":";
  AppendJsonString(KindName(t->kind()), &out);
  out.append(",\"name\":");
  AppendJsonString(t->name(), &out);
  switch (t->kind()) {
    case Kind::kStruct:
      out.append(",\"fields\":[");
      for (size_t i = 0; i < t->fields().size(); ++i) {
        if (i > 0) out.push_back(',');
        out.append("{\"name\":");
        AppendJsonString(t->fields()[i].name, &out);
        out.append(",\"type\":");
        AppendJsonString(t->fields()[i].type->String(), &out);
        out.push_back('}');
      }
      out.push_back(']');
      break;
    case Kind::kMap:
      out.append(",\"key\":");
      AppendJsonString(t->key()->String(), &out);
      [[fallthrough]];
    case Kind::kSlice:
      out.append(",\"elem\":");
      AppendJsonString(t->elem()->String(), &out);
      break;
    case Kind::kArray:
      absl::StrAppend(&out, ",\"len\":", t->len(), ",\"elem\":");
      AppendJsonString(t->elem()->String(), &out);
      break;
    default:
      break;
  }
  out.push_back('}');
  return out;
}

std::string WireTypeToJson(TypeId id, const WireType& wire) {
  std::string out = absl::StrCat("{\"type_id\":", id, ",\"def\":{\"kind\":");
  AppendJsonString(KindName(wire.kind), &out);
  out.append(",\"name\":");
  AppendJsonString(wire.name, &out);
  absl::StrAppend(&out, ",\"id\":", wire.id);
  switch (wire.kind) {
    case Kind::kStruct:
      out.append(",\"fields\":[");
      for (size_t i = 0; i < wire.fields.size(); ++i) {
        if (i > 0) out.push_back(',');
        out.append("{\"name\":");
        AppendJsonString(wire.fields[i].name, &out);
        absl::StrAppend(&out, ",\"id\":", wire.fields[i].id);
        if (const Type* t = PredefinedType(wire.fields[i].id)) {
          out.append(",\"type\":");
          AppendJsonString(t->name(), &out);
        }
        out.push_back('}');
      }
      out.push_back(']');
      break;
    case Kind::kMap:
      AppendRef("key", wire.key, &out);
      AppendRef("elem", wire.elem, &out);
      break;
    case Kind::kSlice:
      AppendRef("elem", wire.elem, &out);
      break;
    case Kind::kArray:
      AppendRef("elem", wire.elem, &out);
      absl::StrAppend(&out, ",\"len\":", wire.len);
      break;
    default:
      break;
  }
  out.append("}}");
  return out;
}

}  // namespace netrpc::gob
