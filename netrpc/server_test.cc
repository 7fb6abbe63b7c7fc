// Copyright netrpc-gateway authors. Licensed under the BSD-style licence of Go.
//
// Server tests without sockets: codecs that hand over C++ values directly
// (Go's CodecEmulator), registration rules (wire/SPEC.md §5 items 18-23),
// dispatch errors, and the ServeCodec loop's concurrency.

#include "netrpc/server.h"

#include <deque>
#include <map>
#include <string>
#include <thread>
#include <vector>

#include "absl/time/clock.h"
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
using ::testing::HasSubstr;
using test_types::Args;
using test_types::Reply;

class Arith {
 public:
  absl::Status Add(Args args, Reply* reply) {
    reply->C = args.A + args.B;
    return absl::OkStatus();
  }
  absl::Status Mul(const Args& args, Reply* reply) {
    reply->C = args.A * args.B;
    return absl::OkStatus();
  }
  absl::Status Div(const Args* args, Reply* reply) {
    if (args->B == 0) return absl::InvalidArgumentError("divide by zero");
    reply->C = args->A / args->B;
    return absl::OkStatus();
  }
  absl::Status Silent(const Args&, Reply* reply) {
    reply->C = 42;
    return absl::UnknownError("");  // empty text: success, as Go's
  }
  // Block waits until `release` is notified (for concurrency tests).
  absl::Status Block(const Args& args, Reply* reply) {
    release.WaitForNotification();
    reply->C = args.A;
    return absl::OkStatus();
  }
  Notification release;
};

Service<Arith> ArithService(Arith* arith) {
  Service<Arith> s("Arith", arith);
  s.Method("Add", &Arith::Add)
      .Method("Mul", &Arith::Mul)
      .Method("Div", &Arith::Div)
      .Method("Silent", &Arith::Silent)
      .Method("Block", &Arith::Block);
  return s;
}

// CodecEmulator is Go's server_test.go CodecEmulator: one request at a
// time, bodies handed over as values.
class CodecEmulator : public ServerCodec {
 public:
  explicit CodecEmulator(Server* server) : server_(server) {}

  absl::Status Call(const std::string& service_method, const Args* args,
                    Reply* reply) {
    service_method_ = service_method;
    args_ = args;
    reply_ = reply;
    err_ = absl::OkStatus();
    absl::Status server_error = server_ == nullptr
                                    ? ServeRequest(*this)
                                    : server_->ServeRequest(*this);
    if (err_.ok() && !server_error.ok()) err_ = server_error;
    return err_;
  }

  absl::Status ReadRequestHeader(Request* request) override {
    request->service_method = service_method_;
    request->seq = 0;
    return absl::OkStatus();
  }
  absl::Status ReadRequestBody(Body* body) override {
    if (args_ == nullptr) return UnexpectedEOFError();
    if (body != nullptr) *body->As<Args>() = *args_;
    return absl::OkStatus();
  }
  absl::Status WriteResponse(const Response& response,
                             const Body* body) override {
    if (!response.error.empty()) {
      err_ = absl::UnknownError(response.error);
    } else {
      *reply_ = *body->As<Reply>();
    }
    return absl::OkStatus();
  }
  absl::Status Close() override { return absl::OkStatus(); }

 private:
  Server* server_;
  std::string service_method_;
  const Args* args_ = nullptr;
  Reply* reply_ = nullptr;
  absl::Status err_;
};

// Item 18: ServeRequest serves one request and writes the reply with an
// empty Error, on the default server and on a new one.
TEST(ServeRequestTest, ServesOneRequest) {
  static Arith arith;
  static const absl::Status registered = Register(ArithService(&arith));
  ASSERT_THAT(registered, IsOk());
  Server server;
  ASSERT_THAT(server.Register(ArithService(&arith)), IsOk());
  for (Server* s : {static_cast<Server*>(nullptr), &server}) {
    CodecEmulator codec(s);
    Args args{7, 8};
    Reply reply;
    ASSERT_THAT(codec.Call("Arith.Add", &args, &reply), IsOk());
    EXPECT_EQ(reply.C, 15);
  }
}

