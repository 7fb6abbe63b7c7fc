// The gateway binary's operations: reload (SIGHUP and POST /reload, good and
// bad files), drain on SIGTERM with calls in flight, a port already in use,
// malformed config files (--validate and start), and the limits. See
// README.md.

#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cctype>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "bridge/testing/arith.h"
#include "gmock/gmock.h"
#include "grpcpp/impl/codegen/client_unary_call.h"
#include "gtest/gtest.h"
#include "netrpc/client.h"
#include "netrpc/testing/readiness.h"
#include "netrpc/testing/status_matchers.h"
#include "tests/gateway/gateway_testing.h"

namespace tests {
namespace {

using ::netrpc::testing::IsOk;
using ::netrpc::testing::RunResult;
using ::testing::HasSubstr;
using ::testing::Not;

std::string GrpcUpstream(const std::string& name, const std::string& target) {
  return absl::StrCat("- {name: ", name, ", grpc: {target: \"", target,
                      "\"}}\n");
}

// Pos gives "LINE:COLUMN" (1-based) of the first needle in text.
std::string Pos(absl::string_view text, absl::string_view needle) {
  size_t at = text.find(needle);
  if (at == absl::string_view::npos) return "?:?";
  int line = 1;
  size_t line_start = 0;
  for (size_t i = 0; i < at; ++i) {
    if (text[i] == '\n') {
      ++line;
      line_start = i + 1;
    }
  }
  return absl::StrCat(line, ":", at - line_start + 1);
}

// Multiply calls Arith.Multiply over a fresh gob connection (Go's wire
// format, from our client) and returns the product or the error.
absl::StatusOr<int64_t> Multiply(const std::string& address, int64_t a,
                                 int64_t b) {
  absl::StatusOr<std::unique_ptr<netrpc::Client>> c =
      netrpc::Dial("tcp", address);
  if (!c.ok()) return c.status();
  int64_t product = 0;
  absl::Status s =
      (*c)->Call("Arith.Multiply", bridge_testing::Args{a, b}, &product,
                 netrpc::CallOptions{absl::Seconds(20)});
  if (!s.ok()) return s;
  return product;
}

// ConnectRefused reports whether a TCP connect to address is refused now.
bool ConnectRefused(const std::string& address) {
  absl::StatusOr<netrpc::testing::HostPort> hp =
      netrpc::testing::ParseHostPort(address);
  if (!hp.ok()) return false;
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(hp->port);
  inet_pton(AF_INET, hp->host.c_str(), &a.sin_addr);
  int rc = connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof(a));
  int err = errno;
  close(fd);
  return rc != 0 && err == ECONNREFUSED;
}

// PollUntil polls pred every 10 ms until it holds or timeout passes.
bool PollUntil(const std::function<bool()>& pred,
               absl::Duration timeout = absl::Seconds(20)) {
  absl::Time deadline = absl::Now() + timeout;
  while (!pred()) {
    if (absl::Now() > deadline) return false;
    absl::SleepFor(absl::Milliseconds(10));
  }
  return true;
}

// HeldSocket is a listening loopback socket the test holds (a port in use).
class HeldSocket {
 public:
  HeldSocket() {
    fd_ = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    bind(fd_, reinterpret_cast<sockaddr*>(&a), sizeof(a));
    listen(fd_, 1);
    socklen_t len = sizeof(a);
    getsockname(fd_, reinterpret_cast<sockaddr*>(&a), &len);
    port_ = ntohs(a.sin_port);
  }
  ~HeldSocket() { close(fd_); }
  std::string address() const { return absl::StrCat("127.0.0.1:", port_); }

 private:
  int fd_ = -1;
  int port_ = 0;
};

// LineWith returns the first line of text containing needle ("" if none).
std::string LineWith(absl::string_view text, absl::string_view needle) {
  for (absl::string_view line : absl::StrSplit(text, '\n')) {
    if (absl::StrContains(line, needle)) return std::string(line);
  }
  return "";
}

// CitesFileLine reports whether line holds "path:N:" with N a number.
bool CitesFileLine(absl::string_view line, const std::string& path) {
  size_t at = line.find(path + ":");
  if (at == absl::string_view::npos) return false;
  size_t next = at + path.size() + 1;
  return next < line.size() && std::isdigit(line[next]);
}

// ---------------------------------------------------------------------------
// 5. Reload.

class ReloadTest : public ::testing::Test {
 protected:
  void SetUp() override {
    for (int64_t offset : {0, 1000, 2000}) {
      absl::StatusOr<std::unique_ptr<ArithGrpcBackend>> b =
          ArithGrpcBackend::Start(offset);
      ASSERT_THAT(b, IsOk());
      backends_.push_back(*std::move(b));
    }
    dir_ = TestDir("reload");
    ASSERT_THAT(CopyArithSchema(dir_), IsOk());
    path_ = dir_ + "/gw.yaml";
    WriteFile(path_, Config("a", ""));
    absl::StatusOr<std::unique_ptr<GatewayProcess>> gw =
        GatewayProcess::Start({"--config=" + path_});
    ASSERT_THAT(gw, IsOk());
    gw_ = *std::move(gw);
  }
  void TearDown() override {
    if (gw_ != nullptr) {
      EXPECT_THAT(gw_->Stop(), IsOk());
    }
  }

  // Config routes Arith to upstream `arith` and, if set, `more` routes.
  std::string Config(const std::string& arith, const std::string& more) {
    std::string upstreams = GrpcUpstream("a", backends_[0]->address()) +
                            GrpcUpstream("b", backends_[1]->address()) +
                            GrpcUpstream("c", backends_[2]->address());
    return ArithConfig({"gob NETRPC"}, upstreams,
                       absl::StrCat("- {service: Arith, upstream: ", arith,
                                    "}\n", more),
                       "", /*allow_reload=*/true);
  }

  absl::Status WaitGeneration(int n) {
    return gw_
        ->WaitForMetric("netrpc_gateway_config_generation", {},
                        [n](double v) { return v == n; })
        .status();
  }
  absl::Status WaitReloadErrors(int n) {
    return gw_
        ->WaitForMetric("netrpc_gateway_config_reloads_total",
                        {{"result", "error"}}, [n](double v) { return v == n; })
        .status();
  }
  absl::StatusOr<int64_t> Call() {
    return Multiply(gw_->Address("gob"), 7, 8);
  }

