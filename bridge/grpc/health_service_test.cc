#include "bridge/grpc/health_service.h"

#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "grpcpp/client_context.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"
#include "grpcpp/security/server_credentials.h"
#include "grpcpp/server_builder.h"
#include "gtest/gtest.h"

#include "proto/grpc/health/v1/health.grpc.pb.h"

namespace bridge {
namespace {

using grpc::health::v1::Health;
using grpc::health::v1::HealthCheckRequest;
using grpc::health::v1::HealthCheckResponse;

class HealthServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    grpc::ServerBuilder builder;
    int port = 0;
    builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(),
                             &port);
    builder.RegisterService(&health_);
    server_ = builder.BuildAndStart();
    ASSERT_NE(server_, nullptr);
    stub_ = Health::NewStub(grpc::CreateChannel(
        absl::StrCat("127.0.0.1:", port), grpc::InsecureChannelCredentials()));
  }

  void TearDown() override {
    health_.Shutdown();
    // No deadline: the health service must have ended every Watch itself.
    server_->Shutdown();
  }

  grpc::Status Check(const std::string& service, HealthCheckResponse* out) {
    grpc::ClientContext context;
    context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(30)));
    HealthCheckRequest request;
    request.set_service(service);
    return stub_->Check(&context, request, out);
  }

  // Watch is one open Watch stream.
  struct Watch {
    grpc::ClientContext context;
    std::unique_ptr<grpc::ClientReader<HealthCheckResponse>> reader;

    HealthCheckResponse::ServingStatus Next() {
      HealthCheckResponse response;
      EXPECT_TRUE(reader->Read(&response));
      return response.status();
    }
  };

  std::unique_ptr<Watch> StartWatch(const std::string& service) {
    auto watch = std::make_unique<Watch>();
    watch->context.set_deadline(
        absl::ToChronoTime(absl::Now() + absl::Seconds(30)));
    HealthCheckRequest request;
    request.set_service(service);
    watch->reader = stub_->Watch(&watch->context, request);
    return watch;
  }

  HealthService health_;
  std::unique_ptr<grpc::Server> server_;
  std::unique_ptr<Health::Stub> stub_;
};

TEST_F(HealthServiceTest, ServerIsServingAndUnknownServicesAreNotFound) {
  HealthCheckResponse response;
  ASSERT_TRUE(Check("", &response).ok());
  EXPECT_EQ(response.status(), HealthCheckResponse::SERVING);

  grpc::Status status = Check("demo.v1.Arith", &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(status.error_message(),
            "bridge: health: unknown service \"demo.v1.Arith\"");
}

TEST_F(HealthServiceTest, CheckFollowsSetServingStatus) {
  HealthCheckResponse response;
  health_.SetServingStatus("demo.v1.Arith", HealthService::kServing);
  ASSERT_TRUE(Check("demo.v1.Arith", &response).ok());
  EXPECT_EQ(response.status(), HealthCheckResponse::SERVING);
  health_.SetServingStatus("demo.v1.Arith", HealthService::kNotServing);
  ASSERT_TRUE(Check("demo.v1.Arith", &response).ok());
  EXPECT_EQ(response.status(), HealthCheckResponse::NOT_SERVING);
}

TEST_F(HealthServiceTest, WatchSendsCurrentStatusThenChanges) {
  std::unique_ptr<Watch> watch = StartWatch("demo.v1.Arith");
  EXPECT_EQ(watch->Next(), HealthCheckResponse::SERVICE_UNKNOWN);
  health_.SetServingStatus("demo.v1.Arith", HealthService::kServing);
  EXPECT_EQ(watch->Next(), HealthCheckResponse::SERVING);
  // Setting the same status again is not a change.
  health_.SetServingStatus("demo.v1.Arith", HealthService::kServing);
  health_.SetServingStatus("demo.v1.Arith", HealthService::kNotServing);
  EXPECT_EQ(watch->Next(), HealthCheckResponse::NOT_SERVING);
  // Other services' changes do not reach this watcher.
  health_.SetServingStatus("", HealthService::kNotServing);
  health_.SetServingStatus("demo.v1.Arith", HealthService::kServing);
  EXPECT_EQ(watch->Next(), HealthCheckResponse::SERVING);
}

TEST_F(HealthServiceTest, ShutdownEndsWatchesAfterNotServing) {
  std::unique_ptr<Watch> watch = StartWatch("");
  EXPECT_EQ(watch->Next(), HealthCheckResponse::SERVING);
  health_.Shutdown();
  EXPECT_EQ(watch->Next(), HealthCheckResponse::NOT_SERVING);
  HealthCheckResponse response;
  EXPECT_FALSE(watch->reader->Read(&response));
  grpc::Status status = watch->reader->Finish();
  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAVAILABLE);

  ASSERT_TRUE(Check("", &response).ok());
  EXPECT_EQ(response.status(), HealthCheckResponse::NOT_SERVING);
  health_.SetServingStatus("", HealthService::kServing);  // ignored
  ASSERT_TRUE(Check("", &response).ok());
  EXPECT_EQ(response.status(), HealthCheckResponse::NOT_SERVING);

  std::unique_ptr<Watch> late = StartWatch("");
  EXPECT_EQ(late->Next(), HealthCheckResponse::NOT_SERVING);
  EXPECT_FALSE(late->reader->Read(&response));
  EXPECT_EQ(late->reader->Finish().error_code(), grpc::StatusCode::UNAVAILABLE);
}

TEST_F(HealthServiceTest, ClientMayCancelAWatch) {
  std::unique_ptr<Watch> watch = StartWatch("");
  EXPECT_EQ(watch->Next(), HealthCheckResponse::SERVING);
  watch->context.TryCancel();
  HealthCheckResponse response;
  EXPECT_FALSE(watch->reader->Read(&response));
  EXPECT_EQ(watch->reader->Finish().error_code(), grpc::StatusCode::CANCELLED);
  // The service keeps working for others.
  health_.SetServingStatus("", HealthService::kNotServing);
  ASSERT_TRUE(Check("", &response).ok());
  EXPECT_EQ(response.status(), HealthCheckResponse::NOT_SERVING);
}

TEST_F(HealthServiceTest, ManyWatchers) {
  std::vector<std::unique_ptr<Watch>> watches;
  for (int i = 0; i < 20; ++i) {
    watches.push_back(StartWatch(""));
    EXPECT_EQ(watches.back()->Next(), HealthCheckResponse::SERVING);
  }
  health_.SetServingStatus("", HealthService::kNotServing);
  for (auto& watch : watches) {
    EXPECT_EQ(watch->Next(), HealthCheckResponse::NOT_SERVING);
  }
}

}  // namespace
}  // namespace bridge
