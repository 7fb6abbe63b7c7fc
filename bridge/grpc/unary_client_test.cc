// Both UnaryClients (gRPC C++'s channel and the lean HTTP/2 client) against
// the same generated C++ gRPC server: they must answer alike.

#include "bridge/grpc/generic_client.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/blocking_counter.h"
#include "absl/synchronization/mutex.h"
#include "absl/synchronization/notification.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "google/protobuf/text_format.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"
#include "grpcpp/security/server_credentials.h"
#include "grpcpp/server_builder.h"
#include "gtest/gtest.h"

#include "bridge/grpc/fake_arith.h"
#include "bridge/grpc/h2_client.h"
#include "bridge/schema/schema.h"
#include "netrpc/testing/status_matchers.h"

namespace bridge {
namespace {

using google::protobuf::Message;
using google::protobuf::MethodDescriptor;
using ::netrpc::testing::IsOk;
using ::netrpc::testing::StatusIs;
using ::testing::HasSubstr;
using ::testing::Pair;

using Reply = absl::StatusOr<std::unique_ptr<Message>>;

std::shared_ptr<const Schema> ArithSchema() {
  google::protobuf::FileDescriptorProto file;
  demo::v1::Args::descriptor()->file()->CopyTo(&file);
  return *Schema::FromFiles({file}, "arith");
}

enum class Kind { kGrpcCore, kH2 };

class UnaryClientTest : public ::testing::TestWithParam<Kind> {
 protected:
  void SetUp() override {
    grpc::ServerBuilder builder;
    int port = 0;
    builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(),
                             &port);
    builder.RegisterService(&arith_);
    server_ = builder.BuildAndStart();
    ASSERT_NE(server_, nullptr);
    target_ = absl::StrCat("127.0.0.1:", port);
  }

  // NewClient is the client under test, calling target.
  std::unique_ptr<UnaryClient> NewClient(GenericClientOptions options = {},
                                         std::string target = "") {
    if (target.empty()) target = target_;
    if (GetParam() == Kind::kGrpcCore) {
      return std::make_unique<GenericClient>(
          grpc::CreateChannel(target, grpc::InsecureChannelCredentials()),
          std::move(options));
    }
    H2ClientOptions h2;
    h2.target = target;
    h2.call = std::move(options);
    absl::StatusOr<std::unique_ptr<H2Client>> client =
        H2Client::Create(std::move(h2));
    EXPECT_THAT(client, IsOk());
    return std::move(*client);
  }

  void TearDown() override { server_->Shutdown(); }

  std::unique_ptr<Message> Args(const MethodDescriptor& method, int64_t a,
                                int64_t b) {
    std::unique_ptr<Message> args = schema_->NewMessage(*method.input_type());
    const auto* type = method.input_type();
    args->GetReflection()->SetInt64(args.get(), type->FindFieldByName("a"), a);
    args->GetReflection()->SetInt64(args.get(), type->FindFieldByName("b"), b);
    return args;
  }

  const MethodDescriptor& Method(const std::string& path) {
    return **schema_->FindMethod(path);
  }

  Reply CallAndWait(const UnaryClient& client, const MethodDescriptor& method,
                    const Message& request, CallOptions options = {}) {
    absl::Notification done;
    Reply reply;
    client.Call(method, request, schema_->NewMessage(*method.output_type()),
                std::move(options), [&](Reply r) {
                  reply = std::move(r);
                  done.Notify();
                });
    done.WaitForNotification();
    return reply;
  }

