#include "bridge/schema/descriptor_set_source.h"

#include <cstdlib>
#include <fstream>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "gmock/gmock.h"
#include "google/protobuf/descriptor.pb.h"
#include "gtest/gtest.h"

#include "netrpc/testing/runfiles.h"
#include "netrpc/testing/status_matchers.h"

namespace bridge {
namespace {

using google::protobuf::FileDescriptorProto;
using ::netrpc::testing::IsOk;
using ::netrpc::testing::StatusIs;
using ::testing::AllOf;
using ::testing::Contains;
using ::testing::HasSubstr;
using ::testing::Property;

std::string TempFile(const std::string& name, const std::string& contents) {
  std::string path = std::string(std::getenv("TEST_TMPDIR")) + "/" + name;
  std::ofstream(path, std::ios::binary) << contents;
  return path;
}

TEST(DescriptorSetSourceTest, LoadsProtocOutput) {
  absl::StatusOr<std::string> path =
      netrpc::testing::Runfile("proto/demo/v1/arith_proto.pb");
  ASSERT_THAT(path, IsOk());
  DescriptorSetSource source(*path);
  EXPECT_EQ(source.Describe(), "descriptor set " + *path);

  absl::StatusOr<std::vector<FileDescriptorProto>> files = source.Load();
  ASSERT_THAT(files, IsOk());
  EXPECT_THAT(*files, Contains(Property(&FileDescriptorProto::name,
                                        "proto/demo/v1/arith.proto")));
  EXPECT_THAT(MissingImports(*files), ::testing::IsEmpty());
}

TEST(DescriptorSetSourceTest, MissingFileIsNotFound) {
  DescriptorSetSource source(std::string(std::getenv("TEST_TMPDIR")) +
                             "/no/such.pb");
  EXPECT_THAT(source.Load(),
              StatusIs(absl::StatusCode::kNotFound,
                       AllOf(HasSubstr("bridge: descriptor set "),
                             HasSubstr("no/such.pb: cannot open"))));
}

TEST(DescriptorSetSourceTest, DirectoryIsAnError) {
  DescriptorSetSource source(std::getenv("TEST_TMPDIR"));
  absl::StatusOr<std::vector<FileDescriptorProto>> files = source.Load();
  ASSERT_FALSE(files.ok());
  EXPECT_THAT(files.status().message(), HasSubstr("bridge: descriptor set "));
}

TEST(DescriptorSetSourceTest, CorruptFileIsInvalidArgument) {
  DescriptorSetSource source(TempFile("corrupt.pb", "\xff\xff\xff\xff junk"));
  EXPECT_THAT(source.Load(),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       AllOf(HasSubstr("is not a FileDescriptorSet"),
                             HasSubstr("--descriptor_set_out"))));
}

TEST(DescriptorSetSourceTest, EmptyFileHoldsNoFiles) {
  DescriptorSetSource source(TempFile("empty.pb", ""));
  EXPECT_THAT(source.Load(), StatusIs(absl::StatusCode::kInvalidArgument,
                                      HasSubstr("holds no files")));
}

TEST(DescriptorSetSourceTest, SetWithoutImportsNamesTheMissingFile) {
  google::protobuf::FileDescriptorSet set;
  FileDescriptorProto* file = set.add_file();
  file->set_name("event.proto");
  file->add_dependency("google/protobuf/timestamp.proto");
  DescriptorSetSource source(
      TempFile("no_imports.pb", set.SerializeAsString()));
  EXPECT_THAT(
      source.Load(),
      StatusIs(absl::StatusCode::kInvalidArgument,
               AllOf(HasSubstr("event.proto imports "
                               "google/protobuf/timestamp.proto, which the set "
                               "does not contain"),
                     HasSubstr("--include_imports"))));
}

}  // namespace
}  // namespace bridge
