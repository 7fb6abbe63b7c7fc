#include "bridge/dynamic_body.h"

#include <utility>

#include "bridge/convert/json_value.h"

namespace bridge {

DynamicBody::DynamicBody(std::shared_ptr<const void> keep_alive,
                         const netrpc::gob::Type* type,
                         const ConvertOptions* options)
    : keep_alive_(std::move(keep_alive)), type_(type), options_(options) {
  if (type_ != nullptr) value_ = GoZeroValue(type_);
}

absl::Status DynamicBody::EncodeJson(std::string* out) const {
  if (!value_.present() && type_ != nullptr) {
    return GobValueToJson(GoZeroValue(type_), out);
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
