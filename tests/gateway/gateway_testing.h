// File: gateway_testing.h
//
// What the gateway's end-to-end tests share: the real //gateway:gateway
// binary run as a child process from a config file written under
// $TEST_TMPDIR, its announced addresses, its admin listener (GET/POST, the
// /metrics page parsed into values), and two kinds of peers:
// ArithGrpcBackend (an in-process gRPC demo.v1.Arith whose calls can be held
// until the test releases them) and the Go programs (go/arithserver,
// go/rpcclient).
//
//   std::string dir = tests::TestDir("direction1");
//   ASSERT_THAT(tests::CopyArithSchema(dir), IsOk());   // dir/arith.pb
//   std::string path = tests::WriteFile(dir + "/gw.yaml", yaml);
//   absl::StatusOr<std::unique_ptr<tests::GatewayProcess>> gw =
//       tests::GatewayProcess::Start({"--config=" + path});
//   ... (*gw)->Address("netrpc") ... (*gw)->Metric("netrpc_gateway_calls_total",
//                                                   {{"code", "OK"}, ...}) ...
//   EXPECT_THAT((*gw)->Stop(), IsOk());   // SIGTERM, exit 0
//
// Every wait has a deadline; nothing sleeps for a guessed time.

#ifndef TESTS_GATEWAY_GATEWAY_TESTING_H_
#define TESTS_GATEWAY_GATEWAY_TESTING_H_

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "gateway/metrics/exposition_parser.h"
#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"
#include "netrpc/testing/subprocess.h"
#include "proto/demo/v1/arith.grpc.pb.h"

namespace tests {

using Labels = std::map<std::string, std::string>;

// TestDir makes (if needed) and returns $TEST_TMPDIR/name.
std::string TestDir(absl::string_view name);

// WriteFile writes text to path (replacing it atomically, by rename, so a
// reload never reads half a file) and returns path.
std::string WriteFile(const std::string& path, absl::string_view text);

// CopyArithSchema copies demo.v1.Arith's descriptor set (protoc's, from the
// runfiles) to dir/arith.pb, for configs that say `descriptor_set: arith.pb`.
absl::Status CopyArithSchema(const std::string& dir);

// HttpResponse is an admin answer; status is -1 if no answer came.
struct HttpResponse {
  int status = -1;
  std::string body;
  std::string error;  // why there was no answer
};

// HttpGet and HttpPost ask address ("127.0.0.1:PORT") for path.
HttpResponse HttpGet(const std::string& address, const std::string& path);
HttpResponse HttpPost(const std::string& address, const std::string& path);

// GatewayProcess is one running gateway binary. The destructor kills it.
class GatewayProcess {
 public:
  // Start runs the binary with args and waits until it has printed its
  // "admin ADDRESS" line (every config of these tests has an admin
  // listener), collecting the "listening NAME ADDRESS" lines before it.
  static absl::StatusOr<std::unique_ptr<GatewayProcess>> Start(
      std::vector<std::string> args, absl::Duration timeout = absl::Seconds(30));

  // Address is the bound address of the listener called name ("" if none).
  std::string Address(const std::string& name) const;
  const std::string& admin() const { return admin_; }
  pid_t pid() const { return process_->pid(); }
  netrpc::testing::Subprocess& process() { return *process_; }
  std::string Stderr() const {
    return process_->Output(netrpc::testing::Stream::kStderr);
  }

  // Metrics fetches and parses /metrics.
  absl::StatusOr<gateway::Exposition> Metrics() const;

  // Metric is one sample's value from a fresh /metrics: the sum over every
  // series of the family `name` whose labels include `labels` (so a subset
  // of the labels sums over the rest); 0 if there is none; -1 if /metrics
  // could not be read.
  double Metric(absl::string_view name, const Labels& labels = {}) const;

  // WaitForMetric polls until pred(Metric(name, labels)) holds, and returns
  // the last value seen; on timeout an error with that value.
  absl::StatusOr<double> WaitForMetric(absl::string_view name,
                                       const Labels& labels,
                                       const std::function<bool(double)>& pred,
                                       absl::Duration timeout = absl::Seconds(20))
      const;

  // WaitForStderr waits for a stderr line containing text.
  absl::StatusOr<std::string> WaitForStderr(const std::string& text,
                                            absl::Duration timeout =
                                                absl::Seconds(20));

  // Stop sends SIGTERM and waits for the exit; OK only for exit code 0.
  absl::Status Stop(absl::Duration timeout = absl::Seconds(30));

