// Go encodes, our codec decodes into its dynamic model and encodes again
// (`gob recode`), and Go decodes the result into the original Go types and
// compares it field by field with what it encoded. This proves our decoder
// reads and our encoder writes every gob kind the way encoding/gob does.

#include <fstream>
#include <optional>
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

#include "netrpc/testing/status_matchers.h"
#include "tests/interop/gob_peers.h"

namespace tests {
namespace {

using ::netrpc::testing::IsOk;

class GobRecodeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<GoGobPeer> go = GoGobPeer::Find();
    ASSERT_THAT(go, IsOk());
    go_.emplace(*std::move(go));
    absl::StatusOr<GobTool> tool = GobTool::Find();
    ASSERT_THAT(tool, IsOk());
    tool_.emplace(*std::move(tool));
  }

  std::optional<GoGobPeer> go_;
  std::optional<GobTool> tool_;
};

TEST_F(GobRecodeTest, WholeStream) {
  absl::StatusOr<std::string> stream = go_->Encode("");
  ASSERT_THAT(stream, IsOk());
  absl::StatusOr<std::string> recoded = tool_->Recode(*stream);
  ASSERT_THAT(recoded, IsOk());
  EXPECT_THAT(go_->Verify("", *recoded), IsOk());
}

TEST_F(GobRecodeTest, OurOutputRecodesToTheSameValues) {
  // Our decoder must also read everything our encoder writes.
  absl::StatusOr<std::string> stream = go_->Encode("");
  ASSERT_THAT(stream, IsOk());
  absl::StatusOr<std::string> once = tool_->Recode(*stream);
  ASSERT_THAT(once, IsOk());
  absl::StatusOr<std::string> twice = tool_->Recode(*once);
  ASSERT_THAT(twice, IsOk());
  EXPECT_THAT(go_->Verify("", *twice), IsOk());
}

TEST_F(GobRecodeTest, ReadsAFileArgument) {
  absl::StatusOr<std::string> stream = go_->Encode("nested");
  ASSERT_THAT(stream, IsOk());
  const char* tmpdir = getenv("TEST_TMPDIR");
  ASSERT_NE(tmpdir, nullptr);
  std::string path = std::string(tmpdir) + "/nested.gob";
  {
    std::ofstream file(path, std::ios::binary);
    file << *stream;
    ASSERT_TRUE(file.good()) << path;
  }
  absl::StatusOr<netrpc::testing::RunResult> r =
      tool_->Run({"recode", path}, std::nullopt);
  ASSERT_THAT(r, IsOk());
  ASSERT_THAT(r->ToStatus(), IsOk());
  EXPECT_THAT(go_->Verify("nested", r->out), IsOk());
}

TEST_F(GobRecodeTest, EmptyStreamRecodesToEmptyStream) {
  EXPECT_THAT(tool_->Recode(""), netrpc::testing::IsOkAndHolds(""));
}

class GobRecodeCaseTest : public GobRecodeTest,
                          public ::testing::WithParamInterface<std::string> {};

TEST_P(GobRecodeCaseTest, GoEncodeRecodeGoVerify) {
  absl::StatusOr<std::string> stream = go_->Encode(GetParam());
  ASSERT_THAT(stream, IsOk());
  absl::StatusOr<std::string> recoded = tool_->Recode(*stream);
  ASSERT_THAT(recoded, IsOk());
  EXPECT_THAT(go_->Verify(GetParam(), *recoded), IsOk());
}

INSTANTIATE_TEST_SUITE_P(Corpus, GobRecodeCaseTest,
                         ::testing::ValuesIn(GobCases()),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace tests
