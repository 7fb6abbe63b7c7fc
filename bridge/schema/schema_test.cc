#include "bridge/schema/schema.h"

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "gmock/gmock.h"
#include "google/protobuf/text_format.h"
#include "gtest/gtest.h"

#include "bridge/schema/descriptor_set_source.h"
#include "netrpc/testing/runfiles.h"
#include "netrpc/testing/status_matchers.h"
#include "proto/demo/v1/arith.pb.h"

namespace bridge {
namespace {

using google::protobuf::FileDescriptorProto;
using google::protobuf::Message;
using ::netrpc::testing::IsOk;
using ::netrpc::testing::StatusIs;
using ::testing::AllOf;
using ::testing::HasSubstr;

// FakeSource returns fixed files, or a fixed error.
class FakeSource final : public SchemaSource {
 public:
  FakeSource(std::string name, std::vector<FileDescriptorProto> files)
      : name_(std::move(name)), files_(std::move(files)) {}
  FakeSource(std::string name, absl::Status error)
      : name_(std::move(name)), error_(std::move(error)) {}

  std::string Describe() const override { return name_; }
  absl::StatusOr<std::vector<FileDescriptorProto>> Load() override {
    if (!error_.ok()) return error_;
    return files_;
  }

 private:
  std::string name_;
  std::vector<FileDescriptorProto> files_;
  absl::Status error_;
};

FileDescriptorProto ArithFile() {
  FileDescriptorProto file;
  demo::v1::Args::descriptor()->file()->CopyTo(&file);
  return file;
}

FileDescriptorProto Parse(const std::string& text) {
  FileDescriptorProto file;
  EXPECT_TRUE(google::protobuf::TextFormat::ParseFromString(text, &file))
      << text;
  return file;
}

std::shared_ptr<const Schema> ArithSchema() {
  absl::StatusOr<std::shared_ptr<const Schema>> schema =
      Schema::FromFiles({ArithFile()}, "test files");
  EXPECT_THAT(schema, IsOk());
  return schema.ok() ? *schema : nullptr;
}

TEST(SchemaTest, BuildsFromDescriptorSet) {
  absl::StatusOr<std::string> path =
      netrpc::testing::Runfile("proto/demo/v1/arith_proto.pb");
  ASSERT_THAT(path, IsOk());
  DescriptorSetSource source(*path);
  SchemaSource* sources[] = {&source};
  absl::StatusOr<std::shared_ptr<const Schema>> schema = Schema::Build(sources);
  ASSERT_THAT(schema, IsOk());

  absl::StatusOr<const google::protobuf::MethodDescriptor*> method =
      (*schema)->FindMethod("/demo.v1.Arith/Multiply");
  ASSERT_THAT(method, IsOk());
  EXPECT_EQ((*method)->input_type()->full_name(), "demo.v1.Args");
  EXPECT_EQ((*method)->output_type()->full_name(), "demo.v1.Product");
  EXPECT_EQ(MethodPath(**method), "/demo.v1.Arith/Multiply");
  ASSERT_EQ((*schema)->services().size(), 1u);
  EXPECT_EQ((*schema)->services()[0]->full_name(), "demo.v1.Arith");
}

TEST(SchemaTest, FindsMethodByServiceAndName) {
  std::shared_ptr<const Schema> schema = ArithSchema();
  absl::StatusOr<const google::protobuf::MethodDescriptor*> method =
      schema->FindMethod("demo.v1.Arith", "Divide");
  ASSERT_THAT(method, IsOk());
  EXPECT_EQ((*method)->output_type()->full_name(), "demo.v1.Quotient");
}

TEST(SchemaTest, RejectsMalformedPaths) {
  std::shared_ptr<const Schema> schema = ArithSchema();
  for (const char* path :
       {"demo.v1.Arith/Multiply", "/demo.v1.Arith", "//Multiply",
        "/demo.v1.Arith/", "/demo.v1.Arith/Multiply/x", ""}) {
    EXPECT_THAT(schema->FindMethod(path),
                StatusIs(absl::StatusCode::kInvalidArgument,
                         HasSubstr("want /package.Service/Method")))
        << path;
  }
}

TEST(SchemaTest, UnknownNamesListWhatExists) {
  std::shared_ptr<const Schema> schema = ArithSchema();
  EXPECT_THAT(
      schema->FindMethod("/demo.v1.Calc/Multiply"),
      StatusIs(absl::StatusCode::kNotFound,
               "bridge: the schema has no service demo.v1.Calc (it has: "
               "demo.v1.Arith)"));
  EXPECT_THAT(schema->FindMethod("/demo.v1.Arith/Add"),
              StatusIs(absl::StatusCode::kNotFound,
                       "bridge: service demo.v1.Arith has no method Add (it "
                       "has: Multiply, Divide)"));
}

TEST(SchemaTest, DynamicMessagesSpeakTheGeneratedWireFormat) {
  std::shared_ptr<const Schema> schema = ArithSchema();
  const google::protobuf::MethodDescriptor* method =
      *schema->FindMethod("/demo.v1.Arith/Divide");
  std::unique_ptr<Message> args = schema->NewMessage(*method->input_type());
  const auto* reflection = args->GetReflection();
  reflection->SetInt64(args.get(), method->input_type()->FindFieldByName("a"),
                       -17);
  reflection->SetInt64(args.get(), method->input_type()->FindFieldByName("b"),
                       5);

  demo::v1::Args generated;
  ASSERT_TRUE(generated.ParseFromString(args->SerializeAsString()));
  EXPECT_EQ(generated.a(), -17);
  EXPECT_EQ(generated.b(), 5);
}

TEST(SchemaTest, SameFileFromTwoSourcesIsMerged) {
  FileDescriptorProto with_comments = ArithFile();
  with_comments.mutable_source_code_info()
      ->add_location()
      ->set_leading_comments("x");
  // protoc writes json_name; C++ reflection servers do not.
  with_comments.mutable_message_type(0)->mutable_field(0)->set_json_name("a");
  FakeSource a("source a", {ArithFile()});
  FakeSource b("source b", {with_comments});
  SchemaSource* sources[] = {&a, &b};
  absl::StatusOr<std::shared_ptr<const Schema>> schema = Schema::Build(sources);
  ASSERT_THAT(schema, IsOk());
  EXPECT_EQ((*schema)->services().size(), 1u);
}

TEST(SchemaTest, DifferentVersionsOfAFileAreAnError) {
  FileDescriptorProto changed = ArithFile();
  changed.mutable_message_type(0)->mutable_field(0)->set_number(9);
  FakeSource a("source a", {ArithFile()});
  FakeSource b("source b", {changed});
  SchemaSource* sources[] = {&a, &b};
  EXPECT_THAT(Schema::Build(sources),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("proto/demo/v1/arith.proto comes from both "
                                 "source a and source b, with different "
                                 "contents")));
}

TEST(SchemaTest, MissingImportNamesFileAndSource) {
  FakeSource source("source a", {Parse(R"pb(
                      name: "event.proto"
                      dependency: "google/protobuf/timestamp.proto"
                    )pb")});
  SchemaSource* sources[] = {&source};
  EXPECT_THAT(
      Schema::Build(sources),
      StatusIs(absl::StatusCode::kInvalidArgument,
               "bridge: schema: event.proto (from source a) imports "
               "google/protobuf/timestamp.proto, which no schema "
               "source provides; add a source that has it (a "
               "descriptor set written with protoc --include_imports)"));
}

TEST(SchemaTest, ImportsMayComeFromAnotherSource) {
  FakeSource events(
      "events", {Parse(R"pb(
        name: "event.proto"
        package: "ev"
        dependency: "common.proto"
        message_type {
          name: "Event"
          field { name: "id" number: 1 type: TYPE_MESSAGE type_name: ".ev.Id" }
        }
      )pb")});
  FakeSource common("common", {Parse(R"pb(
                      name: "common.proto"
                      package: "ev"
                      message_type { name: "Id" }
                    )pb")});
  SchemaSource* sources[] = {&events, &common};
  absl::StatusOr<std::shared_ptr<const Schema>> schema = Schema::Build(sources);
  ASSERT_THAT(schema, IsOk());
  EXPECT_NE((*schema)->pool().FindMessageTypeByName("ev.Event"), nullptr);
}

TEST(SchemaTest, ImportCycleIsAnError) {
  FakeSource source("cyclic",
                    {Parse(R"pb(name: "a.proto" dependency: "b.proto")pb"),
                     Parse(R"pb(name: "b.proto" dependency: "a.proto")pb")});
  SchemaSource* sources[] = {&source};
  EXPECT_THAT(Schema::Build(sources),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("import cycle: a.proto -> b.proto -> "
                                 "a.proto")));
}

TEST(SchemaTest, LinkErrorsNameTheFile) {
  FakeSource source("dupes", {Parse(R"pb(name: "one.proto"
                                         message_type { name: "Same" })pb"),
                              Parse(R"pb(name: "two.proto"
                                         message_type { name: "Same" })pb")});
  SchemaSource* sources[] = {&source};
  EXPECT_THAT(Schema::Build(sources),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       AllOf(HasSubstr("two.proto (from dupes) does not link"),
                             HasSubstr("Same"))));
}

TEST(SchemaTest, SourceErrorsPassThrough) {
  FakeSource source("broken", absl::UnavailableError("bridge: broken: down"));
  SchemaSource* sources[] = {&source};
  EXPECT_THAT(Schema::Build(sources),
              StatusIs(absl::StatusCode::kUnavailable, "bridge: broken: down"));
}

TEST(SchemaTest, NoFilesIsAnError) {
  EXPECT_THAT(Schema::Build({}), StatusIs(absl::StatusCode::kInvalidArgument,
                                          HasSubstr("no files")));
}

TEST(CurrentSchemaTest, SwapKeepsOldSnapshotsAlive) {
  CurrentSchema current(ArithSchema());
  std::shared_ptr<const Schema> old = current.Get();
  const google::protobuf::MethodDescriptor* method =
      *old->FindMethod("/demo.v1.Arith/Multiply");
  std::unique_ptr<Message> args = old->NewMessage(*method->input_type());

  absl::StatusOr<std::shared_ptr<const Schema>> next =
      Schema::FromFiles({Parse(R"pb(name: "calc.proto"
                                    package: "calc"
                                    message_type { name: "M" }
                                    service {
                                      name: "Calc"
                                      method {
                                        name: "Id"
                                        input_type: ".calc.M"
                                        output_type: ".calc.M"
                                      }
                                    })pb")},
                        "reload");
  ASSERT_THAT(next, IsOk());
  current.Set(*next);

  EXPECT_THAT(current.Get()->FindMethod("/calc.Calc/Id"), IsOk());
  EXPECT_THAT(current.Get()->FindMethod("/demo.v1.Arith/Multiply"),
              StatusIs(absl::StatusCode::kNotFound));
  // The old snapshot and its messages still work.
  args->GetReflection()->SetInt64(
      args.get(), method->input_type()->FindFieldByName("a"), 3);
  EXPECT_EQ(args->ByteSizeLong(), 2u);
}

}  // namespace
}  // namespace bridge
