// Load with a fault: 20 connections x 200 calls through the gateway to a
// net/rpc upstream at two addresses (two Go servers), one of which is
// SIGKILLed midway and restarted on its port. Twice, to see memory stay
// flat. See README.md.

#include <signal.h>

#include <atomic>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "absl/time/clock.h"
#include "bridge/testing/arith.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "netrpc/client.h"
#include "netrpc/testing/status_matchers.h"
#include "tests/gateway/gateway_testing.h"

namespace tests {
namespace {

using ::netrpc::testing::IsOk;

constexpr int kConnections = 20;
constexpr int kCallsPerConnection = 200;
constexpr int kCallsPerRound = kConnections * kCallsPerConnection;

// RssKiB reads VmRSS of pid from /proc (-1 if it cannot).
int64_t RssKiB(pid_t pid) {
  std::ifstream in(absl::StrCat("/proc/", pid, "/status"));
  std::string line;
  while (std::getline(in, line)) {
    absl::string_view v = line;
    if (absl::ConsumePrefix(&v, "VmRSS:")) {
      v = absl::StripAsciiWhitespace(v);
      absl::ConsumeSuffix(&v, " kB");
      int64_t kib = 0;
      if (absl::SimpleAtoi(v, &kib)) return kib;
    }
  }
  return -1;
}

class LoadTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<std::unique_ptr<GoArithServer>> a = GoArithServer::Start();
    ASSERT_THAT(a, IsOk());
    a_ = *std::move(a);
    absl::StatusOr<std::unique_ptr<GoArithServer>> b = GoArithServer::Start();
    ASSERT_THAT(b, IsOk());
    b_ = *std::move(b);
    b_address_ = b_->address();
    std::string dir = TestDir("load");
    ASSERT_THAT(CopyArithSchema(dir), IsOk());
    std::string path = WriteFile(
        dir + "/gw.yaml",
        ArithConfig({"gob NETRPC"},
                    absl::StrCat("- name: legacy\n  netrpc:\n    addresses: [\"",
                                 a_->address(), "\", \"", b_address_,
                                 "\"]\n    health_check_interval: 1s\n"
                                 "    redial_backoff: 100ms\n"),
                    "- {service: Arith, upstream: legacy, timeout: 10s}\n"));
    absl::StatusOr<std::unique_ptr<GatewayProcess>> gw =
        GatewayProcess::Start({"--config=" + path});
    ASSERT_THAT(gw, IsOk());
    gw_ = *std::move(gw);
  }

