// Copyright netrpc-gateway authors. Licensed under the BSD-style licence of
// Go.
//
// Client tests over a fake ClientCodec (no sockets): the pending-call table,
// Go's client_test.go and server_test.go client items (wire/SPEC.md §5 items
// 24, 26, 28, 32), connection breaks, timeouts and cancellation.

#include "netrpc/client.h"

#include <deque>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "netrpc/errors.h"
#include "netrpc/test_types.h"
#include "netrpc/testing/status_matchers.h"
#include "netrpc/sync.h"

namespace netrpc {
namespace {

using ::netrpc::testing::IsOk;
using ::netrpc::testing::StatusIs;
using test_types::Args;
using test_types::Reply;

// FakeClientCodec records requests and replays responses the test queues.
// It is shared with the test (the client owns a forwarding wrapper).
class FakeClientCodec {
 public:
  struct Sent {
    Request request;
    Args args;
  };

  // Respond queues a response; `reply` is the body for a success.
  void Respond(uint64_t seq, std::string error, Reply reply = {}) {
    MutexLock lock(&mu_);
    responses_.push_back({{"", seq, std::move(error)}, reply});
  }
  // End makes the next header read return EOF (the server went away).
  void End(absl::Status read_error = EOFError()) {
    MutexLock lock(&mu_);
    end_ = std::move(read_error);
  }
  void FailWrites(absl::Status error) {
    MutexLock lock(&mu_);
    write_error_ = std::move(error);
  }
  std::vector<Sent> WaitForRequests(size_t n) {
    MutexLock lock(&mu_);
    auto enough = [this, n]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
      return sent_.size() >= n;
    };
    mu_.AwaitWithTimeout(enough, absl::Seconds(10));
    return sent_;
  }
  int closes() {
    MutexLock lock(&mu_);
    return closes_;
  }

  absl::Status WriteRequest(const Request& request, const Body* body) {
    MutexLock lock(&mu_);
    if (!write_error_.ok()) return write_error_;
    sent_.push_back({request, *body->As<Args>()});
    return absl::OkStatus();
  }
  absl::Status ReadResponseHeader(Response* response) {
    MutexLock lock(&mu_);
    auto ready = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
      return !responses_.empty() || !end_.ok() || closes_ > 0;
    };
    mu_.Await(ready);
    if (responses_.empty()) {
      if (!end_.ok()) return end_;
      return absl::CancelledError("use of closed network connection");
    }
    *response = responses_.front().first;
    current_ = responses_.front().second;
    responses_.pop_front();
    return absl::OkStatus();
  }
  absl::Status ReadResponseBody(Body* body) {
    MutexLock lock(&mu_);
    if (body != nullptr) *body->As<Reply>() = current_;
    return absl::OkStatus();
  }
  absl::Status Close() {
    MutexLock lock(&mu_);
    ++closes_;
    return absl::OkStatus();
  }

 private:
  Mutex mu_;
  std::vector<Sent> sent_ ABSL_GUARDED_BY(mu_);
  std::deque<std::pair<Response, Reply>> responses_ ABSL_GUARDED_BY(mu_);
  Reply current_ ABSL_GUARDED_BY(mu_);
  absl::Status end_ ABSL_GUARDED_BY(mu_);
  absl::Status write_error_ ABSL_GUARDED_BY(mu_);
  int closes_ ABSL_GUARDED_BY(mu_) = 0;
};

class Forward : public ClientCodec {
 public:
  explicit Forward(std::shared_ptr<FakeClientCodec> fake)
      : fake_(std::move(fake)) {}
  absl::Status WriteRequest(const Request& r, const Body* b) override {
    return fake_->WriteRequest(r, b);
  }
  absl::Status ReadResponseHeader(Response* r) override {
    return fake_->ReadResponseHeader(r);
  }
  absl::Status ReadResponseBody(Body* b) override {
    return fake_->ReadResponseBody(b);
  }
  absl::Status Close() override { return fake_->Close(); }

 private:
  std::shared_ptr<FakeClientCodec> fake_;
};

struct Fixture {
  std::shared_ptr<FakeClientCodec> fake = std::make_shared<FakeClientCodec>();
  std::unique_ptr<Client> client =
      NewClientWithCodec(std::make_unique<Forward>(fake));
};

