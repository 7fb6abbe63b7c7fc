// Copyright netrpc-gateway authors. Licensed under the BSD-style licence of Go.
//
// File: body.h
//
// Body is the type-erased request argument or response reply that codecs
// read into and write from (Go passes `any` and uses reflection). A Body
// knows its C++ type and how to encode and decode itself in each wire
// format netrpc speaks; TypedBody<T> implements it once for every T.
//
//   Args args{7, 8};
//   netrpc::BodyRef<const Args> body(&args);    // refers to the caller's value
//   codec->WriteRequest(request, &body);
//
//   netrpc::OwnedBody<Reply> reply;             // owns a zero Reply
//   codec->ReadResponseBody(&reply);
//   const Reply* r = reply.As<Reply>();
//
// A dynamic body (the bridge's gob::Value or protobuf message) is one more
// Body implementation; a codec does not need to know.
//
// Formats: each wire format has a pair of hooks here, implemented once in
// BodyRef/OwnedBody for every bound type (gob: Encoder::Encode and
// Decoder::Decode of netrpc/gob; JSON: jsonrpc::Marshal and Unmarshal of
// netrpc/jsonrpc/json.h). A codec for a new format adds its pair;
// a codec for known C++ types (a test fake) can use As<T>() instead.

#ifndef NETRPC_BODY_H_
#define NETRPC_BODY_H_

#include <memory>
#include <string>
#include <type_traits>
#include <typeinfo>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "netrpc/gob/decoder.h"
#include "netrpc/gob/encoder.h"
#include "netrpc/jsonrpc/json.h"

namespace netrpc {

// Body is a value a codec encodes or decodes. See the file comment.
//
// [thread-compatible]
class Body {
 public:
  virtual ~Body() = default;

  // type is the C++ type of the value.
  virtual const std::type_info& type() const = 0;

  // get returns the value's address. Decoding into a Body whose value is
  // const fails (the client's argument bodies are).
  virtual void* get() = 0;
  virtual const void* get() const = 0;

  // As returns the value as a T, or nullptr if it is not one.
  template <typename T>
  T* As() {
    return type() == typeid(T) ? static_cast<T*>(get()) : nullptr;
  }
  template <typename T>
  const T* As() const {
    return type() == typeid(T) ? static_cast<const T*>(get()) : nullptr;
  }

  // EncodeGob appends the value's gob messages (type definitions the stream
  // lacks, then the value) to `*out`.
  virtual absl::Status EncodeGob(gob::Encoder& encoder,
                                 std::string* out) const = 0;

  // DecodeGob decodes the next value of `decoder` into the body, merging as
  // Go does; gob::IsNeedMore when the bytes are not all there yet.
  virtual absl::Status DecodeGob(gob::Decoder& decoder) = 0;

  // EncodeJson appends the value's JSON (Go's encoding/json) to `*out`; on
  // error nothing is appended. The default, for bodies with no JSON form,
  // fails with kUnimplemented.
  virtual absl::Status EncodeJson(std::string* out) const;

  // DecodeJson decodes the JSON value `json` into the body, merging as Go's
  // json.Unmarshal does. The default fails with kUnimplemented.
  virtual absl::Status DecodeJson(absl::string_view json);
};

namespace body_internal {

absl::Status DecodeIntoConst();

}  // namespace body_internal

// BodyRef is a Body that refers to a value owned elsewhere (a caller's
// argument or reply). T may be const.
template <typename T>
class BodyRef final : public Body {
 public:
  explicit BodyRef(T* value) : value_(value) {}

  const std::type_info& type() const override {
    return typeid(std::remove_const_t<T>);
  }
  void* get() override {
    if constexpr (std::is_const_v<T>) {
      return nullptr;
    } else {
      return value_;
    }
  }
  const void* get() const override { return value_; }

  absl::Status EncodeGob(gob::Encoder& encoder,
                         std::string* out) const override {
    return encoder.Encode(*value_, out);
  }
  absl::Status DecodeGob(gob::Decoder& decoder) override {
    if constexpr (std::is_const_v<T>) {
      (void)decoder;
      return body_internal::DecodeIntoConst();
    } else {
      return decoder.Decode(value_);
    }
  }
  absl::Status EncodeJson(std::string* out) const override {
    return jsonrpc::Marshal(*value_, out);
  }
  absl::Status DecodeJson(absl::string_view json) override {
    if constexpr (std::is_const_v<T>) {
      (void)json;
      return body_internal::DecodeIntoConst();
    } else {
      return jsonrpc::Unmarshal(json, value_);
    }
  }

 private:
  T* value_;
};

// OwnedBody is a Body that owns a value, zero (value-initialised) at first.
template <typename T>
class OwnedBody final : public Body {
 public:
  OwnedBody() : value_() {}

  const std::type_info& type() const override { return typeid(T); }
  void* get() override { return &value_; }
  const void* get() const override { return &value_; }

  T& value() { return value_; }

  absl::Status EncodeGob(gob::Encoder& encoder,
                         std::string* out) const override {
    return encoder.Encode(value_, out);
  }
  absl::Status DecodeGob(gob::Decoder& decoder) override {
    return decoder.Decode(&value_);
  }
  absl::Status EncodeJson(std::string* out) const override {
    return jsonrpc::Marshal(value_, out);
  }
  absl::Status DecodeJson(absl::string_view json) override {
    return jsonrpc::Unmarshal(json, &value_);
  }

 private:
  T value_;
};

}  // namespace netrpc

#endif  // NETRPC_BODY_H_
