#include "gateway/config/defaults.h"

#include <string>

#include "absl/strings/str_cat.h"

#include "bridge/grpc/h2_client.h"
#include "gateway/config/duration.h"

namespace gateway::config {

using netrpc::config::v1::Listener;

std::string H2ClientMisfit(const netrpc::config::v1::GrpcUpstream& g) {
  if (g.has_tls()) return "it uses TLS";
  if (g.health_check()) return "it uses health_check";
  if (!g.lb_policy().empty() && g.lb_policy() != kDefaultLbPolicy) {
    return absl::StrCat("its lb_policy is ", g.lb_policy());
  }
  if (!bridge::H2Client::SupportsTarget(g.target())) {
    return absl::StrCat("its target \"", g.target(),
                        "\" is not one host:port");
  }
  return "";
}

void ApplyDefaults(netrpc::config::v1::Gateway* config) {
  for (Listener& l : *config->mutable_listeners()) {
    if (l.protocol() != Listener::NETRPC_HTTP &&
        l.protocol() != Listener::ANY) {
      continue;
    }
    if (l.rpc_path().empty()) l.set_rpc_path(std::string(kDefaultRpcPath));
    if (l.debug_path().empty()) {
      l.set_debug_path(std::string(kDefaultDebugPath));
    }
  }
  for (auto& u : *config->mutable_upstreams()) {
    if (u.has_grpc()) {
      auto* g = u.mutable_grpc();
      if (g->lb_policy().empty()) {
        g->set_lb_policy(std::string(kDefaultLbPolicy));
      }
      if (g->client() == netrpc::config::v1::GrpcUpstream::CLIENT_AUTO) {
        g->set_client(H2ClientMisfit(*g).empty()
                          ? netrpc::config::v1::GrpcUpstream::CLIENT_H2
                          : netrpc::config::v1::GrpcUpstream::CLIENT_GRPC);
      }
    }
    if (u.has_netrpc()) {
      auto* n = u.mutable_netrpc();
      if (n->connections() == 0) n->set_connections(kDefaultConnections);
      if (!n->has_health_check_interval()) {
        *n->mutable_health_check_interval() =
            FromAbsl(kDefaultHealthCheckInterval);
      }
      if (!n->has_redial_backoff()) {
        *n->mutable_redial_backoff() = FromAbsl(kDefaultRedialBackoff);
      }
    }
  }
  for (auto& r : *config->mutable_routes()) {
    if (!r.shadow().empty() && r.mirror_sample_percent() == 0) {
      r.set_mirror_sample_percent(kDefaultMirrorSamplePercent);
    }
  }
  auto* bridge = config->mutable_bridge();
  if (!bridge->has_default_timeout()) {
    *bridge->mutable_default_timeout() = FromAbsl(kDefaultBridgeTimeout);
  }
  auto* limits = config->mutable_limits();
  if (limits->max_message_bytes() == 0) {
    limits->set_max_message_bytes(kDefaultMaxMessageBytes);
  }
  if (limits->max_concurrent_calls_per_connection() == 0) {
    limits->set_max_concurrent_calls_per_connection(
        kDefaultMaxConcurrentCallsPerConnection);
  }
  if (limits->max_concurrent_calls() == 0) {
    limits->set_max_concurrent_calls(kDefaultMaxConcurrentCalls);
  }
  if (!config->has_drain_timeout()) {
    *config->mutable_drain_timeout() = FromAbsl(kDefaultDrainTimeout);
  }
}

netrpc::config::v1::Bridge BridgeConfigOf(
    const netrpc::config::v1::Gateway& config) {
  netrpc::config::v1::Bridge out = config.bridge();
  out.clear_services();
  for (const auto& r : config.routes()) {
    auto* s = out.add_services();
    s->set_name(r.service());
    if (!r.grpc_service().empty()) {
      s->set_grpc_service(r.grpc_service());
    } else if (!out.package().empty()) {
      s->set_grpc_service(absl::StrCat(out.package(), ".", r.service()));
    } else {
      s->set_grpc_service(r.service());
    }
    *s->mutable_methods() = r.methods();
    if (r.has_timeout()) *s->mutable_timeout() = r.timeout();
    *s->mutable_metadata() = r.metadata();
  }
  return out;
}

}  // namespace gateway::config
