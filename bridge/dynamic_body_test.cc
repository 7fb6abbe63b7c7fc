// DynamicBody's JSON hooks, directly and through the jsonrpc codecs: a
// netrpc::Server serving a method with dynamic bodies to netrpc's jsonrpc
// client on loopback, as bridged methods are served to Go jsonrpc clients.
#include "bridge/dynamic_body.h"

#include <memory>
#include <string>
#include <thread>

#include "google/protobuf/text_format.h"
#include "gtest/gtest.h"

#include "bridge/mapping.h"
#include "bridge/testing/arith.h"
#include "netrpc/client.h"
#include "netrpc/errors.h"
#include "netrpc/jsonrpc/client_codec.h"
#include "netrpc/jsonrpc/server_codec.h"
#include "netrpc/listener.h"
#include "netrpc/server.h"
#include "netrpc/service.h"
#include "netrpc/testing/status_matchers.h"

namespace bridge {
namespace {

namespace gob = ::netrpc::gob;
using ::bridge_testing::Args;
using ::bridge_testing::ArgsPlus;
using ::bridge_testing::Quotient;
using ::netrpc::testing::IsOk;
using ::netrpc::testing::StatusIs;

std::shared_ptr<const Mapping> ArithMapping(
    netrpc::config::v1::UnknownFieldPolicy policy =
        netrpc::config::v1::STRICT) {
  netrpc::config::v1::Bridge config;
  EXPECT_TRUE(google::protobuf::TextFormat::ParseFromString(
      R"pb(
        package: "demo.v1"
        unwrap_messages: "demo.v1.Product"
        services {
          name: "Arith"
          methods { name: "Multiply" }
          methods { name: "Divide" }
        }
      )pb",
      &config));
  config.set_unknown_fields(policy);
  absl::StatusOr<std::shared_ptr<const Mapping>> mapping =
      Mapping::Build(config, bridge_testing::ArithSchema());
  EXPECT_THAT(mapping.status(), IsOk());
  return mapping.ok() ? *mapping : nullptr;
}

const gob::Type* TypeOf(const Mapping& mapping, absl::string_view name) {
  const google::protobuf::Descriptor* d =
      mapping.schema().pool().FindMessageTypeByName(std::string(name));
  EXPECT_NE(d, nullptr) << name;
  absl::StatusOr<const gob::Type*> t = mapping.types().For(d);
  EXPECT_THAT(t.status(), IsOk());
  return t.ok() ? *t : nullptr;
}

TEST(DynamicBodyTest, WithoutATypeJsonCannotBeDecoded) {
  DynamicBody body;
  EXPECT_THAT(body.DecodeJson(R"({"A":1})"),
              StatusIs(absl::StatusCode::kFailedPrecondition));
  std::string out;
  ASSERT_THAT(body.EncodeJson(&out), IsOk());
  EXPECT_EQ(out, "null");
}

TEST(DynamicBodyTest, DecodesAndEncodesTheExpectedType) {
  std::shared_ptr<const Mapping> mapping = ArithMapping();
  ASSERT_NE(mapping, nullptr);
  DynamicBody body(mapping, TypeOf(*mapping, "demo.v1.Args"),
                   &mapping->options());
  // Go's new(Args): what a method gets for params `[]` or `[null]`.
  EXPECT_EQ(body.value().kind(), gob::Kind::kStruct);
  std::string out;
  ASSERT_THAT(body.EncodeJson(&out), IsOk());
  EXPECT_EQ(out, R"({"A":0,"B":0})");
  ASSERT_THAT(body.DecodeJson(R"({"a":7,"B":8})"), IsOk());
  EXPECT_EQ(body.value().Field("A")->int_value(), 7);
  EXPECT_EQ(body.value().Field("B")->int_value(), 8);
  ASSERT_THAT(body.DecodeJson(R"({"B":9})"), IsOk());  // merges
  out.clear();
  ASSERT_THAT(body.EncodeJson(&out), IsOk());
  EXPECT_EQ(out, R"({"A":7,"B":9})");
  EXPECT_THAT(body.DecodeJson(R"({"C":1})"),
              StatusIs(absl::StatusCode::kInvalidArgument));
}

TEST(DynamicBodyTest, DropAndCountSkipsUnknownKeysAndCountsThem) {
  std::shared_ptr<const Mapping> mapping =
      ArithMapping(netrpc::config::v1::DROP_AND_COUNT);
  ASSERT_NE(mapping, nullptr);
  DynamicBody body(mapping, TypeOf(*mapping, "demo.v1.Args"),
                   &mapping->options());
  ASSERT_THAT(body.DecodeJson(R"({"A":1,"C":2})"), IsOk());
  EXPECT_EQ(mapping->dropped(), 1u);
}

// A value decoded from gob (its types the decoder's) still encodes to JSON,
// and decodes JSON as its own type when the body has none.
TEST(DynamicBodyTest, GobDecodedValuesEncodeAsJson) {
  gob::Encoder encoder;
  std::string stream;
  ASSERT_THAT(encoder.Encode(Args{3, 0}, &stream), IsOk());
  gob::Decoder decoder;
  decoder.Append(stream);
  DynamicBody body;
  ASSERT_THAT(body.DecodeGob(decoder), IsOk());
  std::string out;
  ASSERT_THAT(body.EncodeJson(&out), IsOk());
  EXPECT_EQ(out, R"({"A":3,"B":0})");
  ASSERT_THAT(body.DecodeJson(R"({"B":4})"), IsOk());
  EXPECT_EQ(body.value().Field("B")->int_value(), 4);
}

// JsonArith serves Arith.Multiply and Arith.Divide with DynamicBody
// arguments and replies of the mapping's types, over jsonrpc on loopback.
class JsonArithTest : public ::testing::Test {
 protected:
  void SetUp() override {
    mapping_ = ArithMapping();
    ASSERT_NE(mapping_, nullptr);
    const gob::Type* args = TypeOf(*mapping_, "demo.v1.Args");
    const gob::Type* product = TypeOf(*mapping_, "demo.v1.Product");
    const gob::Type* quotient = TypeOf(*mapping_, "demo.v1.Quotient");
    netrpc::ServiceDesc service("Arith");
    std::shared_ptr<const void> keep = mapping_;
    const ConvertOptions* options = &mapping_->options();
    auto body = [keep, options](const gob::Type* t) {
      return [keep, options, t]() -> std::unique_ptr<netrpc::Body> {
        return std::make_unique<DynamicBody>(keep, t, options);
      };
    };
    netrpc::MethodDesc multiply;
    multiply.name = "Multiply";
    multiply.arg_type = "*Args";
    multiply.reply_type = "*int";
    multiply.new_arg = body(args);
    multiply.new_reply = body(product);
    multiply.call = [](netrpc::Body& arg, netrpc::Body& reply,
                       netrpc::MethodDesc::Done done) {
      const gob::Value* in = arg.As<gob::Value>();
      *reply.As<gob::Value>() = gob::Value::Int(in->Field("A")->int_value() *
                                                in->Field("B")->int_value());
      done(absl::OkStatus());
    };
    service.AddMethod(std::move(multiply));
    netrpc::MethodDesc divide;
    divide.name = "Divide";
    divide.arg_type = "*Args";
    divide.reply_type = "*Quotient";
    divide.new_arg = body(args);
    divide.new_reply = body(quotient);
    divide.call = [quotient](netrpc::Body& arg, netrpc::Body& reply,
                             netrpc::MethodDesc::Done done) {
      const gob::Value* in = arg.As<gob::Value>();
      int64_t a = in->Field("A")->int_value();
      int64_t b = in->Field("B")->int_value();
      if (b == 0) {
        done(absl::UnknownError("divide by zero"));
        return;
      }
      gob::Value q = gob::Value::Zero(quotient);
      (void)q.SetField("Quo", gob::Value::Int(a / b));
      if (a % b != 0) (void)q.SetField("Rem", gob::Value::Int(a % b));
      *reply.As<gob::Value>() = std::move(q);
      done(absl::OkStatus());
    };
    service.AddMethod(std::move(divide));
    ASSERT_THAT(server_.RegisterName("Arith", service), IsOk());

    auto listener = netrpc::Listen("tcp", "127.0.0.1:0");
    ASSERT_THAT(listener.status(), IsOk());
    listener_ = *std::move(listener);
    accept_ =
        std::thread([this] { netrpc::jsonrpc::Accept(server_, *listener_); });
    auto client = netrpc::jsonrpc::Dial("tcp", listener_->Addr());
    ASSERT_THAT(client.status(), IsOk());
    client_ = *std::move(client);
  }

