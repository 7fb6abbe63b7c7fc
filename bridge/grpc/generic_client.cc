#include "bridge/grpc/generic_client.h"

#include <chrono>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/notification.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"
#include "grpcpp/client_context.h"
#include "grpcpp/impl/codegen/proto_utils.h"
#include "grpcpp/support/byte_buffer.h"

#include "bridge/grpc/status.h"

namespace bridge {

using google::protobuf::Message;
using google::protobuf::MethodDescriptor;

// PendingCall is what a call in flight owns; the completion callback frees it.
struct GenericClient::PendingCall {
  grpc::ClientContext context;
  // gRPC keeps pointers to the path, the buffers and the context until the
  // call ends, so they live here rather than on Call()'s stack.
  std::string path;
  grpc::ByteBuffer request;
  grpc::ByteBuffer response;
  std::unique_ptr<Message> reply;
  Done done;
};

namespace {

absl::Status CheckCall(const MethodDescriptor& method, const std::string& path,
                       const Message& request, const Message* response) {
  if (response == nullptr) {
    return absl::InvalidArgumentError(
        absl::StrCat("bridge: calling ", path, " needs a response message"));
  }
  if (method.client_streaming() || method.server_streaming()) {
    return absl::UnimplementedError(absl::StrCat(
        "bridge: ", path,
        " is a streaming method; the bridge calls only unary methods"));
  }
  const std::string& want_in = method.input_type()->full_name();
  const std::string& want_out = method.output_type()->full_name();
  if (request.GetDescriptor()->full_name() != want_in) {
    return absl::InvalidArgumentError(
        absl::StrCat("bridge: ", path, " takes a ", want_in, ", not a ",
                     request.GetDescriptor()->full_name()));
  }
  if (response->GetDescriptor()->full_name() != want_out) {
    return absl::InvalidArgumentError(
        absl::StrCat("bridge: ", path, " returns a ", want_out, ", not a ",
                     response->GetDescriptor()->full_name()));
  }
  return absl::OkStatus();
}

}  // namespace

namespace {

// HoldCallbackQueue keeps gRPC's process-wide callback completion queue
// alive for the life of the process. gRPC 1.51 shuts that queue down when
// the last channel that used it is destroyed, while a call's cleanup may
// still be running on one of its threads right after the completion callback
// returned: a double free (seen under ASan, and as a crash without it) when a
// GenericClient is destroyed just after its last call. A channel that never
// goes away, and that has made one callback call, holds the queue.
void HoldCallbackQueue() {
  struct Holder {
    std::shared_ptr<grpc::Channel> channel = grpc::CreateChannel(
        "127.0.0.1:1", grpc::InsecureChannelCredentials());
    grpc::GenericStub stub{channel};
    grpc::ClientContext context;
    grpc::Slice empty{""};
    grpc::ByteBuffer request{&empty, 1};
    grpc::ByteBuffer response;
    absl::Notification done;
  };
  // Reachable from a static for the life of the process (not a leak).
  static Holder* holder = [] {
    auto* h = new Holder();
    h->context.set_deadline(std::chrono::system_clock::now());
    h->stub.UnaryCall(&h->context, "/bridge.Hold/Queue", grpc::StubOptions(),
                      &h->request, &h->response,
                      [h](grpc::Status) { h->done.Notify(); });
    h->done.WaitForNotification();
    return h;
  }();
  (void)holder;
}

}  // namespace

GenericClient::GenericClient(std::shared_ptr<grpc::ChannelInterface> channel,
                             GenericClientOptions options)
    : options_(std::move(options)), stub_((HoldCallbackQueue(), std::move(channel))) {}

void GenericClient::Call(const MethodDescriptor& method, const Message& request,
                         std::unique_ptr<Message> response, CallOptions options,
                         Done done) const {
  auto call = std::make_unique<PendingCall>();
  call->path =
      absl::StrCat("/", method.service()->full_name(), "/", method.name());
  if (absl::Status s = CheckCall(method, call->path, request, response.get());
      !s.ok()) {
    done(std::move(s));
    return;
  }
  bool own_buffer;
  grpc::Status serialized = grpc::SerializationTraits<Message>::Serialize(
      request, &call->request, &own_buffer);
  if (!serialized.ok()) {
    done(absl::InvalidArgumentError(
        absl::StrCat("bridge: the request to ", call->path,
                     " does not serialize: ", serialized.error_message())));
    return;
  }
  call->reply = std::move(response);
  call->done = std::move(done);
  if (options.deadline != absl::InfiniteFuture()) {
    call->context.set_deadline(absl::ToChronoTime(options.deadline));
  }
  for (const auto& [key, value] : options_.metadata) {
    call->context.AddMetadata(key, value);
  }
  for (const auto& [key, value] : options.metadata) {
    call->context.AddMetadata(key, value);
  }

  PendingCall* raw = call.release();
  stub_.UnaryCall(
      &raw->context, raw->path, grpc::StubOptions(), &raw->request,
      &raw->response, [raw](grpc::Status status) {
        std::unique_ptr<PendingCall> call(raw);
        if (!status.ok()) {
          call->done(ToAbslStatus(status));
          return;
        }
        grpc::Status parsed = grpc::SerializationTraits<Message>::Deserialize(
            &call->response, call->reply.get());
        if (!parsed.ok()) {
          call->done(absl::InternalError(absl::StrCat(
              "bridge: the response of ", call->path, " does not parse as ",
              call->reply->GetDescriptor()->full_name(), ": ",
              parsed.error_message())));
          return;
        }
        call->done(std::move(call->reply));
      });
}

}  // namespace bridge
