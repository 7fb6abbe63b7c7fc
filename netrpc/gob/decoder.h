// Copyright 2024 The netrpc-gateway Authors. Licensed under the Apache License 2.0.
//
// File: decoder.h
//
// Decoder reads one gob stream (Go's encoding/gob Decoder) from bytes the
// caller feeds it in chunks of any size, as an asynchronous server receives
// them. Each Decode reads the type definitions before a value and the value;
// if the buffered bytes do not hold all of it yet, it returns a status for
// which IsNeedMore() is true and consumes nothing, so the same call succeeds
// once more bytes are appended (the result never depends on how the stream
// was cut).
//
// Event-driven use:
//
//   netrpc::gob::Decoder dec;
//   void OnBytes(absl::string_view data) {       // may be called many times
//     dec.Append(data);
//     while (dec.Ready()) {                      // cheap: no parsing
//       Request req;
//       absl::Status s = dec.Decode(&req);
//       if (netrpc::gob::IsNeedMore(s)) break;   // wait for more bytes
//       if (!s.ok() && !dec.broken().ok()) { Close(); return; }
//       Handle(req, s);                          // a bad value: the stream goes on
//     }
//   }
//   void OnEof() { dec.CloseInput(); }           // then Decode: EOF / unexpected EOF
//
// Blocking use over a complete byte string:
//
//   netrpc::gob::Decoder dec = netrpc::gob::Decoder::FromBytes(stream);
//   Args args;
//   NETRPC_RETURN_IF_ERROR(dec.Decode(&args));
//
// Statuses (the message is Go's text wherever Go has one, since net/rpc
// forwards it to the peer):
// - OK.
// - IsNeedMore: nothing consumed; Append more (or CloseInput) and retry.
// - kOutOfRange "EOF": clean end of stream (input closed between values).
// - kDataLoss "unexpected EOF": the input was closed inside a value.
// - kInvalidArgument: malformed data or a type mismatch ("gob: wrong type
//   (uint) for received field Point.X", "gob: type mismatch: no fields
//   matched compiling decoder for Args", ...). The offending messages are
//   consumed and the stream stays usable, as in Go.
// - kResourceExhausted: a DecoderOptions limit.
// After framing errors (a bad or too large length prefix) and after the
// input ends, the stream cannot continue: broken() then holds the error and
// every later call returns it.
//
// Values decoded into a caller's object merge into it, like Go: fields the
// sender omitted keep their old contents. If a Decode fails, *out may be
// partly written. DecodeValue instead replaces *out.
//
// Thread-safety: not thread-safe; one Decoder per stream, one reader.

#ifndef NETRPC_GOB_DECODER_H_
#define NETRPC_GOB_DECODER_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "netrpc/gob/bind.h"
#include "netrpc/gob/codec_internal.h"
#include "netrpc/gob/interface.h"
#include "netrpc/gob/options.h"
#include "netrpc/gob/type.h"
#include "netrpc/gob/value.h"
#include "netrpc/gob/wire.h"

namespace netrpc::gob {

// Decoder reads a gob stream fed in chunks; see the file comment.
class Decoder {
 public:
  explicit Decoder(const DecoderOptions& options = DecoderOptions());
  ~Decoder();
  Decoder(Decoder&&) noexcept;
  Decoder& operator=(Decoder&&) noexcept;

  // FromBytes returns a Decoder over a complete stream (input closed).
  static Decoder FromBytes(absl::string_view stream,
                           const DecoderOptions& options = DecoderOptions());

  // Append adds received bytes. Not during a Decode call.
  void Append(absl::string_view data);

  // PrepareAppend returns room for up to n bytes at the end of the buffer,
  // for reading from a socket without a copy; CommitAppend(written) must
  // follow before anything else.
  char* PrepareAppend(size_t n);
  void CommitAppend(size_t written);

  // CloseInput says no more bytes will come: Decode then reports EOF or
  // unexpected EOF instead of need-more.
  void CloseInput();

  // Ready reports whether a Decode could make progress: the input is
  // closed, the stream is broken, or the buffer has grown to what the last
  // need-more result was waiting for (initially: any byte). Checking Ready
  // avoids re-parsing a partial value on every small append.
  bool Ready() const;

  // buffered is the number of received bytes not yet consumed.
  size_t buffered() const;

  // Decode reads the next value into *out, a bound C++ type (bind.h).
  template <typename T>
  absl::Status Decode(T* out) {
    return core_->Attempt(
        [out](internal::DecState& st, const Type* type) {
          internal::DecodeTop<T>(st, type, out, /*concrete=*/false);
        },
        /*precheck=*/true);
  }

  // DecodeValue reads the next value into *out as a dynamic Value whose
  // types belong to this Decoder (valid while it lives).
  absl::Status DecodeValue(Value* out);

  // Decode into a dynamic Value is DecodeValue.
  absl::Status Decode(Value* out) { return DecodeValue(out); }

  // Skip reads and discards the next value (Go's Decode(nil)); type
  // definitions it carries are still learnt.
  absl::Status Skip();

  // broken is the error that ended the stream, or OK.
  const absl::Status& broken() const;

  // definitions lists the type ids defined on this stream so far, in order;
  // Definition returns one as received (for tools).
  const std::vector<TypeId>& definitions() const;
  const WireType* Definition(TypeId id) const;

 private:
  std::unique_ptr<internal::DecoderCore> core_;
  size_t reserved_ = 0;
};

// Unmarshal decodes the first value of a complete stream into *out.
template <typename T>
absl::Status Unmarshal(absl::string_view stream, T* out) {
  Decoder dec = Decoder::FromBytes(stream);
  return dec.Decode(out);
}

}  // namespace netrpc::gob

#endif  // NETRPC_GOB_DECODER_H_
