// Copyright 2024 The netrpc-gateway Authors. Licensed under the Apache License 2.0.
//
// File: encoder.h
//
// Encoder writes one gob stream (Go's encoding/gob Encoder): for each value,
// the type definitions the stream has not carried yet, then one value
// message. It appends to a caller-owned string, so the caller decides when
// and how bytes reach the connection.
//
//   netrpc::gob::Encoder enc;            // one per stream (connection side)
//   std::string out;
//   NETRPC_RETURN_IF_ERROR(enc.Encode(Request{"Arith.Multiply", 1}, &out));
//   NETRPC_RETURN_IF_ERROR(enc.Encode(Args{7, 8}, &out));
//   conn.Write(out);
//
// Byte identity with Go: type ids are allocated per Encoder from 65, in the
// order and with the CommonType names Go gives them, so an Encoder produces
// what a fresh Go process would for the same sequence of values (maps with
// more than one entry aside: Go's iteration order is random). Go allocates ids
// per process instead, so a long-running Go peer may number differently; ids
// only need to be consistent within a stream.
//
// Errors: on failure no part of the value message is written; definition
// messages completed before the failure stay (Go writes them too) and count
// as sent.
//
// Thread-safety: not thread-safe; one Encoder per stream, used by one writer
// at a time (net/rpc serialises whole responses anyway).

#ifndef NETRPC_GOB_ENCODER_H_
#define NETRPC_GOB_ENCODER_H_

#include <memory>
#include <string>

#include "absl/status/status.h"
#include "netrpc/gob/bind.h"
#include "netrpc/gob/codec_internal.h"
#include "netrpc/gob/interface.h"
#include "netrpc/gob/options.h"
#include "netrpc/gob/value.h"

namespace netrpc::gob {

// Encoder writes a gob stream; see the file comment.
class Encoder {
 public:
  explicit Encoder(const EncoderOptions& options = EncoderOptions());
  ~Encoder();
  Encoder(Encoder&&) noexcept;
  Encoder& operator=(Encoder&&) noexcept;

  // Encode appends the messages for value, a bound C++ type (bind.h), to
  // *out. A struct is sent as a gob struct, anything else as a singleton.
  template <typename T>
  absl::Status Encode(const T& value, std::string* out) {
    // One address per T: the key of the core's cache of described types.
    static constexpr char kTag = 0;
    const Type* type = core_->TopType(&kTag);
    if (type == nullptr) {
      type = internal::DescribeTop<T>(core_->describer());
      if (type != nullptr) core_->SetTopType(&kTag, type);
    }
    return core_->Encode(
        type,
        [&value](internal::EncState& st) { internal::EncodeTop<T>(st, value); },
        out);
  }

  // EncodeValue appends the messages for a dynamic value. Its types are sent
  // with their names exactly as they are.
  absl::Status EncodeValue(const Value& value, std::string* out);

  // Encode of a dynamic Value is EncodeValue.
  absl::Status Encode(const Value& value, std::string* out) {
    return EncodeValue(value, out);
  }

 private:
  std::unique_ptr<internal::EncoderCore> core_;
};

}  // namespace netrpc::gob

#endif  // NETRPC_GOB_ENCODER_H_
