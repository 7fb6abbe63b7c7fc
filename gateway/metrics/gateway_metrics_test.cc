#include "gateway/metrics/gateway_metrics.h"

#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

#include "gateway/metrics/exposition_parser.h"
#include "netrpc/testing/status_matchers.h"

namespace gateway {
namespace {

using ::netrpc::testing::IsOk;
using ::netrpc::testing::StatusIs;
using ::testing::HasSubstr;
using ::testing::Not;

std::map<std::string, std::string> CallLabels(const std::string& code) {
  return {{"listener_protocol", "netrpc"},
          {"route", "Arith.Multiply"},
          {"upstream", "arith"},
          {"code", code}};
}

TEST(GrpcCodeNameTest, AllSeventeenAndOutOfRange) {
  EXPECT_EQ(GrpcCodeName(absl::StatusCode::kOk), "OK");
  EXPECT_EQ(GrpcCodeName(absl::StatusCode::kCancelled), "CANCELLED");
  EXPECT_EQ(GrpcCodeName(absl::StatusCode::kUnknown), "UNKNOWN");
  EXPECT_EQ(GrpcCodeName(absl::StatusCode::kInvalidArgument),
            "INVALID_ARGUMENT");
  EXPECT_EQ(GrpcCodeName(absl::StatusCode::kDeadlineExceeded),
            "DEADLINE_EXCEEDED");
  EXPECT_EQ(GrpcCodeName(absl::StatusCode::kNotFound), "NOT_FOUND");
  EXPECT_EQ(GrpcCodeName(absl::StatusCode::kAlreadyExists), "ALREADY_EXISTS");
  EXPECT_EQ(GrpcCodeName(absl::StatusCode::kPermissionDenied),
            "PERMISSION_DENIED");
  EXPECT_EQ(GrpcCodeName(absl::StatusCode::kResourceExhausted),
            "RESOURCE_EXHAUSTED");
  EXPECT_EQ(GrpcCodeName(absl::StatusCode::kFailedPrecondition),
            "FAILED_PRECONDITION");
  EXPECT_EQ(GrpcCodeName(absl::StatusCode::kAborted), "ABORTED");
  EXPECT_EQ(GrpcCodeName(absl::StatusCode::kOutOfRange), "OUT_OF_RANGE");
  EXPECT_EQ(GrpcCodeName(absl::StatusCode::kUnimplemented), "UNIMPLEMENTED");
  EXPECT_EQ(GrpcCodeName(absl::StatusCode::kInternal), "INTERNAL");
  EXPECT_EQ(GrpcCodeName(absl::StatusCode::kUnavailable), "UNAVAILABLE");
  EXPECT_EQ(GrpcCodeName(absl::StatusCode::kDataLoss), "DATA_LOSS");
  EXPECT_EQ(GrpcCodeName(absl::StatusCode::kUnauthenticated),
            "UNAUTHENTICATED");
  EXPECT_EQ(GrpcCodeName(static_cast<absl::StatusCode>(42)), "UNKNOWN");
  EXPECT_EQ(GrpcCodeName(static_cast<absl::StatusCode>(-1)), "UNKNOWN");
}

TEST(GatewayMetricsTest, FreshSetExactText) {
  MetricsRegistry registry;
  ASSERT_THAT(GatewayMetrics::Create(&registry), IsOk());
  EXPECT_EQ(
      registry.Text(),
      "# HELP netrpc_gateway_call_duration_seconds Time from a call's arrival "
      "to its answer, in seconds, by route.\n"
      "# TYPE netrpc_gateway_call_duration_seconds histogram\n"
      "# HELP netrpc_gateway_calls_in_flight Calls started and not yet "
      "answered, all routes.\n"
      "# TYPE netrpc_gateway_calls_in_flight gauge\n"
      "netrpc_gateway_calls_in_flight 0\n"
      "# HELP netrpc_gateway_calls_total Calls answered, by the protocol the "
      "caller spoke, the route, the upstream that served it and the gRPC "
      "status code of the answer.\n"
      "# TYPE netrpc_gateway_calls_total counter\n"
      "# HELP netrpc_gateway_config_generation Generation of the config now "
      "serving; 0 before the first load, then +1 per successful load.\n"
      "# TYPE netrpc_gateway_config_generation gauge\n"
      "netrpc_gateway_config_generation 0\n"
      "# HELP netrpc_gateway_config_reloads_total Config loads and reloads, "
      "by result (ok: now serving; error: refused, the old config keeps "
      "serving).\n"
      "# TYPE netrpc_gateway_config_reloads_total counter\n"
      "netrpc_gateway_config_reloads_total{result=\"error\"} 0\n"
      "netrpc_gateway_config_reloads_total{result=\"ok\"} 0\n"
      "# HELP netrpc_gateway_connections_open Connections open now, by the "
      "protocol they speak (net/rpc-speaking listeners).\n"
      "# TYPE netrpc_gateway_connections_open gauge\n"
      "# HELP netrpc_gateway_connections_total Connections accepted, by the "
      "protocol they speak (net/rpc-speaking listeners).\n"
      "# TYPE netrpc_gateway_connections_total counter\n"
      "# HELP netrpc_gateway_mirror_calls_total Calls copied to a route's "
      "shadow upstream, by how the shadow's reply compared with the "
      "primary's.\n"
      "# TYPE netrpc_gateway_mirror_calls_total counter\n"
      "# HELP netrpc_gateway_rejected_calls_total Calls refused by a limit "
      "before reaching an upstream, by reason.\n"
      "# TYPE netrpc_gateway_rejected_calls_total counter\n"
      "netrpc_gateway_rejected_calls_total{reason=\"connection_concurrency\"}"
      " 0\n"
      "netrpc_gateway_rejected_calls_total{reason=\"gateway_concurrency\"} 0\n"
      "netrpc_gateway_rejected_calls_total{reason=\"message_too_large\"} 0\n"
      "netrpc_gateway_rejected_calls_total{reason=\"route_concurrency\"} 0\n"
      "# HELP netrpc_gateway_route_calls_in_flight Calls started and not yet "
      "answered, by route.\n"
      "# TYPE netrpc_gateway_route_calls_in_flight gauge\n"
      "# HELP netrpc_gateway_upstream_healthy 1 if the upstream address is "
      "usable (connected or connectable), 0 if not.\n"
      "# TYPE netrpc_gateway_upstream_healthy gauge\n");
}

TEST(GatewayMetricsTest, RouteCallLifecycle) {
  MetricsRegistry registry;
  std::unique_ptr<GatewayMetrics> m = GatewayMetrics::Create(&registry).value();
  RouteMetrics* r = m->Route("netrpc", "Arith.Multiply", "arith");
  EXPECT_EQ(m->Route("netrpc", "Arith.Multiply", "arith"), r);
  EXPECT_NE(m->Route("grpc", "Arith.Multiply", "arith"), r);

  r->CallStarted();
  r->CallStarted();
  EXPECT_EQ(m->calls_in_flight()->Value(), 2);
  EXPECT_EQ(r->in_flight()->Value(), 2);
  r->CallFinished(absl::StatusCode::kOk, absl::Milliseconds(3));
  r->CallFinished(absl::StatusCode::kDeadlineExceeded, absl::Seconds(31));
  r->Calls(absl::StatusCode::kResourceExhausted)->Increment();

  absl::StatusOr<Exposition> page = ParseExposition(registry.Text());
  ASSERT_THAT(page, IsOk());
  EXPECT_EQ(page->Value("netrpc_gateway_calls_total", CallLabels("OK")), 1);
  EXPECT_EQ(page->Value("netrpc_gateway_calls_total",
                        CallLabels("DEADLINE_EXCEEDED")),
            1);
  EXPECT_EQ(page->Value("netrpc_gateway_calls_total",
                        CallLabels("RESOURCE_EXHAUSTED")),
            1);
  // Codes that never happened have no series.
  EXPECT_EQ(page->Value("netrpc_gateway_calls_total", CallLabels("UNKNOWN")),
            -1);
  EXPECT_EQ(page->Value("netrpc_gateway_calls_in_flight"), 0);
  EXPECT_EQ(page->Value("netrpc_gateway_route_calls_in_flight",
                        {{"route", "Arith.Multiply"}}),
            0);
  EXPECT_EQ(page->Value("netrpc_gateway_call_duration_seconds_bucket",
                        {{"route", "Arith.Multiply"}, {"le", "0.005"}}),
            1);
  EXPECT_EQ(page->Value("netrpc_gateway_call_duration_seconds_bucket",
                        {{"route", "Arith.Multiply"}, {"le", "30"}}),
            1);
  EXPECT_EQ(page->Value("netrpc_gateway_call_duration_seconds_count",
                        {{"route", "Arith.Multiply"}}),
            2);
  EXPECT_DOUBLE_EQ(page->Value("netrpc_gateway_call_duration_seconds_sum",
                               {{"route", "Arith.Multiply"}}),
                   31.003);
}

TEST(GatewayMetricsTest, SplitArmsShareRouteSeries) {
  MetricsRegistry registry;
  std::unique_ptr<GatewayMetrics> m = GatewayMetrics::Create(&registry).value();
  RouteMetrics* legacy = m->Route("netrpc", "Arith.Multiply", "legacy");
  RouteMetrics* fresh = m->Route("netrpc", "Arith.Multiply", "new");
  EXPECT_EQ(legacy->duration(), fresh->duration());
  EXPECT_EQ(legacy->in_flight(), fresh->in_flight());
  EXPECT_NE(legacy->Calls(absl::StatusCode::kOk),
            fresh->Calls(absl::StatusCode::kOk));
}

TEST(GatewayMetricsTest, MirrorListenerUpstreamRejectReload) {
  MetricsRegistry registry;
  std::unique_ptr<GatewayMetrics> m = GatewayMetrics::Create(&registry).value();
  RouteMetrics* r = m->Route("jsonrpc", "Arith.Divide", "arith");
  r->Mirror(MirrorResult::kMatch);
  r->Mirror(MirrorResult::kMatch);
  r->Mirror(MirrorResult::kDiff);
  r->Mirror(MirrorResult::kShadowError);

  ConnectionMetrics* l = m->Connections("netrpc");
  EXPECT_EQ(m->Connections("netrpc"), l);
  l->ConnectionOpened();
  l->ConnectionOpened();
  l->ConnectionClosed();

  m->UpstreamHealthy("arith", "10.0.0.1:50051")->Set(1);
  m->UpstreamHealthy("arith", "10.0.0.2:50051")->Set(0);
  m->Rejected(RejectReason::kMessageTooLarge)->Increment();
  m->Rejected(RejectReason::kRouteConcurrency)->Increment(2);
  m->ReloadSucceeded(1);
  m->ReloadFailed();
  m->ReloadSucceeded(2);

  absl::StatusOr<Exposition> page = ParseExposition(registry.Text());
  ASSERT_THAT(page, IsOk());
  auto mirror = [&](const char* result) {
    return page->Value("netrpc_gateway_mirror_calls_total",
                       {{"route", "Arith.Divide"}, {"result", result}});
  };
  EXPECT_EQ(mirror("match"), 2);
  EXPECT_EQ(mirror("diff"), 1);
  EXPECT_EQ(mirror("shadow_error"), 1);
  EXPECT_EQ(
      page->Value("netrpc_gateway_connections_total", {{"protocol", "netrpc"}}),
      2);
  EXPECT_EQ(
      page->Value("netrpc_gateway_connections_open", {{"protocol", "netrpc"}}),
      1);
  EXPECT_EQ(page->Value("netrpc_gateway_upstream_healthy",
                        {{"upstream", "arith"}, {"address", "10.0.0.1:50051"}}),
            1);
  EXPECT_EQ(page->Value("netrpc_gateway_upstream_healthy",
                        {{"upstream", "arith"}, {"address", "10.0.0.2:50051"}}),
            0);
  EXPECT_EQ(page->Value("netrpc_gateway_rejected_calls_total",
                        {{"reason", "message_too_large"}}),
            1);
  EXPECT_EQ(page->Value("netrpc_gateway_rejected_calls_total",
                        {{"reason", "route_concurrency"}}),
            2);
  EXPECT_EQ(
      page->Value("netrpc_gateway_config_reloads_total", {{"result", "ok"}}),
      2);
  EXPECT_EQ(
      page->Value("netrpc_gateway_config_reloads_total", {{"result", "error"}}),
      1);
  EXPECT_EQ(page->Value("netrpc_gateway_config_generation"), 2);

  m->ForgetUpstreamAddress("arith", "10.0.0.1:50051");
  EXPECT_THAT(registry.Text(), Not(HasSubstr("10.0.0.1:50051")));
  EXPECT_THAT(registry.Text(), HasSubstr("10.0.0.2:50051"));
}

TEST(GatewayMetricsTest, SecondSetOverTheSameRegistrySharesSeries) {
  MetricsRegistry registry;
  std::unique_ptr<GatewayMetrics> a = GatewayMetrics::Create(&registry).value();
  a->Route("netrpc", "A.B", "u")->Calls(absl::StatusCode::kOk)->Increment(5);
  std::unique_ptr<GatewayMetrics> b = GatewayMetrics::Create(&registry).value();
  EXPECT_EQ(
      b->Route("netrpc", "A.B", "u")->Calls(absl::StatusCode::kOk)->Value(),
      5u);
}

TEST(GatewayMetricsTest, NameClashIsAnError) {
  MetricsRegistry registry;
  ASSERT_THAT(registry.AddGauge(kConfigGenerationMetric, "Mine.", {"x"}),
              IsOk());
  EXPECT_THAT(GatewayMetrics::Create(&registry),
              StatusIs(absl::StatusCode::kAlreadyExists,
                       HasSubstr("netrpc_gateway_config_generation")));
}

TEST(GatewayMetricsTest, ConcurrentCallsAddUpWhileScraping) {
  MetricsRegistry registry;
  std::unique_ptr<GatewayMetrics> m = GatewayMetrics::Create(&registry).value();
  constexpr int kThreads = 4;
  constexpr int kCalls = 10000;
  std::atomic<bool> done{false};
  std::string scrape_error;
  std::thread scraper([&] {
    while (!done.load()) {
      absl::StatusOr<Exposition> page = ParseExposition(registry.Text());
      if (!page.ok()) {
        scrape_error = page.status().ToString();
        return;
      }
    }
  });
  std::vector<std::thread> workers;
  workers.reserve(kThreads);
  for (int t = 0; t < kThreads; ++t) {
    workers.emplace_back([&] {
      // All threads race on the first use of each code's series.
      RouteMetrics* r = m->Route("netrpc", "Arith.Multiply", "arith");
      for (int i = 0; i < kCalls; ++i) {
        r->CallStarted();
        r->CallFinished(
            i % 2 == 0 ? absl::StatusCode::kOk : absl::StatusCode::kUnavailable,
            absl::Microseconds(100));
      }
    });
  }
  for (std::thread& w : workers) w.join();
  done = true;
  scraper.join();
  ASSERT_EQ(scrape_error, "");
  absl::StatusOr<Exposition> page = ParseExposition(registry.Text());
  ASSERT_THAT(page, IsOk());
  EXPECT_EQ(page->Value("netrpc_gateway_calls_total", CallLabels("OK")),
            kThreads * kCalls / 2);
  EXPECT_EQ(
      page->Value("netrpc_gateway_calls_total", CallLabels("UNAVAILABLE")),
      kThreads * kCalls / 2);
  EXPECT_EQ(page->Value("netrpc_gateway_call_duration_seconds_count",
                        {{"route", "Arith.Multiply"}}),
            kThreads * kCalls);
  EXPECT_EQ(page->Value("netrpc_gateway_calls_in_flight"), 0);
}

}  // namespace
}  // namespace gateway
