// File: dynamic_body.h
//
// DynamicBody is a netrpc::Body that holds a gob::Value instead of a C++
// struct: how the bridge takes a net/rpc argument, and gives a net/rpc
// reply, of a type known only from descriptors. The gob codec decodes into
// it with Decoder::DecodeValue and encodes it with Encoder::EncodeValue; the
// jsonrpc codec (netrpc/jsonrpc) reads and writes it as Go's encoding/json
// does the Go value it stands for (convert/json_value.h).
//
//   // A body that either codec can fill: JSON needs the expected gob type.
//   NETRPC_ASSIGN_OR_RETURN(const netrpc::gob::Type* t,
//                           mapping->types().For(method->input_type()));
//   auto body = std::make_unique<bridge::DynamicBody>(mapping, t,
//                                                     &mapping->options());
//   body->value() = std::move(reply_value);
//
// The gob codec needs no type: a gob stream carries its own. Decoding JSON
// into a body built without one fails with kFailedPrecondition, unless the
// body already holds a value (whose type is then used).

#ifndef BRIDGE_DYNAMIC_BODY_H_
#define BRIDGE_DYNAMIC_BODY_H_

#include <memory>
#include <string>
#include <typeinfo>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

#include "bridge/convert/options.h"
#include "netrpc/body.h"
#include "netrpc/gob/decoder.h"
#include "netrpc/gob/encoder.h"
#include "netrpc/gob/type.h"
#include "netrpc/gob/value.h"

namespace bridge {

// DynamicBody holds one gob::Value. [thread-compatible]
class DynamicBody final : public netrpc::Body {
 public:
  // keep_alive owns the types the value will refer to (a Mapping), so they
  // outlive the value until the codec has encoded it.
  explicit DynamicBody(std::shared_ptr<const void> keep_alive = nullptr)
      : keep_alive_(std::move(keep_alive)) {}

  // DynamicBody with the gob type JSON decodes into (the mapping's type of
  // the method's argument or reply, GobTypes::For) and the options that
  // say what an unknown JSON key does (nullptr: STRICT). keep_alive must own
  // both `type` and `*options` (a Mapping does).
  // The value starts as Go's new(T) (GoZeroValue), which is what a method
  // gets when a jsonrpc request's params are `[]` or `[null]`.
  DynamicBody(std::shared_ptr<const void> keep_alive,
              const netrpc::gob::Type* type,
              const ConvertOptions* options = nullptr);

  netrpc::gob::Value& value() { return value_; }
  const netrpc::gob::Value& value() const { return value_; }

  // expected_type is the type given at construction, or nullptr.
  const netrpc::gob::Type* expected_type() const { return type_; }

  const std::type_info& type() const override {
    return typeid(netrpc::gob::Value);
  }
  void* get() override { return &value_; }
  const void* get() const override { return &value_; }

  absl::Status EncodeGob(netrpc::gob::Encoder& encoder,
                         std::string* out) const override {
    return encoder.EncodeValue(value_, out);
  }
  absl::Status DecodeGob(netrpc::gob::Decoder& decoder) override {
    return decoder.DecodeValue(&value_);
  }

  // EncodeJson writes the value as Go's encoding/json (GobValueToJson); an
  // absent value is written as the zero of the expected type (net/rpc's
  // new(T)), or null without one.
  absl::Status EncodeJson(std::string* out) const override;

  // DecodeJson decodes into the value as a value of the expected type
  // (JsonToGobValue), merging into a value of that type already held.
  absl::Status DecodeJson(absl::string_view json) override;

 private:
  std::shared_ptr<const void> keep_alive_;
  const netrpc::gob::Type* type_ = nullptr;
  const ConvertOptions* options_ = nullptr;
  netrpc::gob::Value value_;
};

}  // namespace bridge

#endif  // BRIDGE_DYNAMIC_BODY_H_
