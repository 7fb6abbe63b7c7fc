// Direction 2 in one process: a generated gRPC stub calls a GenericServer
// whose handler forwards to a net/rpc server (ours, standing in for a legacy
// Go server; tests/bridge runs the same against Go's own).
#include "bridge/grpc_to_netrpc.h"

#include <memory>
#include <string>
#include <thread>

#include "absl/synchronization/notification.h"
#include "google/protobuf/text_format.h"
#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"
#include "bridge/testing/arith.h"
#include "netrpc/listener.h"
#include "netrpc/server.h"
#include "netrpc/service.h"
#include "proto/demo/v1/arith.grpc.pb.h"

namespace legacy {

using bridge_testing::Args;
using bridge_testing::Quotient;

// Arith is the legacy server of Go's net/rpc documentation.
class Arith {
 public:
  absl::Status Multiply(const Args& a, int64_t* reply) {
    if (a.A == kSlow) {
      release_.WaitForNotification();
    }
    *reply = a.A * a.B;
    return absl::OkStatus();
  }
  absl::Status Divide(const Args& a, Quotient* q) {
    if (a.B == 0) return absl::InvalidArgumentError("divide by zero");
    q->Quo = a.A / a.B;
    q->Rem = a.A % a.B;
    return absl::OkStatus();
  }
  static constexpr int64_t kSlow = -7;
  absl::Notification release_;
};

}  // namespace legacy

namespace bridge {
namespace {

using bridge_testing::ArithSchema;

class GrpcToNetRpcTest : public ::testing::Test {
 protected:
  void SetUp() override {
    netrpc::Service<legacy::Arith> service("Arith", &arith_);
    service.Method("Multiply", &legacy::Arith::Multiply)
        .Method("Divide", &legacy::Arith::Divide);
    ASSERT_TRUE(legacy_.Register(service).ok());
    auto listener = netrpc::Listen("tcp", "127.0.0.1:0");
    ASSERT_TRUE(listener.ok()) << listener.status();
    listener_ = *std::move(listener);
    accept_ = std::thread([this] { legacy_.Accept(*listener_); });
    Start(listener_->Addr(), R"pb(
      package: "demo.v1"
      unwrap_messages: "demo.v1.Product"
      services { name: "Arith" }
      error_rules { prefix: "divide by" code: "INVALID_ARGUMENT" }
    )pb");
  }

  void Start(const std::string& upstream_address, const char* config_text) {
    netrpc::config::v1::Bridge config;
    ASSERT_TRUE(
        google::protobuf::TextFormat::ParseFromString(config_text, &config));
    std::shared_ptr<const Schema> schema = ArithSchema();
    absl::StatusOr<std::shared_ptr<const Mapping>> mapping =
        Mapping::Build(config, schema);
    ASSERT_TRUE(mapping.ok()) << mapping.status();
    NetRpcPoolOptions pool_options;
    pool_options.address = upstream_address;
    pool_ = std::make_unique<NetRpcPool>(pool_options);
    handler_ = std::make_unique<GrpcToNetRpc>(*mapping, pool_.get());
    auto server = GenericServer::Start({}, schema, handler_.get());
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = *std::move(server);
    stub_ = demo::v1::Arith::NewStub(grpc::CreateChannel(
        absl::StrCat("127.0.0.1:", server_->port()),
        grpc::InsecureChannelCredentials()));
  }

  void TearDown() override {
    if (!arith_.release_.HasBeenNotified()) arith_.release_.Notify();
    if (server_) server_->Shutdown(absl::Now() + absl::Seconds(5));
    if (listener_) (void)listener_->Close();
    if (accept_.joinable()) accept_.join();
  }

  grpc::Status Multiply(int64_t a, int64_t b, int64_t* out,
                        absl::Duration timeout = absl::Seconds(10)) {
    grpc::ClientContext ctx;
    ctx.set_deadline(absl::ToChronoTime(absl::Now() + timeout));
    demo::v1::Args args;
    args.set_a(a);
    args.set_b(b);
    demo::v1::Product p;
    grpc::Status s = stub_->Multiply(&ctx, args, &p);
    *out = p.value();
    return s;
  }

  legacy::Arith arith_;
  netrpc::Server legacy_;
  std::unique_ptr<netrpc::Listener> listener_;
  std::thread accept_;
  std::unique_ptr<NetRpcPool> pool_;
  std::unique_ptr<GrpcToNetRpc> handler_;
  std::unique_ptr<GenericServer> server_;
  std::unique_ptr<demo::v1::Arith::Stub> stub_;
};

TEST_F(GrpcToNetRpcTest, GrpcCallsReachTheNetRpcServer) {
  int64_t product = 0;
  grpc::Status s = Multiply(7, 8, &product);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(product, 56);

  grpc::ClientContext ctx;
  demo::v1::Args args;
  args.set_a(17);
  args.set_b(5);
  demo::v1::Quotient q;
  s = stub_->Divide(&ctx, args, &q);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(q.quo(), 3);
  EXPECT_EQ(q.rem(), 2);
}

TEST_F(GrpcToNetRpcTest, NetRpcErrorTextMapsByRule) {
  grpc::ClientContext ctx;
  demo::v1::Args args;
  args.set_a(1);
  demo::v1::Quotient q;
  grpc::Status s = stub_->Divide(&ctx, args, &q);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(s.error_message(), "divide by zero");
}

TEST_F(GrpcToNetRpcTest, CallerDeadlineIsHonoured) {
  int64_t product = 0;
  grpc::Status s = Multiply(legacy::Arith::kSlow, 2, &product,
                            absl::Milliseconds(200));
  EXPECT_EQ(s.error_code(), grpc::StatusCode::DEADLINE_EXCEEDED);
  arith_.release_.Notify();  // the late reply is dropped
  s = Multiply(3, 4, &product);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(product, 12);
}

TEST_F(GrpcToNetRpcTest, DeadUpstreamIsUnavailableNamingTheAddress) {
  // A second bridge to a port nobody listens on.
  auto dead = netrpc::Listen("tcp", "127.0.0.1:0");
  ASSERT_TRUE(dead.ok());
  std::string address = (*dead)->Addr();
  (void)(*dead)->Close();
  server_->Shutdown(absl::Now());
  Start(address, R"pb(package: "demo.v1"
      unwrap_messages: "demo.v1.Product" services { name: "Arith" })pb");
  int64_t product = 0;
  grpc::Status s = Multiply(1, 2, &product);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::UNAVAILABLE);
  EXPECT_NE(s.error_message().find(address), std::string::npos)
      << s.error_message();
}

}  // namespace
}  // namespace bridge