// Item 19: a body read error makes ServeRequest fail (after an error reply).
TEST(ServeRequestTest, BodyReadErrorFails) {
  Arith arith;
  Server server;
  ASSERT_THAT(server.Register(ArithService(&arith)), IsOk());
  CodecEmulator codec(&server);
  Reply reply;
  EXPECT_THAT(codec.Call("Arith.Add", nullptr, &reply),
              StatusIs(absl::StatusCode::kUnknown, "unexpected EOF"));
}

TEST(ServeRequestTest, DispatchErrorsAreGos) {
  Arith arith;
  Server server;
  ASSERT_THAT(server.Register(ArithService(&arith)), IsOk());
  CodecEmulator codec(&server);
  Args args{7, 0};
  Reply reply;
  EXPECT_THAT(codec.Call("Arith.Div", &args, &reply),
              StatusIs(absl::StatusCode::kUnknown, "divide by zero"));
  EXPECT_THAT(codec.Call("Arith.Nope", &args, &reply),
              StatusIs(absl::StatusCode::kUnknown,
                       "rpc: can't find method Arith.Nope"));
  EXPECT_THAT(codec.Call("Nope.Add", &args, &reply),
              StatusIs(absl::StatusCode::kUnknown,
                       "rpc: can't find service Nope.Add"));
  EXPECT_THAT(codec.Call("NoDot", &args, &reply),
              StatusIs(absl::StatusCode::kUnknown,
                       "rpc: service/method request ill-formed: NoDot"));
}

TEST(ServeRequestTest, EmptyErrorTextIsSuccess) {
  Arith arith;
  Server server;
  ASSERT_THAT(server.Register(ArithService(&arith)), IsOk());
  CodecEmulator codec(&server);
  Args args{1, 2};
  Reply reply;
  ASSERT_THAT(codec.Call("Arith.Silent", &args, &reply), IsOk());
  EXPECT_EQ(reply.C, 42);
}

TEST(ServeRequestTest, DottedServiceNameSplitsAtLastDot) {
  Arith arith;
  Server server;
  ASSERT_THAT(server.RegisterName("net.rpc.Arith", ArithService(&arith)),
              IsOk());
  CodecEmulator codec(&server);
  Args args{7, 8};
  Reply reply;
  ASSERT_THAT(codec.Call("net.rpc.Arith.Mul", &args, &reply), IsOk());
  EXPECT_EQ(reply.C, 56);
}

TEST(ServeRequestTest, RegistrationsArePerServer) {
  Arith arith;
  Server a, b;
  ASSERT_THAT(a.Register(ArithService(&arith)), IsOk());
  CodecEmulator codec(&b);
  Args args{7, 8};
  Reply reply;
  EXPECT_THAT(codec.Call("Arith.Add", &args, &reply),
              StatusIs(absl::StatusCode::kUnknown,
                       "rpc: can't find service Arith.Add"));
}

// --- Registration rules (items 20-23 and Go's register()). ---

class ReplyNotPointer {
 public:
  absl::Status M(const Args&, Reply) { return absl::OkStatus(); }
};

class ArgNotPublic {
 public:
  absl::Status M(const test_types::local& , Reply*) { return absl::OkStatus(); }
};

class ReplyNotPublic {
 public:
  absl::Status M(const Args&, test_types::local*) { return absl::OkStatus(); }
};

class NeedsPtrType {
 public:
  absl::Status M(const Args&, Reply*) { return absl::OkStatus(); }
};

// Item 20.
TEST(RegisterTest, ReplyNotPointer) {
  ReplyNotPointer r;
  Service<ReplyNotPointer> s("ReplyNotPointer", &r);
  s.Method("M", &ReplyNotPointer::M);
  Server server;
  EXPECT_THAT(server.Register(s),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "rpc.Register: type ReplyNotPointer has no exported "
                       "methods of suitable type"));
}