  std::vector<std::unique_ptr<ArithGrpcBackend>> backends_;
  std::string dir_, path_;
  std::unique_ptr<GatewayProcess> gw_;
};

TEST_F(ReloadTest, GoodConfigServesNewCallsBadOnesAreRefused) {
  EXPECT_THAT(Call(), ::netrpc::testing::IsOkAndHolds(56));
  EXPECT_EQ(gw_->Metric("netrpc_gateway_config_reloads_total",
                        {{"result", "ok"}}),
            1);

  // A good file via SIGHUP: the route's upstream changes.
  WriteFile(path_, Config("b", ""));
  ASSERT_THAT(gw_->process().Signal(SIGHUP), IsOk());
  ASSERT_THAT(WaitGeneration(2), IsOk());
  EXPECT_THAT(Call(), ::netrpc::testing::IsOkAndHolds(1056));
  EXPECT_THAT(HttpGet(gw_->admin(), "/config").body,
              HasSubstr("# generation 2"));

  // A syntax error: refused, logged with file:line, counted, old serves.
  WriteFile(path_, "listeners:\n- {name: gob, address: \"127.0.0.1:0\"\n"
                   "upstreams: [\n");
  ASSERT_THAT(gw_->process().Signal(SIGHUP), IsOk());
  ASSERT_THAT(WaitReloadErrors(1), IsOk());
  ASSERT_THAT(gw_->WaitForStderr("reload refused"), IsOk());
  std::string line = LineWith(gw_->Stderr(), "reload refused");
  EXPECT_TRUE(CitesFileLine(line, path_)) << line;
  EXPECT_THAT(line, HasSubstr("level=error"));
  EXPECT_EQ(gw_->Metric("netrpc_gateway_config_generation"), 2);
  EXPECT_THAT(Call(), ::netrpc::testing::IsOkAndHolds(1056));

  // A route to an unknown upstream: refused with the field's position.
  std::string bad = Config("nope", "");
  WriteFile(path_, bad);
  ASSERT_THAT(gw_->process().Signal(SIGHUP), IsOk());
  ASSERT_THAT(WaitReloadErrors(2), IsOk());
  std::string want = absl::StrCat(path_, ":", Pos(bad, "nope"),
                                  ": routes[0].upstream: no upstream named "
                                  "\\\"nope\\\"");
  ASSERT_THAT(gw_->WaitForStderr(want), IsOk()) << gw_->Stderr();
  EXPECT_EQ(gw_->Metric("netrpc_gateway_config_generation"), 2);
  EXPECT_THAT(Call(), ::netrpc::testing::IsOkAndHolds(1056));

  // A file that changes a listener: refused (listeners are fixed).
  std::string moved = Config("c", "");
  absl::StrReplaceAll({{"protocol: NETRPC", "protocol: JSONRPC"}}, &moved);
  WriteFile(path_, moved);
  ASSERT_THAT(gw_->process().Signal(SIGHUP), IsOk());
  ASSERT_THAT(WaitReloadErrors(3), IsOk());
  EXPECT_THAT(Call(), ::netrpc::testing::IsOkAndHolds(1056));

  // POST /reload (allow_reload): a good file adds generation 3.
  WriteFile(path_, Config("c", ""));
  HttpResponse r = HttpPost(gw_->admin(), "/reload");
  EXPECT_EQ(r.status, 200) << r.body << r.error;
  EXPECT_THAT(r.body, HasSubstr("reloaded generation 3"));
  EXPECT_EQ(gw_->Metric("netrpc_gateway_config_generation"), 3);
  EXPECT_THAT(Call(), ::netrpc::testing::IsOkAndHolds(2056));

  // POST /reload with a bad file: 400, the old config keeps serving.
  WriteFile(path_, bad);
  r = HttpPost(gw_->admin(), "/reload");
  EXPECT_EQ(r.status, 400) << r.body << r.error;
  EXPECT_THAT(r.body, HasSubstr("no upstream named"));
  EXPECT_EQ(gw_->Metric("netrpc_gateway_config_reloads_total",
                        {{"result", "error"}}),
            4);
  EXPECT_THAT(Call(), ::netrpc::testing::IsOkAndHolds(2056));
  EXPECT_EQ(gw_->Metric("netrpc_gateway_config_reloads_total",
                        {{"result", "ok"}}),
            3);
}

// A call in flight across a reload finishes on the upstream it started on;
// calls after the reload go to the new one.
TEST_F(ReloadTest, CallInFlightFinishesOnTheOldConfig) {
  absl::StatusOr<std::unique_ptr<netrpc::testing::Subprocess>> held =
      StartGoClient({"-addr", gw_->Address("gob"), "-mode", "calls", "-n", "1",
                     "-a", absl::StrCat(ArithGrpcBackend::kHold), "-b", "1"});
  ASSERT_THAT(held, IsOk());
  ASSERT_THAT(backends_[0]->WaitHeld(1), IsOk());
  WriteFile(path_, Config("b", ""));
  ASSERT_THAT(gw_->process().Signal(SIGHUP), IsOk());
  ASSERT_THAT(WaitGeneration(2), IsOk());
  EXPECT_THAT(Call(), ::netrpc::testing::IsOkAndHolds(1056));
  // Two more generations while the call is still held.
  WriteFile(path_, Config("c", ""));
  ASSERT_THAT(gw_->process().Signal(SIGHUP), IsOk());
  ASSERT_THAT(WaitGeneration(3), IsOk());
  WriteFile(path_, Config("b", ""));
  ASSERT_THAT(gw_->process().Signal(SIGHUP), IsOk());
  ASSERT_THAT(WaitGeneration(4), IsOk());
  EXPECT_EQ(backends_[0]->held(), 1);
  backends_[0]->Release();
  ASSERT_THAT((*held)->Wait(absl::Seconds(30)), IsOk());
  EXPECT_THAT((*held)->Output(netrpc::testing::Stream::kStdout),
              HasSubstr("OK 999\n"));
  EXPECT_THAT(Call(), ::netrpc::testing::IsOkAndHolds(1056));
  EXPECT_EQ(gw_->Metric("netrpc_gateway_calls_total",
                        {{"upstream", "a"}, {"code", "OK"}}),
            1);
  EXPECT_THAT(gw_->WaitForMetric("netrpc_gateway_calls_in_flight", {},
                                 [](double v) { return v == 0; }),
              IsOk());
}

// A route's timeout: the caller gets the bridge's text and the metric
// DEADLINE_EXCEEDED; the gateway goes on.
TEST(RouteTimeoutTest, SlowUpstreamTimesOut) {
  absl::StatusOr<std::unique_ptr<ArithGrpcBackend>> backend =
      ArithGrpcBackend::Start();
  ASSERT_THAT(backend, IsOk());
  std::string dir = TestDir("timeout");
  ASSERT_THAT(CopyArithSchema(dir), IsOk());
  std::string path = WriteFile(
      dir + "/gw.yaml",
      ArithConfig({"gob NETRPC"}, GrpcUpstream("arith", (*backend)->address()),
                  "- {service: Arith, upstream: arith, timeout: 300ms}\n"));
  absl::StatusOr<std::unique_ptr<GatewayProcess>> gw =
      GatewayProcess::Start({"--config=" + path});
  ASSERT_THAT(gw, IsOk());
  absl::Time start = absl::Now();
  absl::StatusOr<RunResult> r = RunGoClient(
      {"-addr", (*gw)->Address("gob"), "-mode", "calls", "-a",
       absl::StrCat(ArithGrpcBackend::kHold), "-b", "1"});
  ASSERT_THAT(r, IsOk());
  EXPECT_LT(absl::Now() - start, absl::Seconds(15));
  EXPECT_THAT(r->out, HasSubstr("ERR "));
  EXPECT_THAT(r->out, HasSubstr("300ms")) << r->out;
  EXPECT_EQ((*gw)->Metric("netrpc_gateway_calls_total",
                          {{"route", "Arith.Multiply"},
                           {"code", "DEADLINE_EXCEEDED"}}),
            1);
  // The backend saw the cancellation; nothing stays in flight.
  EXPECT_THAT((*gw)->WaitForMetric("netrpc_gateway_calls_in_flight", {},
                                   [](double v) { return v == 0; }),
              IsOk());
  EXPECT_THAT(Multiply((*gw)->Address("gob"), 7, 8),
              ::netrpc::testing::IsOkAndHolds(56));
  EXPECT_THAT((*gw)->Stop(), IsOk());
}

// A route's methods rename and time individual methods; its metadata reaches
// the gRPC upstream with every call.
TEST(RouteMethodsTest, RenameTimeoutAndMetadata) {
  absl::StatusOr<std::unique_ptr<ArithGrpcBackend>> backend =
      ArithGrpcBackend::Start();
  ASSERT_THAT(backend, IsOk());
  std::string dir = TestDir("methods");
  ASSERT_THAT(CopyArithSchema(dir), IsOk());
  std::string path = WriteFile(
      dir + "/gw.yaml",
      ArithConfig({"gob NETRPC", "grpc GRPC"},
                  GrpcUpstream("arith", (*backend)->address()),
                  "- service: Arith\n"
                  "  upstream: arith\n"
                  "  timeout: 20s\n"
                  "  metadata: {x-team: payments}\n"
                  "  methods:\n"
                  "  - {name: Times, grpc_method: Multiply, timeout: 250ms}\n"));
  absl::StatusOr<std::unique_ptr<GatewayProcess>> gw =
      GatewayProcess::Start({"--config=" + path});
  ASSERT_THAT(gw, IsOk());
  GatewayProcess& g = **gw;
  absl::StatusOr<RunResult> r =
      RunGoClient({"-addr", g.Address("gob"), "-mode", "calls", "-method",
                   "Arith.Times", "-a", "7", "-b", "8"});
  ASSERT_THAT(r, IsOk());
  EXPECT_THAT(r->out, HasSubstr("OK 56\n"));
  EXPECT_EQ((*backend)->last_team(), "payments");
  EXPECT_EQ(g.Metric("netrpc_gateway_calls_total",
                     {{"route", "Arith.Times"}, {"code", "OK"}}),
            1);
  // The method's own timeout, not the route's 20s.
  absl::Time start = absl::Now();
  r = RunGoClient({"-addr", g.Address("gob"), "-mode", "calls", "-method",
                   "Arith.Times", "-a", absl::StrCat(ArithGrpcBackend::kHold),
                   "-b", "1"});
  ASSERT_THAT(r, IsOk());
  EXPECT_LT(absl::Now() - start, absl::Seconds(10));
  EXPECT_THAT(r->out, HasSubstr("250ms")) << r->out;
  // gRPC callers name the gRPC method; metadata goes with their calls too.
  auto stub = demo::v1::Arith::NewStub(grpc::CreateChannel(
      g.Address("grpc"), grpc::InsecureChannelCredentials()));
  grpc::ClientContext ctx;
  demo::v1::Args args;
  args.set_a(3);
  args.set_b(4);
  demo::v1::Product p;
  grpc::Status s = stub->Multiply(&ctx, args, &p);
  EXPECT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(p.value(), 12);
  EXPECT_EQ((*backend)->last_team(), "payments");
  EXPECT_THAT(g.Stop(), IsOk());
}

// ---------------------------------------------------------------------------
// 6. Drain.

TEST(DrainTest, CallsInFlightFinishNewOnesAreTurnedAway) {
  absl::StatusOr<std::unique_ptr<ArithGrpcBackend>> backend =
      ArithGrpcBackend::Start();
  ASSERT_THAT(backend, IsOk());
  std::string dir = TestDir("drain");
  ASSERT_THAT(CopyArithSchema(dir), IsOk());
  std::string path = WriteFile(
      dir + "/gw.yaml",
      ArithConfig({"gob NETRPC", "grpc GRPC"},
                  GrpcUpstream("arith", (*backend)->address()),
                  "- {service: Arith, upstream: arith}\n",
                  "drain_timeout: 30s\n"));
  absl::StatusOr<std::unique_ptr<GatewayProcess>> gw =
      GatewayProcess::Start({"--config=" + path});
  ASSERT_THAT(gw, IsOk());
  GatewayProcess& g = **gw;

  // An open connection, used once before the drain.
  absl::StatusOr<std::unique_ptr<netrpc::Client>> open =
      netrpc::Dial("tcp", g.Address("gob"));
  ASSERT_THAT(open, IsOk());
  int64_t product = 0;
  ASSERT_THAT((*open)->Call("Arith.Multiply", bridge_testing::Args{2, 3},
                            &product),
              IsOk());
  EXPECT_EQ(product, 6);

  // An open gRPC channel, used once before the drain.
  auto open_stub = demo::v1::Arith::NewStub(grpc::CreateChannel(
      g.Address("grpc"), grpc::InsecureChannelCredentials()));
  {
    grpc::ClientContext ctx;
    demo::v1::Args args;
    args.set_a(2);
    args.set_b(4);
    demo::v1::Product p;
    ASSERT_TRUE(open_stub->Multiply(&ctx, args, &p).ok());
    EXPECT_EQ(p.value(), 8);
  }

  // Four calls held at the backend: three from Go, one over gRPC.
  absl::StatusOr<std::unique_ptr<netrpc::testing::Subprocess>> held =
      StartGoClient({"-addr", g.Address("gob"), "-mode", "calls", "-conns",
                     "3", "-n", "1", "-a",
                     absl::StrCat(ArithGrpcBackend::kHold), "-b", "2"});
  ASSERT_THAT(held, IsOk());
  grpc::Status grpc_status;
  demo::v1::Product grpc_product;
  std::thread grpc_call([&] {
    auto stub = demo::v1::Arith::NewStub(grpc::CreateChannel(
        g.Address("grpc"), grpc::InsecureChannelCredentials()));
    grpc::ClientContext ctx;
    ctx.set_deadline(std::chrono::system_clock::now() +
                     std::chrono::seconds(60));
    demo::v1::Args args;
    args.set_a(ArithGrpcBackend::kHold);
    args.set_b(3);
    grpc_status = stub->Multiply(&ctx, args, &grpc_product);
  });
  ASSERT_THAT((*backend)->WaitHeld(4), IsOk());
  EXPECT_THAT(g.WaitForMetric("netrpc_gateway_calls_in_flight", {},
                              [](double v) { return v == 4; }),
              IsOk());

  ASSERT_THAT(g.process().Signal(SIGTERM), IsOk());
  EXPECT_TRUE(PollUntil([&] {
    HttpResponse r = HttpGet(g.admin(), "/readyz");
    return r.status == 503 && absl::StrContains(r.body, "draining");
  })) << HttpGet(g.admin(), "/readyz").body;
  // New connections are refused, on both listeners.
  EXPECT_TRUE(PollUntil([&] { return ConnectRefused(g.Address("gob")); }));
  EXPECT_TRUE(PollUntil([&] { return ConnectRefused(g.Address("grpc")); }));
  // A new call on a connection opened before: UNAVAILABLE's text.
  absl::Status s = (*open)->Call("Arith.Multiply", bridge_testing::Args{2, 3},
                                 &product, netrpc::CallOptions{absl::Seconds(20)});
  EXPECT_THAT(std::string(s.message()),
              HasSubstr("gateway: shutting down; retry on another replica"))
      << s;
  {
    grpc::ClientContext ctx;
    ctx.set_deadline(std::chrono::system_clock::now() +
                     std::chrono::seconds(10));
    demo::v1::Args args;
    args.set_a(2);
    args.set_b(4);
    demo::v1::Product p;
    grpc::Status gs = open_stub->Multiply(&ctx, args, &p);
    EXPECT_EQ(gs.error_code(), grpc::StatusCode::UNAVAILABLE)
        << gs.error_message();
  }
  // The calls in flight are still held; let them finish.
  EXPECT_EQ((*backend)->held(), 4);
  (*backend)->Release();
  absl::StatusOr<netrpc::testing::ExitStatus> client_exit =
      (*held)->Wait(absl::Seconds(30));
  ASSERT_THAT(client_exit, IsOk());
  std::string out = (*held)->Output(netrpc::testing::Stream::kStdout);
  EXPECT_EQ(CountLines(out, "OK 1998"), 3) << out;
  grpc_call.join();
  EXPECT_TRUE(grpc_status.ok()) << grpc_status.error_message();
  EXPECT_EQ(grpc_product.value(), 2997);

  absl::StatusOr<netrpc::testing::ExitStatus> exit =
      g.process().Wait(absl::Seconds(30));
  ASSERT_THAT(exit, IsOk());
  EXPECT_TRUE(exit->Success()) << exit->ToString() << "\n" << g.Stderr();
  EXPECT_THAT(g.Stderr(), HasSubstr("calls_abandoned=0"));
}

// drain_timeout passes with a call still held: the gateway gives up on it,
// says so, and still exits 0 (not a crash while the abandoned call unwinds).
TEST(DrainTest, GraceExpiresWithACallInFlight) {
  absl::StatusOr<std::unique_ptr<ArithGrpcBackend>> backend =
      ArithGrpcBackend::Start();
  ASSERT_THAT(backend, IsOk());
  std::string dir = TestDir("drain_grace");
  ASSERT_THAT(CopyArithSchema(dir), IsOk());
  std::string path = WriteFile(
      dir + "/gw.yaml",
      ArithConfig({"gob NETRPC"}, GrpcUpstream("arith", (*backend)->address()),
                  "- {service: Arith, upstream: arith}\n",
                  "drain_timeout: 500ms\n"));
  absl::StatusOr<std::unique_ptr<GatewayProcess>> gw =
      GatewayProcess::Start({"--config=" + path});
  ASSERT_THAT(gw, IsOk());
  GatewayProcess& g = **gw;
  absl::StatusOr<std::unique_ptr<netrpc::testing::Subprocess>> held =
      StartGoClient({"-addr", g.Address("gob"), "-mode", "calls", "-n", "1",
                     "-a", absl::StrCat(ArithGrpcBackend::kHold), "-b", "1"});
  ASSERT_THAT(held, IsOk());
  ASSERT_THAT((*backend)->WaitHeld(1), IsOk());
  absl::Time start = absl::Now();
  ASSERT_THAT(g.process().Signal(SIGTERM), IsOk());
  absl::StatusOr<netrpc::testing::ExitStatus> exit =
      g.process().Wait(absl::Seconds(30));
  ASSERT_THAT(exit, IsOk());
  EXPECT_TRUE(exit->Success()) << exit->ToString() << "\n" << g.Stderr();
  EXPECT_LT(absl::Now() - start, absl::Seconds(10));
  EXPECT_THAT(LineWith(g.Stderr(), "msg=drained"),
              HasSubstr("calls_abandoned=1"));
  // The Go caller got an answer (an error), not a hang.
  ASSERT_THAT((*held)->Wait(absl::Seconds(30)), IsOk());
  EXPECT_THAT((*held)->Output(netrpc::testing::Stream::kStdout),
              HasSubstr("DONE ok=0 err=1"));
}

// --log_level=error keeps the per-call warnings out of the log.
TEST(LogLevelTest, ErrorLevelHidesCallFailures) {
  absl::StatusOr<std::unique_ptr<ArithGrpcBackend>> backend =
      ArithGrpcBackend::Start();
  ASSERT_THAT(backend, IsOk());
  std::string dir = TestDir("log_level");
  ASSERT_THAT(CopyArithSchema(dir), IsOk());
  std::string good =
      ArithConfig({"gob NETRPC"}, GrpcUpstream("arith", (*backend)->address()),
                  "- {service: Arith, upstream: arith}\n");
  std::string path = WriteFile(dir + "/gw.yaml", good);
  absl::StatusOr<std::unique_ptr<GatewayProcess>> gw =
      GatewayProcess::Start({"--config=" + path, "--log_level=error"});
  ASSERT_THAT(gw, IsOk());
  GatewayProcess& g = **gw;
  bridge_testing::Args zero{1, 0};
  absl::StatusOr<std::unique_ptr<netrpc::Client>> c =
      netrpc::Dial("tcp", g.Address("gob"));
  ASSERT_THAT(c, IsOk());
  bridge_testing::Quotient q;
  EXPECT_FALSE((*c)->Call("Arith.Divide", zero, &q).ok());
  // An error-level line after it: once it is in, the warning would be too.
  WriteFile(path, "listeners: [\n");
  ASSERT_THAT(g.process().Signal(SIGHUP), IsOk());
  ASSERT_THAT(g.WaitForStderr("reload refused"), IsOk());
  EXPECT_THAT(g.Stderr(), Not(HasSubstr("call failed")));
  EXPECT_THAT(g.Stderr(), Not(HasSubstr("level=info")));
  EXPECT_THAT(g.Stop(), IsOk());
}

// The same config as textproto starts and serves.
TEST(TextprotoTest, TextprotoConfigServes) {
  absl::StatusOr<std::unique_ptr<ArithGrpcBackend>> backend =
      ArithGrpcBackend::Start();
  ASSERT_THAT(backend, IsOk());
  std::string dir = TestDir("textproto");
  ASSERT_THAT(CopyArithSchema(dir), IsOk());
  std::string path = WriteFile(
      dir + "/gw.textproto",
      absl::StrCat("listeners { name: \"gob\" address: \"127.0.0.1:0\" "
                   "protocol: NETRPC }\n",
                   "upstreams { name: \"arith\" grpc { target: \"",
                   (*backend)->address(), "\" } }\n",
                   "schemas { descriptor_set: \"arith.pb\" }\n",
                   "bridge { package: \"demo.v1\" unwrap_messages: "
                   "\"demo.v1.Product\" }\n",
                   "routes { service: \"Arith\" upstream: \"arith\" "
                   "timeout { seconds: 5 } }\n",
                   "admin { address: \"127.0.0.1:0\" }\n"));
  absl::StatusOr<RunResult> v = RunGateway({"--config=" + path, "--validate"});
  ASSERT_THAT(v, IsOk());
  EXPECT_THAT(v->ToStatus(), IsOk());
  absl::StatusOr<std::unique_ptr<GatewayProcess>> gw =
      GatewayProcess::Start({"--config=" + path});
  ASSERT_THAT(gw, IsOk());
  EXPECT_THAT(Multiply((*gw)->Address("gob"), 7, 8),
              ::netrpc::testing::IsOkAndHolds(56));
  EXPECT_THAT((*gw)->Stop(), IsOk());
}

// ---------------------------------------------------------------------------
// 7. A port already in use.

class PortInUseTest : public ::testing::Test {
 protected:
  // Run starts the gateway on config and wants it to fail naming the file,
  // `where` (the field path) and the taken address.
  void Run(const std::string& name, const std::string& config,
           const std::string& where, const std::string& address) {
    std::string dir = TestDir(name);
    ASSERT_THAT(CopyArithSchema(dir), IsOk());
    std::string path = WriteFile(dir + "/gw.yaml", config);
    absl::StatusOr<RunResult> r = RunGateway({"--config=" + path});
    ASSERT_THAT(r, IsOk());
    EXPECT_FALSE(r->exit.Success()) << r->out;
    EXPECT_THAT(r->err, HasSubstr(path + ":")) << r->err;
    EXPECT_THAT(r->err, HasSubstr(where)) << r->err;
    EXPECT_THAT(r->err, HasSubstr(address)) << r->err;
    EXPECT_THAT(r->out, Not(HasSubstr("listening"))) << r->out;
  }
  std::string Config(const std::vector<std::pair<std::string, std::string>>&
                         listeners,
                     const std::string& admin) {
    std::string out = "listeners:\n";
    for (const auto& [protocol, address] : listeners) {
      absl::StrAppend(&out, "- {name: l", protocol, ", address: \"", address,
                      "\", protocol: ", protocol, "}\n");
    }
    absl::StrAppend(&out,
                    "upstreams:\n- {name: arith, grpc: {target: "
                    "\"127.0.0.1:1\"}}\n",
                    "schemas:\n- {descriptor_set: arith.pb}\n",
                    "bridge: {package: demo.v1}\n",
                    "routes:\n- {service: Arith, upstream: arith}\n",
                    "admin: {address: \"", admin, "\"}\n");
    return out;
  }
  HeldSocket taken_;
};

TEST_F(PortInUseTest, NetRpcListener) {
  Run("port_netrpc",
      Config({{"GRPC", "127.0.0.1:0"}, {"NETRPC", taken_.address()}},
             "127.0.0.1:0"),
      "listeners[1].address", taken_.address());
}

TEST_F(PortInUseTest, GrpcListener) {
  Run("port_grpc",
      Config({{"NETRPC", "127.0.0.1:0"}, {"GRPC", taken_.address()}},
             "127.0.0.1:0"),
      "listeners[1].address", taken_.address());
}

TEST_F(PortInUseTest, AdminListener) {
  Run("port_admin", Config({{"NETRPC", "127.0.0.1:0"}}, taken_.address()),
      "admin.address", taken_.address());
}

// ---------------------------------------------------------------------------
// 8. Malformed config files: the precise error, with --validate and on start.

class MalformedConfigTest : public ::testing::Test {
 protected:
  // Check wants `config` refused by --validate and by a start, each with
  // stderr holding "PATH:LINE:COL: " + want, the position being that of
  // `at` in the file.
  void Check(const std::string& name, const std::string& config,
             const std::string& at, const std::string& want) {
    std::string dir = TestDir(name);
    ASSERT_THAT(CopyArithSchema(dir), IsOk());
    std::string path = WriteFile(dir + "/gw.yaml", config);
    std::string expected = absl::StrCat(path, ":", Pos(config, at), ": ", want);
    for (bool validate : {true, false}) {
      std::vector<std::string> args = {"--config=" + path};
      if (validate) args.push_back("--validate");
      absl::StatusOr<RunResult> r = RunGateway(args);
      ASSERT_THAT(r, IsOk());
      EXPECT_EQ(r->exit.code, 1) << r->exit.ToString();
      EXPECT_THAT(r->err, HasSubstr(expected))
          << (validate ? "--validate" : "start");
      EXPECT_THAT(r->out, Not(HasSubstr("listening")));
    }
  }
};

constexpr char kGood[] = R"(listeners:
- name: gob
  address: "127.0.0.1:0"
  protocol: NETRPC
upstreams:
- name: arith
  grpc:
    target: "127.0.0.1:1"
schemas:
- descriptor_set: arith.pb
bridge:
  package: demo.v1
routes:
- service: Arith
  upstream: arith
  timeout: 2s
admin:
  address: "127.0.0.1:0"
)";

