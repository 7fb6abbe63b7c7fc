// Copyright netrpc-gateway authors. Licensed under the BSD-style licence of Go.
//
// Go's net/rpc client against our server: runs //netrpc/examples:test_server
// (the services of Go's server_test.go on netrpc::Server) and the Go 1.19
// program go/rpcclient, which ports the client-side checks of
// server_test.go (testRPC, testNewServerRPC, testHTTPRPC, TestBuiltinTypes,
// TestTCPClose, TestShutdown, concurrent calls, the /debug/rpc page).

#include <string>

#include "absl/strings/str_cat.h"
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
using ::netrpc::testing::Runfile;
using ::netrpc::testing::RunCommand;
using ::netrpc::testing::RunResult;
using ::netrpc::testing::Subprocess;
using ::netrpc::testing::SubprocessOptions;
using ::netrpc::testing::WaitForListenAddress;

TEST(GoClientTest, ServerTestChecksPassAgainstTestServer) {
  absl::StatusOr<std::string> server_path =
      Runfile("netrpc/examples/test_server");
  ASSERT_THAT(server_path, IsOk());
  absl::StatusOr<std::string> client_path = Runfile("tests/netrpc/go_rpcclient");
  ASSERT_THAT(client_path, IsOk());

  SubprocessOptions server_options;
  server_options.argv = {*server_path, "--tcp=127.0.0.1:0",
                         "--http=127.0.0.1:0", "--newserver_tcp=127.0.0.1:0"};
  absl::StatusOr<std::unique_ptr<Subprocess>> server =
      Subprocess::Start(server_options);
  ASSERT_THAT(server, IsOk());
  absl::StatusOr<HostPort> tcp = WaitForListenAddress(
      **server, "listening tcp ", absl::Seconds(30));
  ASSERT_THAT(tcp, IsOk());
  absl::StatusOr<HostPort> http = WaitForListenAddress(
      **server, "listening http ", absl::Seconds(30));
  ASSERT_THAT(http, IsOk());
  absl::StatusOr<HostPort> new_tcp = WaitForListenAddress(
      **server, "listening newserver_tcp ", absl::Seconds(30));
  ASSERT_THAT(new_tcp, IsOk());

  SubprocessOptions client_options;
  client_options.argv = {*client_path, "--tcp=" + tcp->ToString(),
                         "--http=" + http->ToString(),
                         "--newserver_tcp=" + new_tcp->ToString()};
  absl::StatusOr<RunResult> result =
      RunCommand(client_options, absl::Seconds(120));
  ASSERT_THAT(result, IsOk());
  EXPECT_THAT(result->ToStatus(), IsOk())
      << "rpcclient stdout:\n" << result->out << "\nstderr:\n" << result->err
      << "\ntest_server stderr:\n" << (*server)->StderrTail();
  EXPECT_THAT(result->out, ::testing::HasSubstr("\nPASS\n"));
  EXPECT_THAT(result->out, ::testing::Not(::testing::HasSubstr("FAIL")));

  // SIGTERM ends the server cleanly.
  absl::StatusOr<netrpc::testing::ExitStatus> exit =
      (*server)->Terminate(absl::Seconds(10));
  ASSERT_THAT(exit, IsOk());
  EXPECT_TRUE(exit->Success()) << exit->ToString();
}

}  // namespace
