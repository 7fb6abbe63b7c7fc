#include "netrpc/testing/status_matchers.h"

#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace {

using ::netrpc::testing::IsOk;
using ::netrpc::testing::IsOkAndHolds;
using ::netrpc::testing::StatusIs;
using ::testing::HasSubstr;
using ::testing::Not;

// Explain returns what matcher says about value when it is checked.
template <typename M, typename T>
std::string Explain(const M& matcher, const T& value) {
  ::testing::StringMatchResultListener listener;
  ::testing::ExplainMatchResult(matcher, value, &listener);
  return listener.str();
}

TEST(StatusMatchersTest, IsOk) {
  EXPECT_THAT(absl::OkStatus(), IsOk());
  EXPECT_THAT(absl::StatusOr<int>(1), IsOk());
  EXPECT_THAT(absl::InternalError("boom"), Not(IsOk()));
  EXPECT_THAT(absl::StatusOr<int>(absl::InternalError("boom")), Not(IsOk()));
}

TEST(StatusMatchersTest, IsOkAndHolds) {
  EXPECT_THAT(absl::StatusOr<int>(42), IsOkAndHolds(42));
  EXPECT_THAT(absl::StatusOr<std::string>("gob"),
              IsOkAndHolds(HasSubstr("go")));
  EXPECT_THAT(absl::StatusOr<int>(41), Not(IsOkAndHolds(42)));
  EXPECT_THAT(absl::StatusOr<int>(absl::NotFoundError("x")),
              Not(IsOkAndHolds(42)));
}

TEST(StatusMatchersTest, StatusIsChecksCodeAndMessage) {
  absl::Status status = absl::DataLossError("gob: unexpected EOF");
  EXPECT_THAT(status, StatusIs(absl::StatusCode::kDataLoss));
  EXPECT_THAT(status,
              StatusIs(absl::StatusCode::kDataLoss, "gob: unexpected EOF"));
  EXPECT_THAT(status, StatusIs(absl::StatusCode::kDataLoss, HasSubstr("EOF")));
  EXPECT_THAT(status, Not(StatusIs(absl::StatusCode::kInvalidArgument)));
  EXPECT_THAT(status,
              Not(StatusIs(absl::StatusCode::kDataLoss, HasSubstr("bad"))));
  EXPECT_THAT(absl::StatusOr<int>(status),
              StatusIs(absl::StatusCode::kDataLoss, HasSubstr("gob:")));
  EXPECT_THAT(absl::StatusOr<int>(3), StatusIs(absl::StatusCode::kOk));
}

TEST(StatusMatchersTest, FailureMessagesShowTheStatus) {
  absl::Status status = absl::DataLossError("gob: unexpected EOF");
  EXPECT_THAT(Explain(IsOk(), status),
              HasSubstr("DATA_LOSS: gob: unexpected EOF"));
  EXPECT_EQ(::testing::DescribeMatcher<absl::Status>(
                StatusIs(absl::StatusCode::kNotFound, "x")),
            "has code NOT_FOUND and a message that is equal to \"x\"");
}

}  // namespace
