#include "bridge/grpc/generic_server.h"

#include <cstdint>
#include <memory>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/synchronization/notification.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "google/protobuf/text_format.h"
#include "grpcpp/client_context.h"
#include "grpcpp/completion_queue.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/generic/generic_stub.h"
#include "grpcpp/security/credentials.h"
#include "gtest/gtest.h"

#include "netrpc/testing/status_matchers.h"
#include "proto/demo/v1/arith.grpc.pb.h"

namespace bridge {
namespace {

using google::protobuf::FileDescriptorProto;
using google::protobuf::Message;
using ::netrpc::testing::IsOk;
using ::netrpc::testing::StatusIs;
using ::testing::HasSubstr;
using ::testing::Pair;

FileDescriptorProto ArithFile() {
  FileDescriptorProto file;
  demo::v1::Args::descriptor()->file()->CopyTo(&file);
  return file;
}

FileDescriptorProto Parse(const std::string& text) {
  FileDescriptorProto file;
  EXPECT_TRUE(google::protobuf::TextFormat::ParseFromString(text, &file));
  return file;
}

int64_t GetInt(const Message& message, const std::string& field) {
  return message.GetReflection()->GetInt64(
      message, message.GetDescriptor()->FindFieldByName(field));
}

void SetInt(Message& message, const std::string& field, int64_t value) {
  message.GetReflection()->SetInt64(
      &message, message.GetDescriptor()->FindFieldByName(field), value);
}

// ArithHandler serves demo.v1.Arith with DynamicMessages, with special
// values of a for the tests.
class ArithHandler final : public UnaryHandler {
 public:
  static constexpr int64_t kAsync = 1000;  // answer from another thread
  static constexpr int64_t kHang = 3000;   // answer when released

  ~ArithHandler() override {
    ReleaseHung();
    std::vector<std::thread> threads;
    {
      absl::MutexLock lock(&mu_);
      threads.swap(threads_);
    }
    for (std::thread& thread : threads) thread.join();
  }

  void Handle(const ServerCall& call, Done done) override {
    std::unique_ptr<Message> request =
        call.schema->NewMessage(*call.method->input_type());
    bool parsed = request->ParseFromString(std::string(call.request));
    {
      absl::MutexLock lock(&mu_);
      last_ = call;
      last_request_ = std::string(call.request);
      last_.request = last_request_;
    }
    if (!parsed) {
      done(absl::InvalidArgumentError("not an Args"));
      return;
    }
    const int64_t a = GetInt(*request, "a");
    const int64_t b = GetInt(*request, "b");
    if (a == kHang) {
      absl::MutexLock lock(&mu_);
      hung_.push_back(std::move(done));
      return;
    }
    std::unique_ptr<Message> reply =
        call.schema->NewMessage(*call.method->output_type());
    if (call.method->name() == "Divide") {
      if (b == 0) {
        done(absl::UnknownError("divide by zero"));
        return;
      }
      SetInt(*reply, "quo", a / b);
      SetInt(*reply, "rem", a % b);
    } else {
      SetInt(*reply, "value", a * b);
    }
    if (a == kAsync) {
      absl::MutexLock lock(&mu_);
      threads_.emplace_back(
          [done = std::move(done), reply = std::move(reply)]() mutable {
            done(reply->SerializeAsString());
          });
      return;
    }
    done(reply->SerializeAsString());
  }

  // WaitForHung waits until n calls hang.
  void WaitForHung(size_t n) {
    struct Want {
      ArithHandler* handler;
      size_t n;
    } want{this, n};
    absl::MutexLock lock(&mu_);
    mu_.Await(absl::Condition(
        +[](Want* w) ABSL_NO_THREAD_SAFETY_ANALYSIS {
          return w->handler->hung_.size() >= w->n;
        },
        &want));
  }

  // ReleaseHung answers every hanging call, late.
  void ReleaseHung() {
    std::vector<Done> hung;
    {
      absl::MutexLock lock(&mu_);
      hung.swap(hung_);
    }
    for (Done& done : hung) done(absl::InternalError("too late"));
  }

  // last is the last call handled; its request stays valid until the next.
  ServerCall last() {
    absl::MutexLock lock(&mu_);
    return last_;
  }