std::string Replace(std::string text, const std::string& from,
                    const std::string& to) {
  absl::StrReplaceAll({{from, to}}, &text);
  return text;
}

TEST_F(MalformedConfigTest, GoodOneValidates) {
  std::string dir = TestDir("good");
  ASSERT_THAT(CopyArithSchema(dir), IsOk());
  std::string path = WriteFile(dir + "/gw.yaml", kGood);
  absl::StatusOr<RunResult> r = RunGateway({"--config=" + path, "--validate"});
  ASSERT_THAT(r, IsOk());
  EXPECT_THAT(r->ToStatus(), IsOk());
  EXPECT_THAT(r->out, HasSubstr("ok (1 listeners, 1 upstreams, 1 routes)"));
}

TEST_F(MalformedConfigTest, UnknownField) {
  Check("unknown_field", Replace(kGood, "  address: \"127.0.0.1:0\"\n  protocol",
                                 "  adress: \"127.0.0.1:0\"\n  protocol"),
        "adress",
        "listeners[0]: unknown field \"adress\" (did you mean \"address\"?)");
}

TEST_F(MalformedConfigTest, BadDuration) {
  Check("bad_duration", Replace(kGood, "timeout: 2s", "timeout: 2 seconds"),
        "2 seconds",
        "routes[0].timeout: \"2 seconds\" is not a duration (write e.g. "
        "\"2s\" or \"1.5s\")");
}

