#include "gateway/config/validate.h"

#include <cstdlib>
#include <fstream>
#include <string>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

#include "gateway/config/config.h"
#include "netrpc/testing/status_matchers.h"

namespace gateway::config {
namespace {

using ::netrpc::testing::IsOk;
using ::netrpc::testing::StatusIs;
using ::testing::HasSubstr;

constexpr auto kInvalid = absl::StatusCode::kInvalidArgument;

// The first lines of most cases: a valid listener, two upstreams, a schema
// and a package. Case-specific lines start at line 5.
constexpr absl::string_view kBase =
    "listeners: [{name: l, address: \":1234\", protocol: NETRPC}]\n"
    "upstreams: [{name: g, grpc: {target: \"g:1\"}}, "
    "{name: n, netrpc: {addresses: [\"h:1\"]}}]\n"
    "schemas: [{reflection: g}]\n"
    "bridge: {package: demo.v1}\n";

// Invalid loads yaml (which must load) and returns Validate's message
// (which must fail).
std::string Invalid(absl::string_view yaml,
                    absl::string_view name = "gw.yaml") {
  absl::StatusOr<LoadedConfig> c =
      LoadConfigString(yaml, ConfigFormat::kYaml, name);
  EXPECT_THAT(c, IsOk());
  if (!c.ok()) return c.status().ToString();
  absl::Status s = Validate(*c);
  EXPECT_THAT(s, StatusIs(kInvalid)) << yaml;
  return std::string(s.message());
}

absl::Status Valid(absl::string_view yaml, absl::string_view name = "gw.yaml") {
  absl::StatusOr<LoadedConfig> c =
      LoadConfigString(yaml, ConfigFormat::kYaml, name);
  if (!c.ok()) return c.status();
  return Validate(*c);
}

std::string Base(absl::string_view rest) { return absl::StrCat(kBase, rest); }

// TmpDir is TEST_TMPDIR, where file-existence cases write their files.
std::string TmpDir() {
  const char* dir = std::getenv("TEST_TMPDIR");
  return dir != nullptr ? dir : "/tmp";
}

void Touch(const std::string& path) { std::ofstream(path) << "x"; }

TEST(Validate, BaseIsValid) {
  EXPECT_THAT(Valid(kBase), IsOk());
  EXPECT_THAT(Valid(Base("routes: [{service: Arith, upstream: g}]\n")), IsOk());
}

TEST(Validate, NoListeners) {
  EXPECT_EQ(Invalid("drain_timeout: 1s\n"),
            "gw.yaml: listeners: none; add at least one, e.g. {name: "
            "legacy, address: \"127.0.0.1:1234\", protocol: NETRPC}");
}

TEST(Validate, ListenerFieldsMissing) {
  EXPECT_EQ(Invalid("listeners:\n- rpc_path: x\n"),
            "gw.yaml:2:3: listeners[0].name: missing; every listener needs a "
            "name (logs and metrics use it)\n"
            "gw.yaml:2:3: listeners[0].address: missing; write host:port, "
            "e.g. \"127.0.0.1:1234\"\n"
            "gw.yaml:2:3: listeners[0].protocol: missing; set one of NETRPC, "
            "NETRPC_HTTP, JSONRPC, GRPC, ANY\n"
            "gw.yaml:2:13: listeners[0].rpc_path: \"x\" must start with "
            "\"/\"");
}

TEST(Validate, ListenerNamesAndAddresses) {
  EXPECT_EQ(
      Invalid("listeners:\n"
              "- {name: a, address: localhost, protocol: GRPC}\n"
              "- {name: a, address: \"h:70000\", protocol: GRPC}\n"
              "- {name: b, address: \"::1:80\", protocol: GRPC, "
              "debug_path: debug}\n"
              "- {name: c, address: \"[::1]:80\", protocol: ANY}\n"),
      "gw.yaml:2:22: listeners[0].address: \"localhost\" is not host:port "
      "(missing port; write e.g. \"127.0.0.1:1234\")\n"
      "gw.yaml:3:10: listeners[1].name: \"a\" is also the name of "
      "listeners[0].name; each must be unique\n"
      "gw.yaml:3:22: listeners[1].address: \"h:70000\" is not host:port "
      "(port 70000 is out of range (0-65535); write e.g. "
      "\"127.0.0.1:1234\")\n"
      "gw.yaml:4:22: listeners[2].address: \"::1:80\" is not host:port (an "
      "IPv6 address goes in brackets, e.g. \"[::1]:1234\"; write e.g. "
      "\"127.0.0.1:1234\")\n"
      "gw.yaml:4:60: listeners[2].debug_path: \"debug\" must start with "
      "\"/\"");
}

TEST(Validate, UpstreamBasics) {
  EXPECT_EQ(
      Invalid("listeners: [{name: l, address: \":1\", protocol: GRPC}]\n"
              "upstreams:\n"
              "- {grpc: {lb_policy: roundrobin}}\n"
              "- {name: u}\n"
              "- {name: u, grpc: {target: x}}\n"),
      "gw.yaml:3:3: upstreams[0].name: missing; routes refer to upstreams "
      "by name\n"
      "gw.yaml:3:10: upstreams[0].grpc.target: missing; write a gRPC "
      "target, e.g. \"dns:///arith.internal:50051\"\n"
      "gw.yaml:3:22: upstreams[0].grpc.lb_policy: \"roundrobin\" is not one "
      "of pick_first, round_robin (did you mean \"round_robin\"?)\n"
      "gw.yaml:4:3: upstreams[1]: set one of grpc or netrpc: the kind of "
      "backend\n"
      "gw.yaml:5:10: upstreams[2].name: \"u\" is also the name of "
      "upstreams[1].name; each must be unique");
}

TEST(Validate, GrpcClient) {
  EXPECT_THAT(Valid("listeners: [{name: l, address: \":1\", protocol: GRPC}]\n"
                    "upstreams: [{name: g, grpc: {target: \"h:1\", "
                    "client: CLIENT_H2}}]\n"),
              IsOk());
  EXPECT_EQ(Invalid("listeners: [{name: l, address: \":1\", protocol: GRPC}]\n"
                    "upstreams: [{name: g, grpc: {target: \"h:1\", "
                    "lb_policy: round_robin, client: CLIENT_H2}}]\n"),
            "gw.yaml:2:77: upstreams[0].grpc.client: CLIENT_H2 cannot call "
            "this upstream: its lb_policy is round_robin; remove client "
            "(CLIENT_AUTO picks) or write CLIENT_GRPC");
}

TEST(Validate, Tls) {
  std::string dir = TmpDir();
  Touch(dir + "/ca.pem");
  Touch(dir + "/client.pem");
  std::string name = dir + "/gw.yaml";
  EXPECT_THAT(Valid("listeners: [{name: l, address: \":1\", protocol: GRPC}]\n"
                    "upstreams:\n"
                    "- name: g\n"
                    "  grpc:\n"
                    "    target: x\n"
                    "    tls: {ca_file: ca.pem}\n",
                    name),
              IsOk());
  EXPECT_EQ(
      Invalid("listeners: [{name: l, address: \":1\", protocol: GRPC}]\n"
              "upstreams:\n"
              "- name: g\n"
              "  grpc:\n"
              "    target: x\n"
              "    tls:\n"
              "      ca_file: nope/ca.pem\n"
              "      cert_file: client.pem\n",
              name),
      absl::StrCat(
          name,
          ":7:7: upstreams[0].grpc.tls: cert_file is set without "
          "key_file; a client certificate needs both (or neither, for "
          "TLS without one)\n",
          name, ":7:16: upstreams[0].grpc.tls.ca_file: \"nope/ca.pem\" (", dir,
          "/nope/ca.pem) does not exist; relative names are resolved "
          "against the config file's directory"));
  EXPECT_EQ(Invalid("listeners: [{name: l, address: \":1\", protocol: GRPC}]\n"
                    "upstreams: [{name: g, grpc: {target: x, tls: "
                    "{key_file: /}}}]\n",
                    name),
            absl::StrCat(name,
                         ":2:46: upstreams[0].grpc.tls: key_file is set "
                         "without cert_file; a client certificate needs both "
                         "(or neither, for TLS without one)\n",
                         name,
                         ":2:57: upstreams[0].grpc.tls.key_file: \"/\" is a "
                         "directory, not a file"));
}

TEST(Validate, NetRpcUpstream) {
  EXPECT_EQ(
      Invalid("listeners: [{name: l, address: \":1\", protocol: GRPC}]\n"
              "upstreams:\n"
              "- {name: a, netrpc: {connections: 1}}\n"
              "- name: b\n"
              "  netrpc:\n"
              "    addresses: [h, \":1\", \"h:0\"]\n"
              "    connections: -1\n"
              "    health_check_interval: 0s\n"
              "    redial_backoff: -1s\n"
              "    http_path: _goRPC_\n"
              "    health_check_method: Ping\n"),
      "gw.yaml:3:21: upstreams[0].netrpc.addresses: none; list the servers' "
      "host:port, e.g. [\"10.0.0.1:1234\"]\n"
      "gw.yaml:6:17: upstreams[1].netrpc.addresses[0]: \"h\" is not "
      "host:port (missing port; write e.g. \"127.0.0.1:1234\")\n"
      "gw.yaml:6:20: upstreams[1].netrpc.addresses[1]: \":1\" needs a host "
      "and a port other than 0 to dial, e.g. \"10.0.0.1:1234\"\n"
      "gw.yaml:6:26: upstreams[1].netrpc.addresses[2]: \"h:0\" needs a host "
      "and a port other than 0 to dial, e.g. \"10.0.0.1:1234\"\n"
      "gw.yaml:7:18: upstreams[1].netrpc.connections: must not be negative "
      "(got -1; 0 means the default, 2)\n"
      "gw.yaml:8:28: upstreams[1].netrpc.health_check_interval: must be "
      "positive (got 0)\n"
      "gw.yaml:9:21: upstreams[1].netrpc.redial_backoff: must be positive "
      "(got -1s)\n"
      "gw.yaml:10:16: upstreams[1].netrpc.http_path: \"_goRPC_\" must start "
      "with \"/\"\n"
      "gw.yaml:11:26: upstreams[1].netrpc.health_check_method: \"Ping\" is "
      "not \"Service.Method\", e.g. \"Health.Check\"");
}

TEST(Validate, RouteService) {
  EXPECT_EQ(Invalid(Base("routes:\n"
                         "- {upstream: g}\n"
                         "- {service: Arith Svc, upstream: g}\n"
                         "- {service: net.rpc.Arith, upstream: g}\n"
                         "- {service: net.rpc.Arith, upstream: g}\n")),
            "gw.yaml:6:3: routes[0].service: missing; give the net/rpc "
            "service name, e.g. Arith\n"
            "gw.yaml:7:13: routes[1].service: \"Arith Svc\" is not a net/rpc "
            "service name (dot-separated identifiers, e.g. Arith or "
            "net.rpc.Arith)\n"
            "gw.yaml:9:13: routes[3].service: \"net.rpc.Arith\" is also the "
            "service of routes[2].service; each must be unique");
}

TEST(Validate, RouteUpstreamUnknown) {
  EXPECT_EQ(
      Invalid("listeners: [{name: l, address: \":1\", protocol: GRPC}]\n"
              "upstreams:\n"
              "- {name: arith, grpc: {target: \"a:1\"}}\n"
              "- {name: users, grpc: {target: \"u:1\"}}\n"
              "schemas: [{reflection: arith}]\n"
              "bridge: {package: demo.v1}\n"
              "routes:\n"
              "- service: Arith\n"
              "  upstream: arith-grpc\n"),
      "gw.yaml:9:13: routes[0].upstream: no upstream named \"arith-grpc\" "
      "(upstreams: arith, users)");
}

TEST(Validate, RouteTargets) {
  EXPECT_EQ(
      Invalid(Base("routes:\n"
                   "- {service: A}\n"
                   "- {service: B, upstream: g, split: [{upstream: n, "
                   "weight: 1}]}\n"
                   "- service: C\n"
                   "  split:\n"
                   "  - {upstream: g}\n"
                   "  - {upstream: x}\n"
                   "  - {upstream: g}\n")),
      "gw.yaml:6:3: routes[0].upstream: missing; name the upstream that "
      "serves this service (or give a split)\n"
      "gw.yaml:7:3: routes[1]: both upstream and split are set; keep one "
      "(split replaces upstream)\n"
      "gw.yaml:10:3: routes[2].split: every weight is 0; give at least one "
      "arm a weight above 0\n"
      "gw.yaml:11:16: routes[2].split[1].upstream: no upstream named \"x\" "
      "(upstreams: g, n)\n"
      "gw.yaml:12:16: routes[2].split[2].upstream: \"g\" is also the "
      "upstream of routes[2].split[0].upstream; each must be unique");
}

TEST(Validate, Shadow) {
  EXPECT_THAT(Valid(Base("routes:\n"
                         "- {service: A, upstream: n, shadow: g, "
                         "mirror_sample_percent: 5}\n")),
              IsOk());
  EXPECT_EQ(Invalid(Base("routes:\n"
                         "- {service: A, upstream: g, shadow: gg}\n"
                         "- {service: B, upstream: g, shadow: g}\n"
                         "- {service: C, split: [{upstream: n, weight: 1}], "
                         "shadow: n}\n"
                         "- {service: D, upstream: g, shadow: n, "
                         "mirror_sample_percent: 101}\n"
                         "- {service: E, upstream: g, mirror_sample_percent: "
                         "50}\n")),
            "gw.yaml:6:37: routes[0].shadow: no upstream named \"gg\" "
            "(upstreams: g, n)\n"
            "gw.yaml:7:37: routes[1].shadow: \"g\" also answers the route's "
            "calls; a shadow must be a different upstream\n"
            "gw.yaml:8:59: routes[2].shadow: \"n\" also answers the route's "
            "calls; a shadow must be a different upstream\n"
            "gw.yaml:9:63: routes[3].mirror_sample_percent: must be 0-100 "
            "(got 101)\n"
            "gw.yaml:10:52: routes[4].mirror_sample_percent: is set, but the "
            "route has no shadow to copy calls to");
}

TEST(Validate, GrpcServiceName) {
  EXPECT_EQ(Invalid("listeners: [{name: l, address: \":1\", protocol: GRPC}]\n"
                    "upstreams: [{name: g, grpc: {target: x}}]\n"
                    "schemas: [{reflection: g}]\n"
                    "routes:\n"
                    "- {service: A, upstream: g}\n"
                    "- {service: B, upstream: g, grpc_service: users.v1.}\n"
                    "- {service: C, upstream: g, grpc_service: users.v1.C}\n"),
            "gw.yaml:5:3: routes[0].grpc_service: missing, and there is no "
            "bridge.package to derive it from; set grpc_service (e.g. "
            "\"demo.v1.Arith\") or bridge.package\n"
            "gw.yaml:6:43: routes[1].grpc_service: \"users.v1.\" is not a full "
            "gRPC service name, e.g. \"demo.v1.Arith\"");
}

TEST(Validate, RouteDetails) {
  EXPECT_EQ(
      Invalid(Base("routes:\n"
                   "- service: A\n"
                   "  upstream: g\n"
                   "  timeout: 0s\n"
                   "  max_concurrent_calls: -1\n"
                   "  methods:\n"
                   "  - {timeout: 1s}\n"
                   "  - {name: M, timeout: -5ms}\n"
                   "  - {name: M, grpc_method: \"a-b\"}\n"
                   "  metadata:\n"
                   "    X-Team: a\n"
                   "    grpc-timeout: 1S\n"
                   "    ok-bin: \"\\x01\"\n"
                   "    bad: \"\\x01\"\n")),
      "gw.yaml:8:12: routes[0].timeout: must be positive (got 0)\n"
      "gw.yaml:9:25: routes[0].max_concurrent_calls: must not be "
      "negative (got -1; 0 means unlimited)\n"
      "gw.yaml:11:5: routes[0].methods[0].name: missing; give the "
      "net/rpc method name, e.g. Multiply\n"
      "gw.yaml:12:24: routes[0].methods[1].timeout: must be positive "
      "(got -5ms)\n"
      "gw.yaml:13:12: routes[0].methods[2].name: \"M\" is also the name "
      "of routes[0].methods[1].name; each must be unique\n"
      "gw.yaml:13:28: routes[0].methods[2].grpc_method: \"a-b\" is not a "
      "method name\n"
      "gw.yaml:15:13: routes[0].metadata[\"X-Team\"]: a metadata key is "
      "lower case letters, digits, \"-\", \"_\" and \".\" (gRPC's rule)\n"
      "gw.yaml:16:19: routes[0].metadata[\"grpc-timeout\"]: keys starting "
      "with \"grpc-\" are reserved for gRPC\n"
      "gw.yaml:18:10: routes[0].metadata[\"bad\"]: the value must be "
      "printable ASCII (or name the key ...-bin for binary values)");
}

TEST(Validate, Schemas) {
  std::string dir = TmpDir();
  Touch(dir + "/arith.pb");
  std::string name = dir + "/gw.yaml";
  EXPECT_THAT(Valid(Base("schemas: [{descriptor_set: arith.pb}]\n")
                        .replace(kBase.find("schemas"), 27, ""),
                    name),
              IsOk());
  EXPECT_EQ(
      Invalid("listeners: [{name: l, address: \":1\", protocol: GRPC}]\n"
              "upstreams: [{name: g, grpc: {target: x}}, "
              "{name: n, netrpc: {addresses: [\"h:1\"]}}]\n"
              "bridge: {package: demo.v1}\n"
              "routes: [{service: A, upstream: g}]\n"),
      "gw.yaml: schemas: none, but routes need their services' descriptors; "
      "add {descriptor_set: FILE} or {reflection: UPSTREAM}");
  EXPECT_EQ(Invalid("listeners: [{name: l, address: \":1\", protocol: GRPC}]\n"
                    "upstreams: [{name: g, grpc: {target: x}}, "
                    "{name: n, netrpc: {addresses: [\"h:1\"]}}]\n"
                    "schemas:\n"
                    "- {}\n"
                    "- descriptor_set: missing.pb\n"
                    "- reflection: n\n"
                    "- reflection: x\n",
                    name),
            absl::StrCat(
                name, ":4:3: schemas[0]: set descriptor_set or reflection\n",
                name, ":5:19: schemas[1].descriptor_set: \"missing.pb\" (", dir,
                "/missing.pb) does not exist; relative names are resolved "
                "against the config file's directory\n",
                name,
                ":6:15: schemas[2].reflection: upstream \"n\" is not a gRPC "
                "upstream; server reflection needs one\n",
                name,
                ":7:15: schemas[3].reflection: no upstream named \"x\" "
                "(upstreams: g, n)"));
}

TEST(Validate, Bridge) {
  EXPECT_EQ(
      Invalid("listeners: [{name: l, address: \":1\", protocol: GRPC}]\n"
              "bridge:\n"
              "  package: demo-v1\n"
              "  default_timeout: 0s\n"
              "  services: [{name: Arith}]\n"
              "  field_names: [{message: a.B}]\n"
              "  error_rules:\n"
              "  - {prefix: x, code: NOTFOUND}\n"
              "  - {regex: \"(\", code: INTERNAL}\n"
              "  - {code: OK}\n"),
      "gw.yaml:3:12: bridge.package: \"demo-v1\" is not a proto package "
      "name, e.g. \"demo.v1\"\n"
      "gw.yaml:4:20: bridge.default_timeout: must be positive (got 0)\n"
      "gw.yaml:5:13: bridge.services: not used in the gateway config; use "
      "routes (one route per service)\n"
      "gw.yaml:6:17: bridge.field_names[0]: give all of message, field and "
      "go_name\n"
      "gw.yaml:8:23: bridge.error_rules[0].code: \"NOTFOUND\" is not a gRPC "
      "status code name other than OK (did you mean \"NOT_FOUND\"?)\n"
      "gw.yaml:9:13: bridge.error_rules[1].regex: \"(\" is not a valid RE2 "
      "expression: missing ): (\n"
      "gw.yaml:10:5: bridge.error_rules[2]: set prefix or regex: the error "
      "texts the rule matches\n"
      "gw.yaml:10:12: bridge.error_rules[2].code: \"OK\" is not a gRPC "
      "status code name other than OK");
}

TEST(Validate, LimitsAdminDrain) {
  EXPECT_EQ(
      Invalid("listeners: [{name: l, address: \":1\", protocol: GRPC}]\n"
              "limits:\n"
              "  max_message_bytes: -1\n"
              "  max_concurrent_calls_per_connection: -2\n"
              "  max_concurrent_calls: -3\n"
              "admin: {address: \"127.0.0.1\"}\n"
              "drain_timeout: -1s\n"),
      "gw.yaml:3:22: limits.max_message_bytes: must not be negative (got "
      "-1; 0 means the default, 4194304)\n"
      "gw.yaml:4:40: limits.max_concurrent_calls_per_connection: must not be "
      "negative (got -2; 0 means the default, 1000)\n"
      "gw.yaml:5:25: limits.max_concurrent_calls: must not be negative (got "
      "-3; 0 means the default, 10000)\n"
      "gw.yaml:6:18: admin.address: \"127.0.0.1\" is not host:port (missing "
      "port; write e.g. \"127.0.0.1:1234\")\n"
      "gw.yaml:7:16: drain_timeout: must be positive (got -1s)");
  EXPECT_EQ(Invalid("listeners: [{name: l, address: \":1\", protocol: GRPC}]\n"
                    "admin: {allow_reload: true}\n"),
            "gw.yaml:2:8: admin.address: missing; write host:port, e.g. "
            "\"127.0.0.1:1234\"");
}

TEST(Validate, TooManyErrors) {
  std::string yaml = "listeners:\n";
  for (int i = 0; i < 30; ++i) absl::StrAppend(&yaml, "- {name: a", i, "}\n");
  std::string e = Invalid(yaml);
  EXPECT_THAT(e, HasSubstr("\n... and 40 more errors"));
}

TEST(Validate, Textproto) {
  absl::StatusOr<LoadedConfig> c = LoadConfigString(
      "listeners {\n  name: \"l\"\n  address: \"nope\"\n  protocol: GRPC\n}\n",
      ConfigFormat::kTextproto, "gw.textproto");
  ASSERT_THAT(c, IsOk());
  EXPECT_THAT(
      Validate(*c),
      StatusIs(kInvalid,
               "gw.textproto:3:3: listeners[0].address: \"nope\" is not "
               "host:port (missing port; write e.g. "
               "\"127.0.0.1:1234\")"));
}

TEST(Validate, EnumNumbersFromTextproto) {
  absl::StatusOr<LoadedConfig> c = LoadConfigString(
      "listeners { name: \"l\" address: \":1\" protocol: 99 }\n"
      "bridge { unknown_fields: 7 }\n",
      ConfigFormat::kTextproto, "gw.textproto");
  ASSERT_THAT(c, IsOk());
  EXPECT_THAT(Validate(*c),
              StatusIs(kInvalid,
                       "gw.textproto:1:37: listeners[0].protocol: 99 is not "
                       "one of NETRPC, NETRPC_HTTP, JSONRPC, GRPC, ANY\n"
                       "gw.textproto:2:10: bridge.unknown_fields: 7 is not one "
                       "of STRICT, DROP_AND_COUNT"));
}

TEST(CiteBridgeError, Rewrites) {
  absl::StatusOr<LoadedConfig> c = LoadConfigString(
      "routes:\n"
      "- service: Arith\n"
      "  methods:\n"
      "  - {name: Mul}\n"
      "- {service: Users}\n"
      "bridge:\n"
      "  error_rules: [{prefix: x, code: X}]\n"
      "  default_timeout: 0s\n",
      ConfigFormat::kYaml, "gw.yaml");
  ASSERT_THAT(c, IsOk());
  auto cite = [&](absl::Status s) { return CiteBridgeError(*c, s); };
  EXPECT_THAT(
      cite(absl::NotFoundError("bridge: services[0].methods[0]: demo.v1.Arith "
                               "has no method Mul (it has: Divide)")),
      StatusIs(absl::StatusCode::kNotFound,
               "gw.yaml:4:5: routes[0].methods[0]: demo.v1.Arith has no "
               "method Mul (it has: Divide)"));
  EXPECT_THAT(cite(absl::NotFoundError(
                  "bridge: services[1] (Users): the schema has no service "
                  "demo.v1.Users (it has: demo.v1.Arith)")),
              StatusIs(absl::StatusCode::kNotFound,
                       "gw.yaml:5:3: routes[1] (Users): the schema has no "
                       "service demo.v1.Users (it has: demo.v1.Arith)"));
  EXPECT_THAT(cite(absl::InvalidArgumentError(
                  "bridge: services[1].name is empty; give the name")),
              StatusIs(kInvalid,
                       "gw.yaml:5:13: routes[1].service is empty; give the "
                       "name"));
  EXPECT_THAT(cite(absl::InvalidArgumentError(
                  "bridge: error_rules[0].code: \"X\" is not a code")),
              StatusIs(kInvalid,
                       "gw.yaml:7:35: bridge.error_rules[0].code: \"X\" is "
                       "not a code"));
  EXPECT_THAT(cite(absl::InvalidArgumentError(
                  "bridge: default_timeout must be positive")),
              StatusIs(kInvalid,
                       "gw.yaml:8:20: bridge.default_timeout must be "
                       "positive"));
  EXPECT_THAT(cite(absl::InvalidArgumentError(
                  "bridge: route Arith.Div -> /demo.v1.Arith/Div: bad type")),
              StatusIs(kInvalid,
                       "gw.yaml:2:3: routes[0]: route Arith.Div -> "
                       "/demo.v1.Arith/Div: bad type"));
  absl::Status other = absl::InternalError("gob: something");
  EXPECT_EQ(cite(other), other);
  EXPECT_THAT(cite(absl::OkStatus()), IsOk());
}

TEST(SplitHostPort, Forms) {
  absl::StatusOr<HostPort> hp = SplitHostPort("[::1]:8080");
  ASSERT_THAT(hp, IsOk());
  EXPECT_EQ(hp->host, "::1");
  EXPECT_EQ(hp->port, 8080);
  hp = SplitHostPort(":0");
  ASSERT_THAT(hp, IsOk());
  EXPECT_EQ(hp->host, "");
  EXPECT_EQ(hp->port, 0);
  hp = SplitHostPort("example.com:65535");
  ASSERT_THAT(hp, IsOk());
  EXPECT_EQ(hp->host, "example.com");
  for (const char* bad : {"", "h", "h:", "h:x", "h:-1", "[::1", "[::1]80",
                          "h:65536", "a b:1", "h:1:2"}) {
    EXPECT_THAT(SplitHostPort(bad), StatusIs(kInvalid)) << bad;
  }
}

TEST(IsNetRpcServiceName, Rules) {
  EXPECT_TRUE(IsNetRpcServiceName("Arith"));
  EXPECT_TRUE(IsNetRpcServiceName("net.rpc.Arith"));
  EXPECT_TRUE(IsNetRpcServiceName("_x9"));
  EXPECT_FALSE(IsNetRpcServiceName(""));
  EXPECT_FALSE(IsNetRpcServiceName("a..b"));
  EXPECT_FALSE(IsNetRpcServiceName(".a"));
  EXPECT_FALSE(IsNetRpcServiceName("9a"));
  EXPECT_FALSE(IsNetRpcServiceName("a-b"));
}

}  // namespace
}  // namespace gateway::config
