#include "bridge/convert/names.h"

#include "bridge/convert/testdata/mapping.pb.h"
#include "google/protobuf/descriptor.pb.h"
#include "google/protobuf/duration.pb.h"
#include "google/protobuf/timestamp.pb.h"
#include "gtest/gtest.h"

namespace bridge {
namespace {

using ::google::protobuf::Descriptor;

TEST(GoCamelCaseTest, MatchesProtocGenGo) {
  // Expected values are protoc-gen-go's CamelCase outputs.
  EXPECT_EQ(GoCamelCase("user_id"), "UserId");
  EXPECT_EQ(GoCamelCase("display_name"), "DisplayName");
  EXPECT_EQ(GoCamelCase("a"), "A");
  EXPECT_EQ(GoCamelCase("_foo"), "XFoo");
  EXPECT_EQ(GoCamelCase("x_1"), "X_1");
  EXPECT_EQ(GoCamelCase("value2go"), "Value2Go");
  EXPECT_EQ(GoCamelCase("HTTPServer"), "HTTPServer");
  EXPECT_EQ(GoCamelCase("foo__bar"), "Foo_Bar");
  EXPECT_EQ(GoCamelCase(""), "");
}

TEST(GoNamesTest, FieldOptionWinsOverCamelCase) {
  const Descriptor* user = testdata::User::descriptor();
  GoNames names;
  EXPECT_EQ(names.Field(user->FindFieldByName("user_id")), "UserID");
  EXPECT_EQ(names.Field(user->FindFieldByName("display_name")), "DisplayName");
  EXPECT_EQ(names.Message(user), "User");
}

TEST(GoNamesTest, ConfigWinsOverFieldOption) {
  netrpc::config::v1::Bridge config;
  auto* f = config.add_field_names();
  f->set_message("bridge.testdata.User");
  f->set_field("user_id");
  f->set_go_name("Uid");
  auto* g = config.add_field_names();
  g->set_message("bridge.testdata.User");
  g->set_field("display_name");
  g->set_go_name("Name");
  GoNames names(config);
  const Descriptor* user = testdata::User::descriptor();
  EXPECT_EQ(names.Field(user->FindFieldByName("user_id")), "Uid");
  EXPECT_EQ(names.Field(user->FindFieldByName("display_name")), "Name");
  EXPECT_EQ(names.Field(user->FindFieldByName("avatar")), "Avatar");
}

TEST(GoNamesTest, UnwrapFromOptionOrConfig) {
  GoNames plain;
  EXPECT_TRUE(plain.Unwrapped(testdata::Product::descriptor()));
  EXPECT_FALSE(plain.Unwrapped(testdata::Inner::descriptor()));

  netrpc::config::v1::Bridge config;
  config.add_unwrap_messages("bridge.testdata.Node");
  // Node has two fields, so it cannot stand for a single value.
  EXPECT_FALSE(GoNames(config).Unwrapped(testdata::Node::descriptor()));
}

// Schemas arrive at run time as FileDescriptorProtos, not compiled in; the
// options must still be read from a pool built from them.
TEST(GoNamesTest, ReadsOptionsFromRuntimePool) {
  google::protobuf::DescriptorPool pool;
  for (const auto* file :
       {google::protobuf::DescriptorProto::descriptor()->file(),
        google::protobuf::DescriptorPool::generated_pool()->FindFileByName(
            "proto/options/v1/netrpc.proto"),
        google::protobuf::Timestamp::descriptor()->file(),
        google::protobuf::Duration::descriptor()->file(),
        testdata::User::descriptor()->file()}) {
    google::protobuf::FileDescriptorProto proto;
    file->CopyTo(&proto);
    ASSERT_NE(pool.BuildFile(proto), nullptr) << file->name();
  }
  const Descriptor* user = pool.FindMessageTypeByName("bridge.testdata.User");
  ASSERT_NE(user, nullptr);
  ASSERT_NE(user, testdata::User::descriptor());
  GoNames names;
  EXPECT_EQ(names.Field(user->FindFieldByName("user_id")), "UserID");
  EXPECT_TRUE(
      names.Unwrapped(pool.FindMessageTypeByName("bridge.testdata.Product")));
}

}  // namespace
}  // namespace bridge
