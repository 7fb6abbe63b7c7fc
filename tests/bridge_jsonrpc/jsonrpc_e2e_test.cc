// The bridge's JSON ends across processes, against Go 1.19's own
// net/rpc/jsonrpc and encoding/json:
//
// Direction 1: a legacy Go jsonrpc client (go/jsonclient.go) -> the bridge
// (netrpc::Server served with the jsonrpc codec, NetRpcServices over a
// GenericClient, bodies made JSON-capable with DynamicBody's typed
// constructor, schema from a descriptor set) -> a C++ gRPC server of
// shop.v1.Shop. The Go client checks what comes back; this test checks that
// it ran every check and that the gRPC server received exactly the
// canonical message (the JSON -> protobuf half on its own).
//
// Direction 2: protobuf values, converted as the bridge converts them and
// carried in DynamicBody over netrpc's jsonrpc client, reach a Go jsonrpc
// server (go/jsonserver.go), which checks the canonical order field by field
// as Go declares it; what the Go server writes is decoded back into the
// canonical message (the JSON from Go -> protobuf half on its own).

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "google/protobuf/text_format.h"
#include "google/protobuf/util/message_differencer.h"
#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"

#include "bridge/convert/gob_to_proto.h"
#include "bridge/convert/proto_to_gob.h"
#include "bridge/dynamic_body.h"
#include "bridge/grpc/generic_client.h"
#include "bridge/mapping.h"
#include "bridge/netrpc_to_grpc.h"
#include "bridge/schema/descriptor_set_source.h"
#include "bridge/schema/schema.h"
#include "netrpc/client.h"
#include "netrpc/errors.h"
#include "netrpc/jsonrpc/client_codec.h"
#include "netrpc/jsonrpc/server_codec.h"
#include "netrpc/listener.h"
#include "netrpc/server.h"
#include "netrpc/testing/readiness.h"
#include "netrpc/testing/runfiles.h"
#include "netrpc/testing/status_matchers.h"
#include "netrpc/testing/subprocess.h"
#include "tests/bridge_jsonrpc/shop.grpc.pb.h"

namespace tests {
namespace {

using ::netrpc::testing::IsOk;
using ::shop::v1::Order;

constexpr int64_t kCanonicalOrderId = 42;

// CanonicalOrder is go/shop.go's canonicalOrder() as a message.
Order CanonicalOrder() {
  Order o;
  o.set_order_id(kCanonicalOrderId);
  o.set_customer("Zoë <z@example.com> & co");
  shop::v1::Item* a = o.add_items();
  a->set_sku("a-1");
  a->set_qty(3);
  a->mutable_price()->set_cents(1999);
  a->mutable_price()->set_currency("EUR");
  a->add_tags("x");
  a->add_tags("");
  o.add_items()->set_sku("b");
  (*o.mutable_notes())["gift"] = 1;
  (*o.mutable_notes())["zero"] = 0;
  (*o.mutable_notes())["neg"] = -(int64_t{1} << 40);
  (*o.mutable_by_line())[-1].set_sku("neg");
  (*o.mutable_by_line())[7].set_sku("seven");
  (*o.mutable_by_line())[7].set_qty(7);
  o.set_signature(std::string("\x00\x01\xff", 3));
  o.mutable_placed()->set_seconds(absl::ToUnixSeconds(absl::FromCivil(
      absl::CivilSecond(2023, 3, 1, 11, 0, 0), absl::UTCTimeZone())));
  o.mutable_placed()->set_nanos(5);
  o.mutable_ttl()->set_seconds(36 * 3600);
  o.mutable_ttl()->set_nanos(1);
  o.set_paid(true);
  o.set_total(M_PI);
  o.set_discount(0.1f);
  o.set_big(std::numeric_limits<uint64_t>::max());
  o.set_small(std::numeric_limits<int32_t>::min());
  Order* parent = o.mutable_parent();
  parent->set_order_id(7);
  parent->set_customer("parent");
  parent->mutable_ttl()->set_nanos(-1);
  return o;
}

::testing::AssertionResult ProtoEq(const google::protobuf::Message& want,
                                   const google::protobuf::Message& got) {
  google::protobuf::util::MessageDifferencer differencer;
  std::string report;
  differencer.ReportDifferencesToString(&report);
  if (differencer.Compare(want, got)) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << "differs (want -> got):\n" << report;
}

absl::StatusOr<std::shared_ptr<const bridge::Mapping>> ShopMapping() {
  absl::StatusOr<std::string> file =
      netrpc::testing::Runfile("tests/bridge_jsonrpc/shop_proto.pb");
  if (!file.ok()) return file.status();
  bridge::DescriptorSetSource source(*file);
  absl::StatusOr<std::shared_ptr<const bridge::Schema>> schema =
      bridge::Schema::Build({&source});
  if (!schema.ok()) return schema.status();
  netrpc::config::v1::Bridge config;
  if (!google::protobuf::TextFormat::ParseFromString(
          R"pb(
            package: "shop.v1"
            services { name: "Shop" }
          )pb",
          &config)) {
    return absl::InternalError("config does not parse");
  }
  return bridge::Mapping::Build(config, *schema);
}

// ShopBackend is the new C++ gRPC service; it keeps every canonical order
// it receives.
class ShopBackend final : public shop::v1::Shop::Service {
 public:
  std::vector<Order> canonical_orders() {
    absl::MutexLock lock(&mu_);
    return canonical_;
  }

