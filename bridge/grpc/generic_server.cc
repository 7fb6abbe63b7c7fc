#include "bridge/grpc/generic_server.h"

#include <algorithm>
#include <chrono>
#include <utility>
#include <vector>

#include "absl/memory/memory.h"
#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "grpcpp/security/server_credentials.h"
#include "grpcpp/server_builder.h"
#include "grpcpp/server_posix.h"
#include "grpcpp/support/byte_buffer.h"

#include "bridge/grpc/status.h"

namespace bridge {

using google::protobuf::MethodDescriptor;

namespace {

absl::Time Deadline(const grpc::CallbackServerContext& context) {
  std::chrono::system_clock::time_point deadline = context.deadline();
  if (deadline == std::chrono::system_clock::time_point::max()) {
    return absl::InfiniteFuture();
  }
  return absl::FromChrono(deadline);
}

}  // namespace

// Reactor is one call: read the request, make sure no second one follows,
// hand it to the handler, write the response and the status.
//
// Two parties hold it: gRPC until OnDone, and the handler until it calls
// done. A cancelled call finishes at once (so a slow handler holds up
// neither the client nor a server shutdown), and the reactor is deleted when
// the last of the two lets go.
class GenericService::Reactor final : public grpc::ServerGenericBidiReactor {
 public:
  Reactor(grpc::GenericCallbackServerContext* context,
          std::shared_ptr<const Schema> schema, UnaryHandler* handler,
          int max_request_bytes)
      : context_(context),
        handler_(handler),
        path_(context->method()),
        max_request_bytes_(max_request_bytes) {
    call_.schema = std::move(schema);
    const std::string& path = path_;
    absl::StatusOr<const MethodDescriptor*> method =
        call_.schema->FindMethod(path);
    if (!method.ok()) {
      FinishOnce(grpc::Status(
          grpc::StatusCode::UNIMPLEMENTED,
          absl::StrCat(
              "bridge: cannot serve ", path, ": ",
              absl::StripPrefix(method.status().message(), "bridge: "))));
      return;
    }
    call_.method = *method;
    if (call_.method->client_streaming() || call_.method->server_streaming()) {
      FinishOnce(grpc::Status(
          grpc::StatusCode::UNIMPLEMENTED,
          absl::StrCat("bridge: ", path,
                       " is a streaming method; the bridge serves only unary "
                       "methods")));
      return;
    }
    StartRead(&request_bytes_);
  }

 private:
  void OnReadDone(bool ok) override {
    const std::string& path = path_;
    if (!got_request_) {
      if (!ok) {
        FinishOnce(grpc::Status(
            grpc::StatusCode::INVALID_ARGUMENT,
            absl::StrCat("bridge: ", path,
                         " is unary, and the client sent no request message")));
        return;
      }
      got_request_ = true;
      StartRead(&extra_bytes_);  // expect the half-close, not a message
      return;
    }
    if (ok) {
      FinishOnce(grpc::Status(
          grpc::StatusCode::UNIMPLEMENTED,
          absl::StrCat("bridge: ", path,
                       " is unary, and the client sent a second request "
                       "message; the bridge does not stream")));
      return;
    }
    Dispatch();
  }

  void OnCancel() override { FinishOnce(grpc::Status::CANCELLED); }

  void OnDone() override { Release(); }

  void Dispatch() {
    if (max_request_bytes_ > 0 &&
        request_bytes_.Length() > static_cast<size_t>(max_request_bytes_)) {
      FinishOnce(grpc::Status(
          grpc::StatusCode::RESOURCE_EXHAUSTED,
          absl::StrCat("Received message larger than max (",
                       request_bytes_.Length(), " vs. ", max_request_bytes_,
                       ")")));
      return;
    }
    grpc::Slice slice;
    if (!request_bytes_.TrySingleSlice(&slice).ok() &&
        !request_bytes_.DumpToSingleSlice(&slice).ok()) {
      FinishOnce(grpc::Status(
          grpc::StatusCode::INTERNAL,
          absl::StrCat("bridge: the request to ", path_, " was unreadable")));
      return;
    }
    request_.assign(reinterpret_cast<const char*>(slice.begin()),
                    slice.size());
    request_bytes_.Clear();
    call_.request = request_;
    call_.deadline = Deadline(*context_);
    for (const auto& [key, value] : context_->client_metadata()) {
      call_.metadata.emplace(std::string(key.data(), key.size()),
                             std::string(value.data(), value.size()));
    }
    call_.peer = context_->peer();
    {
      absl::MutexLock lock(&mu_);
      ++holders_;
    }
    handler_->Handle(call_,
                     [this](absl::StatusOr<std::string> result) {
                       Reply(std::move(result));
                       Release();
                     });
  }

  void Reply(absl::StatusOr<std::string> result) {
    if (!result.ok()) {
      FinishOnce(ToGrpcStatus(result.status()));
      return;
    }
    absl::MutexLock lock(&mu_);
    if (finished_) return;  // cancelled meanwhile
    finished_ = true;
    grpc::Slice slice(result->data(), result->size());
    response_bytes_ = grpc::ByteBuffer(&slice, 1);
    StartWriteAndFinish(&response_bytes_, grpc::WriteOptions(),
                        grpc::Status::OK);
  }