  std::shared_ptr<const Schema> schema_ = ArithSchema();
  FakeArith arith_;
  std::unique_ptr<grpc::Server> server_;
  std::string target_;
};

INSTANTIATE_TEST_SUITE_P(Clients, UnaryClientTest,
                         ::testing::Values(Kind::kGrpcCore, Kind::kH2),
                         [](const ::testing::TestParamInfo<Kind>& info) {
                           return info.param == Kind::kGrpcCore ? "GrpcCore"
                                                                : "H2";
                         });

TEST_P(UnaryClientTest, CallsGeneratedServerWithDynamicMessages) {
  std::unique_ptr<UnaryClient> client = NewClient();
  const MethodDescriptor& multiply = Method("/demo.v1.Arith/Multiply");
  Reply reply = CallAndWait(*client, multiply, *Args(multiply, 6, 7));
  ASSERT_THAT(reply, IsOk());
  EXPECT_EQ((*reply)->GetDescriptor(), multiply.output_type());
  EXPECT_EQ((*reply)->ShortDebugString(), "value: 42");

  const MethodDescriptor& divide = Method("/demo.v1.Arith/Divide");
  reply = CallAndWait(*client, divide, *Args(divide, 17, 5));
  ASSERT_THAT(reply, IsOk());
  EXPECT_EQ((*reply)->ShortDebugString(), "quo: 3 rem: 2");
}

TEST_P(UnaryClientTest, EmptyRequestIsAValidMessage) {
  std::unique_ptr<UnaryClient> client = NewClient();
  const MethodDescriptor& multiply = Method("/demo.v1.Arith/Multiply");
  Reply reply = CallAndWait(*client, multiply,
                            *schema_->NewMessage(*multiply.input_type()));
  ASSERT_THAT(reply, IsOk());
  EXPECT_EQ((*reply)->ByteSizeLong(), 0u);
}

TEST_P(UnaryClientTest, UpstreamStatusPassesThroughUnchanged) {
  std::unique_ptr<UnaryClient> client = NewClient();
  const MethodDescriptor& divide = Method("/demo.v1.Arith/Divide");
  EXPECT_THAT(CallAndWait(*client, divide, *Args(divide, 1, 0)),
              StatusIs(absl::StatusCode::kInvalidArgument, "divide by zero"));
}

TEST_P(UnaryClientTest, UnknownUpstreamMethodIsUnimplemented) {
  absl::StatusOr<std::shared_ptr<const Schema>> other =
      Schema::FromFiles({[] {
                          google::protobuf::FileDescriptorProto file;
                          google::protobuf::TextFormat::ParseFromString(
                              R"pb(name: "other.proto"
                                   package: "demo.v1"
                                   message_type { name: "M" }
                                   service {
                                     name: "Arith"
                                     method {
                                       name: "Add"
                                       input_type: ".demo.v1.M"
                                       output_type: ".demo.v1.M"
                                     }
                                   })pb",
                              &file);
                          return file;
                        }()},
                        "other");
  ASSERT_THAT(other, IsOk());
  const MethodDescriptor& add = **(*other)->FindMethod("/demo.v1.Arith/Add");
  std::unique_ptr<UnaryClient> client = NewClient();
  absl::Notification done;
  Reply reply;
  client->Call(add, *(*other)->NewMessage(*add.input_type()),
              (*other)->NewMessage(*add.output_type()), {}, [&](Reply r) {
                reply = std::move(r);
                done.Notify();
              });
  done.WaitForNotification();
  EXPECT_THAT(reply, StatusIs(absl::StatusCode::kUnimplemented));
}

TEST_P(UnaryClientTest, DeadlineExceededOnSlowMethod) {
  std::unique_ptr<UnaryClient> client = NewClient();
  const MethodDescriptor& multiply = Method("/demo.v1.Arith/Multiply");
  CallOptions options;
  options.deadline = absl::Now() + absl::Milliseconds(200);
  EXPECT_THAT(CallAndWait(*client, multiply,
                          *Args(multiply, FakeArith::kHang, 1), options),
              StatusIs(absl::StatusCode::kDeadlineExceeded));
}

TEST_P(UnaryClientTest, UpstreamDownIsUnavailable) {
  // A port bound but not listening refuses connections.
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  ASSERT_GE(fd, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof(addr);
  ASSERT_EQ(bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)), 0);
  ASSERT_EQ(getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len), 0);
  std::unique_ptr<UnaryClient> client =
      NewClient({}, absl::StrCat("127.0.0.1:", ntohs(addr.sin_port)));
  const MethodDescriptor& multiply = Method("/demo.v1.Arith/Multiply");
  EXPECT_THAT(CallAndWait(*client, multiply, *Args(multiply, 1, 1)),
              StatusIs(absl::StatusCode::kUnavailable));
  close(fd);
}

