// The gateway binary end to end, both directions, against real Go peers:
// Go net/rpc clients (rpc.Dial, rpc.DialHTTP, jsonrpc.Dial) calling a gRPC
// backend, gRPC clients (C++ stubs, Go's grpc-go) calling a Go net/rpc
// server, all four protocols on one ANY port, metrics that follow the
// traffic, mirroring, a split, and the embedded demo. See README.md.

#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <map>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/substitute.h"
#include "absl/time/clock.h"
#include "gmock/gmock.h"
#include "grpcpp/impl/codegen/client_unary_call.h"
#include "gtest/gtest.h"
#include "netrpc/testing/status_matchers.h"
#include "tests/gateway/gateway_testing.h"

namespace tests {
namespace {

using ::netrpc::testing::IsOk;
using ::testing::HasSubstr;

const std::vector<std::string> kChecks = {
    "multiply",       "multiply negative", "divide",
    "divide by zero", "unknown service",   "unknown method",
    "connection still good after errors"};

// UnusedPort returns a loopback port nobody listens on (bound, then freed).
int UnusedPort() {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof(a));
  socklen_t len = sizeof(a);
  getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
  close(fd);
  return ntohs(a.sin_port);
}

std::string GrpcUpstream(const std::string& name, const std::string& target) {
  return absl::StrCat("- {name: ", name, ", grpc: {target: \"", target,
                      "\"}}\n");
}

std::string NetRpcUpstream(const std::string& name,
                           const std::vector<std::string>& addresses,
                           absl::string_view more = "") {
  return absl::StrCat("- {name: ", name, ", netrpc: {addresses: [\"",
                      absl::StrJoin(addresses, "\", \""), "\"]", more,
                      "}}\n");
}

// Start writes config into a fresh directory (with arith.pb) and starts the
// gateway on it.
absl::StatusOr<std::unique_ptr<GatewayProcess>> StartWith(
    const std::string& name, const std::string& config) {
  std::string dir = TestDir(name);
  absl::Status s = CopyArithSchema(dir);
  if (!s.ok()) return s;
  std::string path = WriteFile(dir + "/gw.yaml", config);
  return GatewayProcess::Start({"--config=" + path});
}

std::unique_ptr<demo::v1::Arith::Stub> ArithStub(const std::string& address) {
  return demo::v1::Arith::NewStub(
      grpc::CreateChannel(address, grpc::InsecureChannelCredentials()));
}

// GrpcArithChecks calls demo.v1.Arith at address with a generated stub:
// 6*7, 17/5 and 1/0 (UNKNOWN with Go's text, verbatim).
::testing::AssertionResult GrpcArithChecks(const std::string& address) {
  std::unique_ptr<demo::v1::Arith::Stub> stub = ArithStub(address);
  {
    grpc::ClientContext ctx;
    demo::v1::Args args;
    args.set_a(6);
    args.set_b(7);
    demo::v1::Product p;
    grpc::Status s = stub->Multiply(&ctx, args, &p);
    if (!s.ok() || p.value() != 42) {
      return ::testing::AssertionFailure()
             << "Multiply 6*7: " << s.error_code() << " "
             << s.error_message() << " value " << p.value();
    }
  }
  {
    grpc::ClientContext ctx;
    demo::v1::Args args;
    args.set_a(17);
    args.set_b(5);
    demo::v1::Quotient q;
    grpc::Status s = stub->Divide(&ctx, args, &q);
    if (!s.ok() || q.quo() != 3 || q.rem() != 2) {
      return ::testing::AssertionFailure()
             << "Divide 17/5: " << s.error_code() << " " << s.error_message()
             << " " << q.ShortDebugString();
    }
  }
  {
    grpc::ClientContext ctx;
    demo::v1::Args args;
    args.set_a(1);
    demo::v1::Quotient q;
    grpc::Status s = stub->Divide(&ctx, args, &q);
    if (s.error_code() != grpc::StatusCode::UNKNOWN ||
        s.error_message() != "divide by zero") {
      return ::testing::AssertionFailure()
             << "Divide 1/0: want UNKNOWN \"divide by zero\", got "
             << s.error_code() << " \"" << s.error_message() << "\"";
    }
  }
  return ::testing::AssertionSuccess();
}

// RawCall sends request bytes to method over gRPC and returns the status.
grpc::Status RawCall(const std::string& address, const std::string& method,
                     const std::string& request) {
  std::shared_ptr<grpc::Channel> channel =
      grpc::CreateChannel(address, grpc::InsecureChannelCredentials());
  grpc::ClientContext ctx;
  ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(20));
  grpc::Slice slice(request);
  grpc::ByteBuffer req(&slice, 1);
  grpc::ByteBuffer resp;
  return grpc::internal::BlockingUnaryCall<grpc::ByteBuffer, grpc::ByteBuffer>(
      channel.get(),
      grpc::internal::RpcMethod(method.c_str(),
                                grpc::internal::RpcMethod::NORMAL_RPC),
      &ctx, req, &resp);
}

