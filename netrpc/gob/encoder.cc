// Copyright 2024 The netrpc-gateway Authors. Licensed under the Apache License 2.0.

#include "netrpc/gob/encoder.h"

namespace netrpc::gob {

Encoder::Encoder(const EncoderOptions& options)
    : core_(std::make_unique<internal::EncoderCore>(options)) {}

Encoder::~Encoder() = default;
Encoder::Encoder(Encoder&&) noexcept = default;
Encoder& Encoder::operator=(Encoder&&) noexcept = default;

absl::Status Encoder::EncodeValue(const Value& value, std::string* out) {
  if (!value.present()) {
    return absl::InvalidArgumentError("gob: cannot encode nil value");
  }
  return core_->Encode(
      value.type(),
      [&value](internal::EncState& st) { internal::EncodeTopValue(st, value); },
      out);
}

}  // namespace netrpc::gob