  // FinishOnce ends the call with status unless it has ended already.
  void FinishOnce(grpc::Status status) ABSL_LOCKS_EXCLUDED(mu_) {
    absl::MutexLock lock(&mu_);
    if (finished_) return;
    finished_ = true;
    Finish(std::move(status));
  }

  void Release() ABSL_LOCKS_EXCLUDED(mu_) {
    bool last;
    {
      absl::MutexLock lock(&mu_);
      last = --holders_ == 0;
    }
    if (last) delete this;
  }

  // Valid until OnDone; only reactions and Dispatch (a reaction) use it.
  grpc::GenericCallbackServerContext* const context_;
  UnaryHandler* const handler_;
  const std::string path_;
  ServerCall call_;
  bool got_request_ = false;
  const int max_request_bytes_;
  grpc::ByteBuffer request_bytes_;
  grpc::ByteBuffer extra_bytes_;
  std::string request_;  // call_.request's bytes

  absl::Mutex mu_;
  bool finished_ ABSL_GUARDED_BY(mu_) = false;
  int holders_ ABSL_GUARDED_BY(mu_) = 1;  // gRPC; +1 for the handler
  grpc::ByteBuffer response_bytes_ ABSL_GUARDED_BY(mu_);
};

GenericService::GenericService(const CurrentSchema* schema,
                               UnaryHandler* handler)
    : schema_(schema), handler_(handler) {}

grpc::ServerGenericBidiReactor* GenericService::CreateReactor(
    grpc::GenericCallbackServerContext* context) {
  return new Reactor(context, schema_->Get(), handler_, max_request_bytes_);
}

GenericServer::GenericServer(std::shared_ptr<const Schema> schema,
                             UnaryHandler* handler)
    : schema_(std::move(schema)), generic_(&schema_, handler) {}

absl::StatusOr<std::unique_ptr<GenericServer>> GenericServer::Start(
    const GenericServerOptions& options, std::shared_ptr<const Schema> schema,
    UnaryHandler* handler) {
  auto server = absl::WrapUnique(new GenericServer(std::move(schema), handler));
  grpc::ServerBuilder builder;
  std::vector<std::string> addresses = options.more_addresses;
  if (!options.address.empty()) {
    addresses.insert(addresses.begin(), options.address);
  }
  // gRPC writes each picked port when the server starts.
  std::vector<int> ports(addresses.size(), 0);
  for (size_t i = 0; i < addresses.size(); ++i) {
    builder.AddListeningPort(addresses[i],
                             options.credentials != nullptr
                                 ? options.credentials
                                 : grpc::InsecureServerCredentials(),
                             &ports[i]);
  }
  // The transport's cap leaves room for SetMaxReceiveMessageBytes to raise
  // the limit later; the service enforces the current one.
  builder.SetMaxReceiveMessageSize(
      std::max(options.max_receive_message_bytes, 64 << 20));
  server->generic_.SetMaxRequestBytes(options.max_receive_message_bytes);
  if (options.max_concurrent_streams > 0) {
    builder.AddChannelArgument(GRPC_ARG_MAX_CONCURRENT_STREAMS,
                               options.max_concurrent_streams);
  }
  // Without SO_REUSEPORT a port already in use is an error, as it is for
  // every other listener, instead of two servers sharing it silently.
  builder.AddChannelArgument(GRPC_ARG_ALLOW_REUSEPORT, 0);
  builder.RegisterCallbackGenericService(&server->generic_);
  std::vector<std::string> extra_services;
  if (options.health) {
    server->health_ = std::make_unique<HealthService>();
    builder.RegisterService(server->health_.get());
    extra_services.push_back("grpc.health.v1.Health");
  }
  if (options.reflection) {
    server->reflection_ = std::make_unique<ReflectionService>(
        &server->schema_, std::move(extra_services));
    builder.RegisterService(server->reflection_.get());
  }
  server->server_ = builder.BuildAndStart();
  for (size_t i = 0; i < addresses.size(); ++i) {
    if (server->server_ == nullptr || ports[i] == 0) {
      return absl::UnavailableError(absl::StrCat(
          "bridge: cannot serve gRPC on ", addresses[i],
          " (gRPC's log says why); check that the address is local and the "
          "port free"));
    }
  }
  if (server->server_ == nullptr) {
    return absl::UnavailableError("bridge: the gRPC server did not start");
  }
  server->ports_ = std::move(ports);
  return server;
}

GenericServer::~GenericServer() {
  if (server_ != nullptr) Shutdown(absl::Now());
}

void GenericServer::AddConnection(int fd) {
  grpc::AddInsecureChannelFromFd(server_.get(), fd);
}

void GenericServer::SetSchema(std::shared_ptr<const Schema> next) {
  schema_.Set(std::move(next));
}

void GenericServer::Shutdown(absl::Time deadline) {
  absl::MutexLock lock(&mu_);
  if (shut_down_) return;
  shut_down_ = true;
  if (health_ != nullptr) health_->Shutdown();
  server_->Shutdown(absl::ToChronoTime(deadline));
}

}  // namespace bridge
