// The proof that netrpc2proto's output is right: the bridge serves the
// inventory estate's real Go net/rpc server (testdata/.../cmd/inventoryd)
// to gRPC clients with nothing but what the tool generated: the schema
// (inventory.proto -> protoc -> inventory.pb) and the gateway config
// fragment (inventory.textproto: schemas, bridge, routes). Nothing here is
// written by hand for the estate except the expected values, which are
// testdata/.../canonical.go's CanonicalItem as text.
//
// gRPC client (GenericClient, DynamicMessages) -> GenericServer +
// GrpcToNetRpc + NetRpcPool -> Go 1.19 net/rpc server.

#include <future>
#include <memory>
#include <string>
#include <utility>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "google/protobuf/io/zero_copy_stream_impl.h"
#include "google/protobuf/message.h"
#include "google/protobuf/text_format.h"
#include "google/protobuf/util/message_differencer.h"
#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"

#include "bridge/grpc/generic_client.h"
#include "bridge/grpc/generic_server.h"
#include "bridge/grpc_to_netrpc.h"
#include "bridge/mapping.h"
#include "bridge/netrpc_pool.h"
#include "bridge/schema/descriptor_set_source.h"
#include "bridge/schema/schema.h"
#include "netrpc/testing/readiness.h"
#include "netrpc/testing/runfiles.h"
#include "netrpc/testing/status_matchers.h"
#include "netrpc/testing/subprocess.h"
#include "proto/config/v1/bridge.pb.h"
#include "proto/config/v1/gateway.pb.h"

namespace {

using ::google::protobuf::Message;
using ::netrpc::testing::IsOk;

// CanonicalItem is canonical.go's CanonicalItem() as the generated schema
// spells it. Go always sends value structs (audit, dims, price, and
// price.list of the variant), so the reply has them even when empty; zero
// times and nil pointers are not sent.
constexpr char kCanonicalItem[] = R"pb(
  audit { created_by: "rob" revision: 3 }
  sku: "KB-101"
  name: "Keyboard ✓"
  tags: [ "input", "usb" ]
  status: STATUS_ACTIVE
  dims { width_mm: 440 height_mm: 30 depth_mm: 130 }
  price {
    list { currency: "EUR" cents: 4999 }
    sale { currency: "EUR" cents: 3999 }
    valid_until { seconds: 1893553445 nanos: 600 }
  }
  origin { street: "1 Main St" city: "Sydney" country: "AU" }
  stock { key: "SYD" value: 7 }
  stock { key: "BER" value: 0 }
  stock { key: "NYC" value: -2 }
  attrs {
    key: "color"
    value { value: [ "black", "white" ] }
  }
  attrs {
    key: "layout"
    value { value: "ISO" }
  }
  ratings { value: [ 5, 4 ] }
  ratings { value: 3 }
  variants {
    audit {}
    sku: "KB-101-DE"
    name: "Tastatur"
    dims { width_mm: 441 }
    price { list {} }
  }
  photo: "\000\001\377"
  weight: 0.75
  created { seconds: 1257894000 nanos: 123456789 }
  ttl { seconds: 129600 nanos: 1 }
)pb";

// Inventoryd is one running Go server.
struct Inventoryd {
  std::unique_ptr<netrpc::testing::Subprocess> process;
  std::string address;
};

absl::StatusOr<Inventoryd> StartInventoryd() {
  absl::StatusOr<std::string> path =
      netrpc::testing::Runfile("tests/netrpc2proto/inventoryd");
  if (!path.ok()) return path.status();
  netrpc::testing::SubprocessOptions options;
  options.argv = {*path, "-addr", "127.0.0.1:0"};
  absl::StatusOr<std::unique_ptr<netrpc::testing::Subprocess>> process =
      netrpc::testing::Subprocess::Start(std::move(options));
  if (!process.ok()) return process.status();
  absl::StatusOr<netrpc::testing::HostPort> addr =
      netrpc::testing::WaitForListenAddress(**process, "listening tcp ",
                                            absl::Seconds(30));
  if (!addr.ok()) return addr.status();
  absl::Status up =
      netrpc::testing::WaitForTcpAccept(*addr, absl::Seconds(30));
  if (!up.ok()) return up;
  return Inventoryd{*std::move(process), addr->ToString()};
}

