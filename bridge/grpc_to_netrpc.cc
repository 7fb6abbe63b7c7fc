#include "bridge/grpc_to_netrpc.h"

#include <algorithm>
#include <string>
#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "bridge/convert/gob_to_proto.h"
#include "bridge/convert/proto_to_gob.h"
#include "bridge/dynamic_body.h"
#include "netrpc/errors.h"

namespace bridge {

GrpcToNetRpc::GrpcToNetRpc(std::shared_ptr<const Mapping> mapping,
                           NetRpcPool* upstream)
    : upstream_(upstream), mapping_(std::move(mapping)) {}

void GrpcToNetRpc::SetMapping(std::shared_ptr<const Mapping> next) {
  absl::MutexLock lock(&mu_);
  mapping_ = std::move(next);
}

std::shared_ptr<const Mapping> GrpcToNetRpc::mapping() const {
  absl::MutexLock lock(&mu_);
  return mapping_;
}

void GrpcToNetRpc::Handle(const ServerCall& call, Done done) {
  std::shared_ptr<const Mapping> mapping = this->mapping();
  std::string path = MethodPath(*call.method);
  const Route* route = mapping->routes().ByPath(path);
  if (route == nullptr) {
    done(absl::UnimplementedError(absl::StrCat(
        "bridge: ", path, " is not bridged to a net/rpc service")));
    return;
  }
  absl::StatusOr<netrpc::gob::Value> args =
      ProtoToGob(*call.request, mapping->types(), mapping->options());
  if (!args.ok()) {
    done(args.status());
    return;
  }

  // net/rpc has no deadlines: the call waits at most for the caller's
  // deadline or the route's timeout, whichever comes first.
  absl::Duration timeout =
      std::min(route->timeout, call.deadline - absl::Now());
  if (timeout <= absl::ZeroDuration()) {
    done(absl::DeadlineExceededError(
        absl::StrCat("bridge: deadline passed before ", route->netrpc_name(),
                     " was sent")));
    return;
  }

  auto arg_body = std::make_unique<DynamicBody>(mapping);
  arg_body->value() = *std::move(args);
  std::shared_ptr<const Schema> schema = call.schema;
  const google::protobuf::Descriptor* output = call.method->output_type();
  std::string address = upstream_->options().address;
  upstream_->Go(
      route->netrpc_name(), std::move(arg_body),
      std::make_unique<DynamicBody>(mapping),
      [mapping, route, schema, output, address, timeout,
       done = std::move(done)](absl::Status status,
                               netrpc::Body& reply) mutable {
        if (netrpc::IsServerError(status)) {
          absl::StatusCode code = mapping->CodeForError(status.message());
          // The net/rpc server's own dispatch errors: the bridged method is
          // not there.
          if (code == absl::StatusCode::kUnknown &&
              (absl::StartsWith(status.message(), "rpc: can't find ") ||
               absl::StartsWith(status.message(),
                                "rpc: service/method request ill-formed"))) {
            code = absl::StatusCode::kUnimplemented;
          }
          done(absl::Status(code, status.message()));
          return;
        }
        if (status.code() == absl::StatusCode::kDeadlineExceeded) {
          done(absl::DeadlineExceededError(absl::StrCat(
              "bridge: net/rpc upstream ", address, " did not answer ",
              route->netrpc_name(), " within ", absl::FormatDuration(timeout))));
          return;
        }
        if (!status.ok() && absl::StartsWith(status.message(), "bridge:")) {
          done(status);  // the pool's own: it names the address already
          return;
        }
        if (!status.ok()) {
          done(absl::UnavailableError(absl::StrCat(
              "bridge: net/rpc upstream ", address, ", ", route->netrpc_name(),
              ": ", status.message())));
          return;
        }
        const netrpc::gob::Value* value = reply.As<netrpc::gob::Value>();
        std::unique_ptr<google::protobuf::Message> response =
            schema->NewMessage(*output);
        absl::Status s =
            GobToProto(*value, response.get(), mapping->types(),
                       mapping->options());
        if (!s.ok()) {
          // The upstream's reply does not fit the schema: the bridge's
          // problem, not the caller's.
          done(absl::InternalError(s.message()));
          return;
        }
        done(std::move(response));
      },
      netrpc::CallOptions{timeout});
}

}  // namespace bridge
