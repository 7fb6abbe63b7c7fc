#include "gateway/router.h"

#include <memory>
#include <utility>
#include <vector>

#include "absl/strings/match.h"
#include "absl/synchronization/mutex.h"
#include "bridge/testing/arith.h"
#include "gateway/metrics/exposition_parser.h"
#include "gateway/metrics/registry.h"
#include "google/protobuf/text_format.h"
#include "gtest/gtest.h"
#include "proto/demo/v1/arith.pb.h"

namespace gateway {
namespace {


// FakeUpstream answers Multiply with A*B*factor, or holds calls until
// Release when hold is set. It counts the calls it got.
class FakeUpstream final : public Upstream {
 public:
  FakeUpstream(std::string name, int64_t factor)
      : Upstream(Config(std::move(name)), UpstreamOptions()),
        factor_(factor) {}

  static netrpc::config::v1::Upstream Config(std::string name) {
    netrpc::config::v1::Upstream c;
    c.set_name(std::move(name));
    c.mutable_grpc()->set_target("fake");
    return c;
  }

  void Call(const bridge::BackendCall& call, Done done) override {
    demo::v1::Args a;
    a.ParseFromString(std::string(call.request));
    demo::v1::Product p;
    p.set_value(a.a() * a.b() * factor_);
    std::string reply = p.SerializeAsString();
    {
      absl::MutexLock lock(&mu_);
      ++calls_;
      if (hold_) {
        held_.push_back(
            [reply = std::move(reply), done = std::move(done)]() mutable {
              done(std::move(reply));
            });
        return;
      }
    }
    done(std::move(reply));
  }

  std::vector<std::pair<std::string, bool>> Health() const override {
    return {{"fake", true}};
  }

  void Hold() {
    absl::MutexLock lock(&mu_);
    hold_ = true;
  }
  void Release() {
    std::vector<absl::AnyInvocable<void()>> held;
    {
      absl::MutexLock lock(&mu_);
      hold_ = false;
      held.swap(held_);
    }
    for (auto& h : held) h();
  }
  int calls() {
    absl::MutexLock lock(&mu_);
    return calls_;
  }

 private:
  const int64_t factor_;
  absl::Mutex mu_;
  bool hold_ = false;
  int calls_ = 0;
  std::vector<absl::AnyInvocable<void()>> held_;
};

class RouterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<std::unique_ptr<GatewayMetrics>> metrics =
        GatewayMetrics::Create(&registry_);
    ASSERT_TRUE(metrics.ok());
    metrics_ = *std::move(metrics);
    env_.metrics = metrics_.get();
    env_.mirror_log = &mirror_log_;
    env_.in_flight = &in_flight_;
    env_.draining = &draining_;
  }

  std::shared_ptr<Router> Make(RouteTarget target) {
    absl::flat_hash_map<std::string, RouteTarget> targets;
    targets["Arith"] = std::move(target);
    return std::make_shared<Router>(mapping_, std::move(targets), env_);
  }

  // Multiply calls router with a*b and returns the product or the status.
  absl::StatusOr<int64_t> Multiply(Router& router, int64_t a, int64_t b) {
    bridge_testing::MultiplyCall m =
        bridge_testing::NewMultiplyCall(mapping_, a, b);
    // A held call answers after Multiply returned: the result lives on.
    auto out = std::make_shared<absl::StatusOr<int64_t>>(
        absl::UnknownError("no answer"));
    router.Call(m.call, [out](absl::StatusOr<std::string> r) {
      *out = bridge_testing::ProductOf(r);
    });
    return *out;
  }

  double Metric(absl::string_view name,
                const std::map<std::string, std::string>& labels) {
    absl::StatusOr<Exposition> e = ParseExposition(registry_.Text());
    EXPECT_TRUE(e.ok()) << e.status();
    return e.ok() ? e->Value(name, labels) : -1;
  }

  std::shared_ptr<const bridge::Mapping> mapping_ =
      bridge_testing::ArithMapping();
  MetricsRegistry registry_;
  std::unique_ptr<GatewayMetrics> metrics_;
  MirrorLog mirror_log_;
  std::atomic<int64_t> in_flight_{0};
  std::atomic<bool> draining_{false};
  RouterEnv env_;
};

TEST_F(RouterTest, RoutesAndCountsByUpstream) {
  auto a = std::make_shared<FakeUpstream>("a", 1);
  RouteTarget t;
  t.arms = {{a, 1}};
  std::shared_ptr<Router> router = Make(std::move(t));
  EXPECT_EQ(*Multiply(*router, 7, 8), 56);
  EXPECT_EQ(*Multiply(*router, 2, 3), 6);
  EXPECT_EQ(Metric("netrpc_gateway_calls_total",
                   {{"listener_protocol", "netrpc"},
                    {"route", "Arith.Multiply"},
                    {"upstream", "a"},
                    {"code", "OK"}}),
            2);
  EXPECT_EQ(in_flight_.load(), 0);
}