// LoadGeneratedConfig reads the generated gateway fragment and turns it into
// the bridge config the gateway would: bridge plus one service per route.
absl::StatusOr<netrpc::config::v1::Bridge> LoadGeneratedConfig(
    const std::string& name, netrpc::config::v1::Gateway* gateway) {
  absl::StatusOr<std::string> path = netrpc::testing::Runfile(
      absl::StrCat("tests/netrpc2proto/", name, ".textproto"));
  if (!path.ok()) return path.status();
  FILE* f = fopen(path->c_str(), "r");
  if (f == nullptr) return absl::NotFoundError(*path);
  google::protobuf::io::FileInputStream in(fileno(f));
  bool parsed = google::protobuf::TextFormat::Parse(&in, gateway);
  fclose(f);
  if (!parsed) return absl::InvalidArgumentError("config does not parse");
  netrpc::config::v1::Bridge bridge = gateway->bridge();
  for (const auto& route : gateway->routes()) {
    netrpc::config::v1::Service* s = bridge.add_services();
    s->set_name(route.service());
    s->set_grpc_service(route.grpc_service());
  }
  return bridge;
}

// The generated pair under test: "inventory" (Go names and unwrap marks as
// proto options) or "inventory_annotate_config" (--annotate=config: in the
// config's bridge section).
class NetRpc2ProtoBridgeTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    absl::StatusOr<Inventoryd> go = StartInventoryd();
    ASSERT_THAT(go, IsOk());
    go_ = *std::move(go);

    absl::StatusOr<std::string> pb =
        netrpc::testing::Runfile(
            absl::StrCat("tests/netrpc2proto/", GetParam(), ".pb"));
    ASSERT_THAT(pb, IsOk());
    bridge::DescriptorSetSource source(*pb);
    absl::StatusOr<std::shared_ptr<const bridge::Schema>> schema =
        bridge::Schema::Build({&source});
    ASSERT_THAT(schema, IsOk());
    schema_ = *schema;

    absl::StatusOr<netrpc::config::v1::Bridge> config =
        LoadGeneratedConfig(GetParam(), &gateway_);
    ASSERT_THAT(config, IsOk());
    absl::StatusOr<std::shared_ptr<const bridge::Mapping>> mapping =
        bridge::Mapping::Build(*config, schema_);
    ASSERT_THAT(mapping, IsOk());

    bridge::NetRpcPoolOptions pool;
    pool.address = go_.address;
    pool_ = std::make_unique<bridge::NetRpcPool>(pool);
    handler_ = std::make_unique<bridge::GrpcToNetRpc>(*mapping, pool_.get());
    absl::StatusOr<std::unique_ptr<bridge::GenericServer>> server =
        bridge::GenericServer::Start({}, schema_, handler_.get());
    ASSERT_THAT(server, IsOk());
    server_ = *std::move(server);
    client_ = std::make_unique<bridge::GenericClient>(grpc::CreateChannel(
        absl::StrCat("127.0.0.1:", server_->port()),
        grpc::InsecureChannelCredentials()));
  }

  void TearDown() override {
    if (server_) server_->Shutdown(absl::Now() + absl::Seconds(5));
  }

  // Parse makes a message of the named type from text.
  std::unique_ptr<Message> Parse(const std::string& type,
                                 const std::string& text) {
    const google::protobuf::Descriptor* d =
        schema_->pool().FindMessageTypeByName(type);
    EXPECT_NE(d, nullptr) << type;
    if (d == nullptr) return nullptr;
    std::unique_ptr<Message> m = schema_->NewMessage(*d);
    EXPECT_TRUE(google::protobuf::TextFormat::ParseFromString(text, m.get()))
        << type << ": " << text;
    return m;
  }

  // Call calls /inventory.v1.<service>/<method> with request_text as a gRPC
  // client would.
  absl::StatusOr<std::unique_ptr<Message>> Call(
      const std::string& service, const std::string& method,
      const std::string& request_text) {
    absl::StatusOr<const google::protobuf::MethodDescriptor*> m =
        schema_->FindMethod(absl::StrCat("/inventory.v1.", service, "/", method));
    if (!m.ok()) return m.status();
    std::unique_ptr<Message> request = schema_->NewMessage(*(*m)->input_type());
    if (!google::protobuf::TextFormat::ParseFromString(request_text,
                                                       request.get())) {
      return absl::InvalidArgumentError("request does not parse");
    }
    std::promise<absl::StatusOr<std::unique_ptr<Message>>> done;
    auto result = done.get_future();
    bridge::CallOptions options;
    options.deadline = absl::Now() + absl::Seconds(20);
    client_->Call(**m, *request, schema_->NewMessage(*(*m)->output_type()),
                  options,
                  [&done](absl::StatusOr<std::unique_ptr<Message>> reply) {
                    done.set_value(std::move(reply));
                  });
    return result.get();
  }

  static ::testing::AssertionResult Equal(const Message& want,
                                          const Message& got) {
    google::protobuf::util::MessageDifferencer differencer;
    std::string report;
    differencer.ReportDifferencesToString(&report);
    if (differencer.Compare(want, got)) return ::testing::AssertionSuccess();
    return ::testing::AssertionFailure()
           << got.GetDescriptor()->full_name() << " differs (want -> got):\n"
           << report << "\ngot: " << got.DebugString();
  }

  Inventoryd go_;
  std::shared_ptr<const bridge::Schema> schema_;
  netrpc::config::v1::Gateway gateway_;
  std::unique_ptr<bridge::NetRpcPool> pool_;
  std::unique_ptr<bridge::GrpcToNetRpc> handler_;
  std::unique_ptr<bridge::GenericServer> server_;
  std::unique_ptr<bridge::GenericClient> client_;
};

