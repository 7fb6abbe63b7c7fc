// Copyright netrpc-gateway authors. Licensed under the BSD-style licence of Go.
//
// The examples' --jsonrpc flags (netrpc/examples/jsonrpc_seam.h) against Go
// 1.19: arith_client --jsonrpc calls Go's jsonrpc server, and Go's jsonrpc
// client runs all_test.go's TestServer* and TestClient checks against
// test_server --jsonrpc (whose BuiltinTypes, server_test.go's, take other
// arguments than all_test.go's, so those checks are left out).

#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_split.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

#include "netrpc/testing/readiness.h"
#include "netrpc/testing/runfiles.h"
#include "netrpc/testing/status_matchers.h"
#include "netrpc/testing/subprocess.h"

namespace {

using ::netrpc::testing::HostPort;
using ::netrpc::testing::IsOk;
using ::netrpc::testing::RunCommand;
using ::netrpc::testing::Runfile;
using ::netrpc::testing::RunResult;
using ::netrpc::testing::Subprocess;
using ::netrpc::testing::SubprocessOptions;
using ::netrpc::testing::WaitForListenAddress;

// Start starts a server and returns the address it announces after
// `prefix`.
std::string Start(std::vector<std::string> argv, const std::string& prefix,
                  std::unique_ptr<Subprocess>* process) {
  SubprocessOptions options;
  options.argv = std::move(argv);
  absl::StatusOr<std::unique_ptr<Subprocess>> p = Subprocess::Start(options);
  EXPECT_THAT(p, IsOk());
  if (!p.ok()) return "";
  *process = std::move(*p);
  absl::StatusOr<HostPort> addr =
      WaitForListenAddress(**process, prefix, absl::Seconds(30));
  EXPECT_THAT(addr, IsOk());
  return addr.ok() ? addr->ToString() : "";
}

TEST(ExamplesTest, ArithClientCallsGosJsonRpcServer) {
  absl::StatusOr<std::string> peer = Runfile("tests/jsonrpc/jsonpeer");
  absl::StatusOr<std::string> client = Runfile("netrpc/examples/arith_client");
  ASSERT_THAT(peer, IsOk());
  ASSERT_THAT(client, IsOk());
  std::unique_ptr<Subprocess> go;
  std::string addr = Start({*peer, "serve"}, "listening jsonrpc ", &go);
  ASSERT_FALSE(addr.empty());

  SubprocessOptions options;
  options.argv = {*client, "--addr=" + addr, "--jsonrpc"};
  absl::StatusOr<RunResult> run = RunCommand(options, absl::Seconds(30));
  ASSERT_THAT(run, IsOk());
  EXPECT_THAT(run->ToStatus(), IsOk());
  EXPECT_EQ(run->out,
            "Arith: 7*8=56\n"
            "Arith: 7/8=0 remainder 7\n"
            "Arith: 7/0 error: divide by zero\n");
}

TEST(ExamplesTest, GoClientAgainstTestServer) {
  absl::StatusOr<std::string> peer = Runfile("tests/jsonrpc/jsonpeer");
  absl::StatusOr<std::string> server = Runfile("netrpc/examples/test_server");
  ASSERT_THAT(peer, IsOk());
  ASSERT_THAT(server, IsOk());
  std::unique_ptr<Subprocess> ours;
  std::string addr =
      Start({*server, "--jsonrpc=127.0.0.1:0"}, "listening jsonrpc ", &ours);
  ASSERT_FALSE(addr.empty());

  SubprocessOptions options;
  options.argv = {*peer, "client", addr, "TestServer", "TestClient"};
  absl::StatusOr<RunResult> run = RunCommand(options, absl::Seconds(60));
  ASSERT_THAT(run, IsOk());
  EXPECT_THAT(run->ToStatus(), IsOk()) << run->out;
  EXPECT_THAT(absl::StrSplit(run->out, '\n', absl::SkipEmpty()),
              ::testing::ElementsAre(
                  "ok TestServerNoParams", "ok TestServerEmptyMessage",
                  "ok TestServer", "ok TestClient/Add", "ok TestClient/Mul",
                  "ok TestClient/OutOfOrder", "ok TestClient/DivideByZero"));
}

}  // namespace
