// Copyright 2024 The netrpc-gateway Authors. Licensed under the Apache License 2.0.

#include "netrpc/gob/time.h"

#include <string>

#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "gtest/gtest.h"
#include "netrpc/gob/test_util.h"

namespace netrpc::gob {
namespace {

using ::netrpc::gob::testing::Hex;
using ::netrpc::gob::testing::IsOk;
using ::netrpc::gob::testing::StatusIs;
using ::netrpc::gob::testing::ToHex;

absl::Time Utc(int y, int mo, int d, int h, int mi, int s) {
  return absl::FromCivil(absl::CivilSecond(y, mo, d, h, mi, s),
                         absl::UTCTimeZone());
}

// SPEC §1.7.8 (gob_gobencoder.hex).
TEST(TimeTest, GoPlaygroundTime) {
  std::string b;
  ASSERT_THAT(AppendGoTime(Utc(2009, 11, 10, 23, 0, 0), &b), IsOk());
  EXPECT_EQ(ToHex(b), "01 00 00 00 0e c2 8b e7 70 00 00 00 00 ff ff");
  absl::StatusOr<GoTime> t = ParseGoTime(b);
  ASSERT_THAT(t.status(), IsOk());
  EXPECT_EQ(t->time, Utc(2009, 11, 10, 23, 0, 0));
  EXPECT_TRUE(t->utc);
  EXPECT_EQ(FormatRFC3339Nano(*t), "2009-11-10T23:00:00Z");
}

TEST(TimeTest, ZeroAndBeforeTheEpoch) {
  std::string b;
  ASSERT_THAT(AppendGoTime(GoZeroTime(), &b), IsOk());
  EXPECT_EQ(ToHex(b), "01 00 00 00 00 00 00 00 00 00 00 00 00 ff ff");
  EXPECT_EQ(GoZeroTime(), Utc(1, 1, 1, 0, 0, 0));
  EXPECT_EQ(FormatRFC3339Nano(GoTime{GoZeroTime()}), "0001-01-01T00:00:00Z");
  // Half a second before Go's zero time: seconds -1, nanoseconds 5e8.
  b.clear();
  ASSERT_THAT(AppendGoTime(GoZeroTime() - absl::Milliseconds(500), &b), IsOk());
  EXPECT_EQ(ToHex(b), "01 ff ff ff ff ff ff ff ff 1d cd 65 00 ff ff");
  EXPECT_EQ(ParseGoTime(b)->time, GoZeroTime() - absl::Milliseconds(500));
}

TEST(TimeTest, RoundTripsNanoseconds) {
  absl::Time t = absl::FromUnixNanos(1700000000123456789);
  std::string b;
  ASSERT_THAT(AppendGoTime(t, &b), IsOk());
  EXPECT_EQ(ParseGoTime(b)->time, t);
  EXPECT_EQ(FormatRFC3339Nano(*ParseGoTime(b)),
            "2023-11-14T22:13:20.123456789Z");
}

TEST(TimeTest, ZoneOffsets) {
  // +01:00 (60 minutes), version 1.
  std::string b = Hex("01 00 00 00 0e c2 8b e7 70 1d cd 65 00 00 3c");
  absl::StatusOr<GoTime> t = ParseGoTime(b);
  ASSERT_THAT(t.status(), IsOk());
  EXPECT_FALSE(t->utc);
  EXPECT_EQ(t->offset_seconds, 3600);
  EXPECT_EQ(FormatRFC3339Nano(*t), "2009-11-11T00:00:00.5+01:00");
  // -00:30:15, version 2 (minutes -30, seconds -15).
  b = Hex("02 00 00 00 0e c2 8b e7 70 00 00 00 00 ff e2 f1");
  t = ParseGoTime(b);
  ASSERT_THAT(t.status(), IsOk());
  EXPECT_EQ(t->offset_seconds, -1815);
  EXPECT_EQ(FormatRFC3339Nano(*t), "2009-11-10T22:29:45-00:30");
}

TEST(TimeTest, Errors) {
  EXPECT_THAT(ParseGoTime("").status(),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "Time.UnmarshalBinary: no data"));
  EXPECT_THAT(ParseGoTime(Hex("03 00")).status(),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "Time.UnmarshalBinary: unsupported version"));
  EXPECT_THAT(ParseGoTime(Hex("01 00")).status(),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "Time.UnmarshalBinary: invalid length"));
  std::string b;
  EXPECT_FALSE(AppendGoTime(absl::InfiniteFuture(), &b).ok());
  EXPECT_EQ(b, "");
}

}  // namespace
}  // namespace netrpc::gob
