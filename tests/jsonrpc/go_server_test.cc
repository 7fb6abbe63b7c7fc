// Copyright netrpc-gateway authors. Licensed under the BSD-style licence of Go.
//
// Our jsonrpc client against Go 1.19's jsonrpc server (go/jsonpeer
// `serve`): synchronous and asynchronous calls, server errors, built-in
// argument and reply types, many calls in flight, and the replies Go's
// server gets wrong (a nil slice, which a jsonrpc client must reject; a
// NaN, which it never answers).

#include <array>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

#include "netrpc/client.h"
#include "netrpc/errors.h"
#include "netrpc/jsonrpc/client_codec.h"
#include "netrpc/jsonrpc/test_services.h"
#include "netrpc/testing/readiness.h"
#include "netrpc/testing/runfiles.h"
#include "netrpc/testing/status_matchers.h"
#include "netrpc/testing/subprocess.h"

namespace {

using ::netrpc::jsonrpc::test::Args;
using ::netrpc::jsonrpc::test::Quotient;
using ::netrpc::jsonrpc::test::Reply;
using ::netrpc::testing::IsOk;

class GoServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<std::string> peer =
        netrpc::testing::Runfile("tests/jsonrpc/jsonpeer");
    ASSERT_THAT(peer, IsOk());
    netrpc::testing::SubprocessOptions options;
    options.argv = {*peer, "serve"};
    absl::StatusOr<std::unique_ptr<netrpc::testing::Subprocess>> process =
        netrpc::testing::Subprocess::Start(options);
    ASSERT_THAT(process, IsOk());
    process_ = std::move(*process);
    absl::StatusOr<netrpc::testing::HostPort> addr =
        netrpc::testing::WaitForListenAddress(*process_, "listening jsonrpc ",
                                              absl::Seconds(30));
    ASSERT_THAT(addr, IsOk());
    absl::StatusOr<std::unique_ptr<netrpc::Client>> client =
        netrpc::jsonrpc::Dial("tcp", addr->ToString());
    ASSERT_THAT(client, IsOk());
    client_ = std::move(*client);
  }

  std::unique_ptr<netrpc::testing::Subprocess> process_;
  std::unique_ptr<netrpc::Client> client_;
};

TEST_F(GoServerTest, SynchronousCalls) {
  Args args{7, 8};
  Reply reply;
  ASSERT_THAT(client_->Call("Arith.Add", args, &reply), IsOk());
  EXPECT_EQ(reply.C, 15);
  ASSERT_THAT(client_->Call("Arith.Mul", args, &reply), IsOk());
  EXPECT_EQ(reply.C, 56);
  int64_t product = 0;
  ASSERT_THAT(client_->Call("Arith.Multiply", args, &product), IsOk());
  EXPECT_EQ(product, 56);
  Quotient quo;
  ASSERT_THAT(client_->Call("Arith.Divide", Args{17, 5}, &quo), IsOk());
  EXPECT_EQ(quo.Quo, 3);
  EXPECT_EQ(quo.Rem, 2);
}

TEST_F(GoServerTest, AsynchronousCallsOutOfOrder) {
  // Sleep 300 ms, then a fast call: the fast one is answered first.
  int64_t slow = 0, fast = 0;
  std::shared_ptr<netrpc::Call> slow_call =
      client_->Go("Arith.Sleep", int64_t{300}, &slow);
  std::shared_ptr<netrpc::Call> fast_call =
      client_->Go("Arith.Sleep", int64_t{1}, &fast);
  ASSERT_THAT(fast_call->Wait(), IsOk());
  EXPECT_FALSE(slow_call->done());
  ASSERT_THAT(slow_call->Wait(), IsOk());
  EXPECT_EQ(slow, 300);
  EXPECT_EQ(fast, 1);
}

TEST_F(GoServerTest, ManyCallsInFlight) {
  constexpr int kCalls = 200;
  std::vector<Reply> replies(kCalls);
  std::vector<std::shared_ptr<netrpc::Call>> calls;
  for (int i = 0; i < kCalls; ++i) {
    calls.push_back(client_->Go("Arith.Add", Args{i, i}, &replies[i]));
  }
  for (int i = 0; i < kCalls; ++i) {
    ASSERT_THAT(calls[i]->Wait(), IsOk());
    EXPECT_EQ(replies[i].C, 2 * i);
  }
}

