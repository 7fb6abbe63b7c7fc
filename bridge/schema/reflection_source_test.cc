// ReflectionSource against the bridge's own reflection server, which speaks
// grpc.reflection.v1 (reflection_source_v1alpha_test.cc covers the fallback
// to v1alpha against gRPC's own reflection plugin).

#include "bridge/schema/reflection_source.h"

#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/generic/async_generic_service.h"
#include "grpcpp/security/credentials.h"
#include "grpcpp/security/server_credentials.h"
#include "grpcpp/server_builder.h"
#include "gtest/gtest.h"
#include "bridge/testing/arith.h"

#include "bridge/grpc/generic_server.h"
#include "bridge/schema/descriptor_set_source.h"
#include "bridge/schema/schema.h"
#include "netrpc/testing/runfiles.h"
#include "netrpc/testing/status_matchers.h"

namespace bridge {
namespace {

using google::protobuf::FileDescriptorProto;
using ::netrpc::testing::IsOk;
using ::netrpc::testing::StatusIs;
using ::testing::AllOf;
using ::testing::HasSubstr;
using ::testing::UnorderedElementsAre;

class NoHandler final : public UnaryHandler {
  void Handle(const ServerCall&, Done done) override {
    done(absl::UnimplementedError("not in this test"));
  }
};

std::vector<std::string> Names(const std::vector<FileDescriptorProto>& files) {
  std::vector<std::string> names;
  for (const auto& file : files) names.push_back(file.name());
  return names;
}

std::shared_ptr<grpc::Channel> Channel(int port) {
  return grpc::CreateChannel(absl::StrCat("127.0.0.1:", port),
                             grpc::InsecureChannelCredentials());
}

class ReflectionSourceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<std::string> path =
        netrpc::testing::Runfile("proto/demo/v1/arith_proto.pb");
    ASSERT_THAT(path, IsOk());
    DescriptorSetSource source(*path);
    SchemaSource* sources[] = {&source};
    absl::StatusOr<std::shared_ptr<const Schema>> schema =
        Schema::Build(sources);
    ASSERT_THAT(schema, IsOk());
    schema_ = *schema;
    Serve({}, schema_);
  }

  void Serve(const GenericServerOptions& options,
             std::shared_ptr<const Schema> schema) {
    server_.reset();
    absl::StatusOr<std::unique_ptr<GenericServer>> server =
        GenericServer::Start(options, std::move(schema), &handler_);
    ASSERT_THAT(server, IsOk());
    server_ = std::move(*server);
    target_ = absl::StrCat("127.0.0.1:", server_->port());
  }

  NoHandler handler_;
  std::shared_ptr<const Schema> schema_;
  std::unique_ptr<GenericServer> server_;
  std::string target_;
};

TEST_F(ReflectionSourceTest, LoadsEveryListedService) {
  ReflectionSource source(target_, Channel(server_->port()));
  EXPECT_EQ(source.Describe(), "server reflection of " + target_);
  absl::StatusOr<std::vector<FileDescriptorProto>> files = source.Load();
  ASSERT_THAT(files, IsOk());
  EXPECT_THAT(Names(*files),
              UnorderedElementsAre("proto/demo/v1/arith.proto",
                                   "proto/grpc/health/v1/health.proto"));

  SchemaSource* sources[] = {&source};
  absl::StatusOr<std::shared_ptr<const Schema>> schema = Schema::Build(sources);
  ASSERT_THAT(schema, IsOk());
  EXPECT_THAT((*schema)->FindMethod("/demo.v1.Arith/Divide"), IsOk());
}

TEST_F(ReflectionSourceTest, LoadsOnlyTheNamedServices) {
  ReflectionSourceOptions options;
  options.services = {"demo.v1.Arith"};
  ReflectionSource source(target_, Channel(server_->port()), options);
  absl::StatusOr<std::vector<FileDescriptorProto>> files = source.Load();
  ASSERT_THAT(files, IsOk());
  EXPECT_THAT(Names(*files), UnorderedElementsAre("proto/demo/v1/arith.proto"));
}

