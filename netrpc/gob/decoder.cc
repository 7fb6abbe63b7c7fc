// Copyright 2024 The netrpc-gateway Authors. Licensed under the Apache License 2.0.

#include "netrpc/gob/decoder.h"

#include <utility>

namespace netrpc::gob {

Decoder::Decoder(const DecoderOptions& options)
    : core_(std::make_unique<internal::DecoderCore>(options)) {}

Decoder::~Decoder() = default;
Decoder::Decoder(Decoder&&) noexcept = default;
Decoder& Decoder::operator=(Decoder&&) noexcept = default;

Decoder Decoder::FromBytes(absl::string_view stream,
                           const DecoderOptions& options) {
  Decoder dec(options);
  dec.Append(stream);
  dec.CloseInput();
  return dec;
}

void Decoder::Append(absl::string_view data) { core_->Append(data); }

char* Decoder::PrepareAppend(size_t n) {
  reserved_ = n;
  return core_->AppendBuffer(n);
}

void Decoder::CommitAppend(size_t written) {
  core_->CommitAppend(reserved_, written);
  reserved_ = 0;
}

void Decoder::CloseInput() { core_->CloseInput(); }

bool Decoder::Ready() const { return core_->Ready(); }

size_t Decoder::buffered() const { return core_->buffered(); }

absl::Status Decoder::DecodeValue(Value* out) {
  Value result;
  absl::Status s = core_->Attempt(
      [&result](internal::DecState& st, const Type* type) {
        internal::DecodeTopValue(st, type, &result);
      },
      /*precheck=*/false);
  if (s.ok()) *out = std::move(result);
  return s;
}

absl::Status Decoder::Skip() {
  return core_->Attempt(
      [](internal::DecState& st, const Type* type) {
        internal::SkipTopValue(st, type);
      },
      /*precheck=*/false);
}

const absl::Status& Decoder::broken() const { return core_->broken(); }

const std::vector<TypeId>& Decoder::definitions() const {
  return core_->definition_order();
}

const WireType* Decoder::Definition(TypeId id) const {
  return core_->Definition(id);
}

}  // namespace netrpc::gob
