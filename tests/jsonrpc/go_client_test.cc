// Copyright netrpc-gateway authors. Licensed under the BSD-style licence of Go.
//
// Go 1.19's jsonrpc client against our jsonrpc server: go/jsonpeer's
// `client` mode runs the client-side checks of Go's
// net/rpc/jsonrpc/all_test.go (TestServerNoParams, TestServerEmptyMessage,
// TestServer, TestClient, TestBuiltinTypes), calls the capture program's
// methods, and ends with the nil-slice reply that shuts a Go client down.

#include <memory>
#include <string>
#include <thread>

#include "absl/strings/str_split.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

#include "netrpc/jsonrpc/server_codec.h"
#include "netrpc/jsonrpc/test_services.h"
#include "netrpc/listener.h"
#include "netrpc/server.h"
#include "netrpc/testing/runfiles.h"
#include "netrpc/testing/status_matchers.h"
#include "netrpc/testing/subprocess.h"

namespace {

using ::netrpc::testing::IsOk;

TEST(GoClientTest, AllTestChecksPassAgainstOurServer) {
  netrpc::Server server;
  ASSERT_THAT(netrpc::jsonrpc::test::RegisterTestServices(server), IsOk());
  absl::StatusOr<std::unique_ptr<netrpc::Listener>> listener =
      netrpc::Listen("tcp", "127.0.0.1:0");
  ASSERT_THAT(listener, IsOk());
  std::thread serve([&] { netrpc::jsonrpc::Accept(server, **listener); });

  absl::StatusOr<std::string> peer =
      netrpc::testing::Runfile("tests/jsonrpc/jsonpeer");
  ASSERT_THAT(peer, IsOk());
  netrpc::testing::SubprocessOptions options;
  options.argv = {*peer, "client", (*listener)->Addr()};
  absl::StatusOr<netrpc::testing::RunResult> run =
      netrpc::testing::RunCommand(options, absl::Seconds(60));
  (*listener)->Close();
  serve.join();
  ASSERT_THAT(run, IsOk());
  EXPECT_THAT(run->ToStatus(), IsOk()) << run->out;
  std::vector<std::string> lines =
      absl::StrSplit(run->out, '\n', absl::SkipEmpty());
  EXPECT_THAT(
      lines,
      ::testing::ElementsAre(
          "ok TestServerNoParams", "ok TestServerEmptyMessage", "ok TestServer",
          "ok TestClient/Add", "ok TestClient/Mul", "ok TestClient/OutOfOrder",
          "ok TestClient/DivideByZero", "ok TestBuiltinTypes/Map",
          "ok TestBuiltinTypes/Slice", "ok TestBuiltinTypes/Array",
          "ok CaptureMethods", "ok NilSliceReplyKillsGoClient"));
}

}  // namespace