TEST_F(MalformedConfigTest, UnknownUpstream) {
  Check("unknown_upstream", Replace(kGood, "upstream: arith", "upstream: nope"),
        "nope", "routes[0].upstream: no upstream named \"nope\"");
}

TEST_F(MalformedConfigTest, MissingSchemaFile) {
  Check("missing_schema",
        Replace(kGood, "descriptor_set: arith.pb", "descriptor_set: missing.pb"),
        "missing.pb", "schemas[0].descriptor_set: \"missing.pb\"");
}

// A method the schema lacks is found by --validate too (it loads the
// schemas and builds the mapping), not only at start.
TEST_F(MalformedConfigTest, MethodMissingFromSchema) {
  Check("missing_method",
        Replace(kGood, "  timeout: 2s\n",
                "  timeout: 2s\n  methods: [{name: Pow}]\n"),
        "{name: Pow}",
        "routes[0].methods[0]: demo.v1.Arith has no method Pow (it has: "
        "Divide, Multiply)");
}

// ---------------------------------------------------------------------------
// 9. Limits.

class LimitsTest : public ::testing::Test {
 protected:
  void Start(const std::string& name, const std::string& route_extra,
             const std::string& extra) {
    absl::StatusOr<std::unique_ptr<ArithGrpcBackend>> b =
        ArithGrpcBackend::Start();
    ASSERT_THAT(b, IsOk());
    backend_ = *std::move(b);
    std::string dir = TestDir(name);
    ASSERT_THAT(CopyArithSchema(dir), IsOk());
    std::string path = WriteFile(
        dir + "/gw.yaml",
        ArithConfig({"gob NETRPC", "grpc GRPC"},
                    GrpcUpstream("arith", backend_->address()),
                    absl::StrCat("- {service: Arith, upstream: arith",
                                 route_extra, "}\n"),
                    extra));
    absl::StatusOr<std::unique_ptr<GatewayProcess>> gw =
        GatewayProcess::Start({"--config=" + path});
    ASSERT_THAT(gw, IsOk());
    gw_ = *std::move(gw);
  }
  void TearDown() override {
    if (backend_ != nullptr) backend_->Release();
    if (held_ != nullptr) {
      EXPECT_THAT(held_->Wait(absl::Seconds(30)), IsOk());
    }
    if (gw_ != nullptr) {
      EXPECT_THAT(gw_->Stop(), IsOk());
    }
  }

