// Copyright netrpc-gateway authors. Licensed under the BSD-style licence of Go.
//
// File: server_codec.h
//
// The jsonrpc server: Go's net/rpc/jsonrpc serverCodec, which serves a
// netrpc::Server's methods as JSON-RPC 1.0, byte for byte as a Go 1.19
// server does (wire/SPEC.md §4). Requests and responses are JSON objects,
// one after another on the stream, with any whitespace between:
//
//   -> {"method":"Arith.Multiply","params":[{"A":7,"B":8}],"id":0}
//   <- {"id":0,"result":56,"error":null}
//   -> {"method":"Arith.Divide","params":[{"A":1,"B":0}],"id":"x"}
//   <- {"id":"x","result":null,"error":"divide by zero"}
//
//   // Serve one connection on the default server (Go's jsonrpc.ServeConn):
//   netrpc::jsonrpc::ServeConn(std::move(conn));
//
//   // Serve every connection of a listener on a server of your own:
//   netrpc::jsonrpc::Accept(server, *listener);
//
// Behaviour, as Go's:
// - The request id may be any JSON value; the response echoes it compacted
//   (whitespace removed, < > & escaped). A missing or null id is answered
//   with "id":null: every request gets a response.
// - "params" must be an array; only its first element is used, and `[]` or
//   `[null]` leave the argument at its zero value. Missing or null params
//   fail the call with "jsonrpc: request body missing params".
// - Keys match case-insensitively ("Method" works); unknown keys are ignored.
// - A request that is not valid JSON, or whose members have the wrong types
//   (`"method":5`), ends the connection without a response.
// - A reply that cannot be encoded (NaN) gets no response at all: Go writes
//   nothing and carries on.
//
// Limits: a request longer than CodecOptions::max_message_bytes ends the
// connection (Go has no limit); nesting deeper than 10000 is a syntax error.
// ServeConn and Accept apply the server's ServerOptions::max_message_bytes
// when it is set.

#ifndef NETRPC_JSONRPC_SERVER_CODEC_H_
#define NETRPC_JSONRPC_SERVER_CODEC_H_

#include <memory>

#include "netrpc/codec.h"
#include "netrpc/conn.h"
#include "netrpc/jsonrpc/options.h"
#include "netrpc/listener.h"
#include "netrpc/server.h"

namespace netrpc::jsonrpc {

// NewStreamServerCodec returns a non-blocking jsonrpc server codec, for
// Server::ServeStream and Server::AcceptStream.
//
// [thread-compatible] As StreamServerCodec documents: reads on one thread,
// WriteResponse calls serialised, possibly concurrent with reads.
std::unique_ptr<StreamServerCodec> NewStreamServerCodec(
    const CodecOptions& options = {});

// NewServerCodec returns a blocking jsonrpc ServerCodec over `conn` (Go's
// jsonrpc.NewServerCodec), for Server::ServeCodec and ServeRequest.
std::unique_ptr<ServerCodec> NewServerCodec(std::unique_ptr<Conn> conn,
                                            const CodecOptions& options = {});

// ServeConn serves `conn` with jsonrpc and blocks until the client hangs up
// (Go's jsonrpc.ServeConn). The first form uses DefaultServer().
void ServeConn(std::unique_ptr<Conn> conn);
void ServeConn(Server& server, std::unique_ptr<Conn> conn);

// OptionsFor returns `options` with `server`'s
// ServerOptions::max_message_bytes applied, if set.
CodecOptions OptionsFor(const Server& server, CodecOptions options);

// Accept serves every connection `listener` accepts with jsonrpc, until the
// listener is closed or fails, blocking the calling thread. Go has no such
// function (its users loop on Listener.Accept calling ServeConn); this is
// Server::Accept with the jsonrpc codec.
void Accept(Server& server, Listener& listener,
            const CodecOptions& options = {});

}  // namespace netrpc::jsonrpc

#endif  // NETRPC_JSONRPC_SERVER_CODEC_H_
