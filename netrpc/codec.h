// Copyright netrpc-gateway authors. Licensed under the BSD-style licence of Go.
//
// File: codec.h
//
// The codec seam of net/rpc: Request and Response headers, the type-erased
// Body a codec reads into and writes from, Go's ServerCodec and ClientCodec
// interfaces, and their non-blocking ("stream") twins that the server's
// asynchronous connections use.
//
// To add a codec (jsonrpc, a test fake, the bridge's gRPC codec):
//   1. Implement StreamServerCodec and StreamClientCodec: bytes in through
//      Append/SetEOF, headers and bodies out, responses/requests encoded into
//      a string. Return NeedMoreInput() while a value is incomplete. That
//      gives you the asynchronous server (Server::ServeStream, AcceptStream)
//      and, through NewServerCodec/NewClientCodec below, the blocking
//      ServerCodec/ClientCodec pair over any Conn for free.
//   2. Or, for a transport that is not a byte stream (a gRPC channel, an
//      in-memory fake), implement ServerCodec/ClientCodec directly; serve with
//      Server::ServeCodec/ServeRequest and call with NewClientWithCodec.
//   3. Bodies: read and write them through the Body interface. A codec
//      for a new format adds a pair of hooks to Body (as EncodeGob/DecodeGob
//      do for gob) and implements them once in TypedBody<T>; a codec for
//      known C++ types (a test fake) can use Body::As<T>() instead.
//
// Body ownership: the server creates argument and reply bodies (fresh zero
// values, Go's reflect.New) and owns them for one call; the client's bodies
// refer to the caller's objects. A codec never keeps a Body past the call
// that passed it.

#ifndef NETRPC_CODEC_H_
#define NETRPC_CODEC_H_

#include <cstdint>
#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "netrpc/body.h"
#include "netrpc/conn.h"

namespace netrpc {

// Request is the header written before every call's argument (Go's
// rpc.Request; gob struct "Request" {ServiceMethod string; Seq uint64}).
struct Request {
  // ServiceMethod is "Service.Method"; the split is at the last dot.
  std::string service_method;
  // Seq is chosen by the client and echoed in the response.
  uint64_t seq = 0;
};

// Response is the header written before every reply (Go's rpc.Response).
struct Response {
  // ServiceMethod echoes the request's.
  std::string service_method;
  // Seq echoes the request's.
  uint64_t seq = 0;
  // Error, if not empty, is the error text; the body is then an empty struct.
  std::string error;
};

// NeedMoreInput returns the status a stream codec's Read* method returns when
// the bytes appended so far do not hold the whole value (code kUnavailable,
// text "netrpc: need more input"). Nothing has been consumed.
absl::Status NeedMoreInput();

// IsNeedMoreInput reports whether `status` is NeedMoreInput().
bool IsNeedMoreInput(const absl::Status& status);

// ServerCodec reads requests and writes responses for one connection of a
// server (Go's rpc.ServerCodec).
//
// Calling protocol, as Go's: ReadRequestHeader then ReadRequestBody, in
// pairs, from one thread. ReadRequestBody(nullptr) reads and discards the
// body. WriteResponse may be called from several threads; the server
// serialises the calls so that a response's header and body are never
// interleaved with another's. A nullptr body in WriteResponse means the
// empty struct Go sends with an error (its `invalidRequest`). Close is
// called once, after the last response.
//
// Read errors: EOFError() at a clean end of stream (the server stops
// quietly); UnexpectedEOFError() when the stream ends inside a message; any
// other error ends the connection without a response (header) or becomes the
// response's Error text (body).
class ServerCodec {
 public:
  virtual ~ServerCodec() = default;
  virtual absl::Status ReadRequestHeader(Request* request) = 0;
  virtual absl::Status ReadRequestBody(Body* body) = 0;
  virtual absl::Status WriteResponse(const Response& response,
                                     const Body* body) = 0;
  virtual absl::Status Close() = 0;
};

// ClientCodec writes requests and reads responses for one client (Go's
// rpc.ClientCodec).
//
// Calling protocol, as Go's: WriteRequest may be called from several
// threads; the client serialises the calls. ReadResponseHeader then
// ReadResponseBody, in pairs, from the client's reader thread;
// ReadResponseBody(nullptr) discards the body. Close is called once and must
// unblock a ReadResponseHeader in progress.
class ClientCodec {
 public:
  virtual ~ClientCodec() = default;
  virtual absl::Status WriteRequest(const Request& request,
                                    const Body* body) = 0;
  virtual absl::Status ReadResponseHeader(Response* response) = 0;
  virtual absl::Status ReadResponseBody(Body* body) = 0;
  virtual absl::Status Close() = 0;
};

// StreamServerCodec is a ServerCodec that does no I/O: the connection
// appends the bytes it reads and sends the bytes it is given. The server's
// asynchronous connections use it, so that no thread waits on a socket.
//
// Calling protocol: Append, SetEOF and the Read* methods are called from one
// thread at a time; WriteResponse calls are serialised, but may run
// concurrently with reads (the read and write sides share no state).
// Read* return NeedMoreInput() (consuming nothing) until a whole value has
// been appended; after SetEOF they return EOFError() if nothing is left, or
// UnexpectedEOFError() if a partial value is.
class StreamServerCodec {
 public:
  virtual ~StreamServerCodec() = default;
  virtual void Append(absl::string_view data) = 0;
  virtual void SetEOF() = 0;
  virtual absl::Status ReadRequestHeader(Request* request) = 0;
  virtual absl::Status ReadRequestBody(Body* body) = 0;
  // WriteResponse appends the encoded header and body to `*out`. On error,
  // `*out` may hold a partial response (Go flushes it, then the server
  // closes the connection, as Go's gob codec does); an error that appended
  // nothing drops that one response and the connection goes on (Go's
  // jsonrpc: a reply with NaN is never sent).
  virtual absl::Status WriteResponse(const Response& response,
                                     const Body* body, std::string* out) = 0;
  // Protocol names the protocol for CallContext::protocol and log lines.
  // Default: "netrpc".
  virtual absl::string_view Protocol() const { return "netrpc"; }
};

// StreamClientCodec is the client's StreamServerCodec: requests are encoded
// into a string, responses parsed from appended bytes. Same protocol.
class StreamClientCodec {
 public:
  virtual ~StreamClientCodec() = default;
  virtual absl::Status WriteRequest(const Request& request, const Body* body,
                                    std::string* out) = 0;
  virtual void Append(absl::string_view data) = 0;
  virtual void SetEOF() = 0;
  virtual absl::Status ReadResponseHeader(Response* response) = 0;
  virtual absl::Status ReadResponseBody(Body* body) = 0;
};

// NewServerCodec returns a blocking ServerCodec that reads and writes `conn`
// through `codec`: Go's gobServerCodec shape, one Write per response.
std::unique_ptr<ServerCodec> NewServerCodec(
    std::unique_ptr<Conn> conn, std::unique_ptr<StreamServerCodec> codec);

// NewClientCodec returns a blocking ClientCodec over `conn` and `codec`,
// one Write per request. Bytes in `initial` (read from `conn` before, e.g.
// past an HTTP response) are appended first.
std::unique_ptr<ClientCodec> NewClientCodec(
    std::unique_ptr<Conn> conn, std::unique_ptr<StreamClientCodec> codec,
    absl::string_view initial = "");

}  // namespace netrpc

#endif  // NETRPC_CODEC_H_