  // Hold starts n Go calls that the backend holds, and waits for them.
  void Hold(int n) {
    absl::StatusOr<std::unique_ptr<netrpc::testing::Subprocess>> held =
        StartGoClient({"-addr", gw_->Address("gob"), "-mode", "calls",
                       "-conns", absl::StrCat(n), "-n", "1", "-a",
                       absl::StrCat(ArithGrpcBackend::kHold), "-b", "1"});
    ASSERT_THAT(held, IsOk());
    held_ = *std::move(held);
    ASSERT_THAT(backend_->WaitHeld(n), IsOk());
  }

  // OneGoCall makes one Go call, which must come back while others are
  // held (so, at once), and returns its output.
  std::string OneGoCall() {
    absl::StatusOr<RunResult> r = RunGoClient(
        {"-addr", gw_->Address("gob"), "-mode", "calls", "-a", "3", "-b", "3"},
        absl::Seconds(20));
    if (!r.ok()) return std::string(r.status().message());
    return r->out;
  }

  std::unique_ptr<ArithGrpcBackend> backend_;
  std::unique_ptr<GatewayProcess> gw_;
  std::unique_ptr<netrpc::testing::Subprocess> held_;
};

TEST_F(LimitsTest, GatewayMaxConcurrentCalls) {
  Start("limit_gateway", "", "limits: {max_concurrent_calls: 2}\n");
  Hold(2);
  // A net/rpc caller reads RESOURCE_EXHAUSTED as Go's gRPC text
  // ("rpc error: code = ResourceExhausted desc = ..."), as the bridge
  // renders every code but UNKNOWN.
  EXPECT_THAT(OneGoCall(),
              HasSubstr("gateway: too many calls in flight (limit 2); retry "
                        "later\n"));
  auto stub = demo::v1::Arith::NewStub(grpc::CreateChannel(
      gw_->Address("grpc"), grpc::InsecureChannelCredentials()));
  grpc::ClientContext ctx;
  demo::v1::Args args;
  args.set_a(3);
  demo::v1::Product p;
  grpc::Status s = stub->Multiply(&ctx, args, &p);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
  EXPECT_THAT(s.error_message(), HasSubstr("too many calls in flight"));
  EXPECT_EQ(gw_->Metric("netrpc_gateway_rejected_calls_total",
                        {{"reason", "gateway_concurrency"}}),
            2);
  EXPECT_EQ(backend_->held(), 2);
  backend_->Release();
  ASSERT_THAT(held_->Wait(absl::Seconds(30)), IsOk());
  EXPECT_EQ(CountLines(held_->Output(netrpc::testing::Stream::kStdout),
                       "OK 999"),
            2);
  EXPECT_THAT(gw_->WaitForMetric("netrpc_gateway_calls_in_flight", {},
                                 [](double v) { return v == 0; }),
              IsOk());
  EXPECT_THAT(OneGoCall(), HasSubstr("OK 9\n"));
}

