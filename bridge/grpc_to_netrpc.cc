#include "bridge/grpc_to_netrpc.h"

#include <algorithm>
#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"

namespace bridge {

GrpcToNetRpc::GrpcToNetRpc(std::shared_ptr<const Mapping> mapping,
                           NetRpcPool* upstream)
    : GrpcToNetRpc(std::move(mapping),
                   std::make_shared<NetRpcBackend>(upstream)) {}

GrpcToNetRpc::GrpcToNetRpc(std::shared_ptr<const Mapping> mapping,
                           std::shared_ptr<Backend> backend)
    : mapping_(std::move(mapping)), backend_(std::move(backend)) {}

void GrpcToNetRpc::Set(std::shared_ptr<const Mapping> next,
                       std::shared_ptr<Backend> backend) {
  absl::MutexLock lock(&mu_);
  mapping_ = std::move(next);
  backend_ = std::move(backend);
}

void GrpcToNetRpc::SetMapping(std::shared_ptr<const Mapping> next) {
  absl::MutexLock lock(&mu_);
  mapping_ = std::move(next);
}

void GrpcToNetRpc::Handle(const ServerCall& call, Done done) {
  BackendCall backend_call;
  std::shared_ptr<Backend> backend;
  {
    absl::MutexLock lock(&mu_);
    backend_call.mapping = mapping_;
    backend = backend_;
  }
  std::string path = MethodPath(*call.method);
  const Route* route = backend_call.mapping->routes().ByPath(path);
  if (route == nullptr) {
    done(absl::UnimplementedError(absl::StrCat(
        "bridge: ", path, " is not bridged to a net/rpc service")));
    return;
  }
  // The call waits at most for the caller's deadline or the route's
  // timeout, whichever comes first.
  absl::Time now = absl::Now();
  backend_call.timeout = std::min(route->timeout, call.deadline - now);
  if (backend_call.timeout <= absl::ZeroDuration()) {
    done(absl::DeadlineExceededError(
        absl::StrCat("bridge: deadline passed before ", route->netrpc_name(),
                     " was sent")));
    return;
  }
  backend_call.deadline = now + backend_call.timeout;
  backend_call.route = route;
  backend_call.request = call.request;
  backend_call.protocol = "grpc";
  backend_call.peer = call.peer;
  backend->Call(backend_call, std::move(done));
}

}  // namespace bridge