 private:
  explicit GatewayProcess(std::unique_ptr<netrpc::testing::Subprocess> p)
      : process_(std::move(p)) {}

  std::unique_ptr<netrpc::testing::Subprocess> process_;
  std::vector<std::pair<std::string, std::string>> listeners_;
  std::string admin_;
};

// RunGateway runs the binary to completion (for --validate and for starts
// that must fail).
absl::StatusOr<netrpc::testing::RunResult> RunGateway(
    std::vector<std::string> args, absl::Duration timeout = absl::Seconds(30));

// RunGoClient runs go/rpcclient with args to completion.
absl::StatusOr<netrpc::testing::RunResult> RunGoClient(
    std::vector<std::string> args, absl::Duration timeout = absl::Seconds(60));

// StartGoClient starts go/rpcclient with args and returns at once.
absl::StatusOr<std::unique_ptr<netrpc::testing::Subprocess>> StartGoClient(
    std::vector<std::string> args);

// ChecksPassed checks the transcript of a Go checker program (one "PASS
// <name>" or "FAIL <name>: <why>" line per check): no line fails and every
// name in want passed.
::testing::AssertionResult ChecksPassed(absl::string_view transcript,
                                        const std::vector<std::string>& want);

// CountLines counts the lines of text that start with prefix.
int CountLines(absl::string_view text, absl::string_view prefix);

// GoArithServer is one running go/arithserver: Go's net/rpc Arith on raw
// TCP. The destructor kills it.
class GoArithServer {
 public:
  static absl::StatusOr<std::unique_ptr<GoArithServer>> Start(
      const std::string& address = "127.0.0.1:0");
  const std::string& address() const { return address_; }
  // Kill sends SIGKILL and reaps it.
  absl::Status Kill();

 private:
  std::unique_ptr<netrpc::testing::Subprocess> process_;
  std::string address_;
};

// ArithGrpcBackend is an in-process gRPC demo.v1.Arith on 127.0.0.1:0:
// Multiply answers a*b + offset; Divide answers quo and rem + offset, and
// UNKNOWN "divide by zero" for b == 0 (what a Go client of the old server
// saw). A Multiply with a == kHold is held until Release() (or until the
// caller cancels), so a test can have calls in flight for as long as it
// needs. [thread-safe]
class ArithGrpcBackend final : public demo::v1::Arith::Service {
 public:
  static constexpr int64_t kHold = 999;

  static absl::StatusOr<std::unique_ptr<ArithGrpcBackend>> Start(
      int64_t offset = 0);
  ~ArithGrpcBackend() override;

  std::string address() const;
  // held is the number of Multiply calls being held now.
  int held() const;
  // WaitHeld waits until n calls are held.
  absl::Status WaitHeld(int n, absl::Duration timeout = absl::Seconds(20));
  // Release lets every held call (and every later one) answer.
  void Release();
  // calls counts the calls that reached this backend.
  int64_t calls() const { return calls_.load(); }
  // last_team is the "x-team" metadata of the latest call ("" if none).
  std::string last_team() const;

  grpc::Status Multiply(grpc::ServerContext* ctx, const demo::v1::Args* a,
                        demo::v1::Product* p) override;
  grpc::Status Divide(grpc::ServerContext* ctx, const demo::v1::Args* a,
                      demo::v1::Quotient* q) override;

 private:
  explicit ArithGrpcBackend(int64_t offset) : offset_(offset) {}

  const int64_t offset_;
  std::unique_ptr<grpc::Server> server_;
  int port_ = 0;
  std::atomic<int64_t> calls_{0};
  mutable std::mutex mu_;
  std::condition_variable cv_;
  int held_ = 0;           // guarded by mu_
  bool released_ = false;  // guarded by mu_
  std::string last_team_;  // guarded by mu_
};

// ArithConfig is a YAML config: listeners (each "name PROTOCOL", on
// 127.0.0.1:0), upstreams/routes text as given (indented YAML list items),
// the Arith schema (dir/arith.pb), bridge.package demo.v1 with
// demo.v1.Product unwrapped (Go's `reply *int`), admin on 127.0.0.1:0, and
// `extra` appended (limits, drain_timeout, ...).
std::string ArithConfig(const std::vector<std::string>& listeners,
                        absl::string_view upstreams, absl::string_view routes,
                        absl::string_view extra = "",
                        bool allow_reload = false);

}  // namespace tests

#endif  // TESTS_GATEWAY_GATEWAY_TESTING_H_
