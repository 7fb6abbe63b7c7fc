// Copyright netrpc-gateway authors. Licensed under the BSD-style licence of Go.
//
// File: server.h
//
// Server is Go's rpc.Server: it exports the methods of registered services
// to clients over a connection, speaking gob (or another codec) as Go's
// net/rpc does, byte-compatible with Go 1.19 clients.
//
//   netrpc::Service<Arith> arith_service("Arith", &arith);
//   arith_service.Method("Multiply", &Arith::Multiply);
//   NETRPC_RETURN_IF_ERROR(netrpc::Register(arith_service));
//
//   NETRPC_ASSIGN_OR_RETURN(auto lis, netrpc::Listen("tcp", ":1234"));
//   netrpc::Accept(*lis);               // serves until lis->Close()
//
// or over HTTP CONNECT (Go's rpc.HandleHTTP + http.Serve):
//
//   NETRPC_RETURN_IF_ERROR(netrpc::HandleHTTP());
//   netrpc::ServeHTTP(*lis);            // see http.h
//
// Behaviour is Go's (wire/SPEC.md §2.4): every request whose header decodes
// gets exactly one response; calls on one connection run concurrently and
// are answered as they finish; error texts are Go's byte for byte; when a
// connection's reading stops (EOF, a half-close, garbage) the calls in
// flight still reply before it closes.
//
// Threading model (README.md has the long form): connections from Accept,
// ServeHTTP and ServeConn(TcpConn) are served asynchronously on the shared
// I/O pool, no thread per connection; methods run on the shared worker pool,
// which grows so that a slow method never delays another call.
// ServeCodec and ServeRequest are Go's blocking form for custom codecs: they
// read on the caller's thread.
//
// [thread-safe] All methods.

#ifndef NETRPC_SERVER_H_
#define NETRPC_SERVER_H_

#include <functional>
#include <memory>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "netrpc/codec.h"
#include "netrpc/conn.h"
#include "netrpc/listener.h"
#include "netrpc/service.h"

namespace netrpc {

namespace internal {
class ServerState;
}  // namespace internal

class ServeMux;

// DefaultRPCPath is where HandleHTTP serves RPC (Go's rpc.DefaultRPCPath).
inline constexpr absl::string_view kDefaultRPCPath = "/_goRPC_";
// DefaultDebugPath is where HandleHTTP serves the debug page.
inline constexpr absl::string_view kDefaultDebugPath = "/debug/rpc";

// StreamServerCodecFactory makes the codec for one new connection.
using StreamServerCodecFactory =
    std::function<std::unique_ptr<StreamServerCodec>()>;

// Server is an RPC server (Go's rpc.Server; the constructor is NewServer).
class Server {
 public:
  Server();
  // ~Server stops nothing by itself: connections still being served keep the
  // registered services alive until they end. Close listeners first.
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Register publishes `service` under its type name, which must be
  // exported (upper case). Methods that break Go's rules are skipped (and
  // logged); with none left it fails with Go's text, e.g.
  // "rpc.Register: type Arith has no exported methods of suitable type".
  // A second service of the same name fails with
  // "rpc: service already defined: Arith" (kAlreadyExists).
  absl::Status Register(const ServiceDesc& service);

  // RegisterName is Register with the service name given; it may contain
  // dots ("net.rpc.Arith": requests split "Service.Method" at the last dot)
  // and need not be exported.
  absl::Status RegisterName(absl::string_view name, const ServiceDesc& service);

  // ServeConn serves one connection with the gob codec and blocks until the
  // client hangs up (Go's ServeConn). A TcpConn is handed to the I/O pool
  // and served asynchronously while the caller waits; any other Conn is
  // served by ServeCodec.
  void ServeConn(std::unique_ptr<Conn> conn);

  // ServeCodec is ServeConn with a given codec (Go's ServeCodec): it reads
  // requests on the calling thread until the codec fails, waits for the
  // calls in flight to reply, then closes the codec.
  void ServeCodec(std::unique_ptr<ServerCodec> codec);

  // ServeRequest serves exactly one request, synchronously, without closing
  // the codec (Go's ServeRequest). It returns the read error, after writing
  // an error response if the header was read.
  absl::Status ServeRequest(ServerCodec& codec);

  // Accept serves every connection `listener` accepts, with the gob codec,
  // until the listener is closed or fails (Go's Accept; it logs
  // "rpc.Serve: accept:<err>"). It blocks the calling thread.
  void Accept(Listener& listener);

  // ServeStream serves one connection with a stream codec (e.g. jsonrpc's)
  // and blocks until it ends, as ServeConn: a TcpConn on the I/O pool, any
  // other Conn through ServeCodec(NewServerCodec(conn, codec)).
  void ServeStream(std::unique_ptr<Conn> conn,
                   std::unique_ptr<StreamServerCodec> codec);

  // AcceptStream is Accept with a codec per connection from `new_codec`.
  void AcceptStream(Listener& listener, StreamServerCodecFactory new_codec);

  // HandleHTTP registers the RPC handler on `rpc_path` (CONNECT only, else
  // "405 must CONNECT") and the debug page on `debug_path` in `mux`
  // (default: DefaultServeMux()). A path registered twice fails. Defined
  // in http.cc: depend on //netrpc:http to use it.
  absl::Status HandleHTTP(absl::string_view rpc_path,
                          absl::string_view debug_path,
                          ServeMux* mux = nullptr);

  // state is the server's shared internals, for http.cc and debug_page.cc.
  const std::shared_ptr<internal::ServerState>& state() const {
    return state_;
  }

 private:
  std::shared_ptr<internal::ServerState> state_;
};

// DefaultServer returns the process-wide Server that the free functions
// below use (Go's rpc.DefaultServer).
Server& DefaultServer();

// Register, RegisterName, ServeConn, ServeCodec, ServeRequest and Accept act
// on DefaultServer().
absl::Status Register(const ServiceDesc& service);
absl::Status RegisterName(absl::string_view name, const ServiceDesc& service);
void ServeConn(std::unique_ptr<Conn> conn);
void ServeCodec(std::unique_ptr<ServerCodec> codec);
absl::Status ServeRequest(ServerCodec& codec);
void Accept(Listener& listener);

// HandleHTTP registers DefaultServer() on kDefaultRPCPath and
// kDefaultDebugPath of DefaultServeMux() (Go's rpc.HandleHTTP; defined in
// http.cc, in //netrpc:http).
absl::Status HandleHTTP();

}  // namespace netrpc

#endif  // NETRPC_SERVER_H_