  void TearDown() override {
    if (client_) (void)client_->Close();
    if (listener_) (void)listener_->Close();
    if (accept_.joinable()) accept_.join();
  }

  std::shared_ptr<const Mapping> mapping_;
  netrpc::Server server_;
  std::unique_ptr<netrpc::Listener> listener_;
  std::thread accept_;
  std::unique_ptr<netrpc::Client> client_;
};

TEST_F(JsonArithTest, CallsCarryDynamicBodiesAsJson) {
  int64_t product = 0;
  ASSERT_THAT(client_->Call("Arith.Multiply", Args{7, 8}, &product), IsOk());
  EXPECT_EQ(product, 56);
  Quotient q;
  ASSERT_THAT(client_->Call("Arith.Divide", Args{17, 5}, &q), IsOk());
  EXPECT_EQ(q.Quo, 3);
  EXPECT_EQ(q.Rem, 2);
  absl::Status s = client_->Call("Arith.Divide", Args{1, 0}, &q);
  EXPECT_TRUE(netrpc::IsServerError(s)) << s;
  EXPECT_EQ(s.message(), "divide by zero");
}

TEST_F(JsonArithTest, UnknownKeyFailsTheCallNotTheConnection) {
  int64_t product = 0;
  absl::Status s = client_->Call("Arith.Multiply", ArgsPlus{2, 3, 4}, &product);
  EXPECT_TRUE(netrpc::IsServerError(s)) << s;
  EXPECT_EQ(s.message(),
            "bridge: JSON key \"C\" of Args names no field of the mapped "
            "type; add the field to the proto, declare its Go name (go_name "
            "option or field_names in the config), or set unknown_fields: "
            "DROP_AND_COUNT");
  ASSERT_THAT(client_->Call("Arith.Multiply", Args{2, 3}, &product), IsOk());
  EXPECT_EQ(product, 6);
}

}  // namespace
}  // namespace bridge
