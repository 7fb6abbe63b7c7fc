// Unit tests of netrpc-call's pieces that need no server: JSON inference,
// the debug page parser, config files.

#include <fstream>
#include <string>

#include "bridge/convert/json_value.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "netrpc/gob/decoder.h"
#include "netrpc/gob/encoder.h"
#include "netrpc/testing/status_matchers.h"
#include "tools/netrpc-call/config.h"
#include "tools/netrpc-call/debug_list.h"
#include "tools/netrpc-call/infer.h"

namespace netrpc_call {
namespace {

using ::netrpc::testing::IsOk;
using ::testing::HasSubstr;

std::string Json(const netrpc::gob::Value& v) {
  std::string out;
  EXPECT_THAT(bridge::GobValueToJson(v, &out), IsOk());
  return out;
}

TEST(InferTest, StructOfInts) {
  absl::StatusOr<Inferred> v = InferGobValue(R"({"A":7,"B":8})");
  ASSERT_THAT(v, IsOk());
  EXPECT_EQ(v->value.kind(), netrpc::gob::Kind::kStruct);
  EXPECT_EQ(v->value.type()->String(), "Args");
  EXPECT_EQ(v->value.Field("A")->int_value(), 7);
  EXPECT_EQ(Json(v->value), R"({"A":7,"B":8})");
}

TEST(InferTest, KindsAndNesting) {
  absl::StatusOr<Inferred> v = InferGobValue(
      R"({"F":7.0,"S":"x","T":true,"N":null,"L":[1,2.5],"E":[],)"
      R"("O":[{"X":1},{"Y":"y"}],"Big":18446744073709551615})");
  ASSERT_THAT(v, IsOk());
  const netrpc::gob::Type* t = v->value.type();
  ASSERT_EQ(t->fields().size(), 6u);  // N and E are left out
  EXPECT_EQ(t->fields()[0].type->kind(), netrpc::gob::Kind::kFloat);
  EXPECT_EQ(t->fields()[3].type->elem()->kind(), netrpc::gob::Kind::kFloat);
  EXPECT_EQ(t->fields()[4].type->elem()->fields().size(), 2u);
  EXPECT_EQ(t->fields()[5].type->kind(), netrpc::gob::Kind::kUint);
  EXPECT_EQ(Json(v->value),
            R"({"F":7,"S":"x","T":true,"L":[1,2.5],"O":[{"X":1,"Y":""},)"
            R"({"X":0,"Y":"y"}],"Big":18446744073709551615})");
  // It encodes and decodes as gob.
  netrpc::gob::Encoder enc;
  std::string bytes;
  ASSERT_THAT(enc.EncodeValue(v->value, &bytes), IsOk());
  netrpc::gob::Decoder dec = netrpc::gob::Decoder::FromBytes(bytes);
  netrpc::gob::Value back;
  ASSERT_THAT(dec.DecodeValue(&back), IsOk());
  EXPECT_EQ(Json(back), Json(v->value));
}

TEST(InferTest, TopLevelScalarsAndSlices) {
  absl::StatusOr<Inferred> v = InferGobValue(R"("hello")");
  ASSERT_THAT(v, IsOk());
  EXPECT_EQ(v->value.string_value(), "hello");
  v = InferGobValue("[3,4]");
  ASSERT_THAT(v, IsOk());
  EXPECT_EQ(v->value.size(), 2u);
}

TEST(InferTest, Errors) {
  EXPECT_THAT(InferGobValue("{").status().message(),
              HasSubstr("the argument is not JSON"));
  EXPECT_THAT(InferGobValue(R"({"A":[1,"x"]})").status().message(),
              HasSubstr("$.A: the array's elements mix an integer and a string"));
  EXPECT_THAT(InferGobValue("null").status().message(), HasSubstr("null"));
  EXPECT_THAT(InferGobValue("[]").status().message(),
              HasSubstr("empty array"));
}

// A page as Go's net/rpc debug.go template writes it.
constexpr char kPage[] =
    "<html>\n\t<body>\n\t<title>Services</title>\n\t\n\t<hr>\n\tService "
    "Arith\n\t<hr>\n\t\t<table>\n\t\t<th align=center>Method</th><th "
    "align=center>Calls</th>\n\t\t\n\t\t\t<tr>\n\t\t\t<td align=left "
    "font=fixed>Divide(*main.Args, *main.Quotient) error</td>\n\t\t\t<td "
    "align=center>3</td>\n\t\t\t</tr>\n\t\t\n\t\t\t<tr>\n\t\t\t<td "
    "align=left font=fixed>Pair(main.Pair[int,string], "
    "*map[string]int) error</td>\n\t\t\t<td "
    "align=center>0</td>\n\t\t\t</tr>\n\t\t\n\t\t</table>\n\t\n\t<hr>\n\t"
    "Service net.rpc.Arith\n\t<hr>\n\t\t<table>\n\t\t<th "
    "align=center>Method</th><th align=center>Calls</th>\n\t\t\n\t\t\t<tr>"
    "\n\t\t\t<td align=left font=fixed>Multiply(*main.Args, *int) "
    "error</td>\n\t\t\t<td align=center>12</td>\n\t\t\t</tr>\n\t\t\n\t\t"
    "</table>\n\t\n\t</body>\n\t</html>";

TEST(DebugPageTest, ParsesGoPage) {
  absl::StatusOr<std::vector<DebugMethod>> m = ParseDebugPage(kPage);
  ASSERT_THAT(m, IsOk());
  ASSERT_EQ(m->size(), 3u);
  EXPECT_EQ((*m)[0].ToString(), "Arith.Divide(*main.Args) *main.Quotient calls=3");
  EXPECT_EQ((*m)[1].ToString(),
            "Arith.Pair(main.Pair[int,string]) *map[string]int calls=0");
  EXPECT_EQ((*m)[2].ToString(), "net.rpc.Arith.Multiply(*main.Args) *int calls=12");
  EXPECT_FALSE(ParseDebugPage("<html>hello</html>").ok());
}

std::string WriteFile(const std::string& name, const std::string& text) {
  std::string path = std::string(getenv("TEST_TMPDIR")) + "/" + name;
  std::ofstream(path) << text;
  return path;
}

TEST(ConfigTest, BridgeYaml) {
  absl::StatusOr<CallConfig> c = LoadCallConfig(WriteFile(
      "b.yaml",
      "package: demo.v1\nunwrap_messages: [demo.v1.Product]\n"
      "default_timeout: 300ms\nfield_names:\n"
      "- {message: demo.v1.Args, field: a, go_name: A}\n"));
  ASSERT_THAT(c, IsOk());
  EXPECT_EQ(c->bridge.package(), "demo.v1");
  EXPECT_EQ(c->bridge.unwrap_messages(0), "demo.v1.Product");
  EXPECT_EQ(c->bridge.default_timeout().nanos(), 300000000);
  EXPECT_EQ(c->bridge.field_names(0).go_name(), "A");
  EXPECT_TRUE(c->descriptor_sets.empty());
}

TEST(ConfigTest, GatewayTextproto) {
  absl::StatusOr<CallConfig> c = LoadCallConfig(WriteFile(
      "g.textproto",
      "schemas { descriptor_set: \"x.pb\" }\n"
      "bridge { package: \"inv.v1\" }\n"
      "routes { service: \"Catalog\" upstream: \"legacy\" }\n"));
  ASSERT_THAT(c, IsOk());
  EXPECT_EQ(c->bridge.package(), "inv.v1");
  ASSERT_EQ(c->bridge.services_size(), 1);
  EXPECT_EQ(c->bridge.services(0).name(), "Catalog");
  ASSERT_EQ(c->descriptor_sets.size(), 1u);
  EXPECT_EQ(c->descriptor_sets[0],
            std::string(getenv("TEST_TMPDIR")) + "/x.pb");
}

TEST(ConfigTest, Errors) {
  EXPECT_THAT(LoadCallConfig(WriteFile("bad.yaml", "pakage: x\n")).status().message(),
              HasSubstr("unknown field \"pakage\""));
  EXPECT_THAT(LoadCallConfig(WriteFile("bad.ini", "")).status().message(),
              HasSubstr("unknown config format"));
  EXPECT_FALSE(LoadCallConfig("/nonexistent.yaml").ok());
}

}  // namespace
}  // namespace netrpc_call