TEST(ClientTest, SeqStartsAtZeroAndRepliesMatchBySeq) {
  Fixture f;
  Args args{7, 8};
  Reply mul, add;
  std::shared_ptr<Call> mul_call = f.client->Go("Arith.Mul", args, &mul);
  std::shared_ptr<Call> add_call = f.client->Go("Arith.Add", args, &add);
  std::vector<FakeClientCodec::Sent> sent = f.fake->WaitForRequests(2);
  ASSERT_EQ(sent.size(), 2u);
  EXPECT_EQ(sent[0].request.seq, 0u);
  EXPECT_EQ(sent[0].request.service_method, "Arith.Mul");
  EXPECT_EQ(sent[1].request.seq, 1u);
  EXPECT_EQ(sent[1].args.A, 7);
  // Out of order: Add's reply first.
  f.fake->Respond(1, "", {15});
  EXPECT_THAT(add_call->Wait(), IsOk());
  EXPECT_EQ(add.C, 15);
  EXPECT_FALSE(mul_call->done());
  f.fake->Respond(0, "", {56});
  EXPECT_THAT(mul_call->Wait(), IsOk());
  EXPECT_EQ(mul.C, 56);
  EXPECT_EQ(mul_call->service_method(), "Arith.Mul");
  EXPECT_EQ(mul_call->args().As<Args>()->B, 8);
}

TEST(ClientTest, ServerErrorIsVerbatim) {
  Fixture f;
  Reply reply{3};
  std::shared_ptr<Call> call = f.client->Go("Arith.Div", Args{1, 0}, &reply);
  f.fake->Respond(0, "divide by zero", {99});
  absl::Status s = call->Wait();
  EXPECT_THAT(s, StatusIs(absl::StatusCode::kUnknown, "divide by zero"));
  EXPECT_TRUE(IsServerError(s));
  EXPECT_EQ(reply.C, 3);  // an error's body is not the reply
}

TEST(ClientTest, CallbackRunsOnce) {
  Fixture f;
  Reply reply;
  Notification done;
  int runs = 0;
  f.client->Go("Arith.Add", Args{1, 2}, &reply, [&](Call& c) {
    ++runs;
    EXPECT_THAT(c.error(), IsOk());
    done.Notify();
  });
  f.fake->Respond(0, "", {3});
  done.WaitForNotification();
  EXPECT_EQ(runs, 1);
  EXPECT_EQ(reply.C, 3);
}

// Unexpected EOF: every pending call fails, later ones get ErrShutdown.
TEST(ClientTest, ConnectionBreakFailsPendingCalls) {
  Fixture f;
  Reply r1, r2;
  std::shared_ptr<Call> c1 = f.client->Go("Arith.Add", Args{}, &r1);
  std::shared_ptr<Call> c2 = f.client->Go("Arith.Add", Args{}, &r2);
  f.fake->WaitForRequests(2);
  f.fake->End();
  EXPECT_THAT(c1->Wait(), StatusIs(absl::StatusCode::kDataLoss,
                                   "unexpected EOF"));
  EXPECT_THAT(c2->Wait(), StatusIs(absl::StatusCode::kDataLoss,
                                   "unexpected EOF"));
  absl::Status later = f.client->Call("Arith.Add", Args{}, &r1);
  EXPECT_TRUE(IsShutdown(later)) << later;
  EXPECT_EQ(later.message(), "connection is shut down");
}

// Item 26: a write error fails the call with exactly that text.
TEST(ClientTest, WriteErrorIsReturned) {
  Fixture f;
  f.fake->FailWrites(absl::UnavailableError("fake write failure"));
  Reply reply;
  EXPECT_THAT(f.client->Call("Arith.Add", Args{}, &reply),
              StatusIs(absl::StatusCode::kUnavailable, "fake write failure"));
}

// Item 24: with writes failing, successive calls return (no lock held).
TEST(ClientTest, SendDeadlock) {
  Fixture f;
  f.fake->FailWrites(absl::UnavailableError("fake write failure"));
  Reply reply;
  for (int i = 0; i < 2; ++i) {
    std::shared_ptr<Call> call = f.client->Go("Arith.Add", Args{}, &reply);
    ASSERT_TRUE(call->WaitFor(absl::Seconds(5)));
    EXPECT_FALSE(call->error().ok());
  }
}

