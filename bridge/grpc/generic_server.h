// File: generic_server.h
//
// GenericService serves every unary method of a Schema over gRPC without
// generated code: each call's request, the wire bytes of the method's input
// message, goes to one UnaryHandler, and the handler's response (wire bytes
// of the output message) goes back. No message object is built on the way:
// the bridge's handler reads the bytes straight into gob
// (convert/wire_to_gob.h). It is the bridge's way in from gRPC: the handler converts the
// request and calls a net/rpc server. GenericServer puts a GenericService, a
// ReflectionService and a HealthService on one grpc::Server.
//
//   class Arith : public bridge::UnaryHandler {
//     void Handle(const bridge::ServerCall& call, Done done) override {
//       demo::v1::Args args;
//       if (!args.ParseFromString(std::string(call.request))) {
//         done(absl::InvalidArgumentError("not a demo.v1.Args"));
//         return;
//       }
//       demo::v1::Product reply;
//       reply.set_value(args.a() * args.b());
//       done(reply.SerializeAsString());       // or done(absl::...Error(...))
//     }
//   };
//   Arith handler;
//   bridge::GenericServerOptions options;
//   options.address = "0.0.0.0:50051";
//   absl::StatusOr<std::unique_ptr<bridge::GenericServer>> server =
//       bridge::GenericServer::Start(options, schema, &handler);
//   ...
//   (*server)->Shutdown(absl::Now() + absl::Seconds(5));
//
// gRPC 1.51's callback generic service sees every call as a bidi stream, so
// the service enforces unary itself. The statuses it answers on its own:
//
//   | the client...                               | status           |
//   | ------------------------------------------- | ---------------- |
//   | calls a method the schema does not have     | UNIMPLEMENTED    |
//   | calls a streaming method of the schema      | UNIMPLEMENTED    |
//   | half-closes without sending a request       | INVALID_ARGUMENT |
//   | sends a second request message              | UNIMPLEMENTED    |
//   | sends a message over the size limit         | RESOURCE_EXHAUSTED |
//
// Whether the bytes are a valid input message is the handler's to say
// (INVALID_ARGUMENT, as gRPC's generated code answers). The request is
// dispatched once the client half-closes, which unary clients do together
// with the request.
//
// Do not link gRPC's own reflection plugin (libgrpc++_reflection) into a
// binary that serves reflection here: it adds its v1alpha service to every
// server, the method is then registered twice, and the server fails to start.

#ifndef BRIDGE_GRPC_GENERIC_SERVER_H_
#define BRIDGE_GRPC_GENERIC_SERVER_H_

#include <atomic>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/functional/any_invocable.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "google/protobuf/descriptor.h"
#include "absl/strings/string_view.h"
#include "grpcpp/generic/async_generic_service.h"
#include "grpcpp/security/server_credentials.h"
#include "grpcpp/server.h"

#include "bridge/grpc/health_service.h"
#include "bridge/grpc/reflection_service.h"
#include "bridge/schema/schema.h"

namespace bridge {

// ServerCall is one incoming unary call as a UnaryHandler sees it. It stays
// valid until the handler calls done, even if the call is cancelled first.
struct ServerCall {
  // method is the method called, from schema.
  const google::protobuf::MethodDescriptor* method = nullptr;
  // request is the request message (method->input_type()) in protobuf wire
  // format.
  absl::string_view request;
  // deadline is the client's deadline; absl::InfiniteFuture() if none.
  absl::Time deadline = absl::InfiniteFuture();
  // metadata is the client's metadata (binary values as raw bytes).
  std::multimap<std::string, std::string> metadata;
  // peer is the client's address, as gRPC prints it ("ipv4:127.0.0.1:5432").
  std::string peer;
  // schema is the snapshot the call was decoded with.
  std::shared_ptr<const Schema> schema;
};

// UnaryHandler answers the calls of a GenericService. [thread-safe]
//
// Handle runs on a gRPC thread, for many calls at once, and must not block:
// start the work and return. done must be called exactly once per call, from
// any thread, with the wire bytes of a response of method->output_type() or
// an error status,
// which reaches the client with its code and message (see status.h). If the
// client cancels or its deadline passes first, the call ends at once with
// that status and the later done only frees the call.
class UnaryHandler {
 public:
  using Done = absl::AnyInvocable<void(absl::StatusOr<std::string>)>;

  virtual ~UnaryHandler() = default;

  virtual void Handle(const ServerCall& call, Done done) = 0;
};

// GenericService is the grpc::CallbackGenericService that decodes calls with
// the current schema and hands them to a UnaryHandler. Register it with
// grpc::ServerBuilder::RegisterCallbackGenericService; services registered
// normally on the same server (reflection, health) take their methods first.
// [thread-safe]
//
// schema and handler are not owned and must outlive the grpc::Server.
class GenericService final : public grpc::CallbackGenericService {
 public:
  GenericService(const CurrentSchema* schema, UnaryHandler* handler);

