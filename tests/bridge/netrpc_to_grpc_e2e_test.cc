// Direction 1 across processes: a legacy Go 1.19 net/rpc client
// (go/userclient.go) -> the bridge (netrpc::Server with NetRpcServices over a
// GenericClient, schema from a descriptor set) -> a C++ gRPC server of
// estate.v1.Users (generated stubs), over raw TCP and over HTTP CONNECT.
//
// The Go client checks what it gets back (deep equality, Go's error texts);
// this test checks that it ran every check, and that what reached the gRPC
// server is exactly the canonical message: the gob -> protobuf half on its
// own, not only the round trip.

#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"

#include "bridge/grpc/generic_client.h"
#include "bridge/mapping.h"
#include "bridge/netrpc_to_grpc.h"
#include "netrpc/http.h"
#include "netrpc/listener.h"
#include "netrpc/server.h"
#include "netrpc/testing/runfiles.h"
#include "netrpc/testing/status_matchers.h"
#include "netrpc/testing/subprocess.h"
#include "tests/bridge/estate.grpc.pb.h"
#include "tests/bridge/estate_testing.h"

namespace tests {
namespace {

using ::estate::v1::User;
using ::estate::v1::Widths;
using ::netrpc::testing::IsOk;

// UsersBackend is the new C++ gRPC service. It keeps every canonical user
// and every Widths it receives, for the test to inspect.
class UsersBackend final : public estate::v1::Users::Service {
 public:
  std::vector<User> canonical_users() {
    absl::MutexLock lock(&mu_);
    return canonical_users_;
  }
  std::vector<Widths> widths() {
    absl::MutexLock lock(&mu_);
    return widths_;
  }

 private:
  grpc::Status Echo(grpc::ServerContext*, const User* user,
                    User* reply) override {
    if (user->user_id() == kCanonicalUserId) {
      absl::MutexLock lock(&mu_);
      canonical_users_.push_back(*user);
    }
    *reply = *user;
    return grpc::Status::OK;
  }

  grpc::Status EchoWidths(grpc::ServerContext*, const Widths* widths,
                          Widths* reply) override {
    {
      absl::MutexLock lock(&mu_);
      widths_.push_back(*widths);
    }
    *reply = *widths;
    return grpc::Status::OK;
  }

  grpc::Status Count(grpc::ServerContext*, const User* user,
                     estate::v1::DeviceCount* reply) override {
    reply->set_value(user->devices_size());
    return grpc::Status::OK;
  }

  grpc::Status Fail(grpc::ServerContext*, const estate::v1::FailRequest* r,
                    User*) override {
    return grpc::Status(static_cast<grpc::StatusCode>(r->code()), r->message());
  }

  // Sleep answers after the nap, or gives up when the caller cancels (the
  // bridge's route timeout does).
  grpc::Status Sleep(grpc::ServerContext* ctx, const estate::v1::Nap* nap,
                     estate::v1::Nap* reply) override {
    absl::Time end = absl::Now() + absl::Seconds(nap->duration().seconds()) +
                     absl::Nanoseconds(nap->duration().nanos());
    while (absl::Now() < end) {
      if (ctx->IsCancelled()) {
        return grpc::Status(grpc::StatusCode::CANCELLED, "gave up");
      }
      absl::SleepFor(absl::Milliseconds(2));
    }
    *reply = *nap;
    return grpc::Status::OK;
  }

  absl::Mutex mu_;
  std::vector<User> canonical_users_ ABSL_GUARDED_BY(mu_);
  std::vector<Widths> widths_ ABSL_GUARDED_BY(mu_);
};

// The checks go/userclient.go runs; each must print PASS.
const std::vector<std::string>& ClientChecks() {
  static const auto* checks = new std::vector<std::string>{
      "echo canonical user",
      "echo empty user",
      "echo widths min",
      "echo widths max",
      "echo widths tiny",
      "count is a non-struct reply",
      "UNKNOWN arrives as its message alone",
      "NOT_FOUND arrives as Go gRPC's text",
      "unimplemented upstream method",
      "unknown method",
      "unknown service",
      "int32 out of range",
      "uint32 out of range",
      "float32 out of range",
      "time out of Timestamp's range",
      "extra Go field has no counterpart",
      "UserId spelled by protoc-gen-go's rule has no counterpart",
      "string that is not UTF-8",
      "route timeout",
      "quick sleep",
      "connection still good after errors",
  };
  return *checks;
}

class NetRpcToGrpcE2eTest : public ::testing::Test {
 protected:
  void SetUp() override {
    grpc::ServerBuilder builder;
    int port = 0;
    builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(),
                             &port);
    builder.RegisterService(&backend_);
    grpc_server_ = builder.BuildAndStart();
    ASSERT_NE(grpc_server_, nullptr);
    upstream_ = std::make_unique<bridge::GenericClient>(grpc::CreateChannel(
        absl::StrCat("127.0.0.1:", port), grpc::InsecureChannelCredentials()));

