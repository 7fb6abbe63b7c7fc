#include "gateway/metrics/metric.h"

#include <cmath>
#include <limits>
#include <thread>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace gateway {
namespace {

using ::testing::ElementsAre;

TEST(CounterTest, StartsAtZeroAndAdds) {
  Counter c;
  EXPECT_EQ(c.Value(), 0u);
  c.Increment();
  c.Increment(41);
  EXPECT_EQ(c.Value(), 42u);
}

TEST(CounterTest, IsCacheLineAligned) {
  // Two hot counters must never share a line (false sharing between cores).
  EXPECT_EQ(alignof(Counter), 64u);
  EXPECT_EQ(alignof(Gauge), 64u);
}

TEST(GaugeTest, SetAddIncrementDecrement) {
  Gauge g;
  EXPECT_EQ(g.Value(), 0);
  g.Set(10);
  g.Add(-3);
  g.Increment();
  g.Decrement();
  g.Decrement();
  EXPECT_EQ(g.Value(), 6);
  g.Add(-10);
  EXPECT_EQ(g.Value(), -4);
}

TEST(HistogramTest, BoundIsInclusive) {
  Histogram h({1, 2, 5});
  h.Observe(0.5);  // le 1
  h.Observe(1);    // le 1: a value equal to a bound is in that bucket
  h.Observe(1.5);  // le 2
  h.Observe(5);    // le 5
  h.Observe(7);    // +Inf
  Histogram::Snapshot s = h.Read();
  EXPECT_THAT(s.cumulative, ElementsAre(2u, 3u, 4u, 5u));
  EXPECT_EQ(s.count, 5u);
  EXPECT_DOUBLE_EQ(s.sum, 15);
}

TEST(HistogramTest, NaNCountsInInfButNotInSum) {
  Histogram h({1});
  h.Observe(std::numeric_limits<double>::quiet_NaN());
  h.Observe(0.25);
  Histogram::Snapshot s = h.Read();
  EXPECT_THAT(s.cumulative, ElementsAre(1u, 2u));
  EXPECT_EQ(s.count, 2u);
  EXPECT_DOUBLE_EQ(s.sum, 0.25);
}

TEST(HistogramTest, ObserveDurationUsesSeconds) {
  Histogram h(DefaultLatencyBuckets());
  h.ObserveDuration(absl::Milliseconds(3));  // 0.003: le 0.005
  Histogram::Snapshot s = h.Read();
  EXPECT_EQ(s.cumulative[2], 0u);  // le 0.0025
  EXPECT_EQ(s.cumulative[3], 1u);  // le 0.005
  EXPECT_DOUBLE_EQ(s.sum, 0.003);
}

TEST(HistogramTest, DefaultLatencyBucketsIncrease) {
  std::vector<double> b = DefaultLatencyBuckets();
  ASSERT_EQ(b.size(), 15u);
  EXPECT_EQ(b.front(), 0.0005);
  EXPECT_EQ(b.back(), 30);
  for (size_t i = 1; i < b.size(); ++i) EXPECT_LT(b[i - 1], b[i]);
}

TEST(MetricConcurrencyTest, CountsAddUpExactly) {
  Counter c;
  Gauge g;
  Histogram h({1, 2});
  constexpr int kThreads = 4;
  constexpr int kPerThread = 100000;
  std::vector<std::thread> threads;
  threads.reserve(kThreads);
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kPerThread; ++i) {
        c.Increment();
        g.Increment();
        // Values exactly representable, so the sum is exact too.
        h.Observe(t % 2 == 0 ? 0.5 : 1.5);
        g.Decrement();
      }
    });
  }
  for (std::thread& t : threads) t.join();
  EXPECT_EQ(c.Value(), uint64_t{kThreads} * kPerThread);
  EXPECT_EQ(g.Value(), 0);
  Histogram::Snapshot s = h.Read();
  EXPECT_EQ(s.count, uint64_t{kThreads} * kPerThread);
  EXPECT_EQ(s.cumulative[0], uint64_t{kThreads / 2} * kPerThread);
  EXPECT_DOUBLE_EQ(s.sum, (0.5 + 1.5) * kPerThread * kThreads / 2.0);
}

}  // namespace
}  // namespace gateway
