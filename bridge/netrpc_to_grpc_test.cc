// Direction 1 in one process: a netrpc::Client calls a netrpc::Server whose
// services are bridged to a real gRPC server on loopback.
#include "bridge/netrpc_to_grpc.h"

#include <memory>
#include <string>
#include <thread>

#include "google/protobuf/text_format.h"
#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"
#include "netrpc/client.h"
#include "netrpc/errors.h"
#include "netrpc/listener.h"
#include "netrpc/server.h"
#include "bridge/testing/arith.h"

namespace bridge {
namespace {

using bridge_testing::Args;
using bridge_testing::ArgsPlus;
using bridge_testing::ArithBackend;
using bridge_testing::ArithSchema;
using bridge_testing::Quotient;

constexpr int64_t kHang = ArithBackend::kHang;

class NetRpcToGrpcTest : public ::testing::Test {
 protected:
  void SetUp() override {
    grpc::ServerBuilder builder;
    int port = 0;
    builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(),
                             &port);
    builder.RegisterService(&backend_);
    grpc_server_ = builder.BuildAndStart();
    ASSERT_NE(grpc_server_, nullptr);
    upstream_ = std::make_unique<GenericClient>(grpc::CreateChannel(
        absl::StrCat("127.0.0.1:", port), grpc::InsecureChannelCredentials()));
    StartBridge(R"pb(
      package: "demo.v1"
      unwrap_messages: "demo.v1.Product"
      services {
        name: "Arith"
        methods { name: "Multiply" timeout { nanos: 300000000 } }
      }
    )pb");
  }

  void StartBridge(const char* config_text) {
    netrpc::config::v1::Bridge config;
    ASSERT_TRUE(
        google::protobuf::TextFormat::ParseFromString(config_text, &config));
    absl::StatusOr<std::shared_ptr<const Mapping>> mapping =
        Mapping::Build(config, ArithSchema());
    ASSERT_TRUE(mapping.ok()) << mapping.status();
    server_ = std::make_unique<netrpc::Server>();
    for (const auto& s : NetRpcServices(*mapping, upstream_.get())) {
      ASSERT_TRUE(server_->RegisterName(s.type_name(), s).ok());
    }
    auto listener = netrpc::Listen("tcp", "127.0.0.1:0");
    ASSERT_TRUE(listener.ok()) << listener.status();
    listener_ = *std::move(listener);
    accept_ = std::thread([this] { server_->Accept(*listener_); });
    auto client = netrpc::Dial("tcp", listener_->Addr());
    ASSERT_TRUE(client.ok()) << client.status();
    client_ = *std::move(client);
  }

  void TearDown() override {
    if (client_) (void)client_->Close();
    if (listener_) (void)listener_->Close();
    if (accept_.joinable()) accept_.join();
    if (grpc_server_) grpc_server_->Shutdown();
  }

  ArithBackend backend_;
  std::unique_ptr<grpc::Server> grpc_server_;
  std::unique_ptr<GenericClient> upstream_;
  std::unique_ptr<netrpc::Server> server_;
  std::unique_ptr<netrpc::Listener> listener_;
  std::thread accept_;
  std::unique_ptr<netrpc::Client> client_;
};

TEST_F(NetRpcToGrpcTest, CallsReachTheGrpcBackend) {
  int64_t product = 0;
  ASSERT_TRUE(client_->Call("Arith.Multiply", Args{7, 8}, &product).ok());
  EXPECT_EQ(product, 56);

  Quotient q;
  ASSERT_TRUE(client_->Call("Arith.Divide", Args{17, 5}, &q).ok());
  EXPECT_EQ(q.Quo, 3);
  EXPECT_EQ(q.Rem, 2);
}

TEST_F(NetRpcToGrpcTest, ErrorsReadAsTheLegacyServerWrote) {
  Quotient q;
  absl::Status s = client_->Call("Arith.Divide", Args{1, 0}, &q);
  EXPECT_TRUE(netrpc::IsServerError(s)) << s;
  EXPECT_EQ(s.message(), "divide by zero");

  s = client_->Call("Arith.Divide", Args{1, -1}, &q);
  EXPECT_EQ(s.message(), "rpc error: code = NotFound desc = no negative divisors");
}

TEST_F(NetRpcToGrpcTest, UnroutedMethodsGetGosTexts) {
  int64_t r = 0;
  EXPECT_EQ(client_->Call("Arith.Add", Args{1, 2}, &r).message(),
            "rpc: can't find method Arith.Add");
  EXPECT_EQ(client_->Call("Calc.Add", Args{1, 2}, &r).message(),
            "rpc: can't find service Calc.Add");
}

TEST_F(NetRpcToGrpcTest, SlowUpstreamTimesOutWithItsOwnText) {
  int64_t r = 0;
  absl::Status s = client_->Call("Arith.Multiply", Args{kHang, 1}, &r);
  EXPECT_EQ(s.message(),
            "bridge: Arith.Multiply: no reply from /demo.v1.Arith/Multiply "
            "within 300ms");
  // The connection is still good.
  ASSERT_TRUE(client_->Call("Arith.Multiply", Args{2, 3}, &r).ok());
  EXPECT_EQ(r, 6);
}

TEST_F(NetRpcToGrpcTest, UnknownGoFieldIsRefusedNotDropped) {
  int64_t r = 0;
  absl::Status s = client_->Call("Arith.Multiply", ArgsPlus{2, 3, 4}, &r);
  EXPECT_NE(s.message().find("Go field Args.C has no counterpart in "
                             "demo.v1.Args"),
            absl::string_view::npos)
      << s;
}

TEST_F(NetRpcToGrpcTest, DeadUpstreamIsNamed) {
  grpc_server_->Shutdown();
  grpc_server_.reset();
  int64_t r = 0;
  absl::Status s = client_->Call("Arith.Multiply", Args{2, 3}, &r);
  EXPECT_NE(s.message().find("bridge: Arith.Multiply: upstream unavailable: "
                             "rpc error: code = Unavailable"),
            absl::string_view::npos)
      << s;
}

}  // namespace
}  // namespace bridge
