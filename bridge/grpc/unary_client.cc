#include "bridge/grpc/unary_client.h"

#include "absl/strings/str_cat.h"

namespace bridge {

using google::protobuf::Message;
using google::protobuf::MethodDescriptor;

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
