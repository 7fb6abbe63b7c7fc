// Direction 2 across processes: gRPC clients -> the bridge (GenericServer +
// GrpcToNetRpc + NetRpcPool, schema from descriptor sets) -> a legacy Go
// 1.19 net/rpc server (go/userserver.go: Users and Go's Arith).
//
// Clients: C++ generated stubs for estate.v1.Users, and Go's gRPC client
// (go/grpcarith.go, Debian's grpc-go) for demo.v1.Arith. The Go server
// checks the canonical user it receives field by field, so the protobuf ->
// gob half is proven on its own, not only the round trip.

#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "google/protobuf/duration.pb.h"
#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"

#include "bridge/grpc/generic_server.h"
#include "bridge/grpc_to_netrpc.h"
#include "bridge/mapping.h"
#include "bridge/netrpc_pool.h"
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

constexpr char kConfig[] = R"pb(
  package: "estate.v1"
  services {
    name: "Users"
    methods {
      name: "Sleep"
      timeout { seconds: 1 }
    }
  }
  services { name: "Arith" grpc_service: "demo.v1.Arith" }
  # Go's Arith.Multiply replies *int; estate's DeviceCount says the same with
  # the option (netrpc.options.v1.unwrap) instead.
  unwrap_messages: "demo.v1.Product"
  error_rules { prefix: "not found:" code: "NOT_FOUND" }
)pb";

// The bridge reaches the Go server over raw TCP (rpc.Accept), or over HTTP
// CONNECT (rpc.HandleHTTP), as NetRpcPoolOptions::http_path says.
enum class Transport { kTcp, kHttp };

std::string TransportName(const ::testing::TestParamInfo<Transport>& info) {
  return info.param == Transport::kTcp ? "Tcp" : "HttpConnect";
}

class GrpcToNetRpcE2eTest : public ::testing::TestWithParam<Transport> {
 protected:
  void SetUp() override {
    absl::StatusOr<std::unique_ptr<GoUserServer>> go = GoUserServer::Start();
    ASSERT_THAT(go, IsOk());
    go_ = *std::move(go);
    bridge::NetRpcPoolOptions pool;
    if (GetParam() == Transport::kTcp) {
      pool.address = go_->address();
    } else {
      pool.address = go_->http_address();
      pool.http_path = "/_goRPC_";
    }

    absl::StatusOr<std::shared_ptr<const bridge::Schema>> schema =
        LoadSchema({kEstateDescriptors, kArithDescriptors});
    ASSERT_THAT(schema, IsOk());
    absl::StatusOr<std::shared_ptr<const bridge::Mapping>> mapping =
        BuildMapping(kConfig, *schema);
    ASSERT_THAT(mapping, IsOk());
    pool_ = std::make_unique<bridge::NetRpcPool>(pool);
    handler_ = std::make_unique<bridge::GrpcToNetRpc>(*mapping, pool_.get());
    absl::StatusOr<std::unique_ptr<bridge::GenericServer>> server =
        bridge::GenericServer::Start({}, *schema, handler_.get());
    ASSERT_THAT(server, IsOk());
    server_ = *std::move(server);
    address_ = absl::StrCat("127.0.0.1:", server_->port());
    users_ = estate::v1::Users::NewStub(
        grpc::CreateChannel(address_, grpc::InsecureChannelCredentials()));
  }

  void TearDown() override {
    if (server_) server_->Shutdown(absl::Now() + absl::Seconds(5));
  }

  // Call calls a Users method with a deadline.
  template <typename Req, typename Resp>
  grpc::Status Call(grpc::Status (estate::v1::Users::Stub::*method)(
                        grpc::ClientContext*, const Req&, Resp*),
                    const Req& request, Resp* response,
                    absl::Duration timeout = absl::Seconds(10)) {
    grpc::ClientContext ctx;
    ctx.set_deadline(absl::ToChronoTime(absl::Now() + timeout));
    return (users_.get()->*method)(&ctx, request, response);
  }

