#include "bridge/convert/proto_to_gob.h"

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

class Converter {
 public:
  Converter(GobTypes& types, const ConvertOptions& options)
      : types_(types), options_(options) {}

  absl::StatusOr<gob::Value> FromMessage(const Message& m,
                                         const gob::Type* type) {
    const Descriptor* desc = m.GetDescriptor();
    switch (ClassifyMessage(desc)) {
      case WellKnown::kTimestamp:
        return FromTimestamp(m);
      case WellKnown::kDuration:
        return FromDuration(m);
      case WellKnown::kWrapper:
        return FromSingular(m, desc->field(0), type);
      case WellKnown::kUnsupported:
      case WellKnown::kNone:
        break;
    }
    NETRPC_RETURN_IF_ERROR(CheckUnknown(m));
    if (type->kind() != gob::Kind::kStruct) {
      // An unwrapped message: the value of its single field, sent in full
      // even when zero, as Go sends top-level values.
      return FromField(m, desc->field(0), type, false);
    }
    gob::Value out = gob::Value::Zero(type);
    for (int i = 0; i < desc->field_count(); ++i) {
      NETRPC_ASSIGN_OR_RETURN(
          gob::Value v,
          FromField(m, desc->field(i), type->fields()[i].type, true));
      if (v.present()) NETRPC_RETURN_IF_ERROR(out.SetFieldAt(i, std::move(v)));
    }
    return out;
  }

 private:
  // FromField converts field f of m to a value of type. With omit_zero, a
  // zero field yields an absent value: gob omits it, the Go side keeps its
  // zero.
  absl::StatusOr<gob::Value> FromField(const Message& m,
                                       const FieldDescriptor* f,
                                       const gob::Type* type, bool omit_zero) {
    const Reflection* r = m.GetReflection();
    if (f->is_repeated()) {
      int n = r->FieldSize(m, f);
      if (n == 0 && omit_zero) return gob::Value();
      if (f->is_map()) return FromMap(m, f, type);
      gob::Value v = gob::Value::Zero(type);
      for (int j = 0; j < n; ++j) {
        NETRPC_ASSIGN_OR_RETURN(gob::Value e,
                                FromRepeated(m, f, j, type->elem()));
        NETRPC_RETURN_IF_ERROR(v.Append(std::move(e)));
      }
      return v;
    }
    if (omit_zero && IsZeroScalar(m, f)) return gob::Value();
    return FromSingular(m, f, type);
  }

  absl::Status CheckUnknown(const Message& m) {
    const auto& unknown = m.GetReflection()->GetUnknownFields(m);
    if (unknown.empty()) return absl::OkStatus();
    std::string what = absl::StrCat(
        "bridge: ", m.GetDescriptor()->full_name(), " carries ",
        unknown.field_count(), " field(s) unknown to the schema (first: number ",
        unknown.field(0).number(), ") that the net/rpc side cannot receive");
    if (options_.unknown_fields == netrpc::config::v1::DROP_AND_COUNT) {
      if (options_.on_drop) options_.on_drop(what);
      return absl::OkStatus();
    }
    return absl::InvalidArgumentError(absl::StrCat(
        what, "; update the bridge's schema, or set unknown_fields: "
              "DROP_AND_COUNT"));
  }

  static bool IsZeroScalar(const Message& m, const FieldDescriptor* f) {
    const Reflection* r = m.GetReflection();
    switch (f->cpp_type()) {
      case FieldDescriptor::CPPTYPE_INT32:
        return r->GetInt32(m, f) == 0;
      case FieldDescriptor::CPPTYPE_INT64:
        return r->GetInt64(m, f) == 0;
      case FieldDescriptor::CPPTYPE_UINT32:
        return r->GetUInt32(m, f) == 0;
      case FieldDescriptor::CPPTYPE_UINT64:
        return r->GetUInt64(m, f) == 0;
      case FieldDescriptor::CPPTYPE_ENUM:
        return r->GetEnumValue(m, f) == 0;
      case FieldDescriptor::CPPTYPE_FLOAT:
        return r->GetFloat(m, f) == 0;
      case FieldDescriptor::CPPTYPE_DOUBLE:
        return r->GetDouble(m, f) == 0;
      case FieldDescriptor::CPPTYPE_BOOL:
        return !r->GetBool(m, f);
      case FieldDescriptor::CPPTYPE_STRING: {
        std::string scratch;
        return r->GetStringReference(m, f, &scratch).empty();
      }
      case FieldDescriptor::CPPTYPE_MESSAGE:
        return !r->HasField(m, f);
    }
    return false;
  }

