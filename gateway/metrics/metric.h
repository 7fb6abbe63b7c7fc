// File: metric.h
//
// The three kinds of metric the gateway keeps, one time series each:
// Counter (a count that only goes up), Gauge (a value that goes up and down)
// and Histogram (observations sorted into fixed buckets). Each is a few
// atomics, so updating one on the hot path of every call is a relaxed atomic
// add: no lock, no allocation, no lookup.
//
// Series are normally obtained from a family in registry.h, which gives them
// labels and exposes them on /metrics; they can also stand alone:
//
//   gateway::Counter calls;
//   calls.Increment();
//
//   gateway::Gauge in_flight;
//   in_flight.Add(1);
//   ...
//   in_flight.Add(-1);
//
//   gateway::Histogram latency(gateway::DefaultLatencyBuckets());
//   latency.Observe(absl::ToDoubleSeconds(elapsed));
//
// Thread-safety: every method of every class here is [thread-safe] and
// lock-free. A reader (the /metrics scrape) sees each atomic's latest value;
// a histogram read while observations land may be off by those observations,
// but its _count always equals its +Inf bucket (both come from the same
// bucket counters).

#ifndef GATEWAY_METRICS_METRIC_H_
#define GATEWAY_METRICS_METRIC_H_

#include <atomic>
#include <cstdint>
#include <memory>
#include <vector>

#include "absl/time/time.h"

namespace gateway {

// Counter is a monotonically increasing count: calls, connections, reloads.
// It is aligned to a cache line so that counters updated from different
// cores (different routes, say) never share one. [thread-safe]
class alignas(64) Counter {
 public:
  Counter() = default;
  Counter(const Counter&) = delete;
  Counter& operator=(const Counter&) = delete;

  // Increment adds n (default 1).
  void Increment(uint64_t n = 1) {
    value_.fetch_add(n, std::memory_order_relaxed);
  }

  // Value returns the count so far.
  uint64_t Value() const { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<uint64_t> value_{0};
};

// Gauge is an integer that goes up and down: calls in flight, open
// connections, the config generation, a 1/0 health flag. Integer because
// every gauge the gateway keeps counts things, and an integer add is one
// instruction where a double add is a compare-and-swap loop; values that are
// really fractional belong in a callback gauge (registry.h). Cache-line
// aligned like Counter. [thread-safe]
class alignas(64) Gauge {
 public:
  Gauge() = default;
  Gauge(const Gauge&) = delete;
  Gauge& operator=(const Gauge&) = delete;

  // Set replaces the value.
  void Set(int64_t value) { value_.store(value, std::memory_order_relaxed); }

  // Add adds delta, which may be negative.
  void Add(int64_t delta) {
    value_.fetch_add(delta, std::memory_order_relaxed);
  }

  // Increment and Decrement add 1 and -1.
  void Increment() { Add(1); }
  void Decrement() { Add(-1); }

  // Value returns the current value.
  int64_t Value() const { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<int64_t> value_{0};
};

// Histogram counts observations into buckets with fixed upper bounds, plus
// an implicit +Inf bucket, and keeps their sum: Prometheus' histogram type.
// Bounds are given at construction and never change. Observe costs a search
// over the bounds (a handful of compares), one atomic add and one
// compare-and-swap for the sum. [thread-safe]
class Histogram {
 public:
  // Histogram takes its bucket upper bounds, which must be finite and
  // strictly increasing (MetricsRegistry checks that; a standalone caller
  // must too). An observation v falls in the first bucket with v <= bound.
  explicit Histogram(std::vector<double> bounds);
  Histogram(const Histogram&) = delete;
  Histogram& operator=(const Histogram&) = delete;

  // Observe records one value. NaN is counted in +Inf and not added to the
  // sum, so that one bad reading cannot poison the sum forever.
  void Observe(double value);

  // ObserveDuration records d in seconds, the unit Prometheus expects.
  void ObserveDuration(absl::Duration d) { Observe(absl::ToDoubleSeconds(d)); }

  // Bounds returns the upper bounds, without +Inf.
  const std::vector<double>& Bounds() const { return bounds_; }

  // Snapshot is a histogram's state at one moment. cumulative[i] counts the
  // observations <= Bounds()[i]; the last element (one past the bounds) is
  // the +Inf bucket and equals count.
  struct Snapshot {
    std::vector<uint64_t> cumulative;
    uint64_t count = 0;
    double sum = 0;
  };

  // Read returns the current state.
  Snapshot Read() const;

 private:
  const std::vector<double> bounds_;
  // One counter per bucket (not cumulative: each observation touches one
  // counter); the last is +Inf.
  const std::unique_ptr<std::atomic<uint64_t>[]> buckets_;
  std::atomic<double> sum_{0};
};

// DefaultLatencyBuckets returns call-latency bounds in seconds, from 0.5 ms
// to 30 s (the default call timeout), roughly 1-2.5-5 per decade:
// 0.0005 0.001 0.0025 0.005 0.01 0.025 0.05 0.1 0.25 0.5 1 2.5 5 10 30.
std::vector<double> DefaultLatencyBuckets();

}  // namespace gateway

#endif  // GATEWAY_METRICS_METRIC_H_
