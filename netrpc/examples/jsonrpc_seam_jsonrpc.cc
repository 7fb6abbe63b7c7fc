// Copyright netrpc-gateway authors. Licensed under the BSD-style licence of Go.
//
// The jsonrpc seam for builds with netrpc/jsonrpc: its codecs.

#include <memory>
#include <utility>

#include "netrpc/examples/jsonrpc_seam.h"
#include "netrpc/jsonrpc/client_codec.h"
#include "netrpc/jsonrpc/server_codec.h"

namespace netrpc::examples {

StreamServerCodecFactory JsonRpcServerCodecFactory() {
  return [] { return jsonrpc::NewStreamServerCodec(); };
}

ClientCodecFactory JsonRpcClientCodecFactory() {
  return [](std::unique_ptr<Conn> conn) {
    return jsonrpc::NewClientCodec(std::move(conn));
  };
}

}  // namespace netrpc::examples