// Item 28: after Close, Call returns exactly ErrShutdown; Close twice too.
TEST(ClientTest, ErrorAfterClientClose) {
  Fixture f;
  EXPECT_THAT(f.client->Close(), IsOk());
  Reply reply;
  absl::Status s = f.client->Call("Arith.Add", Args{}, &reply);
  EXPECT_TRUE(IsShutdown(s)) << s;
  EXPECT_TRUE(IsShutdown(f.client->Close()));
}

// Item 32: Close calls the codec's Close even when the reader has already
// stopped.
TEST(ClientTest, CloseCodecAfterReaderStopped) {
  Fixture f;
  f.fake->End(absl::InternalError("read failure"));
  Reply reply;
  // Wait for the reader to stop: calls then fail with ErrShutdown.
  for (int i = 0; i < 1000; ++i) {
    if (IsShutdown(f.client->Call("Arith.Add", Args{}, &reply))) break;
    absl::SleepFor(absl::Milliseconds(5));
  }
  EXPECT_EQ(f.fake->closes(), 0);
  EXPECT_THAT(f.client->Close(), IsOk());
  EXPECT_EQ(f.fake->closes(), 1);
}

TEST(ClientTest, PendingCallsGetReadErrorAfterClose) {
  Fixture f;
  Reply reply;
  std::shared_ptr<Call> call = f.client->Go("Arith.Add", Args{}, &reply);
  f.fake->WaitForRequests(1);
  EXPECT_THAT(f.client->Close(), IsOk());
  EXPECT_THAT(call->Wait(), StatusIs(absl::StatusCode::kCancelled,
                                     "use of closed network connection"));
}

TEST(ClientTest, TimeoutDiscardsLateReply) {
  Fixture f;
  Reply reply{1};
  absl::Status s = f.client->Call("Arith.Slow", Args{}, &reply,
                                  CallOptions{absl::Milliseconds(20)});
  EXPECT_THAT(s, StatusIs(absl::StatusCode::kDeadlineExceeded,
                          "rpc: call timed out after 20ms"));
  // The late reply is read and dropped; the connection goes on.
  f.fake->Respond(0, "", {77});
  Reply next;
  std::shared_ptr<Call> call = f.client->Go("Arith.Add", Args{}, &next);
  f.fake->Respond(1, "", {3});
  EXPECT_THAT(call->Wait(), IsOk());
  EXPECT_EQ(next.C, 3);
  EXPECT_EQ(reply.C, 1);
}

TEST(ClientTest, TimeoutNotHitWhenReplyComesFirst) {
  Fixture f;
  Reply reply;
  std::shared_ptr<Call> call = f.client->Go(
      "Arith.Add", Args{}, &reply, nullptr, CallOptions{absl::Seconds(30)});
  f.fake->Respond(0, "", {5});
  EXPECT_THAT(call->Wait(), IsOk());
  EXPECT_EQ(reply.C, 5);
}

TEST(ClientTest, Cancel) {
  Fixture f;
  Reply reply;
  std::shared_ptr<Call> call = f.client->Go("Arith.Slow", Args{}, &reply);
  call->Cancel();
  EXPECT_THAT(call->Wait(), StatusIs(absl::StatusCode::kCancelled,
                                     "rpc: call canceled"));
  call->Cancel();  // no effect once done
  EXPECT_THAT(call->error(), StatusIs(absl::StatusCode::kCancelled));
}

TEST(ClientTest, CallbackMayStartAnotherCall) {
  Fixture f;
  Reply first, second;
  std::shared_ptr<Call> inner;
  Notification started;
  f.client->Go("Arith.Add", Args{}, &first, [&](Call&) {
    inner = f.client->Go("Arith.Add", Args{}, &second);
    started.Notify();
  });
  f.fake->Respond(0, "", {1});
  started.WaitForNotification();
  f.fake->Respond(1, "", {2});
  EXPECT_THAT(inner->Wait(), IsOk());
  EXPECT_EQ(second.C, 2);
}

}  // namespace
}  // namespace netrpc
