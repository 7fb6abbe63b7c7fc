#include "bridge/routes.h"

#include <vector>

#include "google/protobuf/descriptor.pb.h"
#include "google/protobuf/text_format.h"
#include "gtest/gtest.h"
#include "proto/demo/v1/arith.pb.h"

namespace bridge {
namespace {

using netrpc::config::v1::Bridge;

std::shared_ptr<const Schema> ArithSchema() {
  google::protobuf::FileDescriptorProto file;
  demo::v1::Args::descriptor()->file()->CopyTo(&file);
  absl::StatusOr<std::shared_ptr<const Schema>> schema =
      Schema::FromFiles({file}, "arith");
  EXPECT_TRUE(schema.ok()) << schema.status();
  return *schema;
}

Bridge Config(const char* text) {
  Bridge config;
  EXPECT_TRUE(google::protobuf::TextFormat::ParseFromString(text, &config));
  return config;
}

TEST(RouteTableTest, ServiceMapsEveryMethodByName) {
  auto routes = RouteTable::Build(
      Config(R"pb(package: "demo.v1" services { name: "Arith" })pb"),
      ArithSchema());
  ASSERT_TRUE(routes.ok()) << routes.status();
  const Route* r = (*routes)->ByNetRpc("Arith.Multiply");
  ASSERT_NE(r, nullptr);
  EXPECT_EQ(r->path, "/demo.v1.Arith/Multiply");
  EXPECT_EQ(r->timeout, RouteTable::kDefaultTimeout);
  EXPECT_EQ((*routes)->ByPath("/demo.v1.Arith/Divide")->netrpc_name(),
            "Arith.Divide");
  EXPECT_EQ((*routes)->ByNetRpc("Arith.Nope"), nullptr);
  EXPECT_EQ((*routes)->routes().size(), 2u);
}

TEST(RouteTableTest, OverridesNamesTimeoutsAndMetadata) {
  auto routes = RouteTable::Build(Config(R"pb(
    default_timeout { seconds: 5 }
    services {
      name: "net.rpc.Calc"
      grpc_service: "demo.v1.Arith"
      timeout { seconds: 2 }
      metadata { key: "x-team" value: "calc" }
      methods { name: "Mul" grpc_method: "Multiply" timeout { nanos: 500000000 } }
    }
  )pb"),
                                  ArithSchema());
  ASSERT_TRUE(routes.ok()) << routes.status();
  const Route* mul = (*routes)->ByNetRpc("net.rpc.Calc.Mul");
  ASSERT_NE(mul, nullptr);
  EXPECT_EQ(mul->netrpc_service, "net.rpc.Calc");
  EXPECT_EQ(mul->path, "/demo.v1.Arith/Multiply");
  EXPECT_EQ(mul->timeout, absl::Milliseconds(500));
  ASSERT_EQ(mul->metadata.size(), 1u);
  EXPECT_EQ(mul->metadata[0].second, "calc");
  EXPECT_EQ((*routes)->ByNetRpc("net.rpc.Calc.Multiply"), nullptr);
  EXPECT_EQ((*routes)->ByNetRpc("net.rpc.Calc.Divide")->timeout,
            absl::Seconds(2));
}

TEST(RouteTableTest, ErrorsNameTheConfigPathAndTheFix) {
  struct Case {
    const char* config;
    absl::StatusCode code;
    const char* text;
  } cases[] = {
      {R"pb(services { name: "Nope" grpc_service: "demo.v1.Nope" })pb",
       absl::StatusCode::kNotFound, "services[0] (Nope)"},
      {R"pb(package: "demo.v1"
            services { name: "Arith" methods { name: "Mul" } })pb",
       absl::StatusCode::kNotFound,
       "services[0].methods[0]: demo.v1.Arith has no method Mul (it has: "
       "Divide, Multiply)"},
      {R"pb(services { grpc_service: "demo.v1.Arith" })pb",
       absl::StatusCode::kInvalidArgument, "services[0].name is empty"},
      {R"pb(package: "demo.v1"
            services { name: "Arith" }
            services { name: "Arith" })pb",
       absl::StatusCode::kInvalidArgument, "mapped twice"},
      {R"pb(package: "demo.v1"
            default_timeout { seconds: -1 }
            services { name: "Arith" })pb",
       absl::StatusCode::kInvalidArgument, "default_timeout must be positive"},
  };
  for (const Case& c : cases) {
    auto routes = RouteTable::Build(Config(c.config), ArithSchema());
    EXPECT_EQ(routes.status().code(), c.code) << c.config;
    EXPECT_NE(routes.status().message().find(c.text), absl::string_view::npos)
        << routes.status();
  }
}

}  // namespace
}  // namespace bridge
