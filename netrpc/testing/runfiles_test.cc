#include "netrpc/testing/runfiles.h"

#include <fstream>
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

#include "netrpc/testing/status_matchers.h"

namespace {

using ::netrpc::testing::IsOk;
using ::netrpc::testing::Runfile;
using ::netrpc::testing::StatusIs;
using ::testing::HasSubstr;

TEST(RunfilesTest, FindsADataDependency) {
  absl::StatusOr<std::string> path =
      Runfile("netrpc/testing/testdata/hello.txt");
  ASSERT_THAT(path, IsOk());
  std::ifstream file(*path);
  std::string line;
  std::getline(file, line);
  EXPECT_EQ(line, "runfile for runfiles_test");
}

TEST(RunfilesTest, MissingFileNamesThePlacesTried) {
  EXPECT_THAT(
      Runfile("netrpc/testing/testdata/absent.txt"),
      StatusIs(absl::StatusCode::kNotFound,
               ::testing::AllOf(HasSubstr("absent.txt"), HasSubstr("looked in"),
                                HasSubstr("`data`"))));
}

}  // namespace
