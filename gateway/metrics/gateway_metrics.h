// File: gateway_metrics.h
//
// The gateway's metric set, in one place: every family the gateway exports,
// with its labels, and handles that make the per-call path a few relaxed
// atomic adds. gateway/admin/README.md lists the names for operators.
//
// Create the set once per process, against the registry that /metrics
// renders; take a RouteMetrics handle when a route is set up (or on its first
// call) and keep it:
//
//   gateway::MetricsRegistry registry;
//   std::unique_ptr<gateway::GatewayMetrics> metrics =
//       gateway::GatewayMetrics::Create(&registry).value();
//
//   gateway::RouteMetrics* arith =
//       metrics->Route("netrpc", "Arith.Multiply", "arith-grpc");
//   arith->CallStarted();
//   ... the call ...
//   arith->CallFinished(status.code(), absl::Now() - start);
//
//   metrics->Connections("netrpc")->ConnectionOpened();
//   metrics->Rejected(gateway::RejectReason::kMessageTooLarge)->Increment();
//   metrics->ReloadSucceeded(7);
//
// Handles are cached here and live as long as the GatewayMetrics: asking
// again with the same names (after a reload, say) returns the same handle,
// and its series keep their counts.
//
// Thread-safety: everything here is [thread-safe]. Route(), Connections(),
// UpstreamHealthy() take a lock to find or create a handle; the handles'
// methods take none.

#ifndef GATEWAY_METRICS_GATEWAY_METRICS_H_
#define GATEWAY_METRICS_GATEWAY_METRICS_H_

#include <array>
#include <atomic>
#include <cstdint>
#include <memory>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"

#include "gateway/metrics/metric.h"
#include "gateway/metrics/registry.h"
#include "netrpc/sync.h"

namespace gateway {

// The names of the gateway's metric families.
inline constexpr absl::string_view kCallsTotalMetric =
    "netrpc_gateway_calls_total";
inline constexpr absl::string_view kCallDurationMetric =
    "netrpc_gateway_call_duration_seconds";
inline constexpr absl::string_view kCallsInFlightMetric =
    "netrpc_gateway_calls_in_flight";
inline constexpr absl::string_view kRouteCallsInFlightMetric =
    "netrpc_gateway_route_calls_in_flight";
inline constexpr absl::string_view kUpstreamHealthyMetric =
    "netrpc_gateway_upstream_healthy";
inline constexpr absl::string_view kConfigGenerationMetric =
    "netrpc_gateway_config_generation";
inline constexpr absl::string_view kConfigReloadsMetric =
    "netrpc_gateway_config_reloads_total";
inline constexpr absl::string_view kRejectedCallsMetric =
    "netrpc_gateway_rejected_calls_total";
inline constexpr absl::string_view kMirrorCallsMetric =
    "netrpc_gateway_mirror_calls_total";
inline constexpr absl::string_view kConnectionsTotalMetric =
    "netrpc_gateway_connections_total";
inline constexpr absl::string_view kConnectionsOpenMetric =
    "netrpc_gateway_connections_open";

// GrpcCodeName returns gRPC's name for code, the value of the `code` label:
// "OK", "CANCELLED", "UNKNOWN", "INVALID_ARGUMENT", "DEADLINE_EXCEEDED", ...
// "UNAUTHENTICATED". A code outside gRPC's 17 is "UNKNOWN", as gRPC treats
// it.
absl::string_view GrpcCodeName(absl::StatusCode code);

// RejectReason is why a call was refused before reaching an upstream: the
// `reason` label of netrpc_gateway_rejected_calls_total.
enum class RejectReason {
  kMessageTooLarge,        // "message_too_large": limits.max_message_bytes
  kConnectionConcurrency,  // "connection_concurrency":
                           //   limits.max_concurrent_calls_per_connection
  kGatewayConcurrency,     // "gateway_concurrency": limits.max_concurrent_calls
  kRouteConcurrency,       // "route_concurrency": route.max_concurrent_calls
};
inline constexpr int kRejectReasonCount = 4;

// RejectReasonName returns the label value of reason.
absl::string_view RejectReasonName(RejectReason reason);

// MirrorResult is how a mirrored call compared: the `result` label of
// netrpc_gateway_mirror_calls_total.
enum class MirrorResult {
  kMatch,        // "match": the shadow's reply equals the primary's
  kDiff,         // "diff": both replied and the replies differ
  kShadowError,  // "shadow_error": the shadow failed where the primary did not
};

// MirrorResultName returns the label value of result.
absl::string_view MirrorResultName(MirrorResult result);

// RouteMetrics is the handle for the calls of one route, arriving on one
// listener protocol and sent to one upstream (a split route has one handle
// per arm). Obtain it from GatewayMetrics::Route. [thread-safe]
class RouteMetrics {
 public:
  RouteMetrics(const RouteMetrics&) = delete;
  RouteMetrics& operator=(const RouteMetrics&) = delete;

