// File: dynamic_body.h
//
// DynamicBody is a netrpc::Body that holds a gob::Value instead of a C++
// struct: how the bridge takes a net/rpc argument, and gives a net/rpc
// reply, of a type known only from descriptors. The gob codec decodes into
// it with Decoder::DecodeValue and encodes it with Encoder::EncodeValue.
//
//   auto body = std::make_unique<bridge::DynamicBody>(mapping);  // keeps types alive
//   body->value() = std::move(reply_value);

#ifndef BRIDGE_DYNAMIC_BODY_H_
#define BRIDGE_DYNAMIC_BODY_H_

#include <memory>
#include <string>
#include <typeinfo>

#include "netrpc/body.h"
#include "netrpc/gob/decoder.h"
#include "netrpc/gob/encoder.h"
#include "netrpc/gob/value.h"

namespace bridge {

// DynamicBody holds one gob::Value. [thread-compatible]
class DynamicBody final : public netrpc::Body {
 public:
  // keep_alive owns the types the value will refer to (a Mapping), so they
  // outlive the value until the codec has encoded it.
  explicit DynamicBody(std::shared_ptr<const void> keep_alive = nullptr)
      : keep_alive_(std::move(keep_alive)) {}

  netrpc::gob::Value& value() { return value_; }
  const netrpc::gob::Value& value() const { return value_; }

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

 private:
  std::shared_ptr<const void> keep_alive_;
  netrpc::gob::Value value_;
};

}  // namespace bridge

#endif  // BRIDGE_DYNAMIC_BODY_H_