TEST_F(RouterTest, SplitFollowsWeights) {
  auto a = std::make_shared<FakeUpstream>("a", 1);
  auto b = std::make_shared<FakeUpstream>("b", 10);
  RouteTarget only_b;
  only_b.arms = {{a, 0}, {b, 1}};
  std::shared_ptr<Router> router = Make(std::move(only_b));
  for (int i = 0; i < 50; ++i) ASSERT_EQ(*Multiply(*router, 1, 1), 10);
  EXPECT_EQ(a->calls(), 0);

  RouteTarget even;
  even.arms = {{a, 1}, {b, 1}};
  router = Make(std::move(even));
  for (int i = 0; i < 400; ++i) ASSERT_TRUE(Multiply(*router, 1, 1).ok());
  // Binomial(400, 0.5): outside [120, 280] has probability < 1e-20.
  EXPECT_GT(a->calls(), 120);
  EXPECT_LT(a->calls(), 280);
}

TEST_F(RouterTest, GatewayAndRouteLimitsRejectAtOnce) {
  auto a = std::make_shared<FakeUpstream>("a", 1);
  a->Hold();
  env_.max_concurrent_calls = 2;
  RouteTarget t;
  t.arms = {{a, 1}};
  std::shared_ptr<Router> router = Make(std::move(t));
  EXPECT_FALSE(Multiply(*router, 1, 1).ok());  // held: no answer yet
  EXPECT_FALSE(Multiply(*router, 1, 1).ok());
  absl::StatusOr<int64_t> third = Multiply(*router, 1, 1);
  EXPECT_EQ(third.status().code(), absl::StatusCode::kResourceExhausted);
  EXPECT_EQ(third.status().message(),
            "gateway: too many calls in flight (limit 2); retry later");
  EXPECT_EQ(Metric("netrpc_gateway_rejected_calls_total",
                   {{"reason", "gateway_concurrency"}}),
            1);
  a->Release();
  EXPECT_EQ(in_flight_.load(), 0);

  env_.max_concurrent_calls = 0;
  RouteTarget limited;
  limited.arms = {{a, 1}};
  limited.max_concurrent_calls = 1;
  router = Make(std::move(limited));
  a->Hold();
  EXPECT_FALSE(Multiply(*router, 1, 1).ok());
  absl::StatusOr<int64_t> second = Multiply(*router, 1, 1);
  EXPECT_EQ(second.status().message(),
            "gateway: too many calls in flight for Arith (limit 1); retry "
            "later");
  a->Release();
  EXPECT_EQ(*Multiply(*router, 2, 2), 4);
}

TEST_F(RouterTest, DrainingTurnsNewCallsAway) {
  auto a = std::make_shared<FakeUpstream>("a", 1);
  RouteTarget t;
  t.arms = {{a, 1}};
  std::shared_ptr<Router> router = Make(std::move(t));
  draining_ = true;
  absl::StatusOr<int64_t> r = Multiply(*router, 1, 1);
  EXPECT_EQ(r.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_EQ(a->calls(), 0);
}

TEST_F(RouterTest, MirrorAnswersFromPrimaryAndReportsTheDiff) {
  auto primary = std::make_shared<FakeUpstream>("legacy", 1);
  auto shadow = std::make_shared<FakeUpstream>("new", 2);
  RouteTarget t;
  t.arms = {{primary, 1}};
  t.shadow = shadow;
  std::shared_ptr<Router> router = Make(std::move(t));
  EXPECT_EQ(*Multiply(*router, 7, 8), 56);  // the primary's answer
  EXPECT_EQ(shadow->calls(), 1);
  EXPECT_EQ(Metric("netrpc_gateway_mirror_calls_total",
                   {{"route", "Arith.Multiply"}, {"result", "diff"}}),
            1);
  std::string text = mirror_log_.Text();
  EXPECT_TRUE(absl::StrContains(text, "Arith.Multiply (shadow new)")) << text;
  EXPECT_TRUE(absl::StrContains(text, "56 -> 112")) << text;

  EXPECT_EQ(*Multiply(*router, 0, 8), 0);  // both 0: a match
  EXPECT_EQ(Metric("netrpc_gateway_mirror_calls_total",
                   {{"route", "Arith.Multiply"}, {"result", "match"}}),
            1);
}

}  // namespace
}  // namespace gateway