TEST_F(LimitsTest, RouteMaxConcurrentCalls) {
  Start("limit_route", ", max_concurrent_calls: 1", "");
  Hold(1);
  EXPECT_THAT(OneGoCall(), HasSubstr("gateway: too many calls in flight for "
                                     "Arith (limit 1); retry later\n"));
  EXPECT_EQ(gw_->Metric("netrpc_gateway_rejected_calls_total",
                        {{"reason", "route_concurrency"}}),
            1);
  EXPECT_EQ(gw_->Metric("netrpc_gateway_rejected_calls_total",
                        {{"reason", "gateway_concurrency"}}),
            0);
  backend_->Release();
  ASSERT_THAT(held_->Wait(absl::Seconds(30)), IsOk());
  EXPECT_THAT(gw_->WaitForMetric("netrpc_gateway_route_calls_in_flight",
                                 {{"route", "Arith.Multiply"}},
                                 [](double v) { return v == 0; }),
              IsOk());
  EXPECT_THAT(OneGoCall(), HasSubstr("OK 9\n"));
}

TEST_F(LimitsTest, MaxConcurrentCallsPerConnection) {
  Start("limit_connection", "",
        "limits: {max_concurrent_calls_per_connection: 1}\n");
  absl::StatusOr<std::unique_ptr<netrpc::Client>> client =
      netrpc::Dial("tcp", gw_->Address("gob"));
  ASSERT_THAT(client, IsOk());
  bridge_testing::Args hold{ArithGrpcBackend::kHold, 1};
  int64_t first = 0;
  std::shared_ptr<netrpc::Call> held =
      (*client)->Go("Arith.Multiply", hold, &first, nullptr,
                    netrpc::CallOptions{absl::Seconds(30)});
  ASSERT_THAT(backend_->WaitHeld(1), IsOk());
  // A second call on the same connection is refused at once.
  int64_t second = 0;
  absl::Status s =
      (*client)->Call("Arith.Multiply", bridge_testing::Args{2, 2}, &second,
                      netrpc::CallOptions{absl::Seconds(20)});
  EXPECT_FALSE(s.ok());
  EXPECT_FALSE(held->done());
  // Another connection is not limited by this one.
  absl::StatusOr<int64_t> other = Multiply(gw_->Address("gob"), 2, 2);
  EXPECT_THAT(other, ::netrpc::testing::IsOkAndHolds(4));
  backend_->Release();
  EXPECT_THAT(held->Wait(), IsOk());
  EXPECT_EQ(first, 999);
  // The admin README: counted as rejected{reason="connection_concurrency"}.
  EXPECT_EQ(gw_->Metric("netrpc_gateway_rejected_calls_total",
                        {{"reason", "connection_concurrency"}}),
            1)
      << "the refusal was: " << s;
}

