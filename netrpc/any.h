// Copyright netrpc-gateway authors. Licensed under the BSD-style licence of
// Go.
//
// File: any.h
//
// ServeAny serves four protocols on one listening port, telling each
// connection's protocol apart by its first bytes, which it peeks at
// (MSG_PEEK) without consuming them:
//
//   first bytes                              served as
//   "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"       gRPC: the raw fd goes to `grpc`
//   an HTTP method and a space ("GET ",      HTTP/1.x, as ServeHTTP with
//     "POST ", "CONNECT ", "HEAD ", ...)       `http` (net/rpc's CONNECT,
//                                              /debug/rpc)
//   optional JSON whitespace, then "{"       jsonrpc on `jsonrpc`
//   anything else                            net/rpc gob on `gob`
//
//   netrpc::AnyOptions any;
//   any.gob = &server;
//   any.jsonrpc = &server;
//   any.http = &mux;                       // server.HandleHTTP(..., &mux)
//   any.grpc = [&](int fd) { grpc::AddInsecureChannelFromFd(grpc_server, fd); };
//   NETRPC_ASSIGN_OR_RETURN(auto lis, netrpc::Listen("tcp", ":1234"));
//   netrpc::ServeAny(*lis, any);           // blocks until lis->Close()
//
// Why this is safe: every client of these protocols speaks first. A gRPC
// client sends the HTTP/2 preface, an HTTP client its request line, a
// jsonrpc client a JSON object; a Go net/rpc gob client's first message is
// the type definition of rpc.Request, whose length prefix (0x2f, "/", from
// Go 1.19 and from our Client) is neither JSON whitespace, "{", "P" nor an
// HTTP method letter.
// A gob stream whose first byte were JSON whitespace or "{" would be
// misrouted; a gob encoder never starts with one for net/rpc's header.
//
// Sniffing is asynchronous on the I/O pool: no thread waits for a client.
// While the bytes seen could still become a longer token ("P" may start
// "POST " or the preface), ServeAny peeks again as more arrive. A
// connection that sends nothing decisive within
// AnyOptions::first_bytes_timeout is closed with a log line, as is one whose
// protocol has no handler set.
//
// [thread-safe] ServeAny may run on several listeners at once; the servers
// and mux it is given must outlive every connection it hands them (a
// Server's state is shared with its connections, so the Server object
// itself may go; the ServeMux may not).

#ifndef NETRPC_ANY_H_
#define NETRPC_ANY_H_

#include <functional>

#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "netrpc/http.h"
#include "netrpc/listener.h"
#include "netrpc/server.h"

namespace netrpc {

// AnyOptions says who serves each protocol ServeAny tells apart. A nullptr
// (or empty) handler refuses that protocol: the connection is closed and
// the refusal logged.
struct AnyOptions {
  // gob serves net/rpc's gob over TCP (as Server::Accept).
  Server* gob = nullptr;
  // jsonrpc serves JSON-RPC 1.0 (as jsonrpc::Accept), the server's
  // max_message_bytes applied.
  Server* jsonrpc = nullptr;
  // http serves HTTP/1.x requests (as ServeHTTP): CONNECT on an RPC path and
  // debug pages registered by Server::HandleHTTP.
  ServeMux* http = nullptr;
  // grpc receives the connected socket of an HTTP/2 client, its preface
  // still unread, in non-blocking mode; ownership passes to it (it must close
  // the fd). Called on an I/O thread: it must not block (gRPC's
  // AddInsecureChannelFromFd does not).
  std::function<void(int fd)> grpc;
  // first_bytes_timeout is how long a new connection may stay silent (or
  // send only a prefix of a token) before it is closed. Default: 10 s.
  absl::Duration first_bytes_timeout = absl::Seconds(10);
};

// ServeAny accepts connections on `listener` and serves each with the
// protocol its first bytes show (see the file comment), until the listener
// is closed or fails. It blocks the calling thread.
void ServeAny(Listener& listener, const AnyOptions& options);

// AnyProtocol is what the first bytes of a connection show.
enum class AnyProtocol { kNeedMore, kGrpc, kHttp, kJsonRpc, kGob };

// ServeAnyConn serves one already-accepted connection as ServeAny would:
// sniffs it, then serves it, asynchronously on the I/O pool; it returns at
// once. Ownership of `fd` (a connected TCP socket) passes to it.
void ServeAnyConn(int fd, const AnyOptions& options);

// ServeConnAs serves one already-accepted connection with a chosen
// protocol, without sniffing (kNeedMore: sniff, as ServeAnyConn),
// asynchronously on the I/O pool; it returns at once. Ownership of `fd`
// passes to it; a protocol whose handler is not set closes it with a log
// line.
void ServeConnAs(int fd, AnyProtocol protocol, const AnyOptions& options);


// SniffProtocol classifies the first bytes a client sent. kNeedMore means
// they are a proper prefix of a longer token (or only whitespace): wait for
// more. Exposed for tests.
AnyProtocol SniffProtocol(absl::string_view first_bytes);

}  // namespace netrpc

#endif  // NETRPC_ANY_H_
