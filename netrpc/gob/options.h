// Copyright 2024 The netrpc-gateway Authors. Licensed under the Apache License 2.0.
//
// File: options.h
//
// Options for gob Encoders and Decoders, chiefly the limits that make a
// Decoder safe on untrusted input. Go's Decoder has one fixed limit (8 GiB
// per message); ours are smaller, named and configurable.
//
//   netrpc::gob::DecoderOptions opts;
//   opts.max_message_size = 1 << 20;
//   netrpc::gob::Decoder dec(opts);

#ifndef NETRPC_GOB_OPTIONS_H_
#define NETRPC_GOB_OPTIONS_H_

#include <cstddef>
#include <cstdint>

namespace netrpc::gob {

// InterfaceLayout chooses where an Encoder writes the type definitions that
// an interface value's concrete type needs. Go's Decoder accepts both.
enum class InterfaceLayout {
  // Go's layout: in the middle of the value, flushing the partial value
  // message with the first definition (byte-identical to Go's Encoder).
  kGo,
  // Every definition as its own message before the value message; each
  // value is then exactly one message.
  kUpFront,
};

// EncoderOptions configures an Encoder.
struct EncoderOptions {
  // max_message_size bounds one message; a larger one fails with
  // "gob: encoder: message too big" and nothing of the value is written.
  // Default: 64 MiB (the Decoder default, so we never write what we refuse).
  uint64_t max_message_size = uint64_t{64} << 20;

  // interface_layout: see InterfaceLayout. Default: kGo.
  InterfaceLayout interface_layout = InterfaceLayout::kGo;

  // max_depth bounds the nesting of structs, containers and interfaces in
  // one value (deep recursive data would otherwise exhaust the stack).
  // Default: 1000.
  int max_depth = 1000;
};

// DecoderOptions configures a Decoder. Exceeding a limit yields a
// kResourceExhausted status that names it.
struct DecoderOptions {
  // max_message_size bounds the length prefix of a message; a longer message
  // breaks the stream (it cannot be skipped without reading it). Lengths of
  // 8 GiB and more fail with Go's "invalid message length" whatever this says.
  // Default: 64 MiB.
  uint64_t max_message_size = uint64_t{64} << 20;

  // max_depth bounds the nesting of structs, containers and interfaces while
  // decoding or skipping one value. Default: 1000.
  int max_depth = 1000;

  // max_alloc_bytes bounds the memory one value may make the decoder
  // allocate from counts on the wire (slice and map elements at their C++
  // size, dynamic Value nodes, string bytes). Nothing is reserved from a
  // count before it is charged. Default: 256 MiB.
  uint64_t max_alloc_bytes = uint64_t{256} << 20;

  // max_types bounds the type definitions one stream may define.
  // Default: 10000.
  size_t max_types = 10000;

  // max_type_bytes bounds the total size of the type definition messages one
  // stream may send. Default: 16 MiB.
  uint64_t max_type_bytes = uint64_t{16} << 20;
};

}  // namespace netrpc::gob

#endif  // NETRPC_GOB_OPTIONS_H_
