#include "bridge/grpc/unary_client.h"

#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "bridge/schema/schema.h"

namespace bridge {

using google::protobuf::Message;
using google::protobuf::MethodDescriptor;

void UnaryClient::Call(const MethodDescriptor& method, const Message& request,
                       std::unique_ptr<Message> response, CallOptions options,
                       Done done) const {
  std::string path = MethodPath(method);
  if (absl::Status s = CheckUnaryCall(method, path, request, response.get());
      !s.ok()) {
    done(std::move(s));
    return;
  }
  std::string wire;
  if (!request.SerializeToString(&wire)) {
    done(absl::InvalidArgumentError(absl::StrCat(
        "bridge: the request to ", path, " does not serialize (over 2 GiB, "
        "or required fields missing: ",
        request.InitializationErrorString(), ")")));
    return;
  }
  CallWire(path, wire, std::move(options),
           [path, response = std::move(response),
            done = std::move(done)](absl::StatusOr<std::string> wire) mutable {
             // An unused response goes before done runs: once done has
             // run, the caller may destroy the Schema the message needs.
             if (!wire.ok()) {
               response.reset();
               done(wire.status());
               return;
             }
             if (!response->ParseFromString(*wire)) {
               absl::Status error = absl::InternalError(absl::StrCat(
                   "bridge: the response of ", path, " does not parse as ",
                   response->GetDescriptor()->full_name(), ": ",
                   response->InitializationErrorString()));
               response.reset();
               done(std::move(error));
               return;
             }
             done(std::move(response));
           });
}

absl::Status CheckUnaryCall(const MethodDescriptor& method,
                            const std::string& path, const Message& request,
                            const Message* response) {
  if (response == nullptr) {
    return absl::InvalidArgumentError(
        absl::StrCat("bridge: calling ", path, " needs a response message"));
  }
  if (method.client_streaming() || method.server_streaming()) {
    return absl::UnimplementedError(absl::StrCat(
        "bridge: ", path,
        " is a streaming method; the bridge calls only unary methods"));
  }
  // The same descriptors (the usual case) need no name comparison.
  if (request.GetDescriptor() == method.input_type() &&
      response->GetDescriptor() == method.output_type()) {
    return absl::OkStatus();
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

}  // namespace bridge