  absl::StatusOr<gob::Value> FromSingular(const Message& m,
                                          const FieldDescriptor* f,
                                          const gob::Type* type) {
    const Reflection* r = m.GetReflection();
    switch (f->cpp_type()) {
      case FieldDescriptor::CPPTYPE_INT32:
        return gob::Value::Int(r->GetInt32(m, f));
      case FieldDescriptor::CPPTYPE_INT64:
        return gob::Value::Int(r->GetInt64(m, f));
      case FieldDescriptor::CPPTYPE_UINT32:
        return gob::Value::Uint(r->GetUInt32(m, f));
      case FieldDescriptor::CPPTYPE_UINT64:
        return gob::Value::Uint(r->GetUInt64(m, f));
      case FieldDescriptor::CPPTYPE_ENUM:
        return gob::Value::Int(r->GetEnumValue(m, f));
      case FieldDescriptor::CPPTYPE_FLOAT:
        return gob::Value::Float(r->GetFloat(m, f));
      case FieldDescriptor::CPPTYPE_DOUBLE:
        return gob::Value::Float(r->GetDouble(m, f));
      case FieldDescriptor::CPPTYPE_BOOL:
        return gob::Value::Bool(r->GetBool(m, f));
      case FieldDescriptor::CPPTYPE_STRING:
        return f->type() == FieldDescriptor::TYPE_BYTES
                   ? gob::Value::Bytes(r->GetString(m, f))
                   : gob::Value::String(r->GetString(m, f));
      case FieldDescriptor::CPPTYPE_MESSAGE:
        return FromMessage(r->GetMessage(m, f), type);
    }
    return absl::InternalError("bridge: unknown field type");
  }

  absl::StatusOr<gob::Value> FromRepeated(const Message& m,
                                          const FieldDescriptor* f, int i,
                                          const gob::Type* type) {
    const Reflection* r = m.GetReflection();
    switch (f->cpp_type()) {
      case FieldDescriptor::CPPTYPE_INT32:
        return gob::Value::Int(r->GetRepeatedInt32(m, f, i));
      case FieldDescriptor::CPPTYPE_INT64:
        return gob::Value::Int(r->GetRepeatedInt64(m, f, i));
      case FieldDescriptor::CPPTYPE_UINT32:
        return gob::Value::Uint(r->GetRepeatedUInt32(m, f, i));
      case FieldDescriptor::CPPTYPE_UINT64:
        return gob::Value::Uint(r->GetRepeatedUInt64(m, f, i));
      case FieldDescriptor::CPPTYPE_ENUM:
        return gob::Value::Int(r->GetRepeatedEnumValue(m, f, i));
      case FieldDescriptor::CPPTYPE_FLOAT:
        return gob::Value::Float(r->GetRepeatedFloat(m, f, i));
      case FieldDescriptor::CPPTYPE_DOUBLE:
        return gob::Value::Float(r->GetRepeatedDouble(m, f, i));
      case FieldDescriptor::CPPTYPE_BOOL:
        return gob::Value::Bool(r->GetRepeatedBool(m, f, i));
      case FieldDescriptor::CPPTYPE_STRING:
        return f->type() == FieldDescriptor::TYPE_BYTES
                   ? gob::Value::Bytes(r->GetRepeatedString(m, f, i))
                   : gob::Value::String(r->GetRepeatedString(m, f, i));
      case FieldDescriptor::CPPTYPE_MESSAGE:
        return FromMessage(r->GetRepeatedMessage(m, f, i), type);
    }
    return absl::InternalError("bridge: unknown field type");
  }

  absl::StatusOr<gob::Value> FromMap(const Message& m,
                                     const FieldDescriptor* f,
                                     const gob::Type* type) {
    const Reflection* r = m.GetReflection();
    const Descriptor* entry = f->message_type();
    gob::Value out = gob::Value::Zero(type);
    for (int i = 0, n = r->FieldSize(m, f); i < n; ++i) {
      const Message& e = r->GetRepeatedMessage(m, f, i);
      NETRPC_ASSIGN_OR_RETURN(gob::Value k,
                              FromSingular(e, entry->map_key(), type->key()));
      NETRPC_ASSIGN_OR_RETURN(
          gob::Value v, FromSingular(e, entry->map_value(), type->elem()));
      NETRPC_RETURN_IF_ERROR(out.MapInsert(std::move(k), std::move(v)));
    }
    return out;
  }

  absl::StatusOr<gob::Value> FromTimestamp(const Message& m) {
    const Descriptor* d = m.GetDescriptor();
    const Reflection* r = m.GetReflection();
    int64_t seconds = r->GetInt64(m, d->FindFieldByName("seconds"));
    int32_t nanos = r->GetInt32(m, d->FindFieldByName("nanos"));
    std::string bytes;
    NETRPC_RETURN_IF_ERROR(gob::AppendGoTime(
        absl::FromUnixSeconds(seconds) + absl::Nanoseconds(nanos), &bytes));
    return gob::Value::External(types_.TimeType(), std::move(bytes));
  }

  absl::StatusOr<gob::Value> FromDuration(const Message& m) {
    const Descriptor* d = m.GetDescriptor();
    const Reflection* r = m.GetReflection();
    int64_t seconds = r->GetInt64(m, d->FindFieldByName("seconds"));
    int32_t nanos = r->GetInt32(m, d->FindFieldByName("nanos"));
    constexpr int64_t kMax = std::numeric_limits<int64_t>::max() / 1000000000;
    if (seconds > kMax || seconds < -kMax) {
      return absl::OutOfRangeError(absl::StrCat(
          "bridge: duration of ", seconds,
          "s does not fit Go's time.Duration (about 292 years)"));
    }
    return gob::Value::Int(seconds * 1000000000 + nanos);
  }

  GobTypes& types_;
  const ConvertOptions& options_;
};

}  // namespace

absl::StatusOr<gob::Value> ProtoToGob(const Message& message, GobTypes& types,
                                      const ConvertOptions& options) {
  NETRPC_ASSIGN_OR_RETURN(const gob::Type* type,
                          types.For(message.GetDescriptor()));
  return Converter(types, options).FromMessage(message, type);
}

}  // namespace bridge