 private:
  grpc::Status Echo(grpc::ServerContext*, const Order* order,
                    Order* reply) override {
    if (order->order_id() == kCanonicalOrderId) {
      absl::MutexLock lock(&mu_);
      canonical_.push_back(*order);
    }
    *reply = *order;
    return grpc::Status::OK;
  }
  grpc::Status Lines(grpc::ServerContext*, const Order* order,
                     shop::v1::Count* reply) override {
    reply->set_value(order->items_size());
    return grpc::Status::OK;
  }
  grpc::Status Fail(grpc::ServerContext*, const shop::v1::FailRequest* r,
                    Order*) override {
    return grpc::Status(static_cast<grpc::StatusCode>(r->code()), r->message());
  }

  absl::Mutex mu_;
  std::vector<Order> canonical_ ABSL_GUARDED_BY(mu_);
};

const std::vector<std::string>& ClientChecks() {
  static const auto* checks = new std::vector<std::string>{
      "echo canonical order",
      "echo zero order",
      "lines is a non-struct reply",
      "UNKNOWN arrives as its message alone",
      "NOT_FOUND arrives as Go gRPC's text",
      "int32 out of range",
      "unknown key refused",
      "keys match ignoring case",
      "wrong JSON type names the field",
      "unknown method",
      "connection still good after errors",
  };
  return *checks;
}

::testing::AssertionResult ChecksPassed(absl::string_view transcript,
                                        const std::vector<std::string>& want) {
  std::vector<std::string> passed;
  std::vector<std::string> failed;
  for (absl::string_view line : absl::StrSplit(transcript, '\n')) {
    if (absl::ConsumePrefix(&line, "PASS ")) passed.emplace_back(line);
    if (absl::StartsWith(line, "FAIL ")) failed.emplace_back(line);
  }
  for (const std::string& name : want) {
    if (std::find(passed.begin(), passed.end(), name) == passed.end()) {
      failed.push_back(absl::StrCat("not passed: ", name));
    }
  }
  if (failed.empty()) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure()
         << absl::StrJoin(failed, "\n") << "\ntranscript:\n"
         << transcript;
}

// Direction 1: Go's jsonrpc client -> the bridge -> C++ gRPC.
class GoJsonClientTest : public ::testing::Test {
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

    absl::StatusOr<std::shared_ptr<const bridge::Mapping>> mapping =
        ShopMapping();
    ASSERT_THAT(mapping.status(), IsOk());
    for (const netrpc::ServiceDesc& s :
         bridge::NetRpcServices(*mapping, upstream_.get())) {
      ASSERT_THAT(server_.RegisterName(s.type_name(), s), IsOk());
    }
    auto listener = netrpc::Listen("tcp", "127.0.0.1:0");
    ASSERT_THAT(listener.status(), IsOk());
    listener_ = *std::move(listener);
    accept_ =
        std::thread([this] { netrpc::jsonrpc::Accept(server_, *listener_); });
  }

  void TearDown() override {
    if (listener_) (void)listener_->Close();
    if (accept_.joinable()) accept_.join();
    if (grpc_server_) grpc_server_->Shutdown();
  }

  ShopBackend backend_;
  std::unique_ptr<grpc::Server> grpc_server_;
  std::unique_ptr<bridge::GenericClient> upstream_;
  netrpc::Server server_;
  std::unique_ptr<netrpc::Listener> listener_;
  std::thread accept_;
};

TEST_F(GoJsonClientTest, GoJsonrpcClientReachesGrpc) {
  absl::StatusOr<std::string> client =
      netrpc::testing::Runfile("tests/bridge_jsonrpc/jsonclient");
  ASSERT_THAT(client.status(), IsOk());
  netrpc::testing::SubprocessOptions options;
  options.argv = {*client, "-addr", listener_->Addr()};
  absl::StatusOr<netrpc::testing::RunResult> run =
      netrpc::testing::RunCommand(std::move(options), absl::Seconds(60));
  ASSERT_THAT(run.status(), IsOk());
  EXPECT_THAT(run->ToStatus(), IsOk()) << run->out;
  EXPECT_TRUE(ChecksPassed(run->out, ClientChecks()));

  // What Go's encoding/json wrote arrived as exactly the canonical message.
  std::vector<Order> received = backend_.canonical_orders();
  ASSERT_EQ(received.size(), 1u);
  EXPECT_TRUE(ProtoEq(CanonicalOrder(), received[0]));
}

