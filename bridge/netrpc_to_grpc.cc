#include "bridge/netrpc_to_grpc.h"

#include <string>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "bridge/convert/gob_to_wire.h"
#include "bridge/convert/wire_to_gob.h"
#include "bridge/dynamic_body.h"
#include "bridge/upstream_error.h"
#include "netrpc/server.h"

namespace bridge {
namespace {

using ::google::protobuf::Descriptor;

// GoTypeSpelling is how /debug/rpc shows a bridged argument or reply type:
// the pointer Go's net/rpc method would take.
std::string GoTypeSpelling(const Mapping& mapping, const Descriptor* d) {
  absl::StatusOr<const netrpc::gob::Type*> t = mapping.types().For(d);
  if (!t.ok()) return absl::StrCat("*", d->name());
  return absl::StrCat("*", (*t)->String());
}

// BodyMaker makes the bodies of one side of a method: typed, so that a
// jsonrpc codec can decode JSON into the gob value the mapping expects.
std::function<std::unique_ptr<netrpc::Body>()> BodyMaker(
    const std::shared_ptr<const Mapping>& mapping, const Descriptor* d) {
  absl::StatusOr<const netrpc::gob::Type*> type = mapping->types().For(d);
  return [keep_alive = std::shared_ptr<const void>(mapping),
          type = type.ok() ? *type : nullptr,
          options = &mapping->options()]() -> std::unique_ptr<netrpc::Body> {
    return std::make_unique<DynamicBody>(keep_alive, type, options);
  };
}

void CallBackend(const std::shared_ptr<const Mapping>& mapping,
                 const Route& route, Backend& backend,
                 absl::string_view protocol, netrpc::Body& arg,
                 netrpc::Body& reply, netrpc::MethodDesc::Done done) {
  const netrpc::gob::Value* in = arg.As<netrpc::gob::Value>();
  netrpc::gob::Value* out = reply.As<netrpc::gob::Value>();
  if (in == nullptr || out == nullptr) {
    done(absl::InternalError("bridge: a bridged method got a typed body"));
    return;
  }
  std::string request;
  absl::Status s = GobToWire(*in, route.method->input_type(), mapping->types(),
                             mapping->options(), &request);
  if (!s.ok()) {
    done(s);
    return;
  }
  BackendCall call;
  call.mapping = mapping;
  call.route = &route;
  call.request = request;
  call.timeout = route.timeout;
  call.deadline = absl::Now() + route.timeout;
  call.protocol = protocol;
  // The server says who is calling, and how, while the method starts.
  if (const netrpc::CallContext* context = netrpc::CurrentCall()) {
    call.protocol = context->protocol;
    call.peer = context->peer;
  }
  absl::Time deadline = call.deadline;
  backend.Call(
      call, [mapping, &route, out, deadline, done = std::move(done)](
                absl::StatusOr<std::string> response) mutable {
        if (!response.ok()) {
          done(UpstreamError(route, response.status(), deadline));
          return;
        }
        absl::StatusOr<netrpc::gob::Value> v =
            WireToGob(*response, route.method->output_type(),
                      mapping->types(), mapping->options());
        if (!v.ok()) {
          done(v.status());
          return;
        }
        *out = *std::move(v);
        done(absl::OkStatus());
      });
}

}  // namespace

std::vector<netrpc::ServiceDesc> NetRpcServices(
    std::shared_ptr<const Mapping> mapping, const UnaryClient* upstream) {
  return NetRpcServices(std::move(mapping),
                        std::make_shared<GrpcBackend>(upstream));
}

std::vector<netrpc::ServiceDesc> NetRpcServices(
    std::shared_ptr<const Mapping> mapping, std::shared_ptr<Backend> backend,
    absl::string_view protocol) {
  std::vector<netrpc::ServiceDesc> services;
  absl::flat_hash_map<std::string, size_t> index;
  for (const Route& route : mapping->routes().routes()) {
    auto [it, added] =
        index.emplace(route.netrpc_service, services.size());
    if (added) services.emplace_back(route.netrpc_service);
    netrpc::MethodDesc m;
    m.name = route.netrpc_method;
    m.arg_type = GoTypeSpelling(*mapping, route.method->input_type());
    m.reply_type = GoTypeSpelling(*mapping, route.method->output_type());
    // A bridged call only converts and starts the upstream call: it never
    // blocks, so it runs on the I/O thread without a hop to a worker.
    m.inline_ok = true;
    m.new_arg = BodyMaker(mapping, route.method->input_type());
    m.new_reply = BodyMaker(mapping, route.method->output_type());
    const Route* r = &route;  // owned by mapping, which the lambda keeps
    m.call = [mapping, r, backend, protocol = std::string(protocol)](
                 netrpc::Body& arg, netrpc::Body& reply,
                 netrpc::MethodDesc::Done done) {
      CallBackend(mapping, *r, *backend, protocol, arg, reply,
                  std::move(done));
    };
    services[it->second].AddMethod(std::move(m));
  }
  return services;
}

}  // namespace bridge
