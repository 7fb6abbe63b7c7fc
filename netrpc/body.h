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

#ifndef NETRPC_BODY_H_
#define NETRPC_BODY_H_

#include <memory>
#include <string>
#include <type_traits>
#include <typeinfo>

#include "absl/status/status.h"

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
};

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

 private:
  T value_;
};

}  // namespace netrpc

#endif  // NETRPC_BODY_H_