 private:
  absl::Mutex mu_;
  ServerCall last_ ABSL_GUARDED_BY(mu_);
  std::string last_request_ ABSL_GUARDED_BY(mu_);
  std::vector<Done> hung_ ABSL_GUARDED_BY(mu_);
  std::vector<std::thread> threads_ ABSL_GUARDED_BY(mu_);
};

// RawResult is what a client that speaks the stream by hand gets back.
struct RawResult {
  grpc::Status status;
  std::vector<std::string> responses;
};

// RawCall sends messages on a call of path, half-closes and reads to the
// end: a client that can send zero, two or malformed messages.
RawResult RawCall(const std::shared_ptr<grpc::Channel>& channel,
                  const std::string& path,
                  const std::vector<std::string>& messages) {
  grpc::GenericStub stub(channel);
  grpc::ClientContext context;
  context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(30)));
  grpc::CompletionQueue cq;
  void* tag;
  bool ok = false;
  auto next = [&] { return cq.Next(&tag, &ok) && ok; };
  auto call = stub.PrepareCall(&context, path, &cq);
  call->StartCall(nullptr);
  next();
  for (const std::string& message : messages) {
    grpc::Slice slice(message);
    call->Write(grpc::ByteBuffer(&slice, 1), nullptr);
    if (!next()) break;
  }
  call->WritesDone(nullptr);
  next();
  RawResult result;
  for (;;) {
    grpc::ByteBuffer buffer;
    call->Read(&buffer, nullptr);
    if (!next()) break;
    grpc::Slice slice;
    buffer.DumpToSingleSlice(&slice);
    result.responses.emplace_back(reinterpret_cast<const char*>(slice.begin()),
                                  slice.size());
  }
  call->Finish(&result.status, nullptr);
  next();
  cq.Shutdown();
  while (cq.Next(&tag, &ok)) {
  }
  return result;
}

std::string Serialized(int64_t a, int64_t b) {
  demo::v1::Args args;
  args.set_a(a);
  args.set_b(b);
  return args.SerializeAsString();
}

class GenericServerTest : public ::testing::Test {
 protected:
  void SetUp() override { Start({}); }

  void Start(GenericServerOptions options,
             std::vector<FileDescriptorProto> files = {ArithFile()}) {
    absl::StatusOr<std::shared_ptr<const Schema>> schema =
        Schema::FromFiles(std::move(files), "test");
    ASSERT_THAT(schema, IsOk());
    server_.reset();
    absl::StatusOr<std::unique_ptr<GenericServer>> server =
        GenericServer::Start(options, *schema, &handler_);
    ASSERT_THAT(server, IsOk());
    server_ = std::move(*server);
    channel_ = grpc::CreateChannel(absl::StrCat("127.0.0.1:", server_->port()),
                                   grpc::InsecureChannelCredentials());
    stub_ = demo::v1::Arith::NewStub(channel_);
  }

  grpc::Status Multiply(int64_t a, int64_t b, demo::v1::Product* product,
                        absl::Duration timeout = absl::Seconds(30)) {
    grpc::ClientContext context;
    context.set_deadline(absl::ToChronoTime(absl::Now() + timeout));
    demo::v1::Args args;
    args.set_a(a);
    args.set_b(b);
    return stub_->Multiply(&context, args, product);
  }

  // Declared first: calls may hold the handler until the server is gone.
  ArithHandler handler_;
  std::unique_ptr<GenericServer> server_;
  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<demo::v1::Arith::Stub> stub_;
};

TEST_F(GenericServerTest, GeneratedStubCallsBridgedMethods) {
  demo::v1::Product product;
  ASSERT_TRUE(Multiply(6, 7, &product).ok());
  EXPECT_EQ(product.value(), 42);

  grpc::ClientContext context;
  demo::v1::Args args;
  args.set_a(17);
  args.set_b(5);
  demo::v1::Quotient quotient;
  grpc::Status status = stub_->Divide(&context, args, &quotient);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(quotient.quo(), 3);
  EXPECT_EQ(quotient.rem(), 2);
}

TEST_F(GenericServerTest, HandlerErrorsReachTheClientUnchanged) {
  grpc::ClientContext context;
  demo::v1::Args args;
  args.set_a(1);
  demo::v1::Quotient quotient;
  grpc::Status status = stub_->Divide(&context, args, &quotient);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNKNOWN);
  EXPECT_EQ(status.error_message(), "divide by zero");
}

TEST_F(GenericServerTest, HandlerMayAnswerFromAnotherThread) {
  demo::v1::Product product;
  ASSERT_TRUE(Multiply(ArithHandler::kAsync, 2, &product).ok());
  EXPECT_EQ(product.value(), 2000);
}