TEST_F(ReflectionSourceTest, UnlistedServiceIsNotFound) {
  ReflectionSourceOptions options;
  options.services = {"demo.v1.Calc"};
  ReflectionSource source(target_, Channel(server_->port()), options);
  EXPECT_THAT(
      source.Load(),
      StatusIs(
          absl::StatusCode::kNotFound,
          AllOf(
              HasSubstr(
                  "bridge: server reflection of " + target_ +
                  " (grpc.reflection.v1.ServerReflection): the server does not "
                  "list service demo.v1.Calc (it lists: "),
              HasSubstr("demo.v1.Arith"))));
}

TEST_F(ReflectionSourceTest, ServerErrorAnswersKeepTheirCode) {
  // Listed, but with no descriptor this binary could describe.
  ReflectionSourceOptions options;
  options.services = {"grpc.reflection.v1alpha.ServerReflection"};
  ReflectionSource source(target_, Channel(server_->port()), options);
  EXPECT_THAT(source.Load(),
              StatusIs(absl::StatusCode::kNotFound,
                       HasSubstr("fetching the file of "
                                 "grpc.reflection.v1alpha.ServerReflection: "
                                 "the server answers: ")));
}

TEST_F(ReflectionSourceTest, FetchesImports) {
  server_->SetSchema(*Schema::FromFiles(bridge_testing::ClockFiles(), "clock"));
  ReflectionSourceOptions options;
  options.services = {"clock.Clock"};
  ReflectionSource source(target_, Channel(server_->port()), options);
  absl::StatusOr<std::vector<FileDescriptorProto>> files = source.Load();
  ASSERT_THAT(files, IsOk());
  EXPECT_THAT(
      Names(*files),
      UnorderedElementsAre("clock.proto", "google/protobuf/timestamp.proto"));
}

TEST_F(ReflectionSourceTest, ServerWithoutReflectionIsUnimplemented) {
  GenericServerOptions options;
  options.reflection = false;
  Serve(options, schema_);
  ReflectionSource source(target_, Channel(server_->port()));
  EXPECT_THAT(
      source.Load(),
      StatusIs(absl::StatusCode::kUnimplemented,
               AllOf(HasSubstr("the server serves neither "
                               "grpc.reflection.v1.ServerReflection nor "
                               "grpc.reflection.v1alpha.ServerReflection"),
                     HasSubstr("give the gateway a descriptor set"))));
}

TEST(ReflectionSourceFailureTest, ServerDownIsUnavailable) {
  ReflectionSource source(
      "nowhere", grpc::CreateChannel("unix:/nonexistent/bridge.sock",
                                     grpc::InsecureChannelCredentials()));
  EXPECT_THAT(
      source.Load(),
      StatusIs(
          absl::StatusCode::kUnavailable,
          HasSubstr(
              "bridge: server reflection of nowhere "
              "(grpc.reflection.v1.ServerReflection): listing services: ")));
}

// Silent accepts every call and never answers, until cancelled.
class Silent final : public grpc::CallbackGenericService {
  grpc::ServerGenericBidiReactor* CreateReactor(
      grpc::GenericCallbackServerContext* /*context*/) override {
    class Reactor final : public grpc::ServerGenericBidiReactor {
     public:
      Reactor() { StartRead(&request_); }

     private:
      void OnReadDone(bool ok) override {
        if (ok) StartRead(&request_);
      }
      void OnCancel() override { Finish(grpc::Status::CANCELLED); }
      void OnDone() override { delete this; }
      grpc::ByteBuffer request_;
    };
    return new Reactor();
  }
};

TEST(ReflectionSourceFailureTest, SilentServerHitsTheTimeout) {
  Silent silent;
  grpc::ServerBuilder builder;
  int port = 0;
  builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(),
                           &port);
  builder.RegisterCallbackGenericService(&silent);
  std::unique_ptr<grpc::Server> server = builder.BuildAndStart();
  ASSERT_NE(server, nullptr);

  ReflectionSourceOptions options;
  options.timeout = absl::Milliseconds(300);
  ReflectionSource source("silent", Channel(port), options);
  EXPECT_THAT(source.Load(), StatusIs(absl::StatusCode::kDeadlineExceeded,
                                      HasSubstr("listing services")));
  server->Shutdown();
}

}  // namespace
}  // namespace bridge
