// File: upstream.h
//
// Upstream is one configured backend (netrpc.config.v1.Upstream) as a
// bridge::Backend: a gRPC target reached through gRPC's own resolvers and
// load-balancing policies (with TLS/mTLS from files), or a Go net/rpc server
// at one or more addresses, each with a connection pool and a health check,
// calls going round-robin over the healthy ones.
//
//   absl::StatusOr<std::shared_ptr<gateway::Upstream>> up =
//       gateway::Upstream::Create(config.upstreams(0), options, metrics);
//   (*up)->Call(backend_call, done);
//
// Upstreams outlive config generations: a reload keeps every upstream whose
// config did not change (and its connections); see SameConfig.

#ifndef GATEWAY_UPSTREAM_H_
#define GATEWAY_UPSTREAM_H_

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "bridge/backend.h"
#include "gateway/metrics/gateway_metrics.h"
#include "grpcpp/channel.h"
#include "proto/config/v1/gateway.pb.h"

namespace gateway {

// UpstreamOptions are the gateway-wide settings an upstream needs.
struct UpstreamOptions {
  // max_message_bytes bounds a message either way. Default: gRPC's 4 MiB.
  int max_message_bytes = 4 << 20;
};

// Upstream is a named backend. [thread-safe]
class Upstream : public bridge::Backend {
 public:
  // Create builds the upstream (nothing is dialed yet; a net/rpc upstream
  // starts its health checks). metrics may be null and must outlive it.
  static absl::StatusOr<std::shared_ptr<Upstream>> Create(
      const netrpc::config::v1::Upstream& config,
      const UpstreamOptions& options, GatewayMetrics* metrics);

  const std::string& name() const { return config_.name(); }
  const netrpc::config::v1::Upstream& config() const { return config_; }

  // SameConfig reports whether this upstream can serve `config` as is.
  bool SameConfig(const netrpc::config::v1::Upstream& config,
                  const UpstreamOptions& options) const;

  // channel is the gRPC channel (for server reflection), or null for a
  // net/rpc upstream.
  virtual std::shared_ptr<grpc::Channel> channel() const { return nullptr; }

  // Health lists each address (or the gRPC target) and whether it is usable
  // now.
  virtual std::vector<std::pair<std::string, bool>> Health() const = 0;

 protected:
  Upstream(netrpc::config::v1::Upstream config, UpstreamOptions options)
      : config_(std::move(config)), options_(options) {}

 private:
  const netrpc::config::v1::Upstream config_;
  const UpstreamOptions options_;
};

}  // namespace gateway

#endif  // GATEWAY_UPSTREAM_H_
