#include "bridge/convert/gob_to_proto.h"

#include <cmath>
#include <cstdint>
#include <limits>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "netrpc/base/status_macros.h"
#include "netrpc/gob/time.h"

namespace bridge {
namespace {

namespace gob = ::netrpc::gob;
using ::google::protobuf::Descriptor;
using ::google::protobuf::FieldDescriptor;
using ::google::protobuf::Message;
using ::google::protobuf::Reflection;

// ValidUtf8 reports whether s is well-formed UTF-8 (no overlongs, no
// surrogates, nothing above U+10FFFF), as proto3 requires of `string`.
bool ValidUtf8(absl::string_view s) {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  const auto* end = p + s.size();
  while (p < end) {
    unsigned char c = *p;
    if (c < 0x80) {
      ++p;
      continue;
    }
    int n;
    uint32_t cp;
    if ((c & 0xe0) == 0xc0) {
      n = 1;
      cp = c & 0x1f;
    } else if ((c & 0xf0) == 0xe0) {
      n = 2;
      cp = c & 0x0f;
    } else if ((c & 0xf8) == 0xf0) {
      n = 3;
      cp = c & 0x07;
    } else {
      return false;
    }
    if (end - p <= n) return false;
    for (int i = 1; i <= n; ++i) {
      if ((p[i] & 0xc0) != 0x80) return false;
      cp = (cp << 6) | (p[i] & 0x3f);
    }
    static constexpr uint32_t kMin[] = {0, 0x80, 0x800, 0x10000};
    if (cp < kMin[n] || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) {
      return false;
    }
    p += n + 1;
  }
  return true;
}

std::string KindOf(const gob::Value& v) {
  return v.type() == nullptr ? "nothing" : v.type()->String();
}

class Converter {
 public:
  Converter(GobTypes& types, const ConvertOptions& options)
      : types_(types), options_(options) {}

  absl::Status ToMessage(const gob::Value& v, Message* m) {
    const Descriptor* desc = m->GetDescriptor();
    const Reflection* refl = m->GetReflection();
    switch (ClassifyMessage(desc)) {
      case WellKnown::kTimestamp:
        return ToTimestamp(v, m);
      case WellKnown::kDuration:
        return ToDuration(v, m);
      case WellKnown::kWrapper:
        return Store(m, desc->field(0), v, false);
      case WellKnown::kUnsupported:
        return absl::InvalidArgumentError(absl::StrCat(
            "bridge: ", desc->full_name(), " has no gob equivalent"));
      case WellKnown::kNone:
        break;
    }
    if (types_.names().Unwrapped(desc)) {
      return StoreField(m, desc->field(0), v);
    }
    if (v.kind() != gob::Kind::kStruct) {
      return absl::InvalidArgumentError(absl::StrCat(
          "bridge: ", desc->full_name(), " needs a Go struct, got ", KindOf(v),
          "; for a non-struct net/rpc value declare a one-field message with "
          "option (netrpc.options.v1.unwrap) = true"));
    }
    const auto& fields = v.type()->fields();
    for (size_t i = 0; i < fields.size(); ++i) {
      const gob::Value& fv = v.field(i);
      if (!fv.present()) continue;
      const FieldDescriptor* f = types_.FieldByGoName(desc, fields[i].name);
      if (f == nullptr) {
        NETRPC_RETURN_IF_ERROR(Unknown(absl::StrCat(
            "bridge: Go field ", v.type()->name(), ".", fields[i].name,
            " has no counterpart in ", desc->full_name())));
        continue;
      }
      if (f->containing_oneof() != nullptr &&
          refl->HasOneof(*m, f->containing_oneof())) {
        return absl::InvalidArgumentError(absl::StrCat(
            "bridge: Go fields for two members of oneof ",
            f->containing_oneof()->full_name(), " are set; at most one may be"));
      }
      NETRPC_RETURN_IF_ERROR(StoreField(m, f, fv));
    }
    return absl::OkStatus();
  }

 private:
  absl::Status Unknown(std::string what) {
    if (options_.unknown_fields == netrpc::config::v1::DROP_AND_COUNT) {
      if (options_.on_drop) options_.on_drop(what);
      return absl::OkStatus();
    }
    return absl::InvalidArgumentError(
        absl::StrCat(what, "; add the field to the proto, declare its Go name "
                           "(go_name option or field_names in the config), "
                           "or set unknown_fields: DROP_AND_COUNT"));
  }