  // SetMaxRequestBytes refuses requests larger than max with
  // RESOURCE_EXHAUSTED from now on (0: no limit of its own), below the
  // transport's cap. Default: 0.
  void SetMaxRequestBytes(int max) { max_request_bytes_ = max; }

 private:
  class Reactor;

  grpc::ServerGenericBidiReactor* CreateReactor(
      grpc::GenericCallbackServerContext* context) override;

  const CurrentSchema* const schema_;
  UnaryHandler* const handler_;
  std::atomic<int> max_request_bytes_{0};
};

// GenericServerOptions describes a GenericServer.
struct GenericServerOptions {
  // address is where to listen, "host:port"; port 0 picks a free one (read
  // it back with GenericServer::port). Default: "127.0.0.1:0".
  std::string address = "127.0.0.1:0";
  // more_addresses are further places to listen, with the same credentials
  // (read back with GenericServer::ports). An empty `address` with none
  // here serves only connections handed over by AddConnection.
  std::vector<std::string> more_addresses;
  // credentials secure the port. Default: null, meaning insecure (plaintext).
  std::shared_ptr<grpc::ServerCredentials> credentials;
  // max_receive_message_bytes caps one request message; a larger one fails
  // (SetMaxReceiveMessageBytes changes it later, up to 64 MiB or this start
  // value if larger: the transport's cap)
  // with RESOURCE_EXHAUSTED. Default: 4 MiB, gRPC's own default.
  int max_receive_message_bytes = 4 * 1024 * 1024;
  // max_concurrent_streams bounds the calls in flight on one connection
  // (HTTP/2 SETTINGS_MAX_CONCURRENT_STREAMS); further calls wait for a slot
  // in the client. Default: 0, gRPC's own default (unlimited).
  int max_concurrent_streams = 0;
  // reflection serves grpc.reflection.v1 and v1alpha. Default: true.
  bool reflection = true;
  // health serves grpc.health.v1.Health, "" SERVING. Default: true.
  bool health = true;
};

// GenericServer is a started grpc::Server with a GenericService and,
// as configured, reflection and health. [thread-safe]
class GenericServer {
 public:
  // Start listens and serves schema through handler, which is not owned and
  // must outlive the server. kUnavailable if the address cannot be bound.
  static absl::StatusOr<std::unique_ptr<GenericServer>> Start(
      const GenericServerOptions& options, std::shared_ptr<const Schema> schema,
      UnaryHandler* handler);

  // ~GenericServer shuts down at once if Shutdown was not called.
  ~GenericServer();

  GenericServer(const GenericServer&) = delete;
  GenericServer& operator=(const GenericServer&) = delete;

  // port is the port listened on (the one picked, if options said 0).
  int port() const { return ports_.empty() ? 0 : ports_[0]; }
  // ports are the ports of address and more_addresses, in order.
  const std::vector<int>& ports() const { return ports_; }

  // AddConnection serves an accepted plaintext connection whose first bytes
  // (the HTTP/2 preface) are still unread, e.g. from a port that also
  // speaks other protocols. The server takes ownership of fd.
  void AddConnection(int fd);

  // SetMaxReceiveMessageBytes changes max_receive_message_bytes for calls
  // that start from now on (a reload), within the transport's cap.
  void SetMaxReceiveMessageBytes(int max) { generic_.SetMaxRequestBytes(max); }

  // SetSchema serves next to calls that start from now on (a reload).
  void SetSchema(std::shared_ptr<const Schema> next);

  // health is the health service, or null if options turned it off.
  HealthService* health() { return health_.get(); }

  // Shutdown stops taking calls, marks every service NOT_SERVING and ends
  // health watches, lets calls in flight finish until deadline, then cancels
  // the rest. It returns when all calls are done.
  void Shutdown(absl::Time deadline);

 private:
  GenericServer(std::shared_ptr<const Schema> schema, UnaryHandler* handler);

  // Declared before server_: the server is destroyed first, and calls in
  // flight use these until it is.
  CurrentSchema schema_;
  GenericService generic_;
  std::unique_ptr<ReflectionService> reflection_;
  std::unique_ptr<HealthService> health_;
  std::unique_ptr<grpc::Server> server_;
  std::vector<int> ports_;
  absl::Mutex mu_;
  bool shut_down_ ABSL_GUARDED_BY(mu_) = false;
};

}  // namespace bridge

#endif  // BRIDGE_GRPC_GENERIC_SERVER_H_