  // CallStarted counts a call in flight, in the gateway's total and the
  // route's. Every CallStarted must be followed by one CallFinished.
  void CallStarted() {
    total_in_flight_->Increment();
    route_in_flight_->Increment();
  }

  // CallFinished ends a call: it leaves the in-flight gauges, counts in
  // netrpc_gateway_calls_total under its code and its duration is observed.
  void CallFinished(absl::StatusCode code, absl::Duration elapsed) {
    total_in_flight_->Decrement();
    route_in_flight_->Decrement();
    Calls(code)->Increment();
    duration_->ObserveDuration(elapsed);
  }

  // Calls returns the netrpc_gateway_calls_total series for code, for calls
  // that never started (refused by a limit, say) but still got a reply.
  // Lock-free once each code has been seen; the first call with a code looks
  // its series up.
  Counter* Calls(absl::StatusCode code);

  // Mirror counts one mirrored call's comparison. Lock-free once each
  // result has been seen (routes without a shadow show no mirror series).
  void Mirror(MirrorResult result);

  // duration is netrpc_gateway_call_duration_seconds{route}.
  Histogram* duration() const { return duration_; }
  // in_flight is netrpc_gateway_route_calls_in_flight{route}.
  Gauge* in_flight() const { return route_in_flight_; }

 private:
  friend class GatewayMetrics;
  RouteMetrics() = default;

  static constexpr int kCodeCount = 17;

  CounterFamily* calls_family_ = nullptr;
  std::string listener_protocol_, route_, upstream_;
  // Filled on first use of each code so /metrics shows only codes that
  // happened; a race fills the same pointer twice, harmlessly.
  std::array<std::atomic<Counter*>, kCodeCount> calls_{};
  Gauge* total_in_flight_ = nullptr;
  Gauge* route_in_flight_ = nullptr;
  Histogram* duration_ = nullptr;
  CounterFamily* mirror_family_ = nullptr;
  std::array<std::atomic<Counter*>, 3> mirror_{};
};

// ConnectionMetrics is the handle for the connections of one protocol.
// Obtain it from GatewayMetrics::Connections. [thread-safe]
class ConnectionMetrics {
 public:
  ConnectionMetrics(const ConnectionMetrics&) = delete;
  ConnectionMetrics& operator=(const ConnectionMetrics&) = delete;

  // ConnectionOpened counts an accepted connection; ConnectionClosed must
  // follow when it closes.
  void ConnectionOpened() {
    accepted_->Increment();
    open_->Increment();
  }
  void ConnectionClosed() { open_->Decrement(); }

  // accepted is netrpc_gateway_connections_total{protocol}.
  Counter* accepted() const { return accepted_; }
  // open is netrpc_gateway_connections_open{protocol}.
  Gauge* open() const { return open_; }

 private:
  friend class GatewayMetrics;
  ConnectionMetrics() = default;

