// Copyright netrpc-gateway authors. Licensed under the BSD-style licence of
// Go.
//
// netrpc::ServeAny against Go 1.19's own clients: rpc.Dial, rpc.DialHTTP,
// jsonrpc.Dial and net/http's GET, all on one port (go/anyclient).

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

  absl::StatusOr<std::string> client = Runfile("tests/netrpc/go_anyclient");
  ASSERT_THAT(client, IsOk());
  SubprocessOptions options;
  options.argv = {*client, "-addr", (*lis)->Addr()};
  absl::StatusOr<RunResult> result = RunCommand(options, absl::Seconds(120));
  (*lis)->Close();
  serve.join();
  ASSERT_THAT(result, IsOk());
  EXPECT_THAT(result->ToStatus(), IsOk())
      << "stdout:\n" << result->out << "\nstderr:\n" << result->err;
  EXPECT_EQ(result->out, "ok gob\nok http\nok jsonrpc\nok debug\n");
}

}  // namespace