// ---------------------------------------------------------------------------
// 1. Direction 1: Go net/rpc clients -> gateway -> gRPC backend.

class Direction1Test : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<std::unique_ptr<ArithGrpcBackend>> b =
        ArithGrpcBackend::Start();
    ASSERT_THAT(b, IsOk());
    backend_ = *std::move(b);
    absl::StatusOr<std::unique_ptr<GatewayProcess>> gw = StartWith(
        "direction1",
        ArithConfig({"gob NETRPC", "http NETRPC_HTTP", "json JSONRPC"},
                    GrpcUpstream("arith", backend_->address()),
                    "- {service: Arith, upstream: arith, timeout: 10s}\n"));
    ASSERT_THAT(gw, IsOk());
    gw_ = *std::move(gw);
  }
  void TearDown() override {
    if (gw_ != nullptr) {
      EXPECT_THAT(gw_->Stop(), IsOk());
    }
  }

  void RunChecks(const std::string& dial, const std::string& listener) {
    absl::StatusOr<netrpc::testing::RunResult> r = RunGoClient(
        {"-addr", gw_->Address(listener), "-dial", dial, "-mode", "checks"});
    ASSERT_THAT(r, IsOk());
    EXPECT_TRUE(ChecksPassed(r->out, kChecks)) << r->err;
  }

  std::unique_ptr<ArithGrpcBackend> backend_;
  std::unique_ptr<GatewayProcess> gw_;
};

TEST_F(Direction1Test, GoGobClientOverTcp) { RunChecks("gob", "gob"); }

TEST_F(Direction1Test, GoClientOverHttpConnect) {
  RunChecks("http", "http");
  // Go's debug page lists the bridged service, on the listener and on the
  // admin listener.
  for (const std::string& address : {gw_->Address("http"), gw_->admin()}) {
    HttpResponse page = HttpGet(address, "/debug/rpc");
    EXPECT_EQ(page.status, 200) << address << " " << page.error;
    EXPECT_THAT(page.body, HasSubstr("Arith")) << address;
    EXPECT_THAT(page.body, HasSubstr("Multiply")) << address;
  }
}

// jsonrpc support for bridged bodies is being finished; this test says
// whether a Go jsonrpc client works through the gateway today.
TEST_F(Direction1Test, GoJsonRpcClient) { RunChecks("json", "json"); }

// ---------------------------------------------------------------------------
// 2. Direction 2: gRPC clients -> gateway -> Go net/rpc server.

class Direction2Test : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<std::unique_ptr<GoArithServer>> go = GoArithServer::Start();
    ASSERT_THAT(go, IsOk());
    go_ = *std::move(go);
    absl::StatusOr<std::unique_ptr<GatewayProcess>> gw = StartWith(
        "direction2",
        ArithConfig({"grpc GRPC", "gob NETRPC"},
                    NetRpcUpstream("legacy", {go_->address()}),
                    "- {service: Arith, upstream: legacy, timeout: 10s}\n"));
    ASSERT_THAT(gw, IsOk());
    gw_ = *std::move(gw);
  }
  void TearDown() override {
    if (gw_ != nullptr) {
      EXPECT_THAT(gw_->Stop(), IsOk());
    }
  }

  std::unique_ptr<GoArithServer> go_;
  std::unique_ptr<GatewayProcess> gw_;
};

TEST_F(Direction2Test, CppStubReachesGoServer) {
  EXPECT_TRUE(GrpcArithChecks(gw_->Address("grpc")));
}

