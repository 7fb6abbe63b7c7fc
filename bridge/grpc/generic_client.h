// File: generic_client.h
//
// GenericClient makes unary gRPC calls to any method of an upstream, with
// messages whose types are known only at run time (DynamicMessages of a
// Schema). It is the bridge's way out to gRPC: a net/rpc call comes in, is
// converted, and leaves through GenericClient::Call. Calls are asynchronous:
// they complete on one process-wide grpc::CompletionQueue drained by poller
// threads ("grpc-poller"; one per two cores, at least one, at most 8;
// BRIDGE_GRPC_POLLERS=N in the environment overrides, for measurements),
// which run each call's done on the thread that read its reply. No thread
// waits on a call in flight, and calls in flight outlive the GenericClient
// that started them. (gRPC 1.51's callback API, used before, hands every
// completion to one of its "nexting" threads, about one context switch more
// per call: see tools/bench/bridge/README.md.)
//
//   bridge::GenericClient client(grpc::CreateChannel(
//       "backend:50051", grpc::InsecureChannelCredentials()));
//   const google::protobuf::MethodDescriptor* method =
//       *schema->FindMethod("/demo.v1.Arith/Multiply");
//   std::unique_ptr<google::protobuf::Message> args =
//       schema->NewMessage(*method->input_type());
//   ...                                            // fill args
//   bridge::CallOptions options;
//   options.deadline = absl::Now() + absl::Seconds(5);
//   client.Call(*method, *args, schema->NewMessage(*method->output_type()),
//               options,
//               [](absl::StatusOr<std::unique_ptr<google::protobuf::Message>>
//                      reply) { ... });
//
// Bytes: CallWire copies the request's wire bytes into one grpc::Slice and
// the response's out of gRPC's slices into one string; Call (UnaryClient's)
// serializes and parses around it.
//
// Statuses: whatever status the upstream or the channel gives reaches done
// unchanged (code and message), so error mapping sees the upstream's words.
// The bridge adds its own only for a call it cannot make or a response it
// cannot read (kInvalidArgument, kUnimplemented, kInternal, prefixed
// "bridge: ").

#ifndef BRIDGE_GRPC_GENERIC_CLIENT_H_
#define BRIDGE_GRPC_GENERIC_CLIENT_H_

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/functional/any_invocable.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/message.h"
#include "grpcpp/channel.h"
#include "grpcpp/completion_queue.h"
#include "grpcpp/generic/generic_stub.h"

#include "bridge/grpc/unary_client.h"

namespace bridge {

// GenericClient calls unary methods on one channel. [thread-safe]
class GenericClient final : public UnaryClient {
 public:
  // GenericClient calls through channel, which may be shared.
  explicit GenericClient(std::shared_ptr<grpc::ChannelInterface> channel,
                         GenericClientOptions options = {});

  // CallWire is UnaryClient's; done runs on a poller thread.
  void CallWire(const std::string& path, absl::string_view request,
                CallOptions options, WireDone done) const override;

 private:
  struct PendingCall;

  const GenericClientOptions options_;
  // GenericStub is itself safe for concurrent calls; Call() is const.
  mutable grpc::GenericStub stub_;
  // cq_ is the pollers' queue (process-wide, never destroyed).
  grpc::CompletionQueue* const cq_;
};

}  // namespace bridge

#endif  // BRIDGE_GRPC_GENERIC_CLIENT_H_
