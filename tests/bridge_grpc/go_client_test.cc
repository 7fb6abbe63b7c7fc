// A stock Go gRPC client (Debian's grpc-go, go/goclient) against the
// bridge's GenericServer: it must discover demo.v1.Arith through Go's
// grpc.reflection.v1alpha client, see it healthy through Go's health client,
// and call it with messages of its own. The Go side prints a transcript; this
// test owns the expectations, and checks Go's error texts against
// bridge::GoStatusText on the way.

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

#include "bridge/grpc/generic_server.h"
#include "bridge/grpc/status.h"
#include "bridge/schema/descriptor_set_source.h"
#include "bridge/schema/schema.h"
#include "netrpc/testing/runfiles.h"
#include "netrpc/testing/status_matchers.h"
#include "netrpc/testing/subprocess.h"

namespace tests {
namespace {

using google::protobuf::Message;
using ::netrpc::testing::IsOk;

int64_t Get(const Message& message, const std::string& field) {
  return message.GetReflection()->GetInt64(
      message, message.GetDescriptor()->FindFieldByName(field));
}

void Set(Message& message, const std::string& field, int64_t value) {
  message.GetReflection()->SetInt64(
      &message, message.GetDescriptor()->FindFieldByName(field), value);
}

// Arith serves demo.v1.Arith with DynamicMessages.
class Arith final : public bridge::UnaryHandler {
  void Handle(const bridge::ServerCall& call, Done done) override {
    std::unique_ptr<Message> request =
        call.schema->NewMessage(*call.method->input_type());
    if (!request->ParseFromString(std::string(call.request))) {
      done(absl::InvalidArgumentError("not a demo.v1 request"));
      return;
    }
    const int64_t a = Get(*request, "a");
    const int64_t b = Get(*request, "b");
    std::unique_ptr<Message> reply =
        call.schema->NewMessage(*call.method->output_type());
    if (call.method->name() == "Multiply") {
      Set(*reply, "value", a * b);
    } else if (b == 0) {
      done(absl::InvalidArgumentError("divide by zero"));
      return;
    } else {
      Set(*reply, "quo", a / b);
      Set(*reply, "rem", a % b);
    }
    done(reply->SerializeAsString());
  }
};

TEST(GoClientTest, DiscoversChecksAndCallsBridgedService) {
  absl::StatusOr<std::string> descriptors =
      netrpc::testing::Runfile("proto/demo/v1/arith_proto.pb");
  ASSERT_THAT(descriptors, IsOk());
  absl::StatusOr<std::string> client =
      netrpc::testing::Runfile("tests/bridge_grpc/go/goclient");
  ASSERT_THAT(client, IsOk());

  bridge::DescriptorSetSource source(*descriptors);
  bridge::SchemaSource* sources[] = {&source};
  absl::StatusOr<std::shared_ptr<const bridge::Schema>> schema =
      bridge::Schema::Build(sources);
  ASSERT_THAT(schema, IsOk());
  Arith arith;
  absl::StatusOr<std::unique_ptr<bridge::GenericServer>> server =
      bridge::GenericServer::Start({}, *schema, &arith);
  ASSERT_THAT(server, IsOk());
  (*server)->health()->SetServingStatus("demo.v1.Arith",
                                        bridge::HealthService::kServing);

  netrpc::testing::SubprocessOptions options;
  options.argv = {*client, absl::StrCat("127.0.0.1:", (*server)->port())};
  absl::StatusOr<netrpc::testing::RunResult> run =
      netrpc::testing::RunCommand(options, absl::Seconds(60));
  ASSERT_THAT(run, IsOk());
  ASSERT_THAT(run->ToStatus(), IsOk()) << run->err;

  const std::vector<std::string> want = {
      R"(health "": SERVING)",
      R"(health "demo.v1.Arith": SERVING)",
      R"(health "nope": )" + bridge::GoStatusText(absl::NotFoundError(
                                 R"(bridge: health: unknown service "nope")")),
      R"(watch "demo.v1.Arith": SERVING)",
      "services: demo.v1.Arith grpc.health.v1.Health "
      "grpc.reflection.v1.ServerReflection "
      "grpc.reflection.v1alpha.ServerReflection",
      "file: proto/demo/v1/arith.proto",
      "method demo.v1.Arith.Multiply: .demo.v1.Args -> .demo.v1.Product",
      "method demo.v1.Arith.Divide: .demo.v1.Args -> .demo.v1.Quotient",
      "symbol demo.v1.Nope: error 5",
      "Multiply(6, 7): 42",
      "Divide(17, 5): 3 2",
      "Divide(1, 0): " +
          bridge::GoStatusText(absl::InvalidArgumentError("divide by zero")),
      "Add(1, 1): " +
          bridge::GoStatusText(absl::UnimplementedError(
              "bridge: cannot serve /demo.v1.Arith/Add: service demo.v1.Arith "
              "has no method Add (it has: Multiply, Divide)")),
  };
  std::vector<std::string> got =
      absl::StrSplit(run->out, '\n', absl::SkipEmpty());
  EXPECT_THAT(got, ::testing::ElementsAreArray(want)) << run->err;

  (*server)->Shutdown(absl::Now() + absl::Seconds(5));
}

}  // namespace
}  // namespace tests