TEST_F(Direction2Test, UnroutedMethodAndServiceAreUnimplemented) {
  grpc::Status s = RawCall(gw_->Address("grpc"), "/demo.v1.Arith/Nope", "");
  EXPECT_EQ(s.error_code(), grpc::StatusCode::UNIMPLEMENTED)
      << s.error_message();
  s = RawCall(gw_->Address("grpc"), "/demo.v1.Nope/Multiply", "");
  EXPECT_EQ(s.error_code(), grpc::StatusCode::UNIMPLEMENTED)
      << s.error_message();
  // The gateway still answers.
  std::unique_ptr<demo::v1::Arith::Stub> stub = ArithStub(gw_->Address("grpc"));
  grpc::ClientContext ctx;
  demo::v1::Args args;
  args.set_a(2);
  args.set_b(21);
  demo::v1::Product p;
  ASSERT_TRUE(stub->Multiply(&ctx, args, &p).ok());
  EXPECT_EQ(p.value(), 42);
}

// net/rpc caller -> net/rpc upstream goes through the mapping too, and the
// Go client cannot tell.
TEST_F(Direction2Test, GoClientThroughToGoServer) {
  absl::StatusOr<netrpc::testing::RunResult> r = RunGoClient(
      {"-addr", gw_->Address("gob"), "-dial", "gob", "-mode", "checks"});
  ASSERT_THAT(r, IsOk());
  EXPECT_TRUE(ChecksPassed(r->out, kChecks)) << r->err;
}

// ---------------------------------------------------------------------------
// 3. ANY: gob, HTTP CONNECT, JSON-RPC and gRPC callers on one port.

class AnyListenerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<std::unique_ptr<ArithGrpcBackend>> b =
        ArithGrpcBackend::Start();
    ASSERT_THAT(b, IsOk());
    backend_ = *std::move(b);
    absl::StatusOr<std::unique_ptr<GatewayProcess>> gw = StartWith(
        "any", ArithConfig({"any ANY"},
                           GrpcUpstream("arith", backend_->address()),
                           "- {service: Arith, upstream: arith}\n"));
    ASSERT_THAT(gw, IsOk());
    gw_ = *std::move(gw);
  }
  void TearDown() override {
    if (gw_ != nullptr) {
      EXPECT_THAT(gw_->Stop(), IsOk());
    }
  }
  std::unique_ptr<ArithGrpcBackend> backend_;
  std::unique_ptr<GatewayProcess> gw_;
};

TEST_F(AnyListenerTest, GobHttpAndGrpcOnOnePort) {
  std::string any = gw_->Address("any");
  ASSERT_FALSE(any.empty());
  for (const char* dial : {"gob", "http"}) {
    absl::StatusOr<netrpc::testing::RunResult> r =
        RunGoClient({"-addr", any, "-dial", dial, "-mode", "checks"});
    ASSERT_THAT(r, IsOk());
    EXPECT_TRUE(ChecksPassed(r->out, kChecks)) << dial << "\n" << r->err;
  }
  EXPECT_TRUE(GrpcArithChecks(any));
  // The calls were counted under each caller's protocol.
  for (const char* protocol : {"netrpc", "netrpc_http", "grpc"}) {
    EXPECT_GE(gw_->Metric("netrpc_gateway_calls_total",
                          {{"listener_protocol", protocol},
                           {"route", "Arith.Multiply"},
                           {"code", "OK"}}),
              1)
        << protocol;
  }
}

TEST_F(AnyListenerTest, JsonRpcOnTheSamePort) {
  absl::StatusOr<netrpc::testing::RunResult> r = RunGoClient(
      {"-addr", gw_->Address("any"), "-dial", "json", "-mode", "checks"});
  ASSERT_THAT(r, IsOk());
  EXPECT_TRUE(ChecksPassed(r->out, kChecks)) << r->err;
}

// ---------------------------------------------------------------------------
// 4. Metrics follow the traffic exactly.

int CountFailedCallLines(absl::string_view log) {
  int n = 0;
  for (absl::string_view line : absl::StrSplit(log, '\n')) {
    if (absl::StrContains(line, "msg=\"call failed\"")) ++n;
  }
  return n;
}

