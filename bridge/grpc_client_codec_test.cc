// netrpc::Client::Call straight to a gRPC service through GrpcClientCodec.
#include "bridge/grpc_client_codec.h"

#include <memory>
#include <vector>

#include "absl/strings/str_cat.h"
#include "google/protobuf/text_format.h"
#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"
#include "bridge/testing/arith.h"
#include "netrpc/errors.h"

namespace bridge {
namespace {

using bridge_testing::Args;
using bridge_testing::ArgsPlus;
using bridge_testing::ArithBackend;
using bridge_testing::Quotient;

class GrpcClientCodecTest : public ::testing::Test {
 protected:
  void SetUp() override {
    grpc::ServerBuilder builder;
    builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(),
                             &port_);
    builder.RegisterService(&backend_);
    server_ = builder.BuildAndStart();
    ASSERT_NE(server_, nullptr);
    netrpc::config::v1::Bridge config;
    ASSERT_TRUE(google::protobuf::TextFormat::ParseFromString(
        R"pb(
          package: "demo.v1"
      unwrap_messages: "demo.v1.Product"
          services {
            name: "Arith"
            methods { name: "Multiply" timeout { nanos: 200000000 } }
          }
        )pb",
        &config));
    auto mapping = Mapping::Build(config, bridge_testing::ArithSchema());
    ASSERT_TRUE(mapping.ok()) << mapping.status();
    auto client = DialGrpc(absl::StrCat("127.0.0.1:", port_), *mapping);
    ASSERT_TRUE(client.ok()) << client.status();
    client_ = *std::move(client);
  }

  void TearDown() override {
    client_.reset();
    server_->Shutdown();
  }

  ArithBackend backend_;
  int port_ = 0;
  std::unique_ptr<grpc::Server> server_;
  std::unique_ptr<netrpc::Client> client_;
};

TEST_F(GrpcClientCodecTest, CallReachesGrpc) {
  int64_t product = 0;
  ASSERT_TRUE(client_->Call("Arith.Multiply", Args{7, 8}, &product).ok());
  EXPECT_EQ(product, 56);
  Quotient q;
  ASSERT_TRUE(client_->Call("Arith.Divide", Args{17, 5}, &q).ok());
  EXPECT_EQ(q.Quo, 3);
  EXPECT_EQ(q.Rem, 2);
}

TEST_F(GrpcClientCodecTest, ManyCallsInFlightMatchTheirReplies) {
  constexpr int kCalls = 100;
  std::vector<int64_t> products(kCalls, -1);
  std::vector<std::shared_ptr<netrpc::Call>> calls;
  std::vector<Args> args(kCalls);
  for (int i = 0; i < kCalls; ++i) {
    args[i] = Args{i, 3};
    calls.push_back(client_->Go("Arith.Multiply", args[i], &products[i]));
  }
  for (int i = 0; i < kCalls; ++i) {
    ASSERT_TRUE(calls[i]->Wait().ok()) << i;
    EXPECT_EQ(products[i], 3 * i);
  }
}

TEST_F(GrpcClientCodecTest, ErrorsReadAsABridgedGoClientSeesThem) {
  Quotient q;
  absl::Status s = client_->Call("Arith.Divide", Args{1, 0}, &q);
  EXPECT_TRUE(netrpc::IsServerError(s)) << s;
  EXPECT_EQ(s.message(), "divide by zero");
  EXPECT_EQ(client_->Call("Arith.Divide", Args{1, -1}, &q).message(),
            "rpc error: code = NotFound desc = no negative divisors");
  int64_t r = 0;
  EXPECT_EQ(client_->Call("Arith.Add", Args{}, &r).message(),
            "rpc: can't find method Arith.Add");
  EXPECT_EQ(client_->Call("Calc.Add", Args{}, &r).message(),
            "rpc: can't find service Calc.Add");
  s = client_->Call("Arith.Multiply", ArgsPlus{1, 2, 3}, &r);
  EXPECT_NE(s.message().find("has no counterpart"), absl::string_view::npos)
      << s;
  s = client_->Call("Arith.Multiply", Args{ArithBackend::kHang, 1}, &r);
  EXPECT_EQ(s.message(),
            "bridge: Arith.Multiply: no reply from /demo.v1.Arith/Multiply "
            "within 200ms");
  // The client is still good after all of that.
  ASSERT_TRUE(client_->Call("Arith.Multiply", Args{2, 21}, &r).ok());
  EXPECT_EQ(r, 42);
}

TEST_F(GrpcClientCodecTest, CloseFailsLaterCallsWithErrShutdown) {
  ASSERT_TRUE(client_->Close().ok());
  int64_t r = 0;
  EXPECT_TRUE(netrpc::IsShutdown(client_->Call("Arith.Multiply", Args{}, &r)));
}

}  // namespace
}  // namespace bridge
