#include "bridge/dynamic_body.h"

#include "bridge/convert/json_value.h"

namespace bridge {

absl::Status DynamicBody::EncodeJson(std::string* out) const {
  if (!value_.present() && type_ != nullptr) {
    return GobValueToJson(netrpc::gob::Value::Zero(type_), out);
  }
  return GobValueToJson(value_, out);
}

absl::Status DynamicBody::DecodeJson(absl::string_view json) {
  const netrpc::gob::Type* type = type_ != nullptr ? type_ : value_.type();
  if (type == nullptr) {
    return absl::FailedPreconditionError(
        "bridge: a DynamicBody made without a gob type cannot decode JSON; "
        "construct it with the mapping's type of the value "
        "(DynamicBody(keep_alive, type, options))");
  }
  static const ConvertOptions* const kStrict = new ConvertOptions();
  return JsonToGobValue(json, type, &value_,
                        options_ != nullptr ? *options_ : *kStrict);
}

}  // namespace bridge