TEST_F(GenericServerTest, HandlerSeesDeadlineMetadataAndPeer) {
  grpc::ClientContext context;
  const absl::Time deadline = absl::Now() + absl::Seconds(30);
  context.set_deadline(absl::ToChronoTime(deadline));
  context.AddMetadata("x-user", "ann");
  demo::v1::Args args;
  demo::v1::Product product;
  ASSERT_TRUE(stub_->Multiply(&context, args, &product).ok());

  ServerCall call = handler_.last();
  EXPECT_EQ(call.method->full_name(), "demo.v1.Arith.Multiply");
  EXPECT_LE(absl::AbsDuration(call.deadline - deadline), absl::Seconds(1));
  EXPECT_THAT(call.metadata, ::testing::Contains(Pair("x-user", "ann")));
  EXPECT_TRUE(absl::StartsWith(call.peer, "ipv4:127.0.0.1:")) << call.peer;
}

TEST_F(GenericServerTest, NoDeadlineIsInfiniteFuture) {
  grpc::ClientContext context;
  demo::v1::Args args;
  demo::v1::Product product;
  ASSERT_TRUE(stub_->Multiply(&context, args, &product).ok());
  EXPECT_EQ(handler_.last().deadline, absl::InfiniteFuture());
}

TEST_F(GenericServerTest, UnknownMethodIsUnimplemented) {
  RawResult result =
      RawCall(channel_, "/demo.v1.Arith/Add", {Serialized(1, 2)});
  EXPECT_EQ(result.status.error_code(), grpc::StatusCode::UNIMPLEMENTED);
  EXPECT_EQ(result.status.error_message(),
            "bridge: cannot serve /demo.v1.Arith/Add: service demo.v1.Arith "
            "has no method Add (it has: Multiply, Divide)");

  result = RawCall(channel_, "/demo.v1.Calc/Add", {Serialized(1, 2)});
  EXPECT_EQ(result.status.error_code(), grpc::StatusCode::UNIMPLEMENTED);
  EXPECT_THAT(result.status.error_message(),
              HasSubstr("the schema has no service demo.v1.Calc"));
}