TEST(MetricsTest, CallsInFlightAndFailuresAreCountedExactly) {
  absl::StatusOr<std::unique_ptr<ArithGrpcBackend>> backend =
      ArithGrpcBackend::Start();
  ASSERT_THAT(backend, IsOk());
  absl::StatusOr<std::unique_ptr<GatewayProcess>> gw = StartWith(
      "metrics", ArithConfig({"gob NETRPC", "grpc GRPC"},
                             GrpcUpstream("arith", (*backend)->address()),
                             "- {service: Arith, upstream: arith}\n"));
  ASSERT_THAT(gw, IsOk());
  GatewayProcess& g = **gw;
  const Labels ok_gob = {{"listener_protocol", "netrpc"},
                         {"route", "Arith.Multiply"},
                         {"upstream", "arith"},
                         {"code", "OK"}};
  EXPECT_EQ(g.Metric("netrpc_gateway_calls_total", ok_gob), 0);
  EXPECT_EQ(g.Metric("netrpc_gateway_config_generation"), 1);

  absl::StatusOr<netrpc::testing::RunResult> r =
      RunGoClient({"-addr", g.Address("gob"), "-mode", "calls", "-conns", "3",
                   "-n", "7", "-a", "6", "-b", "7"});
  ASSERT_THAT(r, IsOk());
  EXPECT_EQ(CountLines(r->out, "OK 42"), 21) << r->out;
  EXPECT_EQ(g.Metric("netrpc_gateway_calls_total", ok_gob), 21);
  EXPECT_EQ(g.Metric("netrpc_gateway_calls_total",
                     {{"route", "Arith.Multiply"}}),
            21);
  EXPECT_EQ(g.Metric("netrpc_gateway_call_duration_seconds_count",
                     {{"route", "Arith.Multiply"}}),
            21);

  // Failures: counted under their code, and logged once each.
  std::unique_ptr<demo::v1::Arith::Stub> stub = ArithStub(g.Address("grpc"));
  for (int i = 0; i < 3; ++i) {
    grpc::ClientContext ctx;
    demo::v1::Args args;
    args.set_a(i);
    demo::v1::Quotient q;
    EXPECT_EQ(stub->Divide(&ctx, args, &q).error_code(),
              grpc::StatusCode::UNKNOWN);
  }
  EXPECT_EQ(g.Metric("netrpc_gateway_calls_total",
                     {{"listener_protocol", "grpc"},
                      {"route", "Arith.Divide"},
                      {"upstream", "arith"},
                      {"code", "UNKNOWN"}}),
            3);
  // The lines are written before the replies, but reach our pipe reader
  // on its own schedule: wait for the third.
  absl::Time deadline = absl::Now() + absl::Seconds(20);
  while (CountFailedCallLines(g.Stderr()) < 3 && absl::Now() < deadline) {
    absl::SleepFor(absl::Milliseconds(10));
  }
  int logged = 0;
  for (absl::string_view line : absl::StrSplit(g.Stderr(), '\n')) {
    if (absl::StrContains(line, "msg=\"call failed\"")) {
      ++logged;
      EXPECT_THAT(std::string(line), HasSubstr("route=Arith.Divide"));
      EXPECT_THAT(std::string(line), HasSubstr("protocol=grpc"));
      EXPECT_THAT(std::string(line), HasSubstr("upstream=arith"));
      EXPECT_THAT(std::string(line), HasSubstr("code=UNKNOWN"));
      EXPECT_THAT(std::string(line), HasSubstr("peer="));
    }
  }
  EXPECT_EQ(logged, 3) << g.Stderr();

  // In flight: two held calls show, then leave.
  absl::StatusOr<std::unique_ptr<netrpc::testing::Subprocess>> held =
      StartGoClient({"-addr", g.Address("gob"), "-mode", "calls", "-conns",
                     "2", "-n", "1", "-a",
                     absl::StrCat(ArithGrpcBackend::kHold), "-b", "1"});
  ASSERT_THAT(held, IsOk());
  ASSERT_THAT((*backend)->WaitHeld(2), IsOk());
  EXPECT_THAT(g.WaitForMetric("netrpc_gateway_calls_in_flight", {},
                              [](double v) { return v == 2; }),
              IsOk());
  EXPECT_EQ(g.Metric("netrpc_gateway_route_calls_in_flight",
                     {{"route", "Arith.Multiply"}}),
            2);
  (*backend)->Release();
  absl::StatusOr<netrpc::testing::ExitStatus> exit =
      (*held)->Wait(absl::Seconds(30));
  ASSERT_THAT(exit, IsOk());
  EXPECT_EQ(CountLines((*held)->Output(netrpc::testing::Stream::kStdout),
                       "OK 999"),
            2);
  EXPECT_THAT(g.WaitForMetric("netrpc_gateway_calls_in_flight", {},
                              [](double v) { return v == 0; }),
              IsOk());
  EXPECT_EQ(g.Metric("netrpc_gateway_calls_total", ok_gob), 23);

  // POST /reload is refused unless admin.allow_reload.
  EXPECT_EQ(HttpPost(g.admin(), "/reload").status, 403);
  EXPECT_EQ(HttpGet(g.admin(), "/readyz").status, 200);
  EXPECT_THAT(g.Stop(), IsOk());
}

