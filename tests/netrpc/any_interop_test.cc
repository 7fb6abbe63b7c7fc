// Copyright netrpc-gateway authors. Licensed under the BSD-style licence of
// Go.
//
// netrpc::ServeAny against Go 1.19's own clients: rpc.Dial, rpc.DialHTTP,
// jsonrpc.Dial and net/http's GET, all on one port (go/anyclient); and a Go
// client's view of ServerOptions::max_concurrent_calls_per_connection.

#include <memory>
#include <string>
#include <thread>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "netrpc/any.h"
#include "netrpc/http.h"
#include "netrpc/listener.h"
#include "netrpc/server.h"
#include "netrpc/service.h"
#include "netrpc/sync.h"
#include "netrpc/examples/types.h"
#include "netrpc/testing/runfiles.h"
#include "netrpc/testing/status_matchers.h"
#include "netrpc/testing/subprocess.h"

namespace {

using ::netrpc::examples::Args;
using ::netrpc::examples::Reply;
using ::netrpc::testing::IsOk;
using ::netrpc::testing::RunCommand;
using ::netrpc::testing::Runfile;
using ::netrpc::testing::RunResult;
using ::netrpc::testing::SubprocessOptions;

class Arith {
 public:
  absl::Status Mul(const Args& args, Reply* reply) {
    reply->C = args.A * args.B;
    return absl::OkStatus();
  }
};

// Gate lets the Go client hold one call in flight: Block waits until
// Release; Started waits until Block runs.
class Gate {
 public:
  absl::Status Block(const Args& args, Reply* reply) {
    netrpc::MutexLock lock(&mu_);
    started_ = true;
    mu_.Await([this]() ABSL_NO_THREAD_SAFETY_ANALYSIS { return released_; });
    reply->C = args.A + args.B;
    return absl::OkStatus();
  }
  absl::Status Started(const Args&, Reply*) {
    netrpc::MutexLock lock(&mu_);
    mu_.Await([this]() ABSL_NO_THREAD_SAFETY_ANALYSIS { return started_; });
    return absl::OkStatus();
  }
  absl::Status Release(const Args&, Reply*) {
    netrpc::MutexLock lock(&mu_);
    released_ = true;
    return absl::OkStatus();
  }
  absl::Status Add(const Args& args, Reply* reply) {
    reply->C = args.A + args.B;
    return absl::OkStatus();
  }

 private:
  netrpc::Mutex mu_;
  bool started_ ABSL_GUARDED_BY(mu_) = false;
  bool released_ ABSL_GUARDED_BY(mu_) = false;
};

TEST(AnyInteropTest, GoClientsOfEveryKindOnOnePort) {
  Arith arith;
  netrpc::Server server;
  netrpc::Service<Arith> service("Arith", &arith);
  service.Method("Mul", &Arith::Mul);
  ASSERT_THAT(server.Register(service), IsOk());
  netrpc::ServeMux mux;
  ASSERT_THAT(server.HandleHTTP(netrpc::kDefaultRPCPath,
                                netrpc::kDefaultDebugPath, &mux),
              IsOk());
  absl::StatusOr<std::unique_ptr<netrpc::Listener>> lis =
      netrpc::Listen("tcp", "127.0.0.1:0");
  ASSERT_THAT(lis, IsOk());
  netrpc::AnyOptions any;
  any.gob = &server;
  any.jsonrpc = &server;
  any.http = &mux;
  std::thread serve([&] { netrpc::ServeAny(**lis, any); });

  // A second server, one call in flight per connection.
  Gate gate;
  netrpc::ServerOptions limit;
  limit.max_concurrent_calls_per_connection = 1;
  netrpc::Server limited(limit);
  netrpc::Service<Gate> gate_service("Gate", &gate);
  gate_service.Method("Block", &Gate::Block)
      .Method("Started", &Gate::Started)
      .Method("Release", &Gate::Release)
      .Method("Add", &Gate::Add);
  ASSERT_THAT(limited.Register(gate_service), IsOk());
  absl::StatusOr<std::unique_ptr<netrpc::Listener>> limit_lis =
      netrpc::Listen("tcp", "127.0.0.1:0");
  ASSERT_THAT(limit_lis, IsOk());
  std::thread serve_limited([&] { limited.Accept(**limit_lis); });

  absl::StatusOr<std::string> client = Runfile("tests/netrpc/go_anyclient");
  ASSERT_THAT(client, IsOk());
  SubprocessOptions options;
  options.argv = {*client, "-addr", (*lis)->Addr(), "-limit_addr",
                  (*limit_lis)->Addr()};
  absl::StatusOr<RunResult> result = RunCommand(options, absl::Seconds(120));
  (*lis)->Close();
  serve.join();
  (*limit_lis)->Close();
  serve_limited.join();
  ASSERT_THAT(result, IsOk());
  EXPECT_THAT(result->ToStatus(), IsOk())
      << "stdout:\n" << result->out << "\nstderr:\n" << result->err;
  EXPECT_EQ(result->out,
            "ok gob\nok http\nok jsonrpc\nok debug\nok limit\n");
}

}  // namespace