TEST_P(UnaryClientTest, SendsStaticAndPerCallMetadata) {
  GenericClientOptions client_options;
  client_options.metadata = {{"x-static", "s"}};
  std::unique_ptr<UnaryClient> client = NewClient(client_options);
  const MethodDescriptor& multiply = Method("/demo.v1.Arith/Multiply");
  CallOptions options;
  options.metadata = {{"x-call", "c"}};
  ASSERT_THAT(CallAndWait(*client, multiply, *Args(multiply, 2, 3), options),
              IsOk());
  std::multimap<std::string, std::string> seen = arith_.last_metadata();
  EXPECT_THAT(seen, ::testing::IsSupersetOf(
                        {Pair("x-static", "s"), Pair("x-call", "c")}));
}

TEST_P(UnaryClientTest, WrongTypesFailBeforeCallReturns) {
  std::unique_ptr<UnaryClient> client = NewClient();
  const MethodDescriptor& multiply = Method("/demo.v1.Arith/Multiply");
  bool called = false;
  // A Product where Args belongs.
  client->Call(multiply, *schema_->NewMessage(*multiply.output_type()),
              schema_->NewMessage(*multiply.output_type()), {}, [&](Reply r) {
                EXPECT_THAT(r, StatusIs(absl::StatusCode::kInvalidArgument,
                                        "bridge: /demo.v1.Arith/Multiply "
                                        "takes a demo.v1.Args, not a "
                                        "demo.v1.Product"));
                called = true;
              });
  EXPECT_TRUE(called);
  called = false;
  client->Call(multiply, *Args(multiply, 1, 1), nullptr, {}, [&](Reply r) {
    EXPECT_THAT(r, StatusIs(absl::StatusCode::kInvalidArgument,
                            HasSubstr("needs a response message")));
    called = true;
  });
  EXPECT_TRUE(called);
}

TEST_P(UnaryClientTest, StreamingMethodsAreRefused) {
  google::protobuf::FileDescriptorProto file;
  ASSERT_TRUE(google::protobuf::TextFormat::ParseFromString(
      R"pb(name: "s.proto"
           package: "s"
           message_type { name: "M" }
           service {
             name: "S"
             method {
               name: "Chat"
               input_type: ".s.M"
               output_type: ".s.M"
               client_streaming: true
             }
           })pb",
      &file));
  std::shared_ptr<const Schema> schema = *Schema::FromFiles({file}, "s");
  const MethodDescriptor& chat = **schema->FindMethod("/s.S/Chat");
  std::unique_ptr<UnaryClient> client = NewClient();
  bool called = false;
  client->Call(chat, *schema->NewMessage(*chat.input_type()),
              schema->NewMessage(*chat.output_type()), {}, [&](Reply r) {
                EXPECT_THAT(r, StatusIs(absl::StatusCode::kUnimplemented,
                                        HasSubstr("is a streaming method")));
                called = true;
              });
  EXPECT_TRUE(called);
}

TEST_P(UnaryClientTest, ManyConcurrentCalls) {
  std::unique_ptr<UnaryClient> client = NewClient();
  const MethodDescriptor& multiply = Method("/demo.v1.Arith/Multiply");
  constexpr int kCalls = 200;
  absl::BlockingCounter pending(kCalls);
  absl::Mutex mu;
  std::vector<int64_t> products(kCalls, -1);
  for (int i = 0; i < kCalls; ++i) {
    client->Call(
        multiply, *Args(multiply, i, i),
        schema_->NewMessage(*multiply.output_type()), {}, [&, i](Reply r) {
          if (r.ok()) {
            const auto* field = (*r)->GetDescriptor()->FindFieldByName("value");
            absl::MutexLock lock(&mu);
            products[i] = (*r)->GetReflection()->GetInt64(**r, field);
          }
          // Free the message now: once the last count is down, the test
          // may end and destroy the schema the message refers to.
          r = absl::CancelledError();
          pending.DecrementCount();
        });
  }
  pending.Wait();
  absl::MutexLock lock(&mu);
  for (int i = 0; i < kCalls; ++i) EXPECT_EQ(products[i], int64_t{i} * i) << i;
}

}  // namespace
}  // namespace bridge
