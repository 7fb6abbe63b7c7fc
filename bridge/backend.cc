#include "bridge/backend.h"

#include <algorithm>
#include <string>
#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "bridge/convert/gob_to_wire.h"
#include "bridge/convert/wire_to_gob.h"
#include "bridge/dynamic_body.h"
#include "netrpc/errors.h"

namespace bridge {
namespace {

// WithCode is status with another code, its message and payloads kept (so
// netrpc::IsServerError survives).
absl::Status WithCode(const absl::Status& status, absl::StatusCode code) {
  absl::Status out(code, status.message());
  status.ForEachPayload([&](absl::string_view url, const absl::Cord& payload) {
    out.SetPayload(url, payload);
  });
  return out;
}

absl::StatusOr<std::string> Complete(const BackendCall& call,
                                                  absl::string_view address,
                                                  absl::Duration timeout,
                                                  absl::Status status,
                                                  netrpc::Body& reply) {
  const Route& route = *call.route;
  if (netrpc::IsServerError(status)) {
    absl::StatusCode code = call.mapping->CodeForError(status.message());
    // The net/rpc server's own dispatch errors: the method is not there.
    if (code == absl::StatusCode::kUnknown &&
        (absl::StartsWith(status.message(), "rpc: can't find ") ||
         absl::StartsWith(status.message(),
                          "rpc: service/method request ill-formed"))) {
      code = absl::StatusCode::kUnimplemented;
    }
    return WithCode(status, code);
  }
  if (status.code() == absl::StatusCode::kDeadlineExceeded) {
    return absl::DeadlineExceededError(absl::StrCat(
        "bridge: net/rpc upstream ", address, " did not answer ",
        route.netrpc_name(), " within ", absl::FormatDuration(timeout)));
  }
  if (!status.ok() && absl::StartsWith(status.message(), "bridge:")) {
    return status;  // the pool's own: it names the address already
  }
  if (!status.ok()) {
    return absl::UnavailableError(absl::StrCat("bridge: net/rpc upstream ",
                                               address, ", ",
                                               route.netrpc_name(), ": ",
                                               status.message()));
  }
  const netrpc::gob::Value* value = reply.As<netrpc::gob::Value>();
  std::string response;
  absl::Status s = GobToWire(*value, route.method->output_type(),
                             call.mapping->types(), call.mapping->options(),
                             &response);
  if (!s.ok()) {
    // The upstream's reply does not fit the schema: the bridge's problem,
    // not the caller's.
    return absl::InternalError(s.message());
  }
  return response;
}

}  // namespace

void GrpcBackend::Call(const BackendCall& call, Done done) {
  const Route& route = *call.route;
  CallOptions options;
  options.deadline = call.deadline;
  options.metadata = route.metadata;
  client_->CallWire(route.path, call.request, std::move(options),
                    std::move(done));
}

void NetRpcBackend::Start(const BackendCall& call, NetRpcPool& pool,
                          Done done) {
  const Route& route = *call.route;
  absl::StatusOr<netrpc::gob::Value> args =
      WireToGob(call.request, route.method->input_type(),
                call.mapping->types(), call.mapping->options());
  if (!args.ok()) {
    done(args.status());
    return;
  }
  // net/rpc has no deadlines: the client stops waiting at ours.
  absl::Duration left = call.deadline - absl::Now();
  if (left <= absl::ZeroDuration()) {
    done(absl::DeadlineExceededError(absl::StrCat(
        "bridge: deadline passed before ", route.netrpc_name(), " was sent")));
    return;
  }
  auto arg_body = std::make_unique<DynamicBody>(call.mapping);
  arg_body->value() = *std::move(args);
  // The reply completes after `call` may be gone: keep what Complete reads.
  BackendCall kept = call;
  kept.request = {};
  kept.peer = {};
  kept.protocol = {};
  pool.Go(route.netrpc_name(), std::move(arg_body),
          std::make_unique<DynamicBody>(call.mapping),
          [kept = std::move(kept), address = pool.options().address,
           timeout = call.timeout,
           done = std::move(done)](absl::Status status,
                                   netrpc::Body& reply) mutable {
            done(Complete(kept, address, timeout, std::move(status), reply));
          },
          netrpc::CallOptions{left});
}

}  // namespace bridge