// The connection metrics the admin README documents
// (netrpc_gateway_connections_total/_open{protocol}) count accepted
// connections.
TEST(MetricsTest, ConnectionsAreCounted) {
  absl::StatusOr<std::unique_ptr<ArithGrpcBackend>> backend =
      ArithGrpcBackend::Start();
  ASSERT_THAT(backend, IsOk());
  absl::StatusOr<std::unique_ptr<GatewayProcess>> gw = StartWith(
      "connections", ArithConfig({"gob NETRPC"},
                                 GrpcUpstream("arith", (*backend)->address()),
                                 "- {service: Arith, upstream: arith}\n"));
  ASSERT_THAT(gw, IsOk());
  absl::StatusOr<netrpc::testing::RunResult> r =
      RunGoClient({"-addr", (*gw)->Address("gob"), "-mode", "calls", "-conns",
                   "4", "-n", "1"});
  ASSERT_THAT(r, IsOk());
  EXPECT_EQ(CountLines(r->out, "OK 56"), 4);
  EXPECT_EQ((*gw)->Metric("netrpc_gateway_connections_total",
                          {{"protocol", "netrpc"}}),
            4);
  EXPECT_THAT((*gw)->WaitForMetric("netrpc_gateway_connections_open",
                                   {{"protocol", "netrpc"}},
                                   [](double v) { return v == 0; }),
              IsOk());
  EXPECT_THAT((*gw)->Stop(), IsOk());
}

// Sample returns the value of the series with exactly these labels, or -1
// if /metrics does not show it.
double Sample(const GatewayProcess& g, const std::string& name,
              const std::map<std::string, std::string>& labels) {
  absl::StatusOr<gateway::Exposition> page = g.Metrics();
  if (!page.ok()) return -2;
  return page->Value(name, labels);
}

// The admin README: upstream_healthy{upstream,address} is 1 while the
// address is usable, and "an address that leaves the upstream disappears".
// An address that stays must keep its series.
TEST(MetricsTest, UpstreamHealthFollowsReloads) {
  absl::StatusOr<std::unique_ptr<GoArithServer>> a = GoArithServer::Start();
  absl::StatusOr<std::unique_ptr<GoArithServer>> b = GoArithServer::Start();
  ASSERT_THAT(a, IsOk());
  ASSERT_THAT(b, IsOk());
  std::string dir = TestDir("health");
  ASSERT_THAT(CopyArithSchema(dir), IsOk());
  auto config = [&](const std::vector<std::string>& addresses) {
    return ArithConfig({"gob NETRPC"}, NetRpcUpstream("legacy", addresses),
                       "- {service: Arith, upstream: legacy}\n");
  };
  std::string path = WriteFile(dir + "/gw.yaml",
                               config({(*a)->address(), (*b)->address()}));
  absl::StatusOr<std::unique_ptr<GatewayProcess>> gw =
      GatewayProcess::Start({"--config=" + path});
  ASSERT_THAT(gw, IsOk());
  GatewayProcess& g = **gw;
  const std::string kHealthy = "netrpc_gateway_upstream_healthy";
  const Labels at_a = {{"upstream", "legacy"}, {"address", (*a)->address()}};
  const Labels at_b = {{"upstream", "legacy"}, {"address", (*b)->address()}};
  EXPECT_EQ(Sample(g, kHealthy, at_a), 1);
  EXPECT_EQ(Sample(g, kHealthy, at_b), 1);

  // B leaves the upstream; then a few more reloads of the same file, so
  // nothing from generation 1 need be kept any longer.
  WriteFile(path, config({(*a)->address()}));
  for (int generation = 2; generation <= 6; ++generation) {
    ASSERT_THAT(g.process().Signal(SIGHUP), IsOk());
    ASSERT_THAT(g.WaitForMetric("netrpc_gateway_config_generation", {},
                                [generation](double v) {
                                  return v == generation;
                                }),
                IsOk());
  }
  absl::StatusOr<netrpc::testing::RunResult> r = RunGoClient(
      {"-addr", g.Address("gob"), "-mode", "calls", "-n", "4"});
  ASSERT_THAT(r, IsOk());
  EXPECT_EQ(CountLines(r->out, "OK 56"), 4);
  EXPECT_EQ(Sample(g, kHealthy, at_a), 1)
      << "A is still in the upstream and healthy";
  EXPECT_EQ(Sample(g, kHealthy, at_b), -1) << "B left the upstream";
  EXPECT_THAT(g.Stop(), IsOk());
}

