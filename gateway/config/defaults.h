// File: defaults.h
//
// ApplyDefaults fills in what a config file left out, so the rest of the
// gateway reads one value per setting; BridgeConfigOf turns the gateway's
// routes into the bridge's own config (netrpc.config.v1.Bridge) for
// bridge::Mapping::Build.
//
//   NETRPC_ASSIGN_OR_RETURN(gateway::config::LoadedConfig config,
//                           gateway::config::LoadConfigFile(path));
//   NETRPC_RETURN_IF_ERROR(gateway::config::Validate(config));
//   gateway::config::ApplyDefaults(&config.gateway);
//   NETRPC_ASSIGN_OR_RETURN(
//       auto mapping,
//       bridge::Mapping::Build(gateway::config::BridgeConfigOf(config.gateway),
//                              schema));
//
// Defaults (each applies where the field is unset, or 0 for numbers):
//
//   listeners[].rpc_path                   "/_goRPC_"   (NETRPC_HTTP, ANY)
//   listeners[].debug_path                 "/debug/rpc" (NETRPC_HTTP, ANY)
//   upstreams[].grpc.lb_policy             "pick_first"
//   upstreams[].grpc.client                CLIENT_H2 where H2ClientMisfit
//                                          finds nothing, else CLIENT_GRPC
//   upstreams[].netrpc.connections         2
//   upstreams[].netrpc.health_check_interval  5s
//   upstreams[].netrpc.redial_backoff      1s
//   routes[].mirror_sample_percent         100 (when shadow is set)
//   bridge.default_timeout                 30s
//   limits.max_message_bytes               4 MiB
//   limits.max_concurrent_calls_per_connection  1000
//   limits.max_concurrent_calls            10000
//   drain_timeout                          10s
//
// Thread-safety: pure functions.

#ifndef GATEWAY_CONFIG_DEFAULTS_H_
#define GATEWAY_CONFIG_DEFAULTS_H_

#include <cstdint>

#include <string>

#include "absl/strings/string_view.h"
#include "absl/time/time.h"

#include "proto/config/v1/bridge.pb.h"
#include "proto/config/v1/gateway.pb.h"

namespace gateway::config {

inline constexpr absl::string_view kDefaultRpcPath = "/_goRPC_";
inline constexpr absl::string_view kDefaultDebugPath = "/debug/rpc";
inline constexpr absl::string_view kDefaultLbPolicy = "pick_first";
inline constexpr int32_t kDefaultConnections = 2;
inline constexpr absl::Duration kDefaultHealthCheckInterval = absl::Seconds(5);
inline constexpr absl::Duration kDefaultRedialBackoff = absl::Seconds(1);
inline constexpr int32_t kDefaultMirrorSamplePercent = 100;
inline constexpr absl::Duration kDefaultBridgeTimeout = absl::Seconds(30);
inline constexpr int64_t kDefaultMaxMessageBytes = 4 << 20;
inline constexpr int32_t kDefaultMaxConcurrentCallsPerConnection = 1000;
inline constexpr int32_t kDefaultMaxConcurrentCalls = 10000;
inline constexpr absl::Duration kDefaultDrainTimeout = absl::Seconds(10);

// ApplyDefaults sets every unset field that has a default (table above).
// It is idempotent and leaves set fields alone.
void ApplyDefaults(netrpc::config::v1::Gateway* config);

// H2ClientMisfit says why the lean HTTP/2 client (CLIENT_H2) cannot serve
// upstream g ("it uses TLS", ...), or returns "" when it can: plaintext, a
// target of one host:port, pick_first, no health_check.
std::string H2ClientMisfit(const netrpc::config::v1::GrpcUpstream& g);

// BridgeConfigOf builds the bridge's config: config.bridge() with one
// Service per route (name = service; grpc_service as given or derived as
// bridge.package + "." + service; methods, timeout and metadata copied).
// config should be valid (Validate); bridge.services is ignored.
netrpc::config::v1::Bridge BridgeConfigOf(
    const netrpc::config::v1::Gateway& config);

}  // namespace gateway::config

#endif  // GATEWAY_CONFIG_DEFAULTS_H_