    absl::StatusOr<std::shared_ptr<const bridge::Schema>> schema =
        LoadSchema({kEstateDescriptors});
    ASSERT_THAT(schema, IsOk());
    absl::StatusOr<std::shared_ptr<const bridge::Mapping>> mapping =
        BuildMapping(R"pb(
                       package: "estate.v1"
                       services {
                         name: "Users"
                         methods {
                           name: "Sleep"
                           timeout { nanos: 500000000 }
                         }
                       }
                     )pb",
                     *schema);
    ASSERT_THAT(mapping, IsOk());
    for (const netrpc::ServiceDesc& s :
         bridge::NetRpcServices(*mapping, upstream_.get())) {
      ASSERT_THAT(server_.RegisterName(s.type_name(), s), IsOk());
    }

    absl::StatusOr<std::unique_ptr<netrpc::Listener>> tcp =
        netrpc::Listen("tcp", "127.0.0.1:0");
    ASSERT_THAT(tcp, IsOk());
    tcp_ = *std::move(tcp);
    accept_ = std::thread([this] { server_.Accept(*tcp_); });

    ASSERT_THAT(server_.HandleHTTP(netrpc::kDefaultRPCPath,
                                   netrpc::kDefaultDebugPath, &mux_),
                IsOk());
    absl::StatusOr<std::unique_ptr<netrpc::Listener>> http =
        netrpc::Listen("tcp", "127.0.0.1:0");
    ASSERT_THAT(http, IsOk());
    http_ = *std::move(http);
    serve_http_ = std::thread([this] { netrpc::ServeHTTP(*http_, &mux_); });
  }

  void TearDown() override {
    if (tcp_) tcp_->Close();
    if (http_) http_->Close();
    if (accept_.joinable()) accept_.join();
    if (serve_http_.joinable()) serve_http_.join();
    if (grpc_server_) {
      grpc_server_->Shutdown(
          absl::ToChronoTime(absl::Now() + absl::Seconds(5)));
    }
  }

  // RunGoClient runs go/userclient against address and checks its
  // transcript for every check in want.
  void RunGoClient(std::vector<std::string> flags,
                   const std::vector<std::string>& want) {
    absl::StatusOr<std::string> client =
        netrpc::testing::Runfile("tests/bridge/userclient");
    ASSERT_THAT(client, IsOk());
    netrpc::testing::SubprocessOptions options;
    options.argv = {*client};
    options.argv.insert(options.argv.end(), flags.begin(), flags.end());
    absl::StatusOr<netrpc::testing::RunResult> run =
        netrpc::testing::RunCommand(options, absl::Seconds(60));
    ASSERT_THAT(run, IsOk());
    EXPECT_THAT(run->ToStatus(), IsOk()) << run->out;
    EXPECT_TRUE(ChecksPassed(run->out, want)) << run->err;
  }

  // CheckWhatTheBackendGot checks the messages the Go client's values
  // became on the gRPC side.
  void CheckWhatTheBackendGot() {
    std::vector<User> users = backend_.canonical_users();
    ASSERT_FALSE(users.empty());
    for (const User& u : users) EXPECT_TRUE(ProtoEq(CanonicalUser(), u));

    std::vector<Widths> got = backend_.widths();
    for (const Widths& want : {WidthsMin(), WidthsMax(), WidthsTiny()}) {
      bool found = false;
      for (const Widths& w : got) found = found || ProtoEq(want, w);
      EXPECT_TRUE(found) << "the backend never got " << want.ShortDebugString();
    }
  }

  // Declared before server_: connections still closing use it.
  std::unique_ptr<bridge::GenericClient> upstream_;
  UsersBackend backend_;
  std::unique_ptr<grpc::Server> grpc_server_;
  netrpc::ServeMux mux_;
  netrpc::Server server_;
  std::unique_ptr<netrpc::Listener> tcp_;
  std::unique_ptr<netrpc::Listener> http_;
  std::thread accept_;
  std::thread serve_http_;
};

TEST_F(NetRpcToGrpcE2eTest, GoClientOverTcp) {
  RunGoClient({"-addr", tcp_->Addr()}, ClientChecks());
  CheckWhatTheBackendGot();
}

TEST_F(NetRpcToGrpcE2eTest, GoClientOverHttpConnect) {
  std::vector<std::string> want = ClientChecks();
  want.push_back("debug page lists bridged methods");
  RunGoClient({"-addr", http_->Addr(), "-http"}, want);
  CheckWhatTheBackendGot();
}

}  // namespace
}  // namespace tests