// ---------------------------------------------------------------------------
// 10. Mirror: primary a Go net/rpc server, shadow a gRPC backend that
// answers Divide with a different Rem.

TEST(MirrorTest, DiffIsShownCountedAndCallersGetThePrimary) {
  absl::StatusOr<std::unique_ptr<GoArithServer>> go = GoArithServer::Start();
  ASSERT_THAT(go, IsOk());
  absl::StatusOr<std::unique_ptr<ArithGrpcBackend>> shadow =
      ArithGrpcBackend::Start(/*offset=*/100);
  ASSERT_THAT(shadow, IsOk());
  absl::StatusOr<std::unique_ptr<GatewayProcess>> gw = StartWith(
      "mirror",
      ArithConfig({"gob NETRPC", "grpc GRPC"},
                  NetRpcUpstream("legacy", {(*go)->address()}) +
                      GrpcUpstream("new", (*shadow)->address()),
                  "- {service: Arith, upstream: legacy, shadow: new}\n"));
  ASSERT_THAT(gw, IsOk());
  GatewayProcess& g = **gw;

  absl::StatusOr<netrpc::testing::RunResult> r = RunGoClient(
      {"-addr", g.Address("gob"), "-mode", "checks", "-dial", "gob"});
  ASSERT_THAT(r, IsOk());
  EXPECT_TRUE(ChecksPassed(r->out, kChecks)) << r->err;

  std::unique_ptr<demo::v1::Arith::Stub> stub = ArithStub(g.Address("grpc"));
  for (int i = 0; i < 5; ++i) {
    grpc::ClientContext ctx;
    demo::v1::Args args;
    args.set_a(17);
    args.set_b(5);
    demo::v1::Quotient q;
    grpc::Status s = stub->Divide(&ctx, args, &q);
    ASSERT_TRUE(s.ok()) << s.error_message();
    EXPECT_EQ(q.rem(), 2);  // the primary's, never the shadow's 102
  }
  // checks made one successful Divide (17/5) and one failing one (1/0, both
  // sides UNKNOWN: agreement); the 5 here differ too.
  absl::StatusOr<double> diffs = g.WaitForMetric(
      "netrpc_gateway_mirror_calls_total",
      {{"route", "Arith.Divide"}, {"result", "diff"}},
      [](double v) { return v >= 6; });
  EXPECT_THAT(diffs, IsOk());
  EXPECT_EQ(g.Metric("netrpc_gateway_mirror_calls_total",
                     {{"route", "Arith.Divide"}, {"result", "diff"}}),
            6);
  EXPECT_EQ(g.Metric("netrpc_gateway_mirror_calls_total",
                     {{"route", "Arith.Divide"}, {"result", "shadow_error"}}),
            0);
  HttpResponse page = HttpGet(g.admin(), "/mirror");
  ASSERT_EQ(page.status, 200) << page.error;
  EXPECT_THAT(page.body, HasSubstr("Arith.Divide (shadow new)"));
  EXPECT_THAT(page.body, HasSubstr("Rem: 2 -> 102"));
  EXPECT_EQ((*shadow)->calls() > 0, true);
  EXPECT_THAT(g.Stop(), IsOk());
}