  // Round makes kConnections x kCallsPerConnection calls; B is killed once
  // a quarter of them are done and restarted on its port once 60% are.
  void Round() {
    std::atomic<int> completed{0};
    std::atomic<int> ok{0};
    std::mutex mu;
    std::map<std::string, int> errors;  // guarded by mu
    int wrong_values = 0;               // guarded by mu
    std::vector<std::thread> threads;
    for (int c = 0; c < kConnections; ++c) {
      threads.emplace_back([&, c] {
        absl::StatusOr<std::unique_ptr<netrpc::Client>> client =
            netrpc::Dial("tcp", gw_->Address("gob"));
        for (int i = 0; i < kCallsPerConnection; ++i) {
          absl::Status s;
          int64_t product = -1;
          if (!client.ok()) {
            s = client.status();
          } else {
            s = (*client)->Call("Arith.Multiply",
                                bridge_testing::Args{c * 1000 + i, 3}, &product,
                                netrpc::CallOptions{absl::Seconds(30)});
          }
          if (s.ok() && product == (c * 1000 + i) * 3) {
            ++ok;
          } else {
            std::lock_guard<std::mutex> lock(mu);
            if (s.ok()) {
              ++wrong_values;
            } else {
              ++errors[std::string(s.message())];
            }
          }
          ++completed;
        }
      });
    }
    auto wait_completed = [&](int n) {
      absl::Time deadline = absl::Now() + absl::Seconds(60);
      while (completed.load() < n && absl::Now() < deadline) {
        absl::SleepFor(absl::Milliseconds(1));
      }
    };
    wait_completed(kCallsPerRound / 4);
    EXPECT_THAT(b_->Kill(), IsOk());
    wait_completed(kCallsPerRound * 6 / 10);
    absl::StatusOr<std::unique_ptr<GoArithServer>> b =
        GoArithServer::Start(b_address_);
    ASSERT_THAT(b, IsOk());
    b_ = *std::move(b);
    for (std::thread& t : threads) t.join();

    // Every call got exactly one answer: a right product or a clear error.
    EXPECT_EQ(completed.load(), kCallsPerRound);
    EXPECT_EQ(wrong_values, 0);
    int failed = 0;
    std::cout << "round: " << ok.load() << " ok, " << completed.load()
              << " answered\n";
    for (const auto& [text, n] : errors) {
      std::cout << "  " << n << "x " << text << "\n";
      failed += n;
      // Failures are the killed server's, and say so.
      EXPECT_THAT(text, ::testing::HasSubstr(b_address_)) << n << "x";
    }
    EXPECT_EQ(ok.load() + failed, kCallsPerRound);
    // Most calls succeed: A was up throughout.
    EXPECT_GT(ok.load(), kCallsPerRound / 2);
    calls_made_ += kCallsPerRound;

    // Afterwards: every call succeeds again (polled: the gateway notices B
    // is back by its health check).
    absl::Time deadline = absl::Now() + absl::Seconds(30);
    bool all_ok = false;
    while (!all_ok && absl::Now() < deadline) {
      absl::StatusOr<std::unique_ptr<netrpc::Client>> client =
          netrpc::Dial("tcp", gw_->Address("gob"));
      ASSERT_THAT(client, IsOk());
      all_ok = true;
      for (int i = 0; i < 20; ++i) {
        int64_t product = 0;
        absl::Status s = (*client)->Call("Arith.Multiply",
                                         bridge_testing::Args{i, 2}, &product,
                                         netrpc::CallOptions{absl::Seconds(10)});
        ++calls_made_;
        if (!s.ok() || product != 2 * i) all_ok = false;
      }
      if (!all_ok) absl::SleepFor(absl::Milliseconds(50));
    }
    EXPECT_TRUE(all_ok) << "calls still fail 30s after B came back";
    EXPECT_THAT(gw_->WaitForMetric("netrpc_gateway_upstream_healthy",
                                   {{"upstream", "legacy"},
                                    {"address", b_address_}},
                                   [](double v) { return v == 1; }),
                IsOk());
    // The gateway counted each call once.
    EXPECT_EQ(gw_->Metric("netrpc_gateway_calls_total"), calls_made_);
    EXPECT_THAT(gw_->WaitForMetric("netrpc_gateway_calls_in_flight", {},
                                   [](double v) { return v == 0; }),
                IsOk());
  }

  std::unique_ptr<GoArithServer> a_, b_;
  std::string b_address_;
  std::unique_ptr<GatewayProcess> gw_;
  double calls_made_ = 0;
};

TEST_F(LoadTest, UpstreamKilledAndRestartedUnderLoadMemoryStaysFlat) {
  Round();
  int64_t rss1 = RssKiB(gw_->pid());
  ASSERT_GT(rss1, 0);
  Round();
  int64_t rss2 = RssKiB(gw_->pid());
  std::cout << "VmRSS: " << rss1 << " kB after round 1, " << rss2
            << " kB after round 2\n";
  EXPECT_LE(rss2, rss1 * 3 / 2) << "VmRSS " << rss1 << " kB after round 1, "
                                << rss2 << " kB after round 2";
  EXPECT_EQ(HttpGet(gw_->admin(), "/healthz").status, 200);
  EXPECT_THAT(gw_->Stop(), IsOk());
}

}  // namespace
}  // namespace tests
