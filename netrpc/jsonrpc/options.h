// Copyright netrpc-gateway authors. Licensed under the BSD-style licence of Go.
//
// File: options.h
//
// CodecOptions limits what the jsonrpc codecs (server_codec.h,
// client_codec.h) accept from a peer. Go's jsonrpc has no limits.
//
//   netrpc::jsonrpc::CodecOptions options;
//   options.max_message_bytes = 1 << 20;
//   auto codec = netrpc::jsonrpc::NewStreamServerCodec(options);

#ifndef NETRPC_JSONRPC_OPTIONS_H_
#define NETRPC_JSONRPC_OPTIONS_H_

#include <cstdint>

namespace netrpc::jsonrpc {

// CodecOptions limits what a jsonrpc codec reads.
struct CodecOptions {
  // max_message_bytes bounds one request or response, leading whitespace
  // included; a longer one ends the connection (kResourceExhausted).
  // Default: 64 MiB, as the gob codec's.
  uint64_t max_message_bytes = uint64_t{64} << 20;
};

}  // namespace netrpc::jsonrpc

#endif  // NETRPC_JSONRPC_OPTIONS_H_