  static estate::v1::Nap NapFor(absl::Duration d) {
    estate::v1::Nap nap;
    nap.mutable_duration()->set_seconds(absl::ToInt64Seconds(d));
    return nap;
  }

  static estate::v1::FailRequest FailWith(const std::string& message) {
    estate::v1::FailRequest r;
    r.set_message(message);
    return r;
  }

  // Declared in destruction order: the server first, then what its calls
  // use, then the Go server.
  std::unique_ptr<GoUserServer> go_;
  std::unique_ptr<bridge::NetRpcPool> pool_;
  std::unique_ptr<bridge::GrpcToNetRpc> handler_;
  std::unique_ptr<bridge::GenericServer> server_;
  std::string address_;
  std::unique_ptr<estate::v1::Users::Stub> users_;
};

TEST_P(GrpcToNetRpcE2eTest, EchoRoundTripsTheCanonicalUser) {
  User reply;
  grpc::Status s =
      Call(&estate::v1::Users::Stub::Echo, CanonicalUser(), &reply);
  // An error here may be the Go server's: "canonical user arrived changed".
  ASSERT_TRUE(s.ok()) << s.error_code() << ": " << s.error_message();
  EXPECT_TRUE(ProtoEq(CanonicalUser(), reply));
}

TEST_P(GrpcToNetRpcE2eTest, GoServerSeesAChangedUserAsChanged) {
  // The control for the test above: the Go server's own check does fire.
  User changed = CanonicalUser();
  (*changed.mutable_devices())[7].mutable_seen()->set_nanos(6);
  User reply;
  grpc::Status s = Call(&estate::v1::Users::Stub::Echo, changed, &reply);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::UNKNOWN);
  EXPECT_EQ(s.error_message(),
            "userserver: canonical user arrived changed: .Devices[7].Seen: "
            "want 2023-03-01 12:00:00.000000005 +0100 CET, got 2023-03-01 "
            "11:00:00.000000006 +0000 UTC");
}

TEST_P(GrpcToNetRpcE2eTest, UnsetValueStructComesBackEmptyNotUnset) {
  // Go has no presence for a value struct field and always sends it: an
  // unset Address comes back as an empty one (its Geo too). Pointer fields
  // (manager) keep presence.
  User reply;
  grpc::Status s = Call(&estate::v1::Users::Stub::Echo, User(), &reply);
  ASSERT_TRUE(s.ok()) << s.error_message();
  User want;
  want.mutable_home()->mutable_geo();
  EXPECT_TRUE(ProtoEq(want, reply));
}

TEST_P(GrpcToNetRpcE2eTest, WidthsAtTheirLimits) {
  for (const Widths& w : {WidthsMin(), WidthsMax(), WidthsTiny()}) {
    Widths reply;
    grpc::Status s = Call(&estate::v1::Users::Stub::EchoWidths, w, &reply);
    ASSERT_TRUE(s.ok()) << s.error_message();
    EXPECT_TRUE(ProtoEq(w, reply));
  }
}

TEST_P(GrpcToNetRpcE2eTest, CountIsANonStructReply) {
  estate::v1::DeviceCount count;
  grpc::Status s =
      Call(&estate::v1::Users::Stub::Count, CanonicalUser(), &count);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(count.value(), 2);
  count.set_value(-1);
  s = Call(&estate::v1::Users::Stub::Count, User(), &count);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(count.value(), 0);
}

TEST_P(GrpcToNetRpcE2eTest, GoErrorIsUnknownWithExactlyItsText) {
  User reply;
  grpc::Status s = Call(&estate::v1::Users::Stub::Fail,
                        FailWith("disk on fire: /dev/sda"), &reply);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::UNKNOWN);
  EXPECT_EQ(s.error_message(), "disk on fire: /dev/sda");
}

TEST_P(GrpcToNetRpcE2eTest, ErrorRuleGivesItsCode) {
  User reply;
  grpc::Status s = Call(&estate::v1::Users::Stub::Fail,
                        FailWith("not found: user 7"), &reply);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(s.error_message(), "not found: user 7");
}