  absl::Status StoreField(Message* m, const FieldDescriptor* f,
                          const gob::Value& v) {
    if (f->is_map()) return StoreMap(m, f, v);
    if (f->is_repeated()) {
      if (v.kind() != gob::Kind::kSlice && v.kind() != gob::Kind::kArray) {
        return Mismatch(f, v);
      }
      for (size_t i = 0; i < v.size(); ++i) {
        NETRPC_RETURN_IF_ERROR(Store(m, f, v.elem(i), true));
      }
      return absl::OkStatus();
    }
    return Store(m, f, v, false);
  }

  absl::Status StoreMap(Message* m, const FieldDescriptor* f,
                        const gob::Value& v) {
    if (v.kind() != gob::Kind::kMap) return Mismatch(f, v);
    const Descriptor* entry = f->message_type();
    const Reflection* r = m->GetReflection();
    for (size_t i = 0; i < v.size(); ++i) {
      Message* e = r->AddMessage(m, f);
      NETRPC_RETURN_IF_ERROR(Store(e, entry->map_key(), v.map_key(i), false));
      NETRPC_RETURN_IF_ERROR(
          Store(e, entry->map_value(), v.map_value(i), false));
    }
    return absl::OkStatus();
  }

  static absl::Status Mismatch(const FieldDescriptor* f, const gob::Value& v) {
    return absl::InvalidArgumentError(absl::StrCat(
        "bridge: a Go ", KindOf(v), " cannot fill ", f->full_name(), " (",
        f->is_map() ? "map" : (f->is_repeated() ? "repeated " : ""),
        f->is_map() ? "" : f->type_name(), ")"));
  }

  static absl::Status OutOfRange(const FieldDescriptor* f,
                                 const std::string& value) {
    return absl::OutOfRangeError(absl::StrCat("bridge: value ", value,
                                              " out of range for ",
                                              f->full_name(), " (",
                                              f->type_name(), ")"));
  }

  // Store sets (or, with add, appends to) field f of m from one gob value.
  absl::Status Store(Message* m, const FieldDescriptor* f, const gob::Value& v,
                     bool add) {
    const Reflection* r = m->GetReflection();
    switch (f->cpp_type()) {
      case FieldDescriptor::CPPTYPE_INT32:
      case FieldDescriptor::CPPTYPE_ENUM: {
        if (v.kind() != gob::Kind::kInt) return Mismatch(f, v);
        int64_t x = v.int_value();
        if (x < std::numeric_limits<int32_t>::min() ||
            x > std::numeric_limits<int32_t>::max()) {
          return OutOfRange(f, absl::StrCat(x));
        }
        if (f->cpp_type() == FieldDescriptor::CPPTYPE_ENUM) {
          // Closed (proto2) enums cannot hold numbers they do not declare.
          if (f->file()->syntax() != google::protobuf::FileDescriptor::SYNTAX_PROTO3 &&
              f->enum_type()->FindValueByNumber(static_cast<int>(x)) == nullptr) {
            return OutOfRange(f, absl::StrCat(x));
          }
          add ? r->AddEnumValue(m, f, static_cast<int>(x))
              : r->SetEnumValue(m, f, static_cast<int>(x));
        } else {
          add ? r->AddInt32(m, f, static_cast<int32_t>(x))
              : r->SetInt32(m, f, static_cast<int32_t>(x));
        }
        return absl::OkStatus();
      }
      case FieldDescriptor::CPPTYPE_INT64:
        if (v.kind() != gob::Kind::kInt) return Mismatch(f, v);
        add ? r->AddInt64(m, f, v.int_value()) : r->SetInt64(m, f, v.int_value());
        return absl::OkStatus();
      case FieldDescriptor::CPPTYPE_UINT32: {
        if (v.kind() != gob::Kind::kUint) return Mismatch(f, v);
        uint64_t x = v.uint_value();
        if (x > std::numeric_limits<uint32_t>::max()) {
          return OutOfRange(f, absl::StrCat(x));
        }
        add ? r->AddUInt32(m, f, static_cast<uint32_t>(x))
            : r->SetUInt32(m, f, static_cast<uint32_t>(x));
        return absl::OkStatus();
      }
      case FieldDescriptor::CPPTYPE_UINT64:
        if (v.kind() != gob::Kind::kUint) return Mismatch(f, v);
        add ? r->AddUInt64(m, f, v.uint_value())
            : r->SetUInt64(m, f, v.uint_value());
        return absl::OkStatus();
      case FieldDescriptor::CPPTYPE_FLOAT: {
        if (v.kind() != gob::Kind::kFloat) return Mismatch(f, v);
        double x = v.float_value();
        // Go's rule for float32: Inf and NaN pass, finite overflow fails.
        if (std::isfinite(x) &&
            std::fabs(x) > std::numeric_limits<float>::max()) {
          return OutOfRange(f, absl::StrCat(x));
        }
        add ? r->AddFloat(m, f, static_cast<float>(x))
            : r->SetFloat(m, f, static_cast<float>(x));
        return absl::OkStatus();
      }
      case FieldDescriptor::CPPTYPE_DOUBLE:
        if (v.kind() != gob::Kind::kFloat) return Mismatch(f, v);
        add ? r->AddDouble(m, f, v.float_value())
            : r->SetDouble(m, f, v.float_value());
        return absl::OkStatus();
      case FieldDescriptor::CPPTYPE_BOOL:
        if (v.kind() != gob::Kind::kBool) return Mismatch(f, v);
        add ? r->AddBool(m, f, v.bool_value()) : r->SetBool(m, f, v.bool_value());
        return absl::OkStatus();
      case FieldDescriptor::CPPTYPE_STRING: {
        bool bytes = f->type() == FieldDescriptor::TYPE_BYTES;
        if (v.kind() != (bytes ? gob::Kind::kBytes : gob::Kind::kString)) {
          return Mismatch(f, v);
        }
        if (!bytes &&
            f->file()->syntax() == google::protobuf::FileDescriptor::SYNTAX_PROTO3 &&
            !ValidUtf8(v.bytes())) {
          return absl::InvalidArgumentError(absl::StrCat(
              "bridge: Go string for ", f->full_name(),
              " is not valid UTF-8, which a proto3 string must be; make the "
              "field bytes"));
        }
        add ? r->AddString(m, f, v.bytes()) : r->SetString(m, f, v.bytes());
        return absl::OkStatus();
      }
      case FieldDescriptor::CPPTYPE_MESSAGE: {
        Message* sub = add ? r->AddMessage(m, f) : r->MutableMessage(m, f);
        return ToMessage(v, sub);
      }
    }
    return absl::InternalError("bridge: unknown field type");
  }

