// File: unary_client.h
//
// UnaryClient is the bridge's way out to a gRPC upstream: unary calls whose
// messages are known only at run time, as wire bytes (CallWire, the bridge's
// own path) or as DynamicMessages of a Schema (Call). Two implementations:
//
//   * GenericClient (generic_client.h): gRPC C++'s own channel, with all of
//     gRPC's resolvers, load balancing, health checks and TLS;
//   * H2Client (h2_client.h): a lean HTTP/2 client on nghttp2 that runs on
//     netrpc's I/O threads, so a bridged call never changes thread; plaintext
//     to one host:port.
//
// Both give the same statuses for the same upstream answers.

#ifndef BRIDGE_GRPC_UNARY_CLIENT_H_
#define BRIDGE_GRPC_UNARY_CLIENT_H_

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/functional/any_invocable.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/message.h"

namespace bridge {

// GenericClientOptions tunes every call of a client.
struct GenericClientOptions {
  // metadata is sent with every call, before each call's own (for example
  // credentials the upstream wants). Keys are lower-case. Default: none.
  std::vector<std::pair<std::string, std::string>> metadata;
};

// CallOptions tunes one call.
struct CallOptions {
  // deadline is when the call gives up with DEADLINE_EXCEEDED (and tells the
  // upstream). Default: none.
  absl::Time deadline = absl::InfiniteFuture();
  // metadata is sent with this call only. Keys are lower-case. Default: none.
  std::vector<std::pair<std::string, std::string>> metadata;
};

// UnaryClient calls unary methods of one upstream. [thread-safe]
class UnaryClient {
 public:
  // WireDone receives the response message's protobuf wire bytes, or the
  // status that ended the call.
  using WireDone = absl::AnyInvocable<void(absl::StatusOr<std::string>)>;
  // Done receives the response, or the status that ended the call.
  using Done = absl::AnyInvocable<void(
      absl::StatusOr<std::unique_ptr<google::protobuf::Message>>)>;

  virtual ~UnaryClient() = default;

  // CallWire starts a call of the unary method at path ("/pkg.Service/M")
  // with request, the wire bytes of its input message, and returns at once:
  // the bridge's hot path, where messages exist only as wire bytes
  // (convert/gob_to_wire.h, convert/wire_to_gob.h).
  //
  // done runs exactly once: on a thread of the client's when the call ends,
  // or on the calling thread before CallWire returns if the call cannot
  // start (a request over the client's size limit). It must not block.
  // request may be destroyed when CallWire returns. Calls in flight outlive
  // the client that started them.
  virtual void CallWire(const std::string& path, absl::string_view request,
                        CallOptions options, WireDone done) const = 0;

  // Call is CallWire with messages: request is serialized, and the response
  // parsed into response (an empty message of the method's output type,
  // typically Schema::NewMessage) and handed to done. A call that cannot
  // start (request or response of the wrong type, a streaming method, a
  // request that does not serialize) ends before Call returns.
  // response's Schema must stay alive as long as the response.
  void Call(const google::protobuf::MethodDescriptor& method,
            const google::protobuf::Message& request,
            std::unique_ptr<google::protobuf::Message> response,
            CallOptions options, Done done) const;
};

// CheckUnaryCall returns the error a call of method (at path, "/pkg.S/M")
// with these messages gets before it starts: no response message, a
// streaming method, or messages of other types than the method's.
absl::Status CheckUnaryCall(const google::protobuf::MethodDescriptor& method,
                            const std::string& path,
                            const google::protobuf::Message& request,
                            const google::protobuf::Message* response);

}  // namespace bridge

#endif  // BRIDGE_GRPC_UNARY_CLIENT_H_
