#include "bridge/grpc/reflection_service.h"

#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "google/protobuf/descriptor.pb.h"
#include "google/protobuf/text_format.h"
#include "grpcpp/client_context.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"
#include "gtest/gtest.h"
#include "bridge/testing/arith.h"

#include "bridge/grpc/generic_server.h"
#include "bridge/schema/descriptor_set_source.h"
#include "netrpc/testing/runfiles.h"
#include "netrpc/testing/status_matchers.h"
#include "proto/grpc/reflection/v1/reflection.grpc.pb.h"
#include "proto/grpc/reflection/v1alpha/reflection.grpc.pb.h"

namespace bridge {
namespace {

using google::protobuf::FileDescriptorProto;
using ::netrpc::testing::IsOk;
using ::testing::ElementsAre;
using ::testing::IsEmpty;

namespace v1 = grpc::reflection::v1;
namespace v1alpha = grpc::reflection::v1alpha;

class NoHandler final : public UnaryHandler {
  void Handle(const ServerCall&, Done done) override {
    done(absl::UnimplementedError("not in this test"));
  }
};

// Ask sends each request on one reflection stream and returns the answers,
// in the message types of the stub's version.
template <typename Service, typename Request, typename Response>
std::vector<Response> Ask(const std::shared_ptr<grpc::Channel>& channel,
                          const std::vector<Request>& requests) {
  auto stub = Service::NewStub(channel);
  grpc::ClientContext context;
  context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(30)));
  auto stream = stub->ServerReflectionInfo(&context);
  std::vector<Response> responses;
  for (const Request& request : requests) {
    EXPECT_TRUE(stream->Write(request));
    Response response;
    EXPECT_TRUE(stream->Read(&response));
    responses.push_back(response);
  }
  stream->WritesDone();
  grpc::Status status = stream->Finish();
  EXPECT_TRUE(status.ok()) << status.error_message();
  return responses;
}

v1::ServerReflectionResponse AskV1(
    const std::shared_ptr<grpc::Channel>& channel,
    const std::string& text_request) {
  v1::ServerReflectionRequest request;
  EXPECT_TRUE(
      google::protobuf::TextFormat::ParseFromString(text_request, &request));
  return Ask<v1::ServerReflection, v1::ServerReflectionRequest,
             v1::ServerReflectionResponse>(channel, {request})[0];
}

std::vector<std::string> FileNames(
    const v1::ServerReflectionResponse& response) {
  std::vector<std::string> names;
  for (const std::string& bytes :
       response.file_descriptor_response().file_descriptor_proto()) {
    FileDescriptorProto file;
    EXPECT_TRUE(file.ParseFromString(bytes));
    names.push_back(file.name());
  }
  return names;
}

class ReflectionServiceTest : public ::testing::Test {
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
    absl::StatusOr<std::unique_ptr<GenericServer>> server =
        GenericServer::Start({}, *schema, &handler_);
    ASSERT_THAT(server, IsOk());
    server_ = std::move(*server);
    channel_ = grpc::CreateChannel(absl::StrCat("127.0.0.1:", server_->port()),
                                   grpc::InsecureChannelCredentials());
  }

  NoHandler handler_;
  std::unique_ptr<GenericServer> server_;
  std::shared_ptr<grpc::Channel> channel_;
};

TEST_F(ReflectionServiceTest, ListsServicesInBothVersions) {
  v1::ServerReflectionRequest request;
  request.set_list_services("");
  v1::ServerReflectionResponse response =
      Ask<v1::ServerReflection, v1::ServerReflectionRequest,
          v1::ServerReflectionResponse>(channel_, {request})[0];
  std::vector<std::string> names;
  for (const auto& service : response.list_services_response().service()) {
    names.push_back(service.name());
  }
  EXPECT_THAT(names, ElementsAre("demo.v1.Arith", "grpc.health.v1.Health",
                                 "grpc.reflection.v1.ServerReflection",
                                 "grpc.reflection.v1alpha.ServerReflection"));

  v1alpha::ServerReflectionRequest alpha_request;
  alpha_request.set_list_services("");
  v1alpha::ServerReflectionResponse alpha =
      Ask<v1alpha::ServerReflection, v1alpha::ServerReflectionRequest,
          v1alpha::ServerReflectionResponse>(channel_, {alpha_request})[0];
  std::vector<std::string> alpha_names;
  for (const auto& service : alpha.list_services_response().service()) {
    alpha_names.push_back(service.name());
  }
  EXPECT_EQ(alpha_names, names);
  EXPECT_EQ(alpha.original_request().list_services(), "");
}

