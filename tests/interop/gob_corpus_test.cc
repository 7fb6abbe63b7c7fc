// The control for every gob interop test: Go's own encoder and decoder agree
// on gobpeer's corpus, case by case and as one stream. When an interop test
// fails and this passes, the fault is on our side of the pipe.

#include <optional>
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

#include "netrpc/testing/status_matchers.h"
#include "tests/interop/gob_peers.h"

namespace tests {
namespace {

using ::netrpc::testing::IsOk;

class GoGobPeerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<GoGobPeer> go = GoGobPeer::Find();
    ASSERT_THAT(go, IsOk());
    go_.emplace(*std::move(go));
  }

  std::optional<GoGobPeer> go_;
};

TEST_F(GoGobPeerTest, ListMatchesGobCases) {
  EXPECT_THAT(go_->List(), netrpc::testing::IsOkAndHolds(GobCases()));
}

TEST_F(GoGobPeerTest, GoReadsItsOwnWholeStream) {
  absl::StatusOr<std::string> stream = go_->Encode("");
  ASSERT_THAT(stream, IsOk());
  EXPECT_THAT(go_->Verify("", *stream), IsOk());
}

TEST_F(GoGobPeerTest, VerifyRejectsAStreamWithTheWrongValues) {
  absl::StatusOr<std::string> stream = go_->Encode("int_fields_max");
  ASSERT_THAT(stream, IsOk());
  EXPECT_THAT(go_->Verify("int_fields_min", *stream),
              netrpc::testing::StatusIs(
                  absl::StatusCode::kUnknown,
                  ::testing::HasSubstr("value.I: got 9223372036854775807, "
                                       "want -9223372036854775808")));
}

TEST_F(GoGobPeerTest, VerifyRejectsMissingAndExtraValues) {
  // The whole stream starts with the "point" case, then goes on.
  absl::StatusOr<std::string> stream = go_->Encode("");
  ASSERT_THAT(stream, IsOk());
  ASSERT_EQ(GobCases().front(), "point");
  EXPECT_THAT(go_->Verify("point", *stream),
              netrpc::testing::StatusIs(
                  absl::StatusCode::kUnknown,
                  ::testing::HasSubstr("more than the 3 values expected")));
  EXPECT_THAT(go_->Verify("point", std::string()),
              netrpc::testing::StatusIs(
                  absl::StatusCode::kUnknown,
                  ::testing::HasSubstr("stream ended after 0 values")));
}

class GoCorpusCaseTest : public GoGobPeerTest,
                         public ::testing::WithParamInterface<std::string> {};

TEST_P(GoCorpusCaseTest, GoReadsItsOwnStream) {
  absl::StatusOr<std::string> stream = go_->Encode(GetParam());
  ASSERT_THAT(stream, IsOk());
  EXPECT_THAT(go_->Verify(GetParam(), *stream), IsOk());
}

INSTANTIATE_TEST_SUITE_P(Corpus, GoCorpusCaseTest,
                         ::testing::ValuesIn(GobCases()),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace tests