TEST_P(NetRpc2ProtoBridgeTest, GeneratedConfigNamesRoutesAndSchema) {
  ASSERT_EQ(gateway_.schemas_size(), 1);
  EXPECT_EQ(gateway_.schemas(0).descriptor_set(), "inventory.pb");
  EXPECT_EQ(gateway_.bridge().package(), "inventory.v1");
  ASSERT_EQ(gateway_.routes_size(), 2);
  EXPECT_EQ(gateway_.routes(0).service(), "Catalog");
  EXPECT_EQ(gateway_.routes(1).service(), "Accounts");  // --name Users=Accounts
  EXPECT_EQ(gateway_.routes(1).upstream(), "inventoryd");
  if (GetParam() == "inventory_annotate_config") {
    EXPECT_GT(gateway_.bridge().field_names_size(), 0);
    EXPECT_GT(gateway_.bridge().unwrap_messages_size(), 0);
  } else {
    EXPECT_EQ(gateway_.bridge().field_names_size(), 0);
    EXPECT_EQ(gateway_.bridge().unwrap_messages_size(), 0);
  }
}

TEST_P(NetRpc2ProtoBridgeTest, GetReadsTheCanonicalItemFromGo) {
  // A string argument (unwrap), a reply with every kind: nested and shared
  // structs, a pointer, an embedded struct, the other package's Price, an
  // enum, maps (of wrapped slices), slices of slices, bytes, float32,
  // time.Time and time.Duration, and go_name'd fields (SKU, WidthMM, TTL).
  auto reply = Call("Catalog", "Get", R"pb(value: "KB-101")pb");
  ASSERT_THAT(reply, IsOk());
  std::unique_ptr<Message> want = Parse("inventory.v1.Item", kCanonicalItem);
  EXPECT_TRUE(Equal(*want, **reply));
}

