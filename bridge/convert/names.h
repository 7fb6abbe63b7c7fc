// File: names.h
//
// Go names for protobuf fields and messages. gob matches struct fields by
// their exact Go name, and Go's decoder silently drops a field whose name it
// does not know, so the bridge must spell every proto field as the Go side
// does. The default is protoc-gen-go's rule (`user_id` -> `UserId`); a field
// option or the bridge config overrides it (`UserID`).
//
//   bridge::GoNames names(config);                 // config.field_names
//   std::string go = names.Field(field_descriptor);  // "UserID"
//   std::string t = names.Message(descriptor);        // "User"

#ifndef BRIDGE_CONVERT_NAMES_H_
#define BRIDGE_CONVERT_NAMES_H_

#include <string>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/string_view.h"
#include "google/protobuf/descriptor.h"
#include "proto/config/v1/bridge.pb.h"

namespace bridge {

// GoCamelCase is protoc-gen-go's field-name rule: drop an underscore that is
// followed by a lower-case letter and capitalise that letter, capitalise the
// first letter, turn a leading underscore into 'X', keep digits.
// "user_id" -> "UserId", "x_1" -> "X_1", "_foo" -> "XFoo".
std::string GoCamelCase(absl::string_view proto_name);

// GoNames resolves Go names for fields and messages. Precedence for a field:
// the bridge config's FieldName entry, then the field option
// (netrpc.options.v1.go_name), then GoCamelCase. [thread-safe after
// construction]
class GoNames {
 public:
  GoNames() = default;
  explicit GoNames(const netrpc::config::v1::Bridge& config);

  // Field returns the Go struct field name of `field`.
  std::string Field(const google::protobuf::FieldDescriptor* field) const;

  // Message returns the Go type name gob sends for `message`: the option
  // (netrpc.options.v1.go_type), else the message's short name.
  std::string Message(const google::protobuf::Descriptor* message) const;

  // Unwrapped reports whether `message` stands for the value of its single
  // field (option netrpc.options.v1.unwrap, or listed in the config).
  bool Unwrapped(const google::protobuf::Descriptor* message) const;

 private:
  // Keyed by "full.message.Name/field_name".
  absl::flat_hash_map<std::string, std::string> field_overrides_;
  absl::flat_hash_map<std::string, bool> unwrap_;
};

}  // namespace bridge

#endif  // BRIDGE_CONVERT_NAMES_H_