// Direction 2: protobuf values, as the bridge converts them, reach Go's
// jsonrpc server in DynamicBody.
class GoJsonServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<std::shared_ptr<const bridge::Mapping>> mapping =
        ShopMapping();
    ASSERT_THAT(mapping.status(), IsOk());
    mapping_ = *mapping;
    absl::StatusOr<std::string> path =
        netrpc::testing::Runfile("tests/bridge_jsonrpc/jsonserver");
    ASSERT_THAT(path.status(), IsOk());
    netrpc::testing::SubprocessOptions options;
    options.argv = {*path, "-addr", "127.0.0.1:0"};
    absl::StatusOr<std::unique_ptr<netrpc::testing::Subprocess>> process =
        netrpc::testing::Subprocess::Start(std::move(options));
    ASSERT_THAT(process.status(), IsOk());
    server_ = *std::move(process);
    absl::StatusOr<netrpc::testing::HostPort> addr =
        netrpc::testing::WaitForListenAddress(*server_, "listening tcp ",
                                              absl::Seconds(30));
    ASSERT_THAT(addr.status(), IsOk());
    absl::StatusOr<std::unique_ptr<netrpc::Client>> client =
        netrpc::jsonrpc::Dial("tcp", addr->ToString());
    ASSERT_THAT(client.status(), IsOk());
    client_ = *std::move(client);
  }

  void TearDown() override {
    if (client_) (void)client_->Close();
  }

  std::unique_ptr<bridge::DynamicBody> Body(absl::string_view message) {
    const google::protobuf::Descriptor* d =
        mapping_->schema().pool().FindMessageTypeByName(std::string(message));
    EXPECT_NE(d, nullptr) << message;
    absl::StatusOr<const netrpc::gob::Type*> t = mapping_->types().For(d);
    EXPECT_THAT(t.status(), IsOk());
    return std::make_unique<bridge::DynamicBody>(
        mapping_, t.ok() ? *t : nullptr, &mapping_->options());
  }

  // Call calls the Go server's `method` with `request` converted as the
  // bridge converts it, and converts the reply into `*reply`.
  absl::Status Call(absl::string_view method,
                    const google::protobuf::Message& request,
                    google::protobuf::Message* reply) {
    absl::StatusOr<netrpc::gob::Value> args =
        bridge::ProtoToGob(request, mapping_->types(), mapping_->options());
    if (!args.ok()) return args.status();
    std::unique_ptr<bridge::DynamicBody> arg_body =
        Body(request.GetDescriptor()->full_name());
    arg_body->value() = *std::move(args);
    std::shared_ptr<netrpc::Call> call = client_->GoBody(
        method, std::move(arg_body), Body(reply->GetDescriptor()->full_name()),
        nullptr, netrpc::CallOptions{absl::Seconds(30)});
    absl::Status s = call->Wait();
    if (!s.ok()) return s;
    const netrpc::gob::Value* v = call->reply().As<netrpc::gob::Value>();
    return bridge::GobToProto(*v, reply, mapping_->types(),
                              mapping_->options());
  }

  std::shared_ptr<const bridge::Mapping> mapping_;
  std::unique_ptr<netrpc::testing::Subprocess> server_;
  std::unique_ptr<netrpc::Client> client_;
};

TEST_F(GoJsonServerTest, CanonicalOrderArrivesAsGoDeclaresIt) {
  Order reply;
  // The Go server fails the call if the order differs from its own.
  ASSERT_THAT(Call("Shop.Echo", CanonicalOrder(), &reply), IsOk());
  EXPECT_TRUE(ProtoEq(CanonicalOrder(), reply));
}

TEST_F(GoJsonServerTest, WhatGoWritesDecodesToTheCanonicalOrder) {
  Order reply;
  ASSERT_THAT(Call("Shop.Canonical", Order(), &reply), IsOk());
  EXPECT_TRUE(ProtoEq(CanonicalOrder(), reply));
}

TEST_F(GoJsonServerTest, ZeroOrderAndNonStructReply) {
  Order reply;
  ASSERT_THAT(Call("Shop.Echo", Order(), &reply), IsOk());
  EXPECT_TRUE(ProtoEq(Order(), reply));
  shop::v1::Count lines;
  ASSERT_THAT(Call("Shop.Lines", CanonicalOrder(), &lines), IsOk());
  EXPECT_EQ(lines.value(), 2);
}

TEST_F(GoJsonServerTest, GoErrorsArriveAsTheirText) {
  shop::v1::FailRequest fail;
  fail.set_message("out of stock");
  Order reply;
  absl::Status s = Call("Shop.Fail", fail, &reply);
  EXPECT_TRUE(netrpc::IsServerError(s)) << s;
  EXPECT_EQ(s.message(), "out of stock");
  // Still usable afterwards.
  ASSERT_THAT(Call("Shop.Echo", CanonicalOrder(), &reply), IsOk());
}

}  // namespace
}  // namespace tests
