#include "bridge/convert/names.h"

#include "absl/strings/str_cat.h"
#include "proto/options/v1/netrpc.pb.h"

namespace bridge {
namespace {

bool IsLower(char c) { return c >= 'a' && c <= 'z'; }
bool IsDigit(char c) { return c >= '0' && c <= '9'; }

}  // namespace

std::string GoCamelCase(absl::string_view s) {
  std::string out;
  out.reserve(s.size() + 1);
  size_t i = 0;
  if (!s.empty() && s[0] == '_') {
    out.push_back('X');
    i = 1;
  }
  for (; i < s.size(); ++i) {
    char c = s[i];
    if (c == '_' && i + 1 < s.size() && IsLower(s[i + 1])) continue;
    if (IsDigit(c)) {
      out.push_back(c);
      continue;
    }
    if (IsLower(c)) c = static_cast<char>(c - 'a' + 'A');
    out.push_back(c);
    while (i + 1 < s.size() && IsLower(s[i + 1])) out.push_back(s[++i]);
  }
  return out;
}

GoNames::GoNames(const netrpc::config::v1::Bridge& config) {
  for (const auto& f : config.field_names()) {
    field_overrides_[absl::StrCat(f.message(), "/", f.field())] = f.go_name();
  }
  for (const auto& m : config.unwrap_messages()) unwrap_[m] = true;
}

std::string GoNames::Field(
    const google::protobuf::FieldDescriptor* field) const {
  if (!field_overrides_.empty()) {
    auto it = field_overrides_.find(
        absl::StrCat(field->containing_type()->full_name(), "/", field->name()));
    if (it != field_overrides_.end()) return it->second;
  }
  const std::string& option =
      field->options().GetExtension(netrpc::options::v1::go_name);
  if (!option.empty()) return option;
  return GoCamelCase(field->name());
}

std::string GoNames::Message(
    const google::protobuf::Descriptor* message) const {
  const std::string& option =
      message->options().GetExtension(netrpc::options::v1::go_type);
  if (!option.empty()) return option;
  return message->name();
}

bool GoNames::Unwrapped(const google::protobuf::Descriptor* message) const {
  if (message->field_count() != 1) return false;
  if (message->options().GetExtension(netrpc::options::v1::unwrap)) return true;
  return unwrap_.contains(message->full_name());
}

}  // namespace bridge
