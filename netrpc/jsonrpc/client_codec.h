// Copyright netrpc-gateway authors. Licensed under the BSD-style licence of Go.
//
// File: client_codec.h
//
// The jsonrpc client: Go's net/rpc/jsonrpc clientCodec, which lets a
// netrpc::Client call a JSON-RPC 1.0 server (Go's jsonrpc or ours), byte for
// byte as a Go 1.19 client does (wire/SPEC.md §4.2, §4.5):
//
//   -> {"method":"Arith.Multiply","params":[{"A":7,"B":8}],"id":0}
//   <- {"id":0,"result":56,"error":null}
//
//   NETRPC_ASSIGN_OR_RETURN(std::unique_ptr<netrpc::Client> client,
//                           netrpc::jsonrpc::Dial("tcp", "127.0.0.1:1234"));
//   int64_t product = 0;
//   NETRPC_RETURN_IF_ERROR(client->Call("Arith.Multiply", args, &product));
//
// Everything else is netrpc::Client's (client.h): calls in flight, Go,
// timeouts, Close. How responses are read, as Go's:
// - "id" must be a number that fits uint64, else the client shuts down with
//   the decode error ("json: cannot unmarshal string into Go struct field
//   clientResponse.id of type uint64"). A response for an id with no call
//   pending is skipped.
// - When "error" is not null, or "result" is null or absent, "error" must be
//   a string: it becomes the call's ServerError ("" reads as "unspecified
//   error"), and wins over a result. Anything else shuts the client down
//   with "invalid error <value>": `invalid error <nil>` (also what a Go
//   server's nil slice reply gets), `invalid error map[code:1 message:x]`.
// - A result that does not fit the reply fails the call with "reading body
//   <err>" and shuts the client down.
//
// Limits: a response longer than CodecOptions::max_message_bytes shuts the
// client down (Go has no limit).

#ifndef NETRPC_JSONRPC_CLIENT_CODEC_H_
#define NETRPC_JSONRPC_CLIENT_CODEC_H_

#include <memory>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

#include "netrpc/client.h"
#include "netrpc/codec.h"
#include "netrpc/conn.h"
#include "netrpc/jsonrpc/options.h"

namespace netrpc::jsonrpc {

// NewStreamClientCodec returns a non-blocking jsonrpc client codec.
//
// [thread-compatible] As StreamClientCodec documents.
std::unique_ptr<StreamClientCodec> NewStreamClientCodec(
    const CodecOptions& options = {});

// NewClientCodec returns a blocking jsonrpc ClientCodec over `conn` (Go's
// jsonrpc.NewClientCodec), for netrpc::NewClientWithCodec.
std::unique_ptr<ClientCodec> NewClientCodec(std::unique_ptr<Conn> conn,
                                            const CodecOptions& options = {});

// NewClient returns a Client speaking jsonrpc over `conn` (Go's
// jsonrpc.NewClient).
std::unique_ptr<Client> NewClient(std::unique_ptr<Conn> conn);

// Dial connects to a jsonrpc server at `address` (Go's jsonrpc.Dial).
// `network` is "tcp" ("tcp4" and "tcp6" are accepted as "tcp").
absl::StatusOr<std::unique_ptr<Client>> Dial(absl::string_view network,
                                             absl::string_view address);

}  // namespace netrpc::jsonrpc

#endif  // NETRPC_JSONRPC_CLIENT_CODEC_H_
