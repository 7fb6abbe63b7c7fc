#include "gateway/metrics/gateway_metrics.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "bridge/grpc/status.h"
#include "netrpc/base/status_macros.h"

namespace gateway {
namespace {

// CodeIndex maps a code to its slot; codes gRPC does not know are UNKNOWN.
int CodeIndex(absl::StatusCode code) {
  int i = static_cast<int>(code);
  return i >= 0 && i < 17 ? i : static_cast<int>(absl::StatusCode::kUnknown);
}

}  // namespace

absl::string_view GrpcCodeName(absl::StatusCode code) {
  return bridge::CodeName(code);
}

absl::string_view RejectReasonName(RejectReason reason) {
  switch (reason) {
    case RejectReason::kMessageTooLarge:
      return "message_too_large";
    case RejectReason::kConnectionConcurrency:
      return "connection_concurrency";
    case RejectReason::kGatewayConcurrency:
      return "gateway_concurrency";
    case RejectReason::kRouteConcurrency:
      return "route_concurrency";
  }
  return "unknown";
}

absl::string_view MirrorResultName(MirrorResult result) {
  switch (result) {
    case MirrorResult::kMatch:
      return "match";
    case MirrorResult::kDiff:
      return "diff";
    case MirrorResult::kShadowError:
      return "shadow_error";
  }
  return "unknown";
}

Counter* RouteMetrics::Calls(absl::StatusCode code) {
  int i = CodeIndex(code);
  Counter* counter = calls_[i].load(std::memory_order_acquire);
  if (counter != nullptr) return counter;
  counter = calls_family_->With({"listener_protocol", listener_protocol_},
                                {"route", route_}, {"upstream", upstream_},
                                {"code", bridge::CodeName(code)});
  calls_[i].store(counter, std::memory_order_release);
  return counter;
}

void RouteMetrics::Mirror(MirrorResult result) {
  int i = static_cast<int>(result);
  Counter* counter = mirror_[i].load(std::memory_order_acquire);
  if (counter == nullptr) {
    counter = mirror_family_->With({"route", route_},
                                   {"result", MirrorResultName(result)});
    mirror_[i].store(counter, std::memory_order_release);
  }
  counter->Increment();
}

absl::StatusOr<std::unique_ptr<GatewayMetrics>> GatewayMetrics::Create(
    MetricsRegistry* registry) {
  std::unique_ptr<GatewayMetrics> m(new GatewayMetrics());
  NETRPC_ASSIGN_OR_RETURN(
      m->calls_,
      registry->AddCounter(
          kCallsTotalMetric,
          "Calls answered, by the protocol the caller spoke, the route, the "
          "upstream that served it and the gRPC status code of the answer.",
          {"listener_protocol", "route", "upstream", "code"}));
  NETRPC_ASSIGN_OR_RETURN(
      m->duration_,
      registry->AddHistogram(
          kCallDurationMetric,
          "Time from a call's arrival to its answer, in seconds, by route.",
          {"route"}, DefaultLatencyBuckets()));
  GaugeFamily* in_flight = nullptr;
  NETRPC_ASSIGN_OR_RETURN(
      in_flight,
      registry->AddGauge(kCallsInFlightMetric,
                         "Calls started and not yet answered, all routes."));
  m->calls_in_flight_ = in_flight->With();
  NETRPC_ASSIGN_OR_RETURN(
      m->route_in_flight_,
      registry->AddGauge(kRouteCallsInFlightMetric,
                         "Calls started and not yet answered, by route.",
                         {"route"}));
  NETRPC_ASSIGN_OR_RETURN(
      m->upstream_healthy_,
      registry->AddGauge(
          kUpstreamHealthyMetric,
          "1 if the upstream address is usable (connected or connectable), "
          "0 if not.",
          {"upstream", "address"}));
  GaugeFamily* generation = nullptr;
  NETRPC_ASSIGN_OR_RETURN(
      generation,
      registry->AddGauge(kConfigGenerationMetric,
                         "Generation of the config now serving; 0 before the "
                         "first load, then +1 per successful load."));
  m->config_generation_ = generation->With();
  CounterFamily* reloads = nullptr;
  NETRPC_ASSIGN_OR_RETURN(
      reloads, registry->AddCounter(kConfigReloadsMetric,
                                    "Config loads and reloads, by result "
                                    "(ok: now serving; error: refused, the "
                                    "old config keeps serving).",
                                    {"result"}));
  // Both results exist from the start so a rate() over them works before
  // the first failure.
  m->reloads_ok_ = reloads->With({"result", "ok"});
  m->reloads_error_ = reloads->With({"result", "error"});
  CounterFamily* rejected = nullptr;
  NETRPC_ASSIGN_OR_RETURN(
      rejected,
      registry->AddCounter(
          kRejectedCallsMetric,
          "Calls refused by a limit before reaching an upstream, by reason.",
          {"reason"}));
  for (int i = 0; i < kRejectReasonCount; ++i) {
    m->rejected_[i] = rejected->With(
        {"reason", RejectReasonName(static_cast<RejectReason>(i))});
  }
  NETRPC_ASSIGN_OR_RETURN(
      m->mirror_,
      registry->AddCounter(kMirrorCallsMetric,
                           "Calls copied to a route's shadow upstream, by how "
                           "the shadow's reply compared with the primary's.",
                           {"route", "result"}));
  NETRPC_ASSIGN_OR_RETURN(
      m->connections_total_,
      registry->AddCounter(kConnectionsTotalMetric,
                           "Connections accepted, by the protocol they speak (net/rpc-speaking listeners).", {"protocol"}));
  NETRPC_ASSIGN_OR_RETURN(
      m->connections_open_,
      registry->AddGauge(kConnectionsOpenMetric,
                         "Connections open now, by the protocol they speak (net/rpc-speaking listeners).", {"protocol"}));
  return m;
}

GatewayMetrics::~GatewayMetrics() = default;

RouteMetrics* GatewayMetrics::Route(absl::string_view listener_protocol,
                                    absl::string_view route,
                                    absl::string_view upstream) {
  std::string key = absl::StrCat(listener_protocol, absl::string_view("\0", 1),
                                 route, absl::string_view("\0", 1), upstream);
  netrpc::MutexLock lock(&mu_);
  std::unique_ptr<RouteMetrics>& slot = routes_[key];
  if (slot != nullptr) return slot.get();
  slot.reset(new RouteMetrics());
  RouteMetrics& r = *slot;
  r.calls_family_ = calls_;
  r.listener_protocol_ = std::string(listener_protocol);
  r.route_ = std::string(route);
  r.upstream_ = std::string(upstream);
  r.total_in_flight_ = calls_in_flight_;
  r.route_in_flight_ = route_in_flight_->With({"route", route});
  r.duration_ = duration_->With({"route", route});
  r.mirror_family_ = mirror_;
  return slot.get();
}

ConnectionMetrics* GatewayMetrics::Connections(absl::string_view protocol) {
  netrpc::MutexLock lock(&mu_);
  std::unique_ptr<ConnectionMetrics>& slot = connections_[protocol];
  if (slot != nullptr) return slot.get();
  slot.reset(new ConnectionMetrics());
  slot->accepted_ = connections_total_->With({"protocol", protocol});
  slot->open_ = connections_open_->With({"protocol", protocol});
  return slot.get();
}

Gauge* GatewayMetrics::UpstreamHealthy(absl::string_view upstream,
                                       absl::string_view address) {
  return upstream_healthy_->With({"upstream", upstream}, {"address", address});
}

void GatewayMetrics::ForgetUpstreamAddress(absl::string_view upstream,
                                           absl::string_view address) {
  upstream_healthy_->Remove({"upstream", upstream}, {"address", address});
}

}  // namespace gateway
