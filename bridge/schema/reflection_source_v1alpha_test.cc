// ReflectionSource against a C++ server with gRPC's own reflection plugin,
// which in gRPC 1.51 serves only grpc.reflection.v1alpha: loading works only
// if the source falls back from v1. A binary of its own, because the plugin
// adds itself to every server in the process (see generic_server.h).

#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/ext/proto_server_reflection_plugin.h"
#include "grpcpp/security/credentials.h"
#include "grpcpp/security/server_credentials.h"
#include "grpcpp/server_builder.h"
#include "gtest/gtest.h"

#include "bridge/grpc/fake_arith.h"
#include "bridge/schema/reflection_source.h"
#include "bridge/schema/schema.h"
#include "netrpc/testing/status_matchers.h"

namespace bridge {
namespace {

using ::netrpc::testing::IsOk;

class ReflectionSourceV1AlphaTest : public ::testing::Test {
 protected:
  void SetUp() override {
    grpc::reflection::InitProtoReflectionServerBuilderPlugin();
    grpc::ServerBuilder builder;
    builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(),
                             &port_);
    builder.RegisterService(&arith_);
    server_ = builder.BuildAndStart();
    ASSERT_NE(server_, nullptr);
  }

  void TearDown() override { server_->Shutdown(); }

  FakeArith arith_;
  int port_ = 0;
  std::unique_ptr<grpc::Server> server_;
};

TEST_F(ReflectionSourceV1AlphaTest, FallsBackToV1Alpha) {
  std::string target = absl::StrCat("127.0.0.1:", port_);
  ReflectionSource source(
      target, grpc::CreateChannel(target, grpc::InsecureChannelCredentials()));
  absl::StatusOr<std::vector<google::protobuf::FileDescriptorProto>> files =
      source.Load();
  ASSERT_THAT(files, IsOk());
  std::vector<std::string> names;
  for (const auto& file : *files) names.push_back(file.name());
  EXPECT_THAT(names, ::testing::ElementsAre("proto/demo/v1/arith.proto"));

  SchemaSource* sources[] = {&source};
  absl::StatusOr<std::shared_ptr<const Schema>> schema = Schema::Build(sources);
  ASSERT_THAT(schema, IsOk());
  absl::StatusOr<const google::protobuf::MethodDescriptor*> method =
      (*schema)->FindMethod("/demo.v1.Arith/Multiply");
  ASSERT_THAT(method, IsOk());
  EXPECT_EQ((*method)->input_type()->full_name(), "demo.v1.Args");
}

}  // namespace
}  // namespace bridge