TEST(MirrorTest, ShadowDownIsInvisibleToCallers) {
  absl::StatusOr<std::unique_ptr<GoArithServer>> go = GoArithServer::Start();
  ASSERT_THAT(go, IsOk());
  absl::StatusOr<std::unique_ptr<GatewayProcess>> gw = StartWith(
      "mirror_down",
      ArithConfig({"gob NETRPC"},
                  NetRpcUpstream("legacy", {(*go)->address()}) +
                      GrpcUpstream("new",
                                   absl::StrCat("127.0.0.1:", UnusedPort())),
                  "- {service: Arith, upstream: legacy, shadow: new}\n"));
  ASSERT_THAT(gw, IsOk());
  GatewayProcess& g = **gw;
  absl::StatusOr<netrpc::testing::RunResult> r =
      RunGoClient({"-addr", g.Address("gob"), "-mode", "calls", "-conns", "2",
                   "-n", "5"});
  ASSERT_THAT(r, IsOk());
  EXPECT_EQ(CountLines(r->out, "OK 56"), 10) << r->out;
  EXPECT_THAT(g.WaitForMetric("netrpc_gateway_mirror_calls_total",
                              {{"route", "Arith.Multiply"},
                               {"result", "shadow_error"}},
                              [](double v) { return v >= 10; }),
              IsOk());
  EXPECT_EQ(g.Metric("netrpc_gateway_mirror_calls_total",
                     {{"route", "Arith.Multiply"}}),
            10);
  EXPECT_EQ(g.Metric("netrpc_gateway_calls_total",
                     {{"route", "Arith.Multiply"}, {"code", "OK"}}),
            10);
  HttpResponse page = HttpGet(g.admin(), "/mirror");
  EXPECT_THAT(page.body, HasSubstr("shadow: UNAVAILABLE"));
  EXPECT_THAT(g.Stop(), IsOk());
}

// A slow shadow never slows the caller: the primary's reply goes out while
// the shadow still holds its copy; the comparison comes later.
TEST(MirrorTest, SlowShadowDoesNotDelayCallers) {
  absl::StatusOr<std::unique_ptr<GoArithServer>> go = GoArithServer::Start();
  ASSERT_THAT(go, IsOk());
  absl::StatusOr<std::unique_ptr<ArithGrpcBackend>> shadow =
      ArithGrpcBackend::Start();
  ASSERT_THAT(shadow, IsOk());
  absl::StatusOr<std::unique_ptr<GatewayProcess>> gw = StartWith(
      "mirror_slow",
      ArithConfig({"gob NETRPC"},
                  NetRpcUpstream("legacy", {(*go)->address()}) +
                      GrpcUpstream("new", (*shadow)->address()),
                  "- {service: Arith, upstream: legacy, shadow: new}\n"));
  ASSERT_THAT(gw, IsOk());
  GatewayProcess& g = **gw;
  absl::StatusOr<netrpc::testing::RunResult> r = RunGoClient(
      {"-addr", g.Address("gob"), "-mode", "calls", "-conns", "2", "-a",
       absl::StrCat(ArithGrpcBackend::kHold), "-b", "1"},
      absl::Seconds(20));
  ASSERT_THAT(r, IsOk());
  EXPECT_EQ(CountLines(r->out, "OK 999"), 2) << r->out;
  // The callers are answered; the shadow copies are (or soon will be) held
  // there, unanswered: the callers did not wait for them.
  EXPECT_THAT((*shadow)->WaitHeld(2), IsOk());
  EXPECT_EQ(g.Metric("netrpc_gateway_mirror_calls_total",
                     {{"route", "Arith.Multiply"}}),
            0);
  (*shadow)->Release();
  EXPECT_THAT(g.WaitForMetric("netrpc_gateway_mirror_calls_total",
                              {{"route", "Arith.Multiply"}, {"result", "match"}},
                              [](double v) { return v == 2; }),
              IsOk());
  EXPECT_THAT(g.Stop(), IsOk());
}

// ---------------------------------------------------------------------------
// 11. Split: weights 1:0 and 0:1 send everything to one arm.

