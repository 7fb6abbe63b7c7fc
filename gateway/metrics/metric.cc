#include "gateway/metrics/metric.h"

#include <algorithm>
#include <cmath>
#include <utility>

namespace gateway {

Histogram::Histogram(std::vector<double> bounds)
    : bounds_(std::move(bounds)),
      buckets_(new std::atomic<uint64_t>[bounds_.size() + 1]) {
  // new[] of atomics leaves them uninitialised before C++20.
  for (size_t i = 0; i <= bounds_.size(); ++i) {
    buckets_[i].store(0, std::memory_order_relaxed);
  }
}

void Histogram::Observe(double value) {
  // lower_bound finds the first bound >= value, i.e. the bucket whose
  // "le" includes value; NaN compares false everywhere and lands in +Inf.
  size_t i = std::isnan(value)
                 ? bounds_.size()
                 : static_cast<size_t>(
                       std::lower_bound(bounds_.begin(), bounds_.end(), value) -
                       bounds_.begin());
  buckets_[i].fetch_add(1, std::memory_order_relaxed);
  if (std::isnan(value)) return;
  // No fetch_add for double before C++20; an uncontended CAS succeeds first
  // time.
  double sum = sum_.load(std::memory_order_relaxed);
  while (!sum_.compare_exchange_weak(sum, sum + value,
                                     std::memory_order_relaxed)) {
  }
}

Histogram::Snapshot Histogram::Read() const {
  Snapshot s;
  s.cumulative.resize(bounds_.size() + 1);
  uint64_t running = 0;
  for (size_t i = 0; i <= bounds_.size(); ++i) {
    running += buckets_[i].load(std::memory_order_relaxed);
    s.cumulative[i] = running;
  }
  s.count = running;
  s.sum = sum_.load(std::memory_order_relaxed);
  return s;
}

std::vector<double> DefaultLatencyBuckets() {
  return {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1,
          0.25,   0.5,   1,      2.5,   5,    10,    30};
}

}  // namespace gateway
