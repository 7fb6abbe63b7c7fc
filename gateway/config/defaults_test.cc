#include "gateway/config/defaults.h"

#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

#include "gateway/config/config.h"
#include "netrpc/testing/status_matchers.h"

namespace gateway::config {
namespace {

using ::netrpc::config::v1::Gateway;
using ::netrpc::config::v1::Listener;
using ::netrpc::testing::IsOk;
using ::netrpc::testing::StatusIs;

Gateway Parse(absl::string_view yaml) {
  absl::StatusOr<LoadedConfig> c =
      LoadConfigString(yaml, ConfigFormat::kYaml, "gw.yaml");
  EXPECT_THAT(c, IsOk());
  return c.ok() ? c->gateway : Gateway();
}

TEST(ApplyDefaults, PicksTheGrpcClient) {
  Gateway g = Parse(R"(
upstreams:
- {name: a, grpc: {target: "h:1"}}
- {name: b, grpc: {target: "dns:///h:1", lb_policy: pick_first}}
- {name: c, grpc: {target: "ipv6:[::1]:1"}}
- {name: d, grpc: {target: "h:1", lb_policy: round_robin}}
- {name: e, grpc: {target: "h:1", health_check: true}}
- {name: f, grpc: {target: "unix:///run/s.sock"}}
- {name: g, grpc: {target: "ipv4:10.0.0.1:1,10.0.0.2:1"}}
- {name: h, grpc: {target: "h:1", tls: {}}}
- {name: i, grpc: {target: "h:1", client: CLIENT_GRPC}}
- {name: j, grpc: {target: "h:1", client: CLIENT_H2}}
)");
  ApplyDefaults(&g);
  using Grpc = ::netrpc::config::v1::GrpcUpstream;
  const Grpc::Client want[] = {
      Grpc::CLIENT_H2,   Grpc::CLIENT_H2,   Grpc::CLIENT_H2,
      Grpc::CLIENT_GRPC, Grpc::CLIENT_GRPC, Grpc::CLIENT_GRPC,
      Grpc::CLIENT_GRPC, Grpc::CLIENT_GRPC, Grpc::CLIENT_GRPC,
      Grpc::CLIENT_H2};
  ASSERT_EQ(g.upstreams_size(), 10);
  for (int i = 0; i < 10; ++i) {
    EXPECT_EQ(g.upstreams(i).grpc().client(), want[i]) << g.upstreams(i).name();
  }
  EXPECT_EQ(H2ClientMisfit(g.upstreams(3).grpc()),
            "its lb_policy is round_robin");
  EXPECT_EQ(H2ClientMisfit(g.upstreams(4).grpc()), "it uses health_check");
  EXPECT_EQ(H2ClientMisfit(g.upstreams(5).grpc()),
            "its target \"unix:///run/s.sock\" is not one host:port");
  EXPECT_EQ(H2ClientMisfit(g.upstreams(7).grpc()), "it uses TLS");
  EXPECT_EQ(H2ClientMisfit(g.upstreams(0).grpc()), "");
}

TEST(ApplyDefaults, FillsUnsetFields) {
  Gateway g = Parse(R"(
listeners:
- {name: a, address: ":1", protocol: NETRPC_HTTP}
- {name: b, address: ":2", protocol: ANY, rpc_path: /rpc}
- {name: c, address: ":3", protocol: GRPC}
upstreams:
- {name: g, grpc: {target: x}}
- {name: n, netrpc: {addresses: ["h:1"]}}
- {name: m, netrpc: {addresses: ["h:1"], connections: 7, redial_backoff: 3s}}
routes:
- {service: A, upstream: g, shadow: n}
- {service: B, upstream: g, shadow: n, mirror_sample_percent: 5}
- {service: C, upstream: g}
)");
  ApplyDefaults(&g);
  EXPECT_EQ(g.listeners(0).rpc_path(), "/_goRPC_");
  EXPECT_EQ(g.listeners(0).debug_path(), "/debug/rpc");
  EXPECT_EQ(g.listeners(1).rpc_path(), "/rpc");
  EXPECT_EQ(g.listeners(1).debug_path(), "/debug/rpc");
  EXPECT_EQ(g.listeners(2).rpc_path(), "");  // gRPC has no CONNECT path
  EXPECT_EQ(g.upstreams(0).grpc().lb_policy(), "pick_first");
  EXPECT_EQ(g.upstreams(1).netrpc().connections(), 2);
  EXPECT_EQ(g.upstreams(1).netrpc().health_check_interval().seconds(), 5);
  EXPECT_EQ(g.upstreams(1).netrpc().redial_backoff().seconds(), 1);
  EXPECT_EQ(g.upstreams(2).netrpc().connections(), 7);
  EXPECT_EQ(g.upstreams(2).netrpc().redial_backoff().seconds(), 3);
  EXPECT_EQ(g.routes(0).mirror_sample_percent(), 100);
  EXPECT_EQ(g.routes(1).mirror_sample_percent(), 5);
  EXPECT_EQ(g.routes(2).mirror_sample_percent(), 0);
  EXPECT_EQ(g.bridge().default_timeout().seconds(), 30);
  EXPECT_EQ(g.limits().max_message_bytes(), 4 * 1024 * 1024);
  EXPECT_EQ(g.limits().max_concurrent_calls_per_connection(), 1000);
  EXPECT_EQ(g.limits().max_concurrent_calls(), 10000);
  EXPECT_EQ(g.drain_timeout().seconds(), 10);
  EXPECT_FALSE(g.has_admin());

  Gateway again = g;
  ApplyDefaults(&again);
  EXPECT_EQ(again.SerializeAsString(), g.SerializeAsString());
}

TEST(ApplyDefaults, KeepsSetLimits) {
  Gateway g = Parse("limits: {max_message_bytes: 1024}\ndrain_timeout: 1s\n");
  ApplyDefaults(&g);
  EXPECT_EQ(g.limits().max_message_bytes(), 1024);
  EXPECT_EQ(g.limits().max_concurrent_calls(), 10000);
  EXPECT_EQ(g.drain_timeout().seconds(), 1);
}

TEST(BridgeConfigOf, RoutesBecomeServices) {
  Gateway g = Parse(R"(
bridge:
  package: demo.v1
  unknown_fields: DROP_AND_COUNT
  default_timeout: 5s
  error_rules: [{prefix: "not found", code: NOT_FOUND}]
  unwrap_messages: [demo.v1.Product]
routes:
- service: Arith
  upstream: g
  timeout: 2s
  metadata: {x-team: payments}
  methods: [{name: Div, grpc_method: Divide, timeout: 500ms}]
- {service: Users, grpc_service: users.v1.Users, upstream: n}
)");
  netrpc::config::v1::Bridge b = BridgeConfigOf(g);
  EXPECT_EQ(b.package(), "demo.v1");
  EXPECT_EQ(b.unknown_fields(), netrpc::config::v1::DROP_AND_COUNT);
  EXPECT_EQ(b.default_timeout().seconds(), 5);
  EXPECT_EQ(b.error_rules(0).code(), "NOT_FOUND");
  EXPECT_EQ(b.unwrap_messages(0), "demo.v1.Product");
  ASSERT_EQ(b.services_size(), 2);
  const auto& arith = b.services(0);
  EXPECT_EQ(arith.name(), "Arith");
  EXPECT_EQ(arith.grpc_service(), "demo.v1.Arith");
  EXPECT_EQ(arith.timeout().seconds(), 2);
  EXPECT_EQ(arith.metadata().at("x-team"), "payments");
  ASSERT_EQ(arith.methods_size(), 1);
  EXPECT_EQ(arith.methods(0).grpc_method(), "Divide");
  EXPECT_EQ(arith.methods(0).timeout().nanos(), 500000000);
  EXPECT_EQ(b.services(1).grpc_service(), "users.v1.Users");
  EXPECT_FALSE(b.services(1).has_timeout());
}

constexpr absl::string_view kRunning = R"(
listeners:
- {name: legacy, address: "127.0.0.1:1234", protocol: NETRPC}
- {name: any, address: ":8080", protocol: ANY}
upstreams: [{name: g, grpc: {target: x}}]
admin: {address: "127.0.0.1:9901"}
)";

TEST(ReloadCompatible, OtherSectionsMayChange) {
  Gateway old_config = Parse(kRunning);
  Gateway next = old_config;
  next.mutable_upstreams(0)->mutable_grpc()->set_target("y");
  next.add_routes()->set_service("Arith");
  next.mutable_limits()->set_max_concurrent_calls(5);
  EXPECT_THAT(ReloadCompatible(old_config, next), IsOk());
  // Writing out a default is no change.
  next.mutable_listeners(1)->set_rpc_path("/_goRPC_");
  EXPECT_THAT(ReloadCompatible(old_config, next), IsOk());
}

TEST(ReloadCompatible, ListenersAndAdminMayNot) {
  Gateway old_config = Parse(kRunning);
  Gateway next = old_config;
  next.mutable_listeners(0)->set_address("127.0.0.1:1235");
  next.mutable_listeners(1)->set_protocol(Listener::GRPC);
  next.mutable_admin()->set_allow_reload(true);
  EXPECT_THAT(
      ReloadCompatible(old_config, next),
      StatusIs(absl::StatusCode::kFailedPrecondition,
               "reload: listeners[0] (legacy): address changed from "
               "\"127.0.0.1:1234\" to \"127.0.0.1:1235\"\n"
               "reload: listeners[1] (any): protocol changed from ANY to "
               "GRPC\n"
               "reload: listeners[1] (any): rpc_path changed from "
               "\"/_goRPC_\" to \"\"\n"
               "reload: listeners[1] (any): debug_path changed from "
               "\"/debug/rpc\" to \"\"\n"
               "reload: admin: allow_reload changed from false to true\n"
               "reload: restart the gateway to change listeners or admin; "
               "the running config stays in force"));

  next = old_config;
  next.add_listeners()->set_name("extra");
  next.clear_admin();
  EXPECT_THAT(ReloadCompatible(old_config, next),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       "reload: listeners[2] (extra) was added\n"
                       "reload: admin was removed\n"
                       "reload: restart the gateway to change listeners or "
                       "admin; the running config stays in force"));
  next = old_config;
  next.mutable_listeners()->RemoveLast();
  EXPECT_THAT(ReloadCompatible(old_config, next),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       ::testing::StartsWith(
                           "reload: listeners[1] (any) was removed\n")));
}

}  // namespace
}  // namespace gateway::config