TEST_P(NetRpc2ProtoBridgeTest, PutSendsAnItemToGoAndGetReadsItBack) {
  // proto -> gob: Go stores what arrives and bumps audit.revision.
  std::unique_ptr<Message> sent = Parse("inventory.v1.Item", kCanonicalItem);
  const auto* d = sent->GetDescriptor();
  sent->GetReflection()->SetString(sent.get(), d->FindFieldByName("sku"),
                                   "KB-202");
  std::string text;
  google::protobuf::TextFormat::PrintToString(*sent, &text);

  auto put = Call("Catalog", "Put", text);
  ASSERT_THAT(put, IsOk());
  std::unique_ptr<Message> want(sent->New());
  want->CopyFrom(*sent);
  Message* audit = want->GetReflection()->MutableMessage(
      want.get(), d->FindFieldByName("audit"));
  audit->GetReflection()->SetInt64(
      audit, audit->GetDescriptor()->FindFieldByName("revision"), 4);
  EXPECT_TRUE(Equal(*want, **put));

  auto got = Call("Catalog", "Get", R"pb(value: "KB-202")pb");
  ASSERT_THAT(got, IsOk());
  EXPECT_TRUE(Equal(*want, **got));
}

TEST_P(NetRpc2ProtoBridgeTest, CountFiltersInGoAndRepliesAnInt) {
  // Go matches on the enum and the tag it received: proof the filter
  // arrived as Go declared it. The reply is Go's *int (unwrap).
  auto all = Call("Catalog", "Count", "");
  ASSERT_THAT(all, IsOk());
  EXPECT_EQ((*all)->ShortDebugString(), "value: 1");
  auto usb = Call("Catalog", "Count", R"pb(status: STATUS_ACTIVE tag: "usb")pb");
  ASSERT_THAT(usb, IsOk());
  EXPECT_EQ((*usb)->ShortDebugString(), "value: 1");
  auto none = Call("Catalog", "Count",
                   R"pb(status: STATUS_DISCONTINUED tag: "usb")pb");
  ASSERT_THAT(none, IsOk());
  EXPECT_EQ((*none)->ShortDebugString(), "");  // 0: proto3 leaves it unset
}

TEST_P(NetRpc2ProtoBridgeTest, SearchRepliesASliceOfItems) {
  auto reply = Call("Catalog", "Search", R"pb(tag: "input")pb");
  ASSERT_THAT(reply, IsOk());
  std::unique_ptr<Message> want = Parse(
      "inventory.v1.SearchReply", absl::StrCat("value {", kCanonicalItem, "}"));
  EXPECT_TRUE(Equal(*want, **reply));
}

TEST_P(NetRpc2ProtoBridgeTest, StockTakesANamedStringAndRepliesAGoArray) {
  auto reply = Call("Catalog", "Stock", R"pb(value: "KB-101")pb");
  ASSERT_THAT(reply, IsOk());
  std::unique_ptr<Message> want = Parse("inventory.v1.StockReport", R"pb(
    sku: "KB-101"
    levels { key: "SYD" value: 7 }
    levels { key: "BER" value: 0 }
    levels { key: "NYC" value: -2 }
    total: 5
    digest: [ 0xde, 0xad, 0xbe, 0xef ]
    as_of { seconds: 1257897600 nanos: 123456789 }
  )pb");
  EXPECT_TRUE(Equal(*want, **reply));
}

TEST_P(NetRpc2ProtoBridgeTest, TouchRepliesATimeDirectly) {
  auto reply = Call("Catalog", "Touch", R"pb(value: "KB-101")pb");
  ASSERT_THAT(reply, IsOk());
  EXPECT_EQ((*reply)->GetDescriptor()->full_name(),
            "google.protobuf.Timestamp");
  EXPECT_EQ((*reply)->ShortDebugString(),
            "seconds: 1257894000 nanos: 123456789");
}