  Counter* accepted_ = nullptr;
  Gauge* open_ = nullptr;
};

// GatewayMetrics registers the gateway's metric families and hands out
// cached handles. Create one per process. [thread-safe]
class GatewayMetrics {
 public:
  // Create registers every family in registry, which must outlive the
  // result. Registering twice in one registry gives a second GatewayMetrics
  // over the same series. Fails only if a family name is already taken with
  // another shape (kAlreadyExists).
  static absl::StatusOr<std::unique_ptr<GatewayMetrics>> Create(
      MetricsRegistry* registry);

  GatewayMetrics(const GatewayMetrics&) = delete;
  GatewayMetrics& operator=(const GatewayMetrics&) = delete;
  ~GatewayMetrics();

  // Route returns the handle for calls of route (e.g. "Arith.Multiply"),
  // arriving on listener_protocol ("netrpc", "netrpc_http", "jsonrpc",
  // "grpc") and sent to upstream (its config name). Calls that match no
  // route should use one route name such as "unknown", never the caller's
  // text: labels must stay bounded.
  RouteMetrics* Route(absl::string_view listener_protocol,
                      absl::string_view route, absl::string_view upstream);

  // Connections returns the handle for connections speaking protocol
  // ("netrpc", "netrpc_http", "jsonrpc").
  ConnectionMetrics* Connections(absl::string_view protocol);

  // UpstreamHealthy returns netrpc_gateway_upstream_healthy{upstream,
  // address}: Set(1) when address is usable, Set(0) when not.
  Gauge* UpstreamHealthy(absl::string_view upstream, absl::string_view address);

  // ForgetUpstreamAddress stops exporting an address that left the
  // upstream (after a reload or re-resolution), so a stale 1 does not linger.
  // The Gauge* stays valid.
  void ForgetUpstreamAddress(absl::string_view upstream,
                             absl::string_view address);

  // Rejected returns netrpc_gateway_rejected_calls_total{reason}.
  Counter* Rejected(RejectReason reason) const {
    return rejected_[static_cast<int>(reason)];
  }

  // ReloadSucceeded counts a reload (or the first load) that now serves
  // config generation `generation`, and sets the generation gauge.
  void ReloadSucceeded(int64_t generation) {
    reloads_ok_->Increment();
    config_generation_->Set(generation);
  }

  // ReloadFailed counts a reload that was refused; the old config keeps
  // serving, so the generation gauge keeps its value.
  void ReloadFailed() { reloads_error_->Increment(); }

  // calls_in_flight is netrpc_gateway_calls_in_flight (all routes).
  Gauge* calls_in_flight() const { return calls_in_flight_; }
  // config_generation is netrpc_gateway_config_generation.
  Gauge* config_generation() const { return config_generation_; }

 private:
  GatewayMetrics() = default;

  CounterFamily* calls_ = nullptr;
  HistogramFamily* duration_ = nullptr;
  GaugeFamily* route_in_flight_ = nullptr;
  GaugeFamily* upstream_healthy_ = nullptr;
  CounterFamily* mirror_ = nullptr;
  CounterFamily* connections_total_ = nullptr;
  GaugeFamily* connections_open_ = nullptr;

  Gauge* calls_in_flight_ = nullptr;
  Gauge* config_generation_ = nullptr;
  Counter* reloads_ok_ = nullptr;
  Counter* reloads_error_ = nullptr;
  std::array<Counter*, kRejectReasonCount> rejected_{};

  netrpc::Mutex mu_;
  // Keyed by the label values joined with '\0', which no config name holds.
  absl::flat_hash_map<std::string, std::unique_ptr<RouteMetrics>> routes_
      ABSL_GUARDED_BY(mu_);
  absl::flat_hash_map<std::string, std::unique_ptr<ConnectionMetrics>> connections_
      ABSL_GUARDED_BY(mu_);
};

}  // namespace gateway

#endif  // GATEWAY_METRICS_GATEWAY_METRICS_H_
