#include "gateway/config/load.h"

#include <fstream>
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

#include "gateway/config/config.h"
#include "netrpc/testing/runfiles.h"
#include "netrpc/testing/status_matchers.h"

namespace gateway::config {
namespace {

using ::netrpc::config::v1::Listener;
using ::netrpc::testing::IsOk;
using ::netrpc::testing::IsOkAndHolds;
using ::netrpc::testing::Runfile;
using ::netrpc::testing::StatusIs;
using ::testing::HasSubstr;
using ::testing::StartsWith;

constexpr auto kInvalid = absl::StatusCode::kInvalidArgument;

absl::StatusOr<LoadedConfig> Yaml(absl::string_view text) {
  return LoadConfigString(text, ConfigFormat::kYaml, "gw.yaml");
}

absl::StatusOr<LoadedConfig> Textproto(absl::string_view text) {
  return LoadConfigString(text, ConfigFormat::kTextproto, "gw.textproto");
}

// YamlError is the message of loading text, which must fail.
std::string YamlError(absl::string_view text) {
  absl::StatusOr<LoadedConfig> c = Yaml(text);
  EXPECT_THAT(c, StatusIs(kInvalid)) << text;
  return std::string(c.status().message());
}

std::string TextprotoError(absl::string_view text) {
  absl::StatusOr<LoadedConfig> c = Textproto(text);
  EXPECT_THAT(c, StatusIs(kInvalid)) << text;
  return std::string(c.status().message());
}

TEST(LoadConfigFile, Example) {
  absl::StatusOr<std::string> path =
      Runfile("gateway/config/testdata/example.yaml");
  ASSERT_THAT(path, IsOk());
  absl::StatusOr<LoadedConfig> c = LoadConfigFile(*path);
  ASSERT_THAT(c, IsOk());
  EXPECT_THAT(Validate(*c), IsOk());
  const auto& g = c->gateway;
  ASSERT_EQ(g.listeners_size(), 2);
  EXPECT_EQ(g.listeners(0).protocol(), Listener::NETRPC);
  EXPECT_EQ(g.listeners(1).protocol(), Listener::ANY);
  EXPECT_EQ(g.listeners(1).address(), "[::1]:8080");
  ASSERT_EQ(g.upstreams_size(), 3);
  EXPECT_EQ(g.upstreams(0).grpc().lb_policy(), "round_robin");
  EXPECT_TRUE(g.upstreams(0).grpc().health_check());
  EXPECT_FALSE(g.upstreams(0).grpc().has_tls());
  EXPECT_THAT(g.upstreams(2).netrpc().addresses(),
              ::testing::ElementsAre("10.0.0.1:1234", "10.0.0.2:1234"));
  EXPECT_EQ(g.upstreams(2).netrpc().redial_backoff().nanos(), 500000000);
  ASSERT_EQ(g.routes_size(), 3);
  EXPECT_EQ(g.routes(0).timeout().seconds(), 2);
  EXPECT_EQ(g.routes(0).metadata().at("x-team"), "payments");
  EXPECT_EQ(g.routes(0).methods(0).grpc_method(), "Divide");
  EXPECT_EQ(g.routes(0).methods(0).timeout().nanos(), 500000000);
  EXPECT_EQ(g.routes(1).split(0).weight(), 95u);
  EXPECT_EQ(g.routes(2).shadow(), "users-grpc");
  EXPECT_EQ(g.routes(2).mirror_sample_percent(), 10);
  EXPECT_EQ(g.bridge().error_rules(1).regex(), "invalid .*");
  EXPECT_TRUE(g.admin().allow_reload());
  EXPECT_EQ(g.limits().max_message_bytes(), 4194304);
  EXPECT_EQ(g.drain_timeout().seconds(), 10);

  // File names are resolved against the config's directory.
  EXPECT_EQ(g.schemas(0).descriptor_set(), c->base_dir + "/arith.pb");
  EXPECT_EQ(c->written_files.at("schemas[0].descriptor_set"), "arith.pb");

  // Positions: value of routes[0].upstream is on line 61, column 15.
  Position pos = c->PositionOf("routes[0].upstream");
  EXPECT_EQ(pos.line, 57);
  EXPECT_EQ(pos.column, 15);
  EXPECT_EQ(c->Where("routes[0].upstream"),
            *path + ":57:15: routes[0].upstream");
  // A field left out takes its parent's position.
  EXPECT_EQ(c->PositionOf("routes[0].grpc_service").line, 56);
  EXPECT_EQ(c->PositionOf("routes[0].metadata[\"x-team\"]").line, 60);
}

TEST(LoadConfigFile, Minimal) {
  absl::StatusOr<std::string> path =
      Runfile("gateway/config/testdata/minimal.yaml");
  ASSERT_THAT(path, IsOk());
  absl::StatusOr<LoadedConfig> c = LoadAndValidate(*path);
  ASSERT_THAT(c, IsOk());
  EXPECT_EQ(c->gateway.routes(0).upstream(), "arith");
  // LoadAndValidate applied the defaults.
  EXPECT_EQ(c->gateway.drain_timeout().seconds(), 10);
}

TEST(LoadConfigFile, Textproto) {
  absl::StatusOr<std::string> path =
      Runfile("gateway/config/testdata/example.textproto");
  ASSERT_THAT(path, IsOk());
  absl::StatusOr<LoadedConfig> c = LoadConfigFile(*path);
  ASSERT_THAT(c, IsOk());
  EXPECT_THAT(Validate(*c), IsOk());
  const auto& g = c->gateway;
  EXPECT_EQ(g.listeners(1).protocol(), Listener::ANY);
  EXPECT_EQ(g.routes(0).methods(0).timeout().nanos(), 500000000);
  EXPECT_EQ(g.routes(0).metadata().at("x-team"), "payments");
  EXPECT_EQ(g.upstreams(1).netrpc().addresses_size(), 2);
  EXPECT_EQ(g.schemas(0).descriptor_set(), c->base_dir + "/arith.pb");
  // Textproto positions are those of the field names.
  EXPECT_EQ(c->PositionOf("listeners[1].protocol").line, 6);
  EXPECT_EQ(c->PositionOf("listeners[1].protocol").column, 3);
  EXPECT_EQ(c->PositionOf("routes[1].split[1].upstream").line, 30);
  EXPECT_EQ(c->PositionOf("routes[0].metadata[\"x-team\"]").line, 23);
}

TEST(LoadConfigFile, YamlAndTextprotoAgree) {
  absl::StatusOr<LoadedConfig> y = Yaml(R"(
listeners: [{name: a, address: ":1", protocol: GRPC}]
upstreams: [{name: u, netrpc: {addresses: ["h:1"], redial_backoff: 1.5s}}]
)");
  absl::StatusOr<LoadedConfig> t = Textproto(R"(
listeners { name: "a" address: ":1" protocol: GRPC }
upstreams { name: "u" netrpc { addresses: "h:1" redial_backoff { seconds: 1 nanos: 500000000 } } }
)");
  ASSERT_THAT(y, IsOk());
  ASSERT_THAT(t, IsOk());
  EXPECT_EQ(y->gateway.SerializeAsString(), t->gateway.SerializeAsString());
}

TEST(LoadConfigFile, Errors) {
  EXPECT_THAT(LoadConfigFile("/nonexistent/gw.yaml"),
              StatusIs(absl::StatusCode::kNotFound,
                       "/nonexistent/gw.yaml: cannot read the config file: "
                       "No such file or directory"));
  EXPECT_THAT(LoadConfigFile("gw.ini"),
              StatusIs(kInvalid, StartsWith("gw.ini: unknown config format; "
                                            "name the file .yaml")));
  EXPECT_THAT(FormatOfPath("a/b.YML"), IsOkAndHolds(ConfigFormat::kYaml));
  EXPECT_THAT(FormatOfPath("b.json"), IsOkAndHolds(ConfigFormat::kYaml));
  EXPECT_THAT(FormatOfPath("b.pbtxt"), IsOkAndHolds(ConfigFormat::kTextproto));
}

TEST(Yaml, EmptyFileIsAnEmptyConfig) {
  absl::StatusOr<LoadedConfig> c = Yaml("# nothing\n");
  ASSERT_THAT(c, IsOk());
  EXPECT_EQ(c->gateway.ByteSizeLong(), 0u);
}

TEST(Yaml, NullMeansAbsent) {
  absl::StatusOr<LoadedConfig> c = Yaml("admin:\nlimits: ~\n");
  ASSERT_THAT(c, IsOk());
  EXPECT_FALSE(c->gateway.has_admin());
  EXPECT_FALSE(c->gateway.has_limits());
  c = Yaml("admin: {}\n");
  ASSERT_THAT(c, IsOk());
  EXPECT_TRUE(c->gateway.has_admin());
}

TEST(Yaml, DurationForms) {
  absl::StatusOr<LoadedConfig> c =
      Yaml("drain_timeout: 1m30s\nbridge: {default_timeout: {seconds: 3}}\n");
  ASSERT_THAT(c, IsOk());
  EXPECT_EQ(c->gateway.drain_timeout().seconds(), 90);
  EXPECT_EQ(c->gateway.bridge().default_timeout().seconds(), 3);
}

TEST(Yaml, UnknownField) {
  EXPECT_EQ(YamlError("listeners:\n- name: a\n  adress: \"127.0.0.1:1\"\n"),
            "gw.yaml:3:3: listeners[0]: unknown field \"adress\" (did you "
            "mean \"address\"?)");
  EXPECT_EQ(YamlError("listeners:\n- rpcPath: /x\n"),
            "gw.yaml:2:3: listeners[0]: unknown field \"rpcPath\" (did you "
            "mean \"rpc_path\"? field names are snake_case)");
  EXPECT_EQ(YamlError("colour: red\n"),
            "gw.yaml:1:1: unknown field \"colour\"");
}

TEST(Yaml, BadDuration) {
  EXPECT_EQ(YamlError("routes:\n- service: A\n  timeout: 2 seconds\n"),
            "gw.yaml:3:12: routes[0].timeout: \"2 seconds\" is not a "
            "duration (write e.g. \"2s\" or \"1.5s\")");
  EXPECT_EQ(YamlError("drain_timeout: [1s]\n"),
            "gw.yaml:1:16: drain_timeout: expected a map of Duration "
            "fields, found a list");
}

TEST(Yaml, BadEnum) {
  EXPECT_EQ(YamlError("listeners:\n- protocol: GRPCC\n"),
            "gw.yaml:2:13: listeners[0].protocol: \"GRPCC\" is not one of "
            "NETRPC, NETRPC_HTTP, JSONRPC, GRPC, ANY");
  EXPECT_EQ(YamlError("listeners:\n- protocol: grpc\n"),
            "gw.yaml:2:13: listeners[0].protocol: \"grpc\" is not one of "
            "NETRPC, NETRPC_HTTP, JSONRPC, GRPC, ANY (enum names are upper "
            "case: GRPC)");
  EXPECT_EQ(YamlError("listeners:\n- protocol: PROTOCOL_UNSPECIFIED\n"),
            "gw.yaml:2:13: listeners[0].protocol: \"PROTOCOL_UNSPECIFIED\" "
            "is not one of NETRPC, NETRPC_HTTP, JSONRPC, GRPC, ANY");
}

TEST(Yaml, WrongScalarTypes) {
  EXPECT_EQ(YamlError("upstreams:\n- netrpc: {connections: many}\n"),
            "gw.yaml:2:25: upstreams[0].netrpc.connections: \"many\" is not "
            "an integer");
  EXPECT_EQ(YamlError("upstreams:\n- grpc: {health_check: yes}\n"),
            "gw.yaml:2:24: upstreams[0].grpc.health_check: \"yes\" is not a "
            "boolean (write true or false)");
  EXPECT_EQ(YamlError("listeners:\n- name: {first: a}\n"),
            "gw.yaml:2:9: listeners[0].name: expected a string, found a map");
  EXPECT_EQ(YamlError("listeners:\n- name: [a]\n"),
            "gw.yaml:2:9: listeners[0].name: expected a string, found a list");
}

TEST(Yaml, OutOfRange) {
  EXPECT_EQ(YamlError("routes:\n- split: [{weight: -1}]\n"),
            "gw.yaml:2:20: routes[0].split[0].weight: -1 is out of range "
            "for uint32 (0 to 4294967295)");
  EXPECT_EQ(YamlError("routes:\n- max_concurrent_calls: 3000000000\n"),
            "gw.yaml:2:25: routes[0].max_concurrent_calls: 3000000000 is out "
            "of range for int32 (-2147483648 to 2147483647)");
  EXPECT_EQ(YamlError("limits: {max_message_bytes: 99999999999999999999}\n"),
            "gw.yaml:1:29: limits.max_message_bytes: 99999999999999999999 is "
            "out of range for int64 (-9223372036854775808 to "
            "9223372036854775807)");
  EXPECT_EQ(YamlError("limits: {max_message_bytes: 1.5}\n"),
            "gw.yaml:1:29: limits.max_message_bytes: \"1.5\" is not an "
            "integer");
}

TEST(Yaml, WrongShapes) {
  EXPECT_EQ(YamlError("admin: [a, b]\n"),
            "gw.yaml:1:8: admin: expected a map of Admin fields, found a "
            "list");
  EXPECT_EQ(YamlError("listeners: {name: a}\n"),
            "gw.yaml:1:12: listeners: expected a list (lines starting with "
            "\"- \", or [a, b]), found a map");
  EXPECT_EQ(YamlError("routes:\n- metadata: [a]\n"),
            "gw.yaml:2:13: routes[0].metadata: expected a map (key: value "
            "lines), found a list");
  EXPECT_EQ(YamlError("routes:\n- metadata: {k: {a: b}}\n"),
            "gw.yaml:2:17: routes[0].metadata[\"k\"]: expected a string, "
            "found a map");
  EXPECT_EQ(YamlError("- a\n- b\n"),
            "gw.yaml:1:1: the config must be a map of fields (listeners:, "
            "upstreams:, routes:, ...), found a list");
}

TEST(Yaml, Oneof) {
  EXPECT_EQ(YamlError("upstreams:\n- name: u\n  grpc: {target: x}\n"
                      "  netrpc: {addresses: [\"h:1\"]}\n"),
            "gw.yaml:4:3: upstreams[0]: both \"grpc\" and \"netrpc\" are "
            "set, but they are alternatives (oneof kind); keep one");
}

TEST(Yaml, DuplicateKey) {
  EXPECT_EQ(YamlError("listeners:\n- name: a\n  name: b\n"),
            "gw.yaml:3:3: listeners[0].name: set twice (also on line 2); "
            "keep one");
}

TEST(Yaml, SyntaxError) {
  std::string e = YamlError("listeners:\n- name: a\n  address: [\n");
  EXPECT_THAT(e, StartsWith("gw.yaml:4:1: YAML syntax error: ")) << e;
  e = YamlError("a: b\n c: d\n");
  EXPECT_THAT(e, StartsWith("gw.yaml:2:3: YAML syntax error: ")) << e;
}

TEST(Yaml, AllErrorsInFileOrder) {
  EXPECT_EQ(YamlError("listeners:\n- protocol: X\n  adress: a\n"
                      "drain_timeout: soon\n"),
            "gw.yaml:2:13: listeners[0].protocol: \"X\" is not one of "
            "NETRPC, NETRPC_HTTP, JSONRPC, GRPC, ANY\n"
            "gw.yaml:3:3: listeners[0]: unknown field \"adress\" (did you "
            "mean \"address\"?)\n"
            "gw.yaml:4:16: drain_timeout: \"soon\" is not a duration (write "
            "e.g. \"2s\" or \"1.5s\")");
}

TEST(Textproto, UnknownField) {
  EXPECT_EQ(TextprotoError("listeners {\n  adress: \"x\"\n}\n"),
            "gw.textproto:2:3: listeners[0]: unknown field \"adress\" (did "
            "you mean \"address\"?)");
  EXPECT_EQ(TextprotoError("listeners { name: \"a\" }\n"
                           "listeners { name: \"b\" rpcPath: \"/x\" }\n"),
            "gw.textproto:2:23: listeners[1]: unknown field \"rpcPath\" (did "
            "you mean \"rpc_path\"? field names are snake_case)");
  EXPECT_EQ(TextprotoError("colour: 1\n"),
            "gw.textproto:1:1: unknown field \"colour\"");
  EXPECT_EQ(TextprotoError("routes { methods: [{name: \"A\"}, {nme: \"B\"}] }"),
            "gw.textproto:1:34: routes[0].methods[1]: unknown field \"nme\" "
            "(did you mean \"name\"?)");
}

TEST(Textproto, BadEnum) {
  EXPECT_EQ(TextprotoError("listeners { protocol: GRPCC }\n"),
            "gw.textproto:1:23: listeners[0].protocol: \"GRPCC\" is not one "
            "of NETRPC, NETRPC_HTTP, JSONRPC, GRPC, ANY");
  EXPECT_EQ(TextprotoError("routes { timeout: \"2s\" }\n"),
            "gw.textproto:1:19: routes[0].timeout: a duration in textproto is "
            "a message, e.g. timeout { seconds: 1 nanos: 500000000 } "
            "(Go-style strings such as \"1.5s\" are for YAML)");
}

TEST(Textproto, Reworded) {
  EXPECT_EQ(TextprotoError("listeners { name: \"a\" name: \"b\" }"),
            "gw.textproto:1:27: listeners[0].name: set twice; keep one");
  EXPECT_EQ(TextprotoError("upstreams { grpc { target: \"a\" } "
                           "netrpc { addresses: \"h:1\" } }"),
            "gw.textproto:1:41: upstreams[0]: both \"grpc\" and \"netrpc\" "
            "are set, but they are alternatives (oneof kind); keep one");
  EXPECT_EQ(TextprotoError("listeners { name: \"a\"\n"),
            "gw.textproto:2:1: the file ends inside listeners[0]; a closing "
            "\"}\" is missing");
  EXPECT_EQ(TextprotoError("upstreams { netrpc { connections: \"x\" } }"),
            "gw.textproto:1:35: upstreams[0].netrpc.connections: \"x\" is not "
            "an integer");
  EXPECT_EQ(TextprotoError("upstreams { netrpc { addresses: [\"a\", 3] } }"),
            "gw.textproto:1:39: upstreams[0].netrpc.addresses[1]: expected a "
            "string in double quotes, found 3");
  EXPECT_EQ(TextprotoError("routes { split: [{upstream: \"a\" weight: -1}] }"),
            "gw.textproto:1:41: routes[0].split[0].weight: a negative number "
            "is not allowed here");
  EXPECT_EQ(TextprotoError("upstreams { grpc { health_check: maybe } }"),
            "gw.textproto:1:34: upstreams[0].grpc.health_check: \"maybe\" is "
            "not a boolean (write true or false)");
  EXPECT_EQ(TextprotoError("limits { max_concurrent_calls: 3000000000 }"),
            "gw.textproto:1:32: limits.max_concurrent_calls: 3000000000 is out "
            "of range for int32");
}

TEST(Textproto, SyntaxAndTypes) {
  std::string e = TextprotoError("listeners { name: \"a\"\n");
  EXPECT_THAT(e, StartsWith("gw.textproto:2:1: ")) << e;
  e = TextprotoError("upstreams { netrpc { connections: many } }\n");
  EXPECT_THAT(e, StartsWith("gw.textproto:1:35: "
                            "upstreams[0].netrpc.connections: "))
      << e;
  e = TextprotoError(
      "upstreams { grpc { target: \"a\" } netrpc { addresses: \"h:1\" } }\n");
  EXPECT_THAT(e, HasSubstr("oneof")) << e;
}

TEST(ResolvePath, Rules) {
  EXPECT_EQ(ResolvePath("/etc/gw", "certs/ca.pem"), "/etc/gw/certs/ca.pem");
  EXPECT_EQ(ResolvePath("/etc/gw/", "ca.pem"), "/etc/gw/ca.pem");
  EXPECT_EQ(ResolvePath("/etc/gw", "/abs/ca.pem"), "/abs/ca.pem");
  EXPECT_EQ(ResolvePath("", "ca.pem"), "ca.pem");
  EXPECT_EQ(ResolvePath("/etc/gw", ""), "");
  absl::StatusOr<LoadedConfig> c = LoadConfigString(
      "upstreams: [{name: u, grpc: {target: t, tls: {ca_file: ca.pem, "
      "cert_file: /abs/c.pem}}}]\n",
      ConfigFormat::kYaml, "/etc/gw/gw.yaml");
  ASSERT_THAT(c, IsOk());
  EXPECT_EQ(c->base_dir, "/etc/gw");
  EXPECT_EQ(c->gateway.upstreams(0).grpc().tls().ca_file(), "/etc/gw/ca.pem");
  EXPECT_EQ(c->gateway.upstreams(0).grpc().tls().cert_file(), "/abs/c.pem");
  EXPECT_EQ(c->written_files.at("upstreams[0].grpc.tls.ca_file"), "ca.pem");
  EXPECT_FALSE(c->written_files.contains("upstreams[0].grpc.tls.cert_file"));
}

TEST(LoadedConfig, WhereWithoutPosition) {
  LoadedConfig c;
  c.file = "gw.yaml";
  EXPECT_EQ(c.Where("listeners"), "gw.yaml: listeners");
  EXPECT_EQ(c.Error("listeners", "none").message(), "gw.yaml: listeners: none");
  c.positions["routes[1]"] = Position{7, 3};
  EXPECT_EQ(c.Where("routes[1].metadata[\"a.b[\"]"),
            "gw.yaml:7:3: routes[1].metadata[\"a.b[\"]");
}

}  // namespace
}  // namespace gateway::config
