// File: mirror.h
//
// Mirroring: a route with a shadow upstream sends a copy of a call to the
// shadow, answers the caller from the primary only, and compares the two
// responses field by field (bridge/diff) once both are in. Results are
// counted (netrpc_gateway_mirror_calls_total{route,result}), differences
// logged, and the latest kept in a MirrorLog for the admin listener's
// /mirror page. Nothing the shadow does reaches the caller.

#ifndef GATEWAY_MIRROR_H_
#define GATEWAY_MIRROR_H_

#include <deque>
#include <memory>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "bridge/backend.h"
#include "gateway/metrics/gateway_metrics.h"
#include "gateway/upstream.h"
#include "google/protobuf/message.h"

namespace gateway {

// MirrorLog keeps the latest mirror differences. [thread-safe]
class MirrorLog {
 public:
  explicit MirrorLog(size_t capacity = 100) : capacity_(capacity) {}

  // Add records one compared call that differed (or whose shadow failed).
  void Add(std::string entry);

  // Text renders the entries, newest first, one block per call.
  std::string Text() const;

 private:
  const size_t capacity_;
  mutable absl::Mutex mu_;
  std::deque<std::string> entries_ ABSL_GUARDED_BY(mu_);
  uint64_t total_ ABSL_GUARDED_BY(mu_) = 0;
};

// Mirror compares one call's primary and shadow responses.
// [thread-safe: either side may finish first, on any thread]
class Mirror : public std::enable_shared_from_this<Mirror> {
 public:
  // Start copies call's request to shadow and returns the Mirror that the
  // primary's completion must be reported to (PrimaryDone).
  static std::shared_ptr<Mirror> Start(const bridge::BackendCall& call,
                                       std::shared_ptr<Upstream> shadow,
                                       RouteMetrics* metrics, MirrorLog* log);

  // PrimaryDone records the primary's response (copied; the caller keeps
  // the original).
  void PrimaryDone(const absl::StatusOr<std::string>& r);

 private:
  Mirror() = default;
  void ShadowDone(absl::StatusOr<std::string> r);
  // Compare runs once both sides are in.
  void Compare();

  std::shared_ptr<const bridge::Mapping> mapping_;
  const bridge::Route* route_ = nullptr;
  std::string upstream_name_;
  RouteMetrics* metrics_ = nullptr;
  MirrorLog* log_ = nullptr;
  absl::Mutex mu_;
  int pending_ ABSL_GUARDED_BY(mu_) = 2;
  // The responses' wire bytes; parsed only to compare them.
  absl::StatusOr<std::string> primary_ ABSL_GUARDED_BY(mu_);
  absl::StatusOr<std::string> shadow_ ABSL_GUARDED_BY(mu_);
};

}  // namespace gateway

#endif  // GATEWAY_MIRROR_H_
