// Copyright netrpc-gateway authors. Licensed under the BSD-style licence of Go.
//
// Our Client against Go's own net/rpc server (go/rpcserver, Go 1.19): gob
// over TCP and over HTTP CONNECT, built-in types, server errors, many calls
// in flight, per-call timeouts, HTTP dial errors, a server killed mid-call,
// and the arith_client example binary.

#include <signal.h>

#include <array>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "netrpc/client.h"
#include "netrpc/errors.h"
#include "netrpc/examples/types.h"
#include "netrpc/http.h"
#include "netrpc/testing/readiness.h"
#include "netrpc/testing/runfiles.h"
#include "netrpc/testing/status_matchers.h"
#include "netrpc/testing/subprocess.h"

namespace {

using ::netrpc::examples::Args;
using ::netrpc::examples::Quotient;
using ::netrpc::examples::Reply;
using ::netrpc::testing::HostPort;
using ::netrpc::testing::IsOk;
using ::netrpc::testing::Runfile;
using ::netrpc::testing::StatusIs;
using ::netrpc::testing::Subprocess;
using ::netrpc::testing::SubprocessOptions;
using ::netrpc::testing::WaitForListenAddress;

// GoServer is one running go/rpcserver process.
struct GoServer {
  std::unique_ptr<Subprocess> process;
  std::string tcp;
  std::string http;
};

void StartGoServer(GoServer* server) {
  absl::StatusOr<std::string> path = Runfile("tests/netrpc/go_rpcserver");
  ASSERT_THAT(path, IsOk());
  SubprocessOptions options;
  options.argv = {*path};
  absl::StatusOr<std::unique_ptr<Subprocess>> process =
      Subprocess::Start(options);
  ASSERT_THAT(process, IsOk());
  server->process = std::move(*process);
  absl::StatusOr<HostPort> tcp = WaitForListenAddress(
      *server->process, "listening tcp ", absl::Seconds(30));
  ASSERT_THAT(tcp, IsOk());
  absl::StatusOr<HostPort> http = WaitForListenAddress(
      *server->process, "listening http ", absl::Seconds(30));
  ASSERT_THAT(http, IsOk());
  server->tcp = tcp->ToString();
  server->http = http->ToString();
}

class GoServerTest : public ::testing::Test {
 protected:
  void SetUp() override { StartGoServer(&server_); }
  GoServer server_;
};

void CheckArith(netrpc::Client& client) {
  Args args{7, 8};
  int64_t product = 0;
  ASSERT_THAT(client.Call("Arith.Multiply", args, &product), IsOk());
  EXPECT_EQ(product, 56);

  Quotient quotient;
  std::shared_ptr<netrpc::Call> call =
      client.Go("Arith.Divide", Args{17, 5}, &quotient);
  ASSERT_THAT(call->Wait(), IsOk());
  EXPECT_EQ(quotient.Quo, 3);
  EXPECT_EQ(quotient.Rem, 2);

  absl::Status s = client.Call("Arith.Divide", Args{1, 0}, &quotient);
  EXPECT_TRUE(netrpc::IsServerError(s)) << s;
  EXPECT_EQ(s.message(), "divide by zero");

  // Go's value-argument method.
  Reply reply;
  ASSERT_THAT(client.Call("Arith.Add", args, &reply), IsOk());
  EXPECT_EQ(reply.C, 15);

  // Dispatch errors are Go's texts, and the connection goes on.
  s = client.Call("Arith.Nope", args, &reply);
  EXPECT_EQ(s.message(), "rpc: can't find method Arith.Nope");
  s = client.Call("Nope.Add", args, &reply);
  EXPECT_EQ(s.message(), "rpc: can't find service Nope.Add");
  s = client.Call("NoDot", args, &reply);
  EXPECT_EQ(s.message(), "rpc: service/method request ill-formed: NoDot");
  // A body of the wrong type: Go's decoder text.
  s = client.Call("Arith.Add", Reply{3}, &reply);
  EXPECT_TRUE(netrpc::IsServerError(s));
  EXPECT_THAT(std::string(s.message()), ::testing::HasSubstr("type"));
  ASSERT_THAT(client.Call("Arith.Multiply", Args{3, 3}, &product), IsOk());
  EXPECT_EQ(product, 9);
}

TEST_F(GoServerTest, Tcp) {
  absl::StatusOr<std::unique_ptr<netrpc::Client>> client =
      netrpc::Dial("tcp", server_.tcp);
  ASSERT_THAT(client, IsOk());
  CheckArith(**client);
}

TEST_F(GoServerTest, Http) {
  absl::StatusOr<std::unique_ptr<netrpc::Client>> client =
      netrpc::DialHTTP("tcp", server_.http);
  ASSERT_THAT(client, IsOk());
  CheckArith(**client);
}

TEST_F(GoServerTest, HttpUnknownPath) {
  absl::StatusOr<std::unique_ptr<netrpc::Client>> client =
      netrpc::DialHTTPPath("tcp", server_.http, "/nope");
  EXPECT_THAT(client.status(),
              StatusIs(absl::StatusCode::kUnavailable,
                       absl::StrCat("dial-http tcp ", server_.http,
                                    ": unexpected HTTP response: 404 Not "
                                    "Found")));
}

TEST_F(GoServerTest, BuiltinTypes) {
  absl::StatusOr<std::unique_ptr<netrpc::Client>> client =
      netrpc::Dial("tcp", server_.tcp);
  ASSERT_THAT(client, IsOk());
  std::string upper;
  ASSERT_THAT((*client)->Call("Types.Upper", std::string("go"), &upper),
              IsOk());
  EXPECT_EQ(upper, "GO");
  std::map<std::string, int64_t> map;
  ASSERT_THAT((*client)->Call("Types.Map", Args{1, 2}, &map), IsOk());
  EXPECT_EQ(map, (std::map<std::string, int64_t>{{"a", 1}, {"b", 2}}));
  std::vector<int64_t> slice;
  ASSERT_THAT((*client)->Call("Types.Slice", Args{7, 8}, &slice), IsOk());
  EXPECT_EQ(slice, (std::vector<int64_t>{7, 8}));
  std::array<int64_t, 2> array{};
  ASSERT_THAT((*client)->Call("Types.Array", Args{7, 8}, &array), IsOk());
  EXPECT_EQ(array, (std::array<int64_t, 2>{7, 8}));
}

TEST_F(GoServerTest, ManyCallsInFlight) {
  absl::StatusOr<std::unique_ptr<netrpc::Client>> client =
      netrpc::Dial("tcp", server_.tcp);
  ASSERT_THAT(client, IsOk());
  constexpr int kCalls = 500;
  std::vector<int64_t> products(kCalls);
  std::vector<std::shared_ptr<netrpc::Call>> calls;
  for (int i = 0; i < kCalls; ++i) {
    calls.push_back((*client)->Go("Arith.Multiply", Args{i, 3}, &products[i]));
  }
  for (int i = 0; i < kCalls; ++i) {
    ASSERT_THAT(calls[i]->Wait(), IsOk());
    EXPECT_EQ(products[i], 3 * i);
  }
}

TEST_F(GoServerTest, SlowCallDoesNotDelayFastOnes) {
  absl::StatusOr<std::unique_ptr<netrpc::Client>> client =
      netrpc::Dial("tcp", server_.tcp);
  ASSERT_THAT(client, IsOk());
  Reply slow_reply;
  std::shared_ptr<netrpc::Call> slow =
      (*client)->Go("Arith.SleepMilli", Args{1000, 0}, &slow_reply);
  int64_t product = 0;
  ASSERT_THAT((*client)->Call("Arith.Multiply", Args{6, 7}, &product), IsOk());
  EXPECT_EQ(product, 42);
  EXPECT_FALSE(slow->done());
  ASSERT_THAT(slow->Wait(), IsOk());
  EXPECT_EQ(slow_reply.C, 1000);
}

TEST_F(GoServerTest, TimeoutThenConnectionGoesOn) {
  absl::StatusOr<std::unique_ptr<netrpc::Client>> client =
      netrpc::Dial("tcp", server_.tcp);
  ASSERT_THAT(client, IsOk());
  Reply reply{-1};
  absl::Status s =
      (*client)->Call("Arith.SleepMilli", Args{500, 0}, &reply,
                      netrpc::CallOptions{absl::Milliseconds(50)});
  EXPECT_THAT(s, StatusIs(absl::StatusCode::kDeadlineExceeded));
  // The late reply arrives (before this longer call's) and is discarded;
  // the connection goes on.
  Reply later;
  ASSERT_THAT((*client)->Call("Arith.SleepMilli", Args{600, 0}, &later),
              IsOk());
  EXPECT_EQ(later.C, 600);
  EXPECT_EQ(reply.C, -1);
  int64_t product = 0;
  ASSERT_THAT((*client)->Call("Arith.Multiply", Args{2, 3}, &product), IsOk());
  EXPECT_EQ(product, 6);
}

// A Go server killed mid-call: the pending call fails with "unexpected EOF"
// (Go's io.ErrUnexpectedEOF), later calls with ErrShutdown.
TEST_F(GoServerTest, ServerKilledMidCall) {
  absl::StatusOr<std::unique_ptr<netrpc::Client>> client =
      netrpc::Dial("tcp", server_.tcp);
  ASSERT_THAT(client, IsOk());
  int64_t product = 0;
  ASSERT_THAT((*client)->Call("Arith.Multiply", Args{2, 3}, &product), IsOk());
  Reply reply;
  std::shared_ptr<netrpc::Call> pending =
      (*client)->Go("Arith.SleepMilli", Args{60000, 0}, &reply);
  ASSERT_FALSE(pending->WaitFor(absl::Milliseconds(100)));
  ASSERT_THAT(server_.process->Signal(SIGKILL), IsOk());
  ASSERT_TRUE(pending->WaitFor(absl::Seconds(10)));
  EXPECT_THAT(pending->error(),
              StatusIs(absl::StatusCode::kDataLoss, "unexpected EOF"));
  absl::Status later = (*client)->Call("Arith.Multiply", Args{1, 1}, &product);
  EXPECT_TRUE(netrpc::IsShutdown(later)) << later;
}

TEST_F(GoServerTest, ArithClientExample) {
  absl::StatusOr<std::string> path = Runfile("netrpc/examples/arith_client");
  ASSERT_THAT(path, IsOk());
  for (std::vector<std::string> flags :
       {std::vector<std::string>{"--addr=" + server_.tcp},
        std::vector<std::string>{"--addr=" + server_.http, "--http"}}) {
    SubprocessOptions options;
    options.argv = {*path};
    options.argv.insert(options.argv.end(), flags.begin(), flags.end());
    absl::StatusOr<netrpc::testing::RunResult> result =
        netrpc::testing::RunCommand(options, absl::Seconds(30));
    ASSERT_THAT(result, IsOk());
    EXPECT_THAT(result->ToStatus(), IsOk()) << result->err;
    EXPECT_EQ(result->out,
              "Arith: 7*8=56\n"
              "Arith: 7/8=0 remainder 7\n"
              "Arith: 7/0 error: divide by zero\n");
  }
}

}  // namespace
