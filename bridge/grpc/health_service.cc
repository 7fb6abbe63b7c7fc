#include "bridge/grpc/health_service.h"

#include <optional>
#include <string>
#include <utility>

#include "absl/strings/str_cat.h"

namespace bridge {

using grpc::health::v1::HealthCheckRequest;
using grpc::health::v1::HealthCheckResponse;

// Watcher is one Watch stream. It writes one status at a time and, while a
// write is in flight, keeps only the newest status to send next: a watcher
// wants the present, not the history.
class HealthService::Watcher final
    : public grpc::ServerWriteReactor<HealthCheckResponse> {
 public:
  Watcher(HealthService* health, std::string service)
      : health_(health), service_(std::move(service)) {}

  const std::string& service() const { return service_; }

  // Send queues status for the client unless it is what the client has.
  void Send(ServingStatus status) ABSL_LOCKS_EXCLUDED(mu_) {
    absl::MutexLock lock(&mu_);
    if (ending_) return;
    pending_ = status;
    ProgressLocked();
  }

  // End finishes the stream with status once queued statuses are written.
  void End(grpc::Status status) ABSL_LOCKS_EXCLUDED(mu_) {
    absl::MutexLock lock(&mu_);
    EndLocked(std::move(status));
    ProgressLocked();
  }

 private:
  void OnWriteDone(bool ok) override {
    absl::MutexLock lock(&mu_);
    writing_ = false;
    if (!ok) {  // the client is gone; nothing more will reach it
      pending_.reset();
      EndLocked(grpc::Status::CANCELLED);
    }
    ProgressLocked();
  }

  void OnCancel() override {
    absl::MutexLock lock(&mu_);
    pending_.reset();
    EndLocked(grpc::Status::CANCELLED);
    ProgressLocked();
  }

  // gRPC runs OnDone after every other reaction has returned. Forget takes
  // the service's mutex, under which the service calls Send and End, so
  // neither can still be running on this watcher when it is deleted.
  void OnDone() override {
    health_->Forget(this);
    delete this;
  }

  void EndLocked(grpc::Status status) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    if (ending_) return;
    ending_ = true;
    final_ = std::move(status);
  }

  // ProgressLocked starts the next write, or finishes the stream when
  // nothing is left to write and an end was asked for.
  void ProgressLocked() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    if (writing_ || finished_) return;
    if (pending_.has_value() && pending_ != sent_) {
      response_.set_status(*pending_);
      sent_ = pending_;
      pending_.reset();
      writing_ = true;
      StartWrite(&response_);
      return;
    }
    pending_.reset();
    if (ending_) {
      finished_ = true;
      Finish(final_);
    }
  }

  HealthService* const health_;
  const std::string service_;

  absl::Mutex mu_;
  HealthCheckResponse response_ ABSL_GUARDED_BY(mu_);  // the write in flight
  std::optional<ServingStatus> pending_ ABSL_GUARDED_BY(mu_);
  std::optional<ServingStatus> sent_ ABSL_GUARDED_BY(mu_);
  bool writing_ ABSL_GUARDED_BY(mu_) = false;
  bool ending_ ABSL_GUARDED_BY(mu_) = false;
  bool finished_ ABSL_GUARDED_BY(mu_) = false;
  grpc::Status final_ ABSL_GUARDED_BY(mu_);
};

namespace {

grpc::Status ShuttingDown() {
  return grpc::Status(grpc::StatusCode::UNAVAILABLE,
                      "bridge: the server is shutting down");
}

}  // namespace

HealthService::HealthService() { statuses_[""] = kServing; }

void HealthService::SetServingStatus(absl::string_view service,
                                     ServingStatus status) {
  absl::MutexLock lock(&mu_);
  if (shut_down_) return;
  statuses_[service] = status;
  for (Watcher* watcher : watchers_) {
    if (watcher->service() == service) watcher->Send(status);
  }
}

void HealthService::Shutdown() {
  absl::MutexLock lock(&mu_);
  if (shut_down_) return;
  shut_down_ = true;
  for (auto& [service, status] : statuses_) status = kNotServing;
  for (Watcher* watcher : watchers_) {
    watcher->Send(StatusLocked(watcher->service()));
    watcher->End(ShuttingDown());
  }
}

HealthService::ServingStatus HealthService::StatusLocked(
    const std::string& service) const {
  auto it = statuses_.find(service);
  return it == statuses_.end() ? HealthCheckResponse::SERVICE_UNKNOWN
                               : it->second;
}

void HealthService::Forget(Watcher* watcher) {
  absl::MutexLock lock(&mu_);
  watchers_.erase(watcher);
}

grpc::ServerUnaryReactor* HealthService::Check(
    grpc::CallbackServerContext* context, const HealthCheckRequest* request,
    HealthCheckResponse* response) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  absl::MutexLock lock(&mu_);
  auto it = statuses_.find(request->service());
  if (it == statuses_.end()) {
    reactor->Finish(
        grpc::Status(grpc::StatusCode::NOT_FOUND,
                     absl::StrCat("bridge: health: unknown service \"",
                                  request->service(), "\"")));
    return reactor;
  }
  response->set_status(it->second);
  reactor->Finish(grpc::Status::OK);
  return reactor;
}

grpc::ServerWriteReactor<HealthCheckResponse>* HealthService::Watch(
    grpc::CallbackServerContext* /*context*/,
    const HealthCheckRequest* request) {
  auto* watcher = new Watcher(this, request->service());
  absl::MutexLock lock(&mu_);
  watchers_.insert(watcher);
  watcher->Send(StatusLocked(request->service()));
  if (shut_down_) watcher->End(ShuttingDown());
  return watcher;
}

}  // namespace bridge