// Varint appends protobuf's varint encoding of v.
void Varint(std::string* out, uint64_t v) {
  while (v >= 0x80) {
    out->push_back(static_cast<char>((v & 0x7f) | 0x80));
    v >>= 7;
  }
  out->push_back(static_cast<char>(v));
}

TEST_F(LimitsTest, MaxMessageBytes) {
  Start("limit_size", "", "limits: {max_message_bytes: 65536}\n");
  // A connection opened before the oversized request.
  absl::StatusOr<std::unique_ptr<netrpc::Client>> before =
      netrpc::Dial("tcp", gw_->Address("gob"));
  ASSERT_THAT(before, IsOk());

  // net/rpc: Go sends 200 KB in one request; then a new connection works.
  absl::StatusOr<RunResult> r = RunGoClient(
      {"-addr", gw_->Address("gob"), "-mode", "big", "-pad", "200000"});
  ASSERT_THAT(r, IsOk());
  EXPECT_THAT(r->out, HasSubstr("BIG ERR"));
  EXPECT_THAT(r->out, HasSubstr("AFTER OK 20\n"));
  EXPECT_EQ(backend_->calls(), 1);  // only AFTER's reached the backend

  // gRPC: a valid Args with 200 KB of unknown field is RESOURCE_EXHAUSTED.
  demo::v1::Args args;
  args.set_a(2);
  args.set_b(3);
  std::string big = args.SerializeAsString();
  Varint(&big, (15 << 3) | 2);
  Varint(&big, 200000);
  big.append(200000, 'x');
  std::shared_ptr<grpc::Channel> channel = grpc::CreateChannel(
      gw_->Address("grpc"), grpc::InsecureChannelCredentials());
  {
    grpc::ClientContext ctx;
    ctx.set_deadline(std::chrono::system_clock::now() +
                     std::chrono::seconds(20));
    grpc::Slice slice(big);
    grpc::ByteBuffer req(&slice, 1);
    grpc::ByteBuffer resp;
    grpc::Status s =
        grpc::internal::BlockingUnaryCall<grpc::ByteBuffer, grpc::ByteBuffer>(
            channel.get(),
            grpc::internal::RpcMethod("/demo.v1.Arith/Multiply",
                                      grpc::internal::RpcMethod::NORMAL_RPC),
            &ctx, req, &resp);
    EXPECT_EQ(s.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED)
        << s.error_message();
  }
  EXPECT_EQ(backend_->calls(), 1);
  {
    auto stub = demo::v1::Arith::NewStub(channel);
    grpc::ClientContext ctx;
    demo::v1::Product p;
    grpc::Status s = stub->Multiply(&ctx, args, &p);
    EXPECT_TRUE(s.ok()) << s.error_message();
    EXPECT_EQ(p.value(), 6);
  }
  // The connection opened before still works.
  int64_t product = 0;
  EXPECT_THAT((*before)->Call("Arith.Multiply", bridge_testing::Args{5, 5},
                              &product, netrpc::CallOptions{absl::Seconds(20)}),
              IsOk());
  EXPECT_EQ(product, 25);
}