TEST(SplitTest, ZeroWeightArmGetsNothing) {
  absl::StatusOr<std::unique_ptr<ArithGrpcBackend>> a =
      ArithGrpcBackend::Start(0);
  absl::StatusOr<std::unique_ptr<ArithGrpcBackend>> b =
      ArithGrpcBackend::Start(1000);
  ASSERT_THAT(a, IsOk());
  ASSERT_THAT(b, IsOk());
  std::string upstreams =
      GrpcUpstream("old", (*a)->address()) + GrpcUpstream("canary", (*b)->address());
  auto route = [](int old_weight, int canary_weight) {
    return absl::Substitute(
        "- service: Arith\n  split:\n  - {upstream: old, weight: $0}\n"
        "  - {upstream: canary, weight: $1}\n",
        old_weight, canary_weight);
  };
  std::string dir = TestDir("split");
  ASSERT_THAT(CopyArithSchema(dir), IsOk());
  std::string path = WriteFile(
      dir + "/gw.yaml", ArithConfig({"gob NETRPC"}, upstreams, route(1, 0)));
  absl::StatusOr<std::unique_ptr<GatewayProcess>> gw =
      GatewayProcess::Start({"--config=" + path});
  ASSERT_THAT(gw, IsOk());
  GatewayProcess& g = **gw;

  absl::StatusOr<netrpc::testing::RunResult> r = RunGoClient(
      {"-addr", g.Address("gob"), "-mode", "calls", "-conns", "2", "-n", "20"});
  ASSERT_THAT(r, IsOk());
  EXPECT_EQ(CountLines(r->out, "OK 56"), 40) << r->out;
  EXPECT_EQ(g.Metric("netrpc_gateway_calls_total",
                     {{"route", "Arith.Multiply"}, {"upstream", "old"}}),
            40);
  EXPECT_EQ(g.Metric("netrpc_gateway_calls_total",
                     {{"route", "Arith.Multiply"}, {"upstream", "canary"}}),
            0);
  EXPECT_EQ((*b)->calls(), 0);

  WriteFile(path, ArithConfig({"gob NETRPC"}, upstreams, route(0, 1)));
  ASSERT_THAT(g.process().Signal(SIGHUP), IsOk());
  ASSERT_THAT(g.WaitForMetric("netrpc_gateway_config_generation", {},
                              [](double v) { return v == 2; }),
              IsOk());
  r = RunGoClient(
      {"-addr", g.Address("gob"), "-mode", "calls", "-conns", "2", "-n", "20"});
  ASSERT_THAT(r, IsOk());
  EXPECT_EQ(CountLines(r->out, "OK 1056"), 40) << r->out;
  EXPECT_EQ(g.Metric("netrpc_gateway_calls_total",
                     {{"route", "Arith.Multiply"}, {"upstream", "canary"}}),
            40);
  EXPECT_EQ(g.Metric("netrpc_gateway_calls_total",
                     {{"route", "Arith.Multiply"}, {"upstream", "old"}}),
            40);
  EXPECT_EQ((*a)->calls(), 40);
  EXPECT_EQ((*b)->calls(), 40);
  EXPECT_THAT(g.Stop(), IsOk());
}

// ---------------------------------------------------------------------------
// 13. The embedded demo.

TEST(DemoTest, GoClientMultipliesSevenByEight) {
  absl::StatusOr<std::unique_ptr<GatewayProcess>> gw =
      GatewayProcess::Start({"--demo_ports=0,0,0,0"});
  ASSERT_THAT(gw, IsOk());
  std::string netrpc = (*gw)->Address("netrpc");
  ASSERT_FALSE(netrpc.empty()) << (*gw)->process().Output(
      netrpc::testing::Stream::kStdout);
  absl::StatusOr<netrpc::testing::RunResult> r =
      RunGoClient({"-addr", netrpc, "-mode", "calls", "-a", "7", "-b", "8"});
  ASSERT_THAT(r, IsOk());
  EXPECT_THAT(r->out, HasSubstr("OK 56\n"));
  r = RunGoClient({"-addr", (*gw)->Address("http"), "-dial", "http", "-mode",
                   "checks"});
  ASSERT_THAT(r, IsOk());
  EXPECT_TRUE(ChecksPassed(r->out, kChecks)) << r->err;
  EXPECT_EQ(HttpGet((*gw)->admin(), "/healthz").status, 200);
  // The demo has no config file: SIGHUP is ignored, and it keeps serving.
  ASSERT_THAT((*gw)->process().Signal(SIGHUP), IsOk());
  EXPECT_THAT((*gw)->WaitForStderr("SIGHUP ignored"), IsOk());
  r = RunGoClient({"-addr", netrpc, "-mode", "calls", "-a", "7", "-b", "8"});
  ASSERT_THAT(r, IsOk());
  EXPECT_THAT(r->out, HasSubstr("OK 56\n"));
  EXPECT_THAT((*gw)->Stop(), IsOk());
}

}  // namespace
}  // namespace tests