TEST_P(GrpcToNetRpcE2eTest, CallerDeadlineShorterThanSlowGoMethod) {
  estate::v1::Nap reply;
  absl::Time start = absl::Now();
  grpc::Status s =
      Call(&estate::v1::Users::Stub::Sleep, NapFor(absl::Seconds(30)), &reply,
           absl::Milliseconds(300));
  EXPECT_EQ(s.error_code(), grpc::StatusCode::DEADLINE_EXCEEDED)
      << s.error_message();
  EXPECT_LT(absl::Now() - start, absl::Seconds(5));
  // The bridge and its connection go on.
  User user;
  s = Call(&estate::v1::Users::Stub::Echo, CanonicalUser(), &user);
  ASSERT_TRUE(s.ok()) << s.error_message();
}

TEST_P(GrpcToNetRpcE2eTest, RouteTimeoutShorterThanCallerDeadline) {
  estate::v1::Nap reply;
  grpc::Status s = Call(&estate::v1::Users::Stub::Sleep,
                        NapFor(absl::Seconds(30)), &reply, absl::Seconds(20));
  EXPECT_EQ(s.error_code(), grpc::StatusCode::DEADLINE_EXCEEDED);
  EXPECT_EQ(s.error_message(),
            absl::StrCat("bridge: net/rpc upstream ", pool_->options().address,
                         " did not answer Users.Sleep within 1s"));
}

TEST_P(GrpcToNetRpcE2eTest, QuickSleepIsAnswered) {
  estate::v1::Nap nap = NapFor(absl::ZeroDuration());
  nap.mutable_duration()->set_nanos(1000000);
  estate::v1::Nap reply;
  grpc::Status s = Call(&estate::v1::Users::Stub::Sleep, nap, &reply);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_TRUE(ProtoEq(nap, reply));
}

TEST_P(GrpcToNetRpcE2eTest, MethodTheGoServerLacks) {
  // Purge is in the schema and bridged, but the Go server has no such
  // method: its dispatch error comes back as its text, as UNIMPLEMENTED.
  User reply;
  grpc::Status s = Call(&estate::v1::Users::Stub::Purge, User(), &reply);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::UNIMPLEMENTED);
  EXPECT_EQ(s.error_message(), "rpc: can't find method Users.Purge");
}

TEST_P(GrpcToNetRpcE2eTest, ReplyFieldTheSchemaLacksIsRefusedNotDropped) {
  User user;
  user.set_user_id(3);
  User reply;
  grpc::Status s = Call(&estate::v1::Users::Stub::Newer, user, &reply);
  // The upstream's reply and the schema disagree: not the caller's fault.
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INTERNAL);
  EXPECT_THAT(s.error_message(),
              ::testing::StartsWith("bridge: Go field UserV2.Nickname has no "
                                    "counterpart in estate.v1.User"));
}

TEST_P(GrpcToNetRpcE2eTest, GoGrpcClientCallsGoArith) {
  absl::StatusOr<std::string> client =
      netrpc::testing::Runfile("tests/bridge/grpcarith");
  ASSERT_THAT(client, IsOk());
  netrpc::testing::SubprocessOptions options;
  options.argv = {*client, address_};
  absl::StatusOr<netrpc::testing::RunResult> run =
      netrpc::testing::RunCommand(options, absl::Seconds(60));
  ASSERT_THAT(run, IsOk());
  EXPECT_THAT(run->ToStatus(), IsOk()) << run->out;
  EXPECT_TRUE(ChecksPassed(
      run->out,
      {"Multiply", "Divide", "Divide by zero is UNKNOWN with Go's text"}))
      << run->err;
}

INSTANTIATE_TEST_SUITE_P(Transports, GrpcToNetRpcE2eTest,
                         ::testing::Values(Transport::kTcp, Transport::kHttp),
                         TransportName);

}  // namespace
}  // namespace tests
