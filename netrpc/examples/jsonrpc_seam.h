// Copyright netrpc-gateway authors. Licensed under the BSD-style licence of Go.
//
// File: jsonrpc_seam.h
//
// The examples' seam for the jsonrpc codec (netrpc/jsonrpc, a separate
// library): test_server's --jsonrpc serves the default server with the
// codec this returns, and arith_client --jsonrpc calls with it;
// jsonrpc_seam_jsonrpc.cc implements it with netrpc/jsonrpc.

#ifndef NETRPC_EXAMPLES_JSONRPC_SEAM_H_
#define NETRPC_EXAMPLES_JSONRPC_SEAM_H_

#include <functional>
#include <memory>

#include "netrpc/codec.h"
#include "netrpc/conn.h"
#include "netrpc/server.h"

namespace netrpc::examples {

// JsonRpcServerCodecFactory returns the jsonrpc codec factory, or nullptr
// when this build has none.
StreamServerCodecFactory JsonRpcServerCodecFactory();

// ClientCodecFactory makes a client codec over a connection.
using ClientCodecFactory =
    std::function<std::unique_ptr<ClientCodec>(std::unique_ptr<Conn>)>;

// JsonRpcClientCodecFactory returns the jsonrpc client codec factory (for
// arith_client --jsonrpc), or nullptr when this build has none.
ClientCodecFactory JsonRpcClientCodecFactory();

}  // namespace netrpc::examples

#endif  // NETRPC_EXAMPLES_JSONRPC_SEAM_H_