  static absl::Status ToTimestamp(const gob::Value& v, Message* m) {
    if (v.kind() != gob::Kind::kGobEncoder) {
      return absl::InvalidArgumentError(absl::StrCat(
          "bridge: google.protobuf.Timestamp needs a Go time.Time, got ",
          KindOf(v)));
    }
    NETRPC_ASSIGN_OR_RETURN(gob::GoTime t, gob::ParseGoTime(v.bytes()));
    // Timestamp's range is years 1 to 9999, as its spec says.
    constexpr int64_t kMinSeconds = -62135596800;
    constexpr int64_t kMaxSeconds = 253402300799;
    absl::Duration since = t.time - absl::UnixEpoch();
    int64_t seconds = absl::ToInt64Seconds(since);
    if (since < absl::ZeroDuration() &&
        since != absl::Seconds(seconds)) {
      --seconds;  // floor, so that nanos is never negative
    }
    if (seconds < kMinSeconds || seconds > kMaxSeconds) {
      return absl::OutOfRangeError(absl::StrCat(
          "bridge: time ", gob::FormatRFC3339Nano(t),
          " is outside google.protobuf.Timestamp's range (years 1 to 9999)"));
    }
    int64_t nanos =
        absl::ToInt64Nanoseconds(since - absl::Seconds(seconds));
    const Descriptor* d = m->GetDescriptor();
    const Reflection* r = m->GetReflection();
    r->SetInt64(m, d->FindFieldByName("seconds"), seconds);
    r->SetInt32(m, d->FindFieldByName("nanos"), static_cast<int32_t>(nanos));
    return absl::OkStatus();
  }

  static absl::Status ToDuration(const gob::Value& v, Message* m) {
    if (v.kind() != gob::Kind::kInt) {
      return absl::InvalidArgumentError(absl::StrCat(
          "bridge: google.protobuf.Duration needs a Go time.Duration (int), "
          "got ",
          KindOf(v)));
    }
    int64_t ns = v.int_value();
    const Descriptor* d = m->GetDescriptor();
    const Reflection* r = m->GetReflection();
    // Duration keeps seconds and nanos with the same sign.
    r->SetInt64(m, d->FindFieldByName("seconds"), ns / 1000000000);
    r->SetInt32(m, d->FindFieldByName("nanos"),
                static_cast<int32_t>(ns % 1000000000));
    return absl::OkStatus();
  }

  GobTypes& types_;
  const ConvertOptions& options_;
};

}  // namespace

absl::Status GobToProto(const gob::Value& value, Message* message,
                        GobTypes& types, const ConvertOptions& options) {
  return Converter(types, options).ToMessage(value, message);
}

}  // namespace bridge