// GrpcBig sends a valid demo.v1.Args padded with `pad` bytes of unknown
// field to /demo.v1.Arith/Multiply at address.
grpc::Status GrpcBig(const std::string& address, size_t pad) {
  demo::v1::Args args;
  args.set_a(2);
  args.set_b(3);
  std::string big = args.SerializeAsString();
  Varint(&big, (15 << 3) | 2);
  Varint(&big, pad);
  big.append(pad, 'x');
  std::shared_ptr<grpc::Channel> channel =
      grpc::CreateChannel(address, grpc::InsecureChannelCredentials());
  grpc::ClientContext ctx;
  ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(20));
  grpc::Slice slice(big);
  grpc::ByteBuffer req(&slice, 1);
  grpc::ByteBuffer resp;
  return grpc::internal::BlockingUnaryCall<grpc::ByteBuffer, grpc::ByteBuffer>(
      channel.get(),
      grpc::internal::RpcMethod("/demo.v1.Arith/Multiply",
                                grpc::internal::RpcMethod::NORMAL_RPC),
      &ctx, req, &resp);
}

// limits may change on reload ("listeners and admin may not"), and limits
// apply to every listener: a raised max_message_bytes must let a 200 KB
// request in over gRPC as over net/rpc.
TEST(LimitsReloadTest, RaisedMessageLimitAppliesToEveryListener) {
  absl::StatusOr<std::unique_ptr<ArithGrpcBackend>> backend =
      ArithGrpcBackend::Start();
  ASSERT_THAT(backend, IsOk());
  std::string dir = TestDir("limit_reload");
  ASSERT_THAT(CopyArithSchema(dir), IsOk());
  auto config = [&](int64_t limit) {
    return ArithConfig({"gob NETRPC", "grpc GRPC"},
                       GrpcUpstream("arith", (*backend)->address()),
                       "- {service: Arith, upstream: arith}\n",
                       absl::StrCat("limits: {max_message_bytes: ", limit,
                                    "}\n"));
  };
  std::string path = WriteFile(dir + "/gw.yaml", config(65536));
  absl::StatusOr<std::unique_ptr<GatewayProcess>> gw =
      GatewayProcess::Start({"--config=" + path});
  ASSERT_THAT(gw, IsOk());
  GatewayProcess& g = **gw;
  EXPECT_EQ(GrpcBig(g.Address("grpc"), 200000).error_code(),
            grpc::StatusCode::RESOURCE_EXHAUSTED);

  WriteFile(path, config(1 << 20));
  ASSERT_THAT(g.process().Signal(SIGHUP), IsOk());
  ASSERT_THAT(g.WaitForMetric("netrpc_gateway_config_generation", {},
                              [](double v) { return v == 2; }),
              IsOk());
  EXPECT_THAT(HttpGet(g.admin(), "/config").body,
              HasSubstr("max_message_bytes: 1048576"));
  // net/rpc: the request now gets past the size check (and is refused by
  // the mapping for its extra field instead).
  absl::StatusOr<RunResult> r = RunGoClient(
      {"-addr", g.Address("gob"), "-mode", "big", "-pad", "200000"});
  ASSERT_THAT(r, IsOk());
  EXPECT_THAT(r->out, HasSubstr("Pad")) << r->out;
  // gRPC: likewise no longer RESOURCE_EXHAUSTED.
  grpc::Status s = GrpcBig(g.Address("grpc"), 200000);
  EXPECT_NE(s.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED)
      << s.error_message();
  EXPECT_THAT(g.Stop(), IsOk());
}

// The admin README: rejected_calls_total{reason="message_too_large"} counts
// requests refused by limits.max_message_bytes.
TEST_F(LimitsTest, OversizedRequestsAreCounted) {
  Start("limit_size_metric", "", "limits: {max_message_bytes: 65536}\n");
  absl::StatusOr<RunResult> r = RunGoClient(
      {"-addr", gw_->Address("gob"), "-mode", "big", "-pad", "200000"});
  ASSERT_THAT(r, IsOk());
  EXPECT_THAT(r->out, HasSubstr("BIG ERR"));
  EXPECT_THAT(gw_->WaitForMetric("netrpc_gateway_rejected_calls_total",
                                 {{"reason", "message_too_large"}},
                                 [](double v) { return v >= 1; },
                                 absl::Seconds(5)),
              IsOk());
}

}  // namespace
}  // namespace tests