TEST_F(ReflectionServiceTest, DescribesServiceWithItsComments) {
  v1::ServerReflectionResponse response =
      AskV1(channel_, R"pb(file_containing_symbol: "demo.v1.Arith")pb");
  ASSERT_EQ(response.file_descriptor_response().file_descriptor_proto_size(),
            1);
  FileDescriptorProto file;
  ASSERT_TRUE(file.ParseFromString(
      response.file_descriptor_response().file_descriptor_proto(0)));
  EXPECT_EQ(file.name(), "proto/demo/v1/arith.proto");
  ASSERT_EQ(file.service_size(), 1);
  EXPECT_EQ(file.service(0).method(0).name(), "Multiply");
  EXPECT_GT(file.source_code_info().location_size(), 0);
}

TEST_F(ReflectionServiceTest, FindsFilesByAnySymbolOrName) {
  for (const char* request :
       {R"pb(file_containing_symbol: "demo.v1.Arith.Multiply")pb",
        R"pb(file_containing_symbol: "demo.v1.Args")pb",
        R"pb(file_containing_symbol: "demo.v1.Quotient.rem")pb",
        R"pb(file_by_filename: "proto/demo/v1/arith.proto")pb"}) {
    EXPECT_THAT(FileNames(AskV1(channel_, request)),
                ElementsAre("proto/demo/v1/arith.proto"))
        << request;
  }
}

TEST_F(ReflectionServiceTest, DescribesHealthFromCompiledTypes) {
  EXPECT_THAT(
      FileNames(AskV1(
          channel_, R"pb(file_containing_symbol: "grpc.health.v1.Health")pb")),
      ElementsAre("proto/grpc/health/v1/health.proto"));
}

TEST_F(ReflectionServiceTest, UnknownNamesAreNotFound) {
  for (const char* request :
       {R"pb(file_containing_symbol: "demo.v1.Nope")pb",
        R"pb(file_by_filename: "nope.proto")pb",
        // Compiled in, but not an extra service's: not exposed.
        R"pb(file_containing_symbol: "google.protobuf.FileDescriptorProto")pb",
        R"pb(file_containing_extension {
               containing_type: "demo.v1.Args"
               extension_number: 100
             })pb"}) {
    v1::ServerReflectionResponse response = AskV1(channel_, request);
    EXPECT_EQ(response.error_response().error_code(),
              static_cast<int>(grpc::StatusCode::NOT_FOUND))
        << request;
    EXPECT_THAT(response.error_response().error_message(),
                ::testing::HasSubstr("not found"));
  }
}

TEST_F(ReflectionServiceTest, ExtensionNumbersOfAType) {
  v1::ServerReflectionResponse response =
      AskV1(channel_, R"pb(all_extension_numbers_of_type: "demo.v1.Args")pb");
  EXPECT_EQ(response.all_extension_numbers_response().base_type_name(),
            "demo.v1.Args");
  EXPECT_THAT(response.all_extension_numbers_response().extension_number(),
              IsEmpty());
}

TEST_F(ReflectionServiceTest, EmptyRequestIsUnimplemented) {
  v1::ServerReflectionResponse response = AskV1(channel_, "");
  EXPECT_EQ(response.error_response().error_code(),
            static_cast<int>(grpc::StatusCode::UNIMPLEMENTED));
}

TEST_F(ReflectionServiceTest, ManyRequestsOnOneStream) {
  std::vector<v1alpha::ServerReflectionRequest> requests(3);
  requests[0].set_list_services("");
  requests[1].set_file_containing_symbol("demo.v1.Arith");
  requests[2].set_file_containing_symbol("demo.v1.Missing");
  std::vector<v1alpha::ServerReflectionResponse> responses =
      Ask<v1alpha::ServerReflection, v1alpha::ServerReflectionRequest,
          v1alpha::ServerReflectionResponse>(channel_, requests);
  ASSERT_EQ(responses.size(), 3u);
  EXPECT_TRUE(responses[0].has_list_services_response());
  EXPECT_TRUE(responses[1].has_file_descriptor_response());
  EXPECT_TRUE(responses[2].has_error_response());
}

TEST_F(ReflectionServiceTest, SendsImportsAndFollowsReloads) {
  absl::StatusOr<std::shared_ptr<const Schema>> schema =
      Schema::FromFiles(bridge_testing::ClockFiles(), "clock");
  ASSERT_THAT(schema, IsOk());
  server_->SetSchema(*schema);

  EXPECT_THAT(FileNames(AskV1(channel_,
                              R"pb(file_containing_symbol: "clock.Clock")pb")),
              ElementsAre("clock.proto", "google/protobuf/timestamp.proto"));
  v1::ServerReflectionResponse list =
      AskV1(channel_, R"pb(list_services: "")pb");
  EXPECT_EQ(list.list_services_response().service(0).name(), "clock.Clock");
  EXPECT_EQ(AskV1(channel_, R"pb(file_containing_symbol: "demo.v1.Arith")pb")
                .error_response()
                .error_code(),
            static_cast<int>(grpc::StatusCode::NOT_FOUND));
}

}  // namespace
}  // namespace bridge
