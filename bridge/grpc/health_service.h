// File: health_service.h
//
// HealthService serves grpc.health.v1.Health (Check and Watch), so load
// balancers, Kubernetes probes and Go's health client can ask the gateway
// whether it, or one bridged service, is up. The overall server is named "".
//
//   bridge::HealthService health;  // "" is SERVING
//   builder.RegisterService(&health);
//   health.SetServingStatus("demo.v1.Arith", bridge::HealthService::kServing);
//   ...
//   health.Shutdown();             // before grpc::Server::Shutdown
//
// Check answers the status of a known service and NOT_FOUND for others.
// Watch sends the current status (SERVICE_UNKNOWN for an unknown service) at
// once, then every change, until the client goes away or Shutdown().

#ifndef BRIDGE_GRPC_HEALTH_SERVICE_H_
#define BRIDGE_GRPC_HEALTH_SERVICE_H_

#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"

#include "proto/grpc/health/v1/health.grpc.pb.h"

namespace bridge {

// HealthService is the grpc.health.v1.Health service. [thread-safe]
//
// It must outlive the grpc::Server it is registered with, and Shutdown() must
// run before that server's Shutdown(): Watch streams last until then.
class HealthService final : public grpc::health::v1::Health::CallbackService {
 public:
  using ServingStatus = grpc::health::v1::HealthCheckResponse::ServingStatus;
  static constexpr ServingStatus kServing =
      grpc::health::v1::HealthCheckResponse::SERVING;
  static constexpr ServingStatus kNotServing =
      grpc::health::v1::HealthCheckResponse::NOT_SERVING;

  // HealthService starts with the overall server ("") SERVING.
  HealthService();

  // SetServingStatus sets the status of service ("" for the whole server)
  // and tells its watchers. Ignored after Shutdown().
  void SetServingStatus(absl::string_view service, ServingStatus status)
      ABSL_LOCKS_EXCLUDED(mu_);

  // Shutdown sets every known service NOT_SERVING, tells the watchers, then
  // ends every Watch stream with UNAVAILABLE; later Watch calls get
  // NOT_SERVING and end at once. Call it once the server starts draining.
  void Shutdown() ABSL_LOCKS_EXCLUDED(mu_);

 private:
  class Watcher;

  grpc::ServerUnaryReactor* Check(
      grpc::CallbackServerContext* context,
      const grpc::health::v1::HealthCheckRequest* request,
      grpc::health::v1::HealthCheckResponse* response) override;
  grpc::ServerWriteReactor<grpc::health::v1::HealthCheckResponse>* Watch(
      grpc::CallbackServerContext* context,
      const grpc::health::v1::HealthCheckRequest* request) override;

  // StatusLocked is what a watcher of service sees.
  ServingStatus StatusLocked(const std::string& service) const
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  void Forget(Watcher* watcher) ABSL_LOCKS_EXCLUDED(mu_);

  // Lock order: mu_ before any Watcher's own mutex.
  mutable absl::Mutex mu_;
  absl::flat_hash_map<std::string, ServingStatus> statuses_
      ABSL_GUARDED_BY(mu_);
  absl::flat_hash_set<Watcher*> watchers_ ABSL_GUARDED_BY(mu_);
  bool shut_down_ ABSL_GUARDED_BY(mu_) = false;
};

}  // namespace bridge

#endif  // BRIDGE_GRPC_HEALTH_SERVICE_H_