TEST_P(NetRpc2ProtoBridgeTest, GoErrorsReachTheGrpcClient) {
  auto reply = Call("Catalog", "Get", R"pb(value: "nope")pb");
  EXPECT_EQ(reply.status().code(), absl::StatusCode::kUnknown);
  EXPECT_EQ(reply.status().message(), "not found: nope");
}

TEST_P(NetRpc2ProtoBridgeTest, AccountsCreateAndFindThroughRegisterName) {
  constexpr char kUser[] = R"pb(
    email: "ken@example.com"
    roles: [ ROLE_READER, ROLE_ADMIN ]
    home { street: "2 Side St" city: "Berkeley" country: "US" }
    prefs { key: "lang" value: "de" }
    balance { currency: "USD" cents: -250 }
    last_login { seconds: 1700000000 nanos: 5 }
    sessions {
      key: -1
      value { device: "pager" }
    }
    sessions {
      key: 7
      value {
        device: "phone"
        started { seconds: 1600000000 }
      }
    }
    http_proxy: "http://proxy:3128"
    urls: [ "https://a", "https://b" ]
  )pb";
  auto created = Call("Accounts", "Create", kUser);
  ASSERT_THAT(created, IsOk());
  std::unique_ptr<Message> want = Parse(
      "inventory.v1.User", absl::StrCat("user_id: 100 ", kUser));
  EXPECT_TRUE(Equal(*want, **created));  // UserID set by Go

  auto found = Call("Accounts", "Find", R"pb(value: 100)pb");
  ASSERT_THAT(found, IsOk());
  EXPECT_TRUE(Equal(*want, **found));

  auto missing = Call("Accounts", "Find", R"pb(value: 7)pb");
  EXPECT_EQ(missing.status().message(), "not found: user 7");
}

TEST_P(NetRpc2ProtoBridgeTest, ControlWithoutTheGeneratedGoNamesGetFails) {
  // The control for the tests above: the go_name entries the tool wrote are
  // what makes them pass. Without them the bridge spells SKU "Sku" and, in
  // STRICT mode, refuses the Go reply's field it cannot place.
  if (GetParam() != "inventory_annotate_config") {
    GTEST_SKIP() << "the options variant carries its names in the schema";
  }
  netrpc::config::v1::Gateway gateway;
  absl::StatusOr<netrpc::config::v1::Bridge> config =
      LoadGeneratedConfig(GetParam(), &gateway);
  ASSERT_THAT(config, IsOk());
  config->clear_field_names();
  absl::StatusOr<std::shared_ptr<const bridge::Mapping>> mapping =
      bridge::Mapping::Build(*config, schema_);
  ASSERT_THAT(mapping, IsOk());
  bridge::GrpcToNetRpc handler(*mapping, pool_.get());
  absl::StatusOr<std::unique_ptr<bridge::GenericServer>> server =
      bridge::GenericServer::Start({}, schema_, &handler);
  ASSERT_THAT(server, IsOk());
  client_ = std::make_unique<bridge::GenericClient>(grpc::CreateChannel(
      absl::StrCat("127.0.0.1:", (*server)->port()),
      grpc::InsecureChannelCredentials()));
  auto reply = Call("Catalog", "Get", R"pb(value: "KB-101")pb");
  EXPECT_FALSE(reply.ok());
  EXPECT_NE(reply.status().message().find("SKU"), std::string::npos)
      << reply.status();
  (*server)->Shutdown(absl::Now() + absl::Seconds(5));
}

TEST_P(NetRpc2ProtoBridgeTest, UngeneratedServiceIsNotServed) {
  // Metrics was left out (--services): it is not in the schema at all.
  EXPECT_FALSE(schema_->FindMethod("/inventory.v1.Metrics/Ping").ok());
}

INSTANTIATE_TEST_SUITE_P(Annotations, NetRpc2ProtoBridgeTest,
                         ::testing::Values("inventory",
                                           "inventory_annotate_config"),
                         [](const ::testing::TestParamInfo<std::string>& i) {
                           return i.param == "inventory" ? "ProtoOptions"
                                                         : "ConfigFieldNames";
                         });

}  // namespace
