// Copyright netrpc-gateway authors. Licensed under the BSD-style licence of Go.
//
// File: gob_codec.h
//
// The gob codecs: net/rpc's default wire format (Go's gobServerCodec and
// gobClientCodec). Each direction of a connection is one gob stream; a call
// is a Request header value then the argument value, a reply a Response
// header value then the reply value (an empty struct on error), type
// definitions sent once per stream before first use (wire/SPEC.md §2).
//
//   // Blocking, over any Conn (what NewClient and ServeCodec use):
//   std::unique_ptr<netrpc::ClientCodec> codec =
//       netrpc::NewGobClientCodec(std::move(conn));
//
//   // Non-blocking, for the server's asynchronous connections:
//   std::unique_ptr<netrpc::StreamServerCodec> stream =
//       netrpc::NewGobStreamServerCodec();
//
// Limits: a message longer than GobCodecOptions::max_message_bytes fails the
// read (the connection ends), protecting a server from a peer that announces
// a huge length.

#ifndef NETRPC_GOB_CODEC_H_
#define NETRPC_GOB_CODEC_H_

#include <cstdint>
#include <memory>

#include "netrpc/codec.h"
#include "netrpc/conn.h"

namespace netrpc {

// GobCodecOptions limits what a gob codec accepts.
struct GobCodecOptions {
  // max_message_bytes is the largest gob message (a header, a body or a type
  // definition) read. Go's limit is 8 GiB; a server should not buffer that
  // for one peer. Default: 64 MiB.
  uint64_t max_message_bytes = uint64_t{64} << 20;
};

// NewGobStreamServerCodec returns a non-blocking gob server codec.
std::unique_ptr<StreamServerCodec> NewGobStreamServerCodec(
    const GobCodecOptions& options = {});

// NewGobStreamClientCodec returns a non-blocking gob client codec.
std::unique_ptr<StreamClientCodec> NewGobStreamClientCodec(
    const GobCodecOptions& options = {});

// NewGobServerCodec returns a blocking gob ServerCodec over `conn`.
std::unique_ptr<ServerCodec> NewGobServerCodec(
    std::unique_ptr<Conn> conn, const GobCodecOptions& options = {});

// NewGobClientCodec returns a blocking gob ClientCodec over `conn`.
std::unique_ptr<ClientCodec> NewGobClientCodec(
    std::unique_ptr<Conn> conn, const GobCodecOptions& options = {});

}  // namespace netrpc

#endif  // NETRPC_GOB_CODEC_H_