TEST_F(GoServerTest, DivideByZero) {
  Reply reply;
  absl::Status s = client_->Call("Arith.Div", Args{7, 0}, &reply);
  EXPECT_TRUE(netrpc::IsServerError(s)) << s;
  EXPECT_EQ(s.message(), "divide by zero");
  // The connection goes on.
  ASSERT_THAT(client_->Call("Arith.Add", Args{1, 2}, &reply), IsOk());
  EXPECT_EQ(reply.C, 3);
}

TEST_F(GoServerTest, ServerErrorsVerbatim) {
  int64_t n = 0;
  absl::Status s = client_->Call("Arith.ErrHTML", int64_t{0}, &n);
  EXPECT_TRUE(netrpc::IsServerError(s)) << s;
  EXPECT_EQ(s.message(), "a<b>&c \u2028");
  s = client_->Call("Arith.Nope", int64_t{0}, &n);
  EXPECT_EQ(s.message(), "rpc: can't find method Arith.Nope");
  ASSERT_THAT(client_->Call("Arith.EmptyErr", int64_t{0}, &n), IsOk());
  EXPECT_EQ(n, 5);
}

TEST_F(GoServerTest, BuiltinTypes) {
  int64_t arg = 7;
  std::map<int64_t, int64_t> reply_map;
  ASSERT_THAT(client_->Call("BuiltinTypes.Map", arg, &reply_map), IsOk());
  EXPECT_THAT(reply_map, ::testing::ElementsAre(::testing::Pair(7, 7)));
  std::vector<int64_t> reply_slice;
  ASSERT_THAT(client_->Call("BuiltinTypes.Slice", arg, &reply_slice), IsOk());
  EXPECT_THAT(reply_slice, ::testing::ElementsAre(7));
  std::array<int64_t, 1> reply_array = {};
  ASSERT_THAT(client_->Call("BuiltinTypes.Array", arg, &reply_array), IsOk());
  EXPECT_THAT(reply_array, ::testing::ElementsAre(7));
  int64_t square = 0;
  ASSERT_THAT(client_->Call("Arith.Square", int64_t{9}, &square), IsOk());
  EXPECT_EQ(square, 81);
  netrpc::gob::Bytes bytes;
  ASSERT_THAT(client_->Call("Arith.Bytes", int64_t{0}, &bytes), IsOk());
  EXPECT_THAT(bytes, ::testing::ElementsAre(1, 2, 3));
}

TEST_F(GoServerTest, ArgumentErrorFromGosDecoder) {
  int64_t product = 0;
  // A string where Go's Args wants a struct.
  absl::Status s = client_->Call("Arith.Multiply", std::string("x"), &product);
  EXPECT_EQ(s.message(),
            "json: cannot unmarshal string into Go value of type main.Args");
}

// Go's server writes `"result":null,"error":null` for a nil slice: malformed
// output that a jsonrpc client must treat as a fatal error, as Go's does.
TEST_F(GoServerTest, NilSliceReplyShutsTheClientDown) {
  std::vector<int64_t> reply;
  absl::Status s = client_->Call("Arith.NilSlice", int64_t{0}, &reply);
  EXPECT_FALSE(netrpc::IsServerError(s));
  EXPECT_EQ(s.message(), "invalid error <nil>");
  int64_t n = 0;
  EXPECT_TRUE(
      netrpc::IsShutdown(client_->Call("Arith.Square", int64_t{3}, &n)));
}

// Go's server never answers a reply it cannot encode; a call deadline (ours,
// Go's client has none) ends the wait, and the connection goes on.
TEST_F(GoServerTest, NaNReplyNeverAnswered) {
  double reply = 0;
  absl::Status s = client_->Call("Arith.NaN", int64_t{0}, &reply,
                                 netrpc::CallOptions{absl::Milliseconds(300)});
  EXPECT_EQ(s.code(), absl::StatusCode::kDeadlineExceeded) << s;
  int64_t n = 0;
  ASSERT_THAT(client_->Call("Arith.Square", int64_t{3}, &n), IsOk());
  EXPECT_EQ(n, 9);
}

}  // namespace
