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
// which grows so that a slow method never delays another call, except
// methods marked MethodDesc::inline_ok, which run on the I/O thread.
//
// Also here: ServerOptions (per-connection limits), ReplaceServices (swap
// the service set on a reload) and CurrentCall (who is calling, from inside
// a method). One port for gob, HTTP, jsonrpc and gRPC: see any.h.
// ServeCodec and ServeRequest are Go's blocking form for custom codecs: they
// read on the caller's thread.
//
// [thread-safe] All methods.

#ifndef NETRPC_SERVER_H_
#define NETRPC_SERVER_H_

#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "netrpc/codec.h"
#include "netrpc/conn.h"
#include "netrpc/limits.h"
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

// ServerOptions limits what one client connection may ask of a Server.
// Options are read when a connection starts: SetOptions affects
// connections accepted afterwards.
struct ServerOptions {
  // max_message_bytes bounds one request message: a gob message (header,
  // body or type definition; its length prefix is checked before any of it
  // is buffered), a jsonrpc request object (checked as it is scanned), the
  // gob stream after an HTTP CONNECT likewise. A request header or jsonrpc
  // object over the limit is refused: the server logs
  //   "rpc: closing connection from 127.0.0.1:54321 (netrpc): <codec error>
  //    (ServerOptions::max_message_bytes is 1048576)"
  // and closes that connection once the calls already in flight have
  // replied; no response is sent (its Seq is unknown), other connections are
  // unaffected. A gob body over the limit gets an error response with the
  // codec's text ("gob: message of N bytes exceeds
  // DecoderOptions::max_message_size (M)"), then the connection closes the
  // same way (the gob stream cannot be resynchronised; a client still
  // sending the rest of that body may see a reset instead of the response).
  // The gob codec's error texts name DecoderOptions, the server's log line
  // this option. An HTTP request head stays limited to 1 MiB (Go's
  // http.DefaultMaxHeaderBytes) whatever this says.
  // Go has no such option: its gob decoder refuses messages of 8 GiB or
  // more ("gob: invalid message length"), its jsonrpc nothing.
  // Applies to the connections the server makes codecs for (Accept,
  // ServeConn, ServeHTTP, ServeAny, jsonrpc::Accept/ServeConn), not to a
  // codec given to ServeCodec or made by an AcceptStream factory.
  // Default: 0, the codecs' own limit (64 MiB).
  uint64_t max_message_bytes = 0;

  // max_concurrent_calls_per_connection bounds the calls running at once on
  // one connection. A request beyond it is not run: it gets an immediate
  // error response "rpc: too many calls in flight on this connection (limit
  // 1000)" (a Go client sees a ServerError with that text) and the
  // connection stays usable. Every request still gets exactly one response.
  // Applies to every connection, ServeCodec's included. Independently,
  // reading pauses at 10000 calls in flight. Default: 0, unlimited.
  int max_concurrent_calls_per_connection = 0;

  // on_limit, if set, is told of every request refused by one of the
  // limits above (for metrics). It runs on an I/O thread and must not block.
  // Default: none.
  std::function<void(LimitKind kind)> on_limit;

  // on_connection, if set, is told when a connection served asynchronously
  // (Accept, ServeHTTP after CONNECT, ServeAny, jsonrpc::Accept) starts
  // (opened true) and when it has closed (false), with its protocol
  // ("netrpc", "netrpc_http", "jsonrpc"), for metrics. It must not block.
  // Default: none.
  std::function<void(absl::string_view protocol, bool opened)> on_connection;
};

// CallContext describes the call a method is serving (see CurrentCall).
struct CallContext {
  // peer is the client's address, "127.0.0.1:54321" or "[::1]:54321"; empty
  // when unknown (ServeCodec over a custom codec).
  absl::string_view peer;
  // protocol is "netrpc" (gob over TCP), "netrpc_http" (gob after HTTP
  // CONNECT) or "jsonrpc".
  absl::string_view protocol;
  // service_method and seq are the request's header (jsonrpc: seq is the
  // codec's own count, not the client's id).
  absl::string_view service_method;
  uint64_t seq = 0;
};

// CurrentCall returns the call being served on this thread while a
// MethodDesc::call (a Service<T> method) runs, else nullptr. The context and
// its strings are valid until that `call` returns or calls its `done`,
// whichever comes first (CurrentCall() is nullptr after `done`): an
// asynchronous method must copy what it needs before returning. Cost: a
// thread-local read.
const CallContext* CurrentCall();

// StreamServerCodecFactory makes the codec for one new connection.
using StreamServerCodecFactory =
    std::function<std::unique_ptr<StreamServerCodec>()>;

// Server is an RPC server (Go's rpc.Server; the constructor is NewServer).
class Server {
 public:
  Server();
  explicit Server(const ServerOptions& options);
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

  // ReplaceServices atomically replaces every registered service with
  // `services` (name, service) pairs, for a configuration reload. A pair
  // with an empty name registers as Register does (type name, must be
  // exported), else as RegisterName. Every service is checked by Go's rules
  // first (same texts as Register; a name twice: "rpc: service already
  // defined: X"); on error nothing changes. On success, requests read from
  // then on (on new and existing connections) resolve against the new set
  // and /debug/rpc shows it, with call counts from zero; calls already
  // running finish on the methods they started on, which stay alive until
  // then. An empty vector removes every service.
  absl::Status ReplaceServices(
      const std::vector<std::pair<std::string, ServiceDesc>>& services);

  // SetOptions replaces the options for connections started from now on.
  void SetOptions(const ServerOptions& options);
  ServerOptions options() const;

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
