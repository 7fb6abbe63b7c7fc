// Copyright netrpc-gateway authors. Licensed under the BSD-style licence of Go.
//
// File: http.h
//
// net/rpc over HTTP: the server side of Go's HandleHTTP (a CONNECT on the
// RPC path hijacks the connection, which then speaks gob) with the minimal
// HTTP/1.x server it needs, and the client side, DialHTTP/DialHTTPPath.
//
//   // Server (Go: rpc.HandleHTTP(); http.Serve(l, nil)):
//   NETRPC_RETURN_IF_ERROR(netrpc::HandleHTTP());
//   NETRPC_ASSIGN_OR_RETURN(auto lis, netrpc::Listen("tcp", ":1234"));
//   netrpc::ServeHTTP(*lis);                   // blocks until lis->Close()
//
//   // Client:
//   NETRPC_ASSIGN_OR_RETURN(auto client,
//                           netrpc::DialHTTP("tcp", "127.0.0.1:1234"));
//
// Bytes on the wire are Go's (wire/SPEC.md §3): "CONNECT /_goRPC_
// HTTP/1.0\n\n", answered "HTTP/1.0 200 Connected to Go RPC\n\n"; another
// method on the RPC path gets 405 "405 must CONNECT\n"; an unknown path 404
// "404 page not found\n"; the debug path serves DebugPage. One difference:
// bytes a client sends right behind its CONNECT are kept (Go drops them).
// Every non-CONNECT request is answered and the connection closed (no
// keep-alive: the only pages served are the debug page and errors).

#ifndef NETRPC_HTTP_H_
#define NETRPC_HTTP_H_

#include <memory>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "netrpc/client.h"
#include "netrpc/listener.h"
#include "netrpc/server.h"
#include "netrpc/sync.h"

namespace netrpc {

// ServeMux maps request paths (exact match) to the RPC servers registered
// on them by Server::HandleHTTP (Go's http.ServeMux, for net/rpc's needs).
//
// [thread-safe]
class ServeMux {
 public:
  ServeMux() = default;
  ServeMux(const ServeMux&) = delete;
  ServeMux& operator=(const ServeMux&) = delete;

  // HandleRPC registers `server`'s CONNECT handler on `rpc_path` and its
  // debug page on `debug_path`. It fails, registering nothing, if either
  // path is taken ("http: multiple registrations for /_goRPC_", Go's panic).
  absl::Status HandleRPC(absl::string_view rpc_path,
                         absl::string_view debug_path, const Server& server);

  // Route is what a path serves.
  struct Route {
    enum class Kind { kRPC, kDebug } kind;
    std::shared_ptr<internal::ServerState> state;
  };

  // Find returns the route of `path`, or false.
  bool Find(absl::string_view path, Route* route) const;

 private:
  mutable Mutex mu_;
  absl::flat_hash_map<std::string, Route> routes_ ABSL_GUARDED_BY(mu_);
};

// DefaultServeMux returns the process-wide ServeMux that HandleHTTP() and
// ServeHTTP use by default (Go's http.DefaultServeMux).
ServeMux& DefaultServeMux();

// ServeHTTP serves HTTP on every connection `listener` accepts, routing by
// `mux` (default: DefaultServeMux()), until the listener is closed. It
// blocks the calling thread (Go's http.Serve).
void ServeHTTP(Listener& listener, ServeMux* mux = nullptr);

// DialHTTP connects to an HTTP RPC server at kDefaultRPCPath (Go's
// rpc.DialHTTP). `network` is "tcp".
absl::StatusOr<std::unique_ptr<Client>> DialHTTP(absl::string_view network,
                                                 absl::string_view address);

// DialHTTPPath connects to an HTTP RPC server at `path`. A server that does
// not answer "200 Connected to Go RPC" fails the dial with Go's text:
// "dial-http tcp 127.0.0.1:1234: unexpected HTTP response: 404 Not Found".
absl::StatusOr<std::unique_ptr<Client>> DialHTTPPath(
    absl::string_view network, absl::string_view address,
    absl::string_view path);

}  // namespace netrpc

#endif  // NETRPC_HTTP_H_
