#include "gateway/config/duration.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

#include "netrpc/testing/status_matchers.h"

namespace gateway::config {
namespace {

using ::netrpc::testing::IsOkAndHolds;
using ::netrpc::testing::StatusIs;
using ::testing::HasSubstr;

TEST(ParseGoDuration, GoForms) {
  EXPECT_THAT(ParseGoDuration("1.5s"), IsOkAndHolds(absl::Milliseconds(1500)));
  EXPECT_THAT(ParseGoDuration("300ms"), IsOkAndHolds(absl::Milliseconds(300)));
  EXPECT_THAT(ParseGoDuration("2m"), IsOkAndHolds(absl::Minutes(2)));
  EXPECT_THAT(ParseGoDuration("1m30s"), IsOkAndHolds(absl::Seconds(90)));
  EXPECT_THAT(ParseGoDuration("1h"), IsOkAndHolds(absl::Hours(1)));
  EXPECT_THAT(ParseGoDuration("10us"), IsOkAndHolds(absl::Microseconds(10)));
  EXPECT_THAT(ParseGoDuration("7ns"), IsOkAndHolds(absl::Nanoseconds(7)));
  EXPECT_THAT(ParseGoDuration("0"), IsOkAndHolds(absl::ZeroDuration()));
  EXPECT_THAT(ParseGoDuration("-1s"), IsOkAndHolds(absl::Seconds(-1)));
}

TEST(ParseGoDuration, Rejects) {
  for (const char* bad :
       {"", "2", "2 seconds", "1.5", "s", "inf", "1d", "9999999999h"}) {
    EXPECT_THAT(ParseGoDuration(bad),
                StatusIs(absl::StatusCode::kInvalidArgument))
        << bad;
  }
  EXPECT_THAT(ParseGoDuration("2 seconds"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "\"2 seconds\" is not a duration (write e.g. \"2s\" "
                       "or \"1.5s\")"));
  EXPECT_THAT(
      ParseGoDuration("9999999999h"),
      StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("too long")));
}

TEST(DurationProto, RoundTrip) {
  absl::StatusOr<google::protobuf::Duration> d = ParseDurationProto("1m30.5s");
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d->seconds(), 90);
  EXPECT_EQ(d->nanos(), 500000000);
  EXPECT_EQ(FormatDurationProto(*d), "1m30.5s");
  EXPECT_EQ(ToAbsl(*d), absl::Milliseconds(90500));
  google::protobuf::Duration neg = FromAbsl(absl::Milliseconds(-1500));
  EXPECT_EQ(neg.seconds(), -1);
  EXPECT_EQ(neg.nanos(), -500000000);
}

}  // namespace
}  // namespace gateway::config