TEST_F(GenericServerTest, NoRequestMessageIsInvalidArgument) {
  RawResult result = RawCall(channel_, "/demo.v1.Arith/Multiply", {});
  EXPECT_EQ(result.status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(result.status.error_message(),
            "bridge: /demo.v1.Arith/Multiply is unary, and the client sent no "
            "request message");
  EXPECT_TRUE(result.responses.empty());
}

TEST_F(GenericServerTest, SecondRequestMessageIsUnimplemented) {
  RawResult result = RawCall(channel_, "/demo.v1.Arith/Multiply",
                             {Serialized(1, 2), Serialized(3, 4)});
  EXPECT_EQ(result.status.error_code(), grpc::StatusCode::UNIMPLEMENTED);
  EXPECT_THAT(result.status.error_message(),
              HasSubstr("sent a second request message"));
  EXPECT_TRUE(result.responses.empty());
}

TEST_F(GenericServerTest, HandlerGetsTheRequestBytesAsSent) {
  // Bytes that are no Args reach the handler unchanged (it says what they
  // are), as do fields the schema does not know (number 99 here).
  RawResult result =
      RawCall(channel_, "/demo.v1.Arith/Multiply", {"\xff\xff\xff"});
  EXPECT_EQ(result.status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(result.status.error_message(), "not an Args");
  EXPECT_EQ(handler_.last().request, "\xff\xff\xff");

  std::string with_unknown = Serialized(6, 7) + "\x98\x06\x01";
  result = RawCall(channel_, "/demo.v1.Arith/Multiply", {with_unknown});
  ASSERT_TRUE(result.status.ok()) << result.status.error_message();
  EXPECT_EQ(handler_.last().request, with_unknown);
  demo::v1::Product product;
  ASSERT_EQ(result.responses.size(), 1u);
  ASSERT_TRUE(product.ParseFromString(result.responses[0]));
  EXPECT_EQ(product.value(), 42);
}

TEST_F(GenericServerTest, EmptyRequestIsAllDefaults) {
  RawResult result = RawCall(channel_, "/demo.v1.Arith/Multiply", {""});
  ASSERT_TRUE(result.status.ok()) << result.status.error_message();
  ASSERT_EQ(result.responses.size(), 1u);
  EXPECT_EQ(result.responses[0], "");
}

TEST_F(GenericServerTest, OversizedRequestIsResourceExhausted) {
  GenericServerOptions options;
  options.max_receive_message_bytes = 64;
  Start(options);
  RawResult result =
      RawCall(channel_, "/demo.v1.Arith/Multiply", {std::string(100, '\0')});
  EXPECT_EQ(result.status.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
}

TEST_F(GenericServerTest, StreamingMethodsAreUnimplemented) {
  Start({}, {ArithFile(), Parse(R"pb(name: "s.proto"
                                     package: "s"
                                     message_type { name: "M" }
                                     service {
                                       name: "S"
                                       method {
                                         name: "Watch"
                                         input_type: ".s.M"
                                         output_type: ".s.M"
                                         server_streaming: true
                                       }
                                     })pb")});
  RawResult result = RawCall(channel_, "/s.S/Watch", {""});
  EXPECT_EQ(result.status.error_code(), grpc::StatusCode::UNIMPLEMENTED);
  EXPECT_THAT(result.status.error_message(),
              HasSubstr("/s.S/Watch is a streaming method"));
}

TEST_F(GenericServerTest, SetSchemaSwapsWhatIsServed) {
  absl::StatusOr<std::shared_ptr<const Schema>> calc = Schema::FromFiles(
      {Parse(R"pb(name: "calc.proto"
                  package: "calc"
                  message_type {
                    name: "Args"
                    field { name: "a" number: 1 type: TYPE_INT64 }
                    field { name: "b" number: 2 type: TYPE_INT64 }
                  }
                  message_type {
                    name: "Product"
                    field { name: "value" number: 1 type: TYPE_INT64 }
                  }
                  service {
                    name: "Calc"
                    method {
                      name: "Multiply"
                      input_type: ".calc.Args"
                      output_type: ".calc.Product"
                    }
                  })pb")},
      "reload");
  ASSERT_THAT(calc, IsOk());
  server_->SetSchema(*calc);

  demo::v1::Product product;
  EXPECT_EQ(Multiply(6, 7, &product).error_code(),
            grpc::StatusCode::UNIMPLEMENTED);
  RawResult result =
      RawCall(channel_, "/calc.Calc/Multiply", {Serialized(6, 7)});
  ASSERT_TRUE(result.status.ok()) << result.status.error_message();
  ASSERT_EQ(result.responses.size(), 1u);
  demo::v1::Product same_wire;
  ASSERT_TRUE(same_wire.ParseFromString(result.responses[0]));
  EXPECT_EQ(same_wire.value(), 42);
  EXPECT_EQ(handler_.last().method->full_name(), "calc.Calc.Multiply");
}

TEST_F(GenericServerTest, DeadlineEndsTheCallWhileTheHandlerHangs) {
  demo::v1::Product product;
  grpc::Status status =
      Multiply(ArithHandler::kHang, 1, &product, absl::Milliseconds(200));
  EXPECT_EQ(status.error_code(), grpc::StatusCode::DEADLINE_EXCEEDED);
  handler_.ReleaseHung();  // the late answer goes nowhere, harmlessly
}

TEST_F(GenericServerTest, ShutdownDoesNotWaitForAHangingHandler) {
  grpc::ClientContext context;
  demo::v1::Args args;
  args.set_a(ArithHandler::kHang);
  demo::v1::Product product;
  absl::Notification done;
  grpc::Status status;
  stub_->async()->Multiply(&context, &args, &product, [&](grpc::Status s) {
    status = std::move(s);
    done.Notify();
  });
  handler_.WaitForHung(1);
  server_->Shutdown(absl::Now() + absl::Milliseconds(100));
  done.WaitForNotification();
  EXPECT_FALSE(status.ok());
}

TEST(GenericServerStartTest, UnbindableAddressIsUnavailable) {
  ArithHandler handler;
  GenericServerOptions options;
  options.address = "192.0.2.1:0";  // TEST-NET-1: never a local address
  EXPECT_THAT(GenericServer::Start(
                  options, *Schema::FromFiles({ArithFile()}, "test"), &handler),
              StatusIs(absl::StatusCode::kUnavailable,
                       HasSubstr("cannot serve gRPC on 192.0.2.1:0")));
}

}  // namespace
}  // namespace bridge