// Item 21.
TEST(RegisterTest, ArgNotPublic) {
  ArgNotPublic r;
  Service<ArgNotPublic> s("ArgNotPublic", &r);
  s.Method("M", &ArgNotPublic::M);
  Server server;
  EXPECT_THAT(server.Register(s),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("has no exported methods of suitable type")));
}

// Item 22.
TEST(RegisterTest, ReplyNotPublic) {
  ReplyNotPublic r;
  Service<ReplyNotPublic> s("ReplyNotPublic", &r);
  s.Method("M", &ReplyNotPublic::M);
  Server server;
  EXPECT_THAT(server.Register(s),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("has no exported methods of suitable type")));
}

// Item 23: a const receiver offers only const methods; Go's hint says what
// to do.
TEST(RegisterTest, NeedsPointerHint) {
  const NeedsPtrType r;
  Service<NeedsPtrType> s("NeedsPtrType", &r);
  s.Method("M", &NeedsPtrType::M);
  Server server;
  EXPECT_THAT(server.Register(s),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "rpc.Register: type NeedsPtrType has no exported "
                       "methods of suitable type (hint: pass a pointer to "
                       "value of that type)"));
}

TEST(RegisterTest, UnexportedMethodIsSkipped) {
  NeedsPtrType r;
  Service<NeedsPtrType> s("NeedsPtrType", &r);
  s.Method("m", &NeedsPtrType::M);
  Server server;
  EXPECT_THAT(server.Register(s),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("has no exported methods")));
}

TEST(RegisterTest, NoMethods) {
  NeedsPtrType r;
  Service<NeedsPtrType> s("NeedsPtrType", &r);
  Server server;
  EXPECT_THAT(server.Register(s),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "rpc.Register: type NeedsPtrType has no exported "
                       "methods of suitable type"));
}

TEST(RegisterTest, TypeNotExported) {
  Arith arith;
  Service<Arith> s("arith", &arith);
  s.Method("Add", &Arith::Add);
  Server server;
  EXPECT_THAT(server.Register(s),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "rpc.Register: type arith is not exported"));
  // RegisterName takes any name.
  EXPECT_THAT(server.RegisterName("arith", s), IsOk());
}

TEST(RegisterTest, EmptyName) {
  Arith arith;
  Server server;
  EXPECT_THAT(server.RegisterName("", ArithService(&arith)),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "rpc.Register: no service name for type Arith"));
}

TEST(RegisterTest, DuplicateService) {
  Arith arith;
  Server server;
  ASSERT_THAT(server.Register(ArithService(&arith)), IsOk());
  EXPECT_THAT(server.Register(ArithService(&arith)),
              StatusIs(absl::StatusCode::kAlreadyExists,
                       "rpc: service already defined: Arith"));
}

TEST(RegisterTest, ConstMethodsOnConstReceiver) {
  class Const {
   public:
    absl::Status Get(const Args& a, Reply* r) const {
      r->C = a.A;
      return absl::OkStatus();
    }
  };
  const Const c;
  Service<Const> s("Const", &c);
  s.Method("Get", &Const::Get);
  Server server;
  ASSERT_THAT(server.Register(s), IsOk());
  CodecEmulator codec(&server);
  Args args{5, 0};
  Reply reply;
  ASSERT_THAT(codec.Call("Const.Get", &args, &reply), IsOk());
  EXPECT_EQ(reply.C, 5);
}

// --- ServeCodec: a stream of requests, concurrent calls. ---

// QueueState is what the test shares with a QueueCodec: requests to serve,
// responses written. It outlives the codec, which ServeCodec destroys.
class QueueState {
 public:
  struct Sent {
    Response response;
    Reply reply;
  };

  void Push(const std::string& service_method, uint64_t seq, Args args) {
    MutexLock lock(&mu_);
    queue_.push_back({{service_method, seq}, args});
  }
  void EndInput() {
    MutexLock lock(&mu_);
    eof_ = true;
  }
  std::vector<Sent> WaitForResponses(size_t n) {
    MutexLock lock(&mu_);
    mu_.AwaitWithTimeout(
        [&]() ABSL_NO_THREAD_SAFETY_ANALYSIS { return sent_.size() >= n; },
        absl::Seconds(10));
    return sent_;
  }
  bool closed() {
    MutexLock lock(&mu_);
    return closed_;
  }

