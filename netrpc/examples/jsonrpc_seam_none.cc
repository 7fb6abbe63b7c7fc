// Copyright netrpc-gateway authors. Licensed under the BSD-style licence of Go.
//
// The jsonrpc seam for builds without netrpc/jsonrpc: no codec.

#include "netrpc/examples/jsonrpc_seam.h"

namespace netrpc::examples {

StreamServerCodecFactory JsonRpcServerCodecFactory() { return nullptr; }

ClientCodecFactory JsonRpcClientCodecFactory() { return nullptr; }

}  // namespace netrpc::examples