 private:
  friend class QueueCodec;
  Mutex mu_;
  std::deque<std::pair<Request, Args>> queue_ ABSL_GUARDED_BY(mu_);
  Args current_ ABSL_GUARDED_BY(mu_);
  std::vector<Sent> sent_ ABSL_GUARDED_BY(mu_);
  bool eof_ ABSL_GUARDED_BY(mu_) = false;
  bool closed_ ABSL_GUARDED_BY(mu_) = false;
};

// QueueCodec serves the requests of a QueueState; its ReadRequestHeader
// blocks until a request or the end of input.
class QueueCodec : public ServerCodec {
 public:
  explicit QueueCodec(std::shared_ptr<QueueState> state)
      : state_(std::move(state)) {}

  absl::Status ReadRequestHeader(Request* request) override {
    QueueState& s = *state_;
    MutexLock lock(&s.mu_);
    s.mu_.Await([&]() ABSL_NO_THREAD_SAFETY_ANALYSIS {
      return s.eof_ || !s.queue_.empty();
    });
    if (s.queue_.empty()) return EOFError();
    *request = s.queue_.front().first;
    s.current_ = s.queue_.front().second;
    s.queue_.pop_front();
    return absl::OkStatus();
  }
  absl::Status ReadRequestBody(Body* body) override {
    MutexLock lock(&state_->mu_);
    if (body != nullptr) *body->As<Args>() = state_->current_;
    return absl::OkStatus();
  }
  absl::Status WriteResponse(const Response& response,
                             const Body* body) override {
    MutexLock lock(&state_->mu_);
    QueueState::Sent sent{response, {}};
    if (body != nullptr) sent.reply = *body->As<Reply>();
    state_->sent_.push_back(sent);
    return absl::OkStatus();
  }
  absl::Status Close() override {
    MutexLock lock(&state_->mu_);
    state_->closed_ = true;
    return absl::OkStatus();
  }

 private:
  const std::shared_ptr<QueueState> state_;
};

// A blocked call does not hold up later ones: replies go out as calls
// finish; the slow one last. Reading stops at EOF, but the codec closes
// only after the blocked call has replied (Go's wg.Wait before Close).
TEST(ServeCodecTest, OutOfOrderAndWaitForInflight) {
  Arith arith;
  Server server;
  ASSERT_THAT(server.Register(ArithService(&arith)), IsOk());
  auto queue = std::make_shared<QueueState>();
  queue->Push("Arith.Block", 0, {99, 0});
  for (uint64_t i = 1; i <= 5; ++i) queue->Push("Arith.Add", i, {1, 2});
  queue->Push("Arith.Nope", 6, {});
  queue->EndInput();
  std::thread serve(
      [&] { server.ServeCodec(std::make_unique<QueueCodec>(queue)); });

  std::vector<QueueState::Sent> sent = queue->WaitForResponses(6);
  EXPECT_EQ(sent.size(), 6u);
  for (const auto& s : sent) EXPECT_NE(s.response.seq, 0u);
  EXPECT_FALSE(queue->closed());

  arith.release.Notify();
  serve.join();
  sent = queue->WaitForResponses(7);
  ASSERT_EQ(sent.size(), 7u);
  EXPECT_EQ(sent.back().response.seq, 0u);
  EXPECT_EQ(sent.back().reply.C, 99);
  EXPECT_TRUE(queue->closed());
  std::map<uint64_t, std::string> errors;
  for (const auto& s : sent) errors[s.response.seq] = s.response.error;
  EXPECT_EQ(errors[6], "rpc: can't find method Arith.Nope");
  EXPECT_EQ(errors[3], "");
}

}  // namespace
}  // namespace netrpc
