// Copyright 2024 The netrpc-gateway Authors. Licensed under the Apache License 2.0.

#include "netrpc/gob/wire.h"

#include <cmath>
#include <cstdint>
#include <limits>
#include <string>

#include "gtest/gtest.h"
#include "netrpc/gob/test_util.h"

namespace netrpc::gob {
namespace {

using ::netrpc::gob::testing::Hex;
using ::netrpc::gob::testing::StatusIs;
using ::netrpc::gob::testing::ToHex;

std::string Uint(uint64_t x) {
  std::string out;
  AppendUint(&out, x);
  return ToHex(out);
}

std::string Int(int64_t x) {
  std::string out;
  AppendInt(&out, x);
  return ToHex(out);
}

std::string Float(double f) {
  std::string out;
  AppendFloat(&out, f);
  return ToHex(out);
}

// SPEC §1.2 tables.
TEST(WireTest, UnsignedEncoding) {
  EXPECT_EQ(Uint(0), "00");
  EXPECT_EQ(Uint(7), "07");
  EXPECT_EQ(Uint(127), "7f");
  EXPECT_EQ(Uint(128), "ff 80");
  EXPECT_EQ(Uint(255), "ff ff");
  EXPECT_EQ(Uint(256), "fe 01 00");
  EXPECT_EQ(Uint(65535), "fe ff ff");
  EXPECT_EQ(Uint(uint64_t{1} << 32), "fb 01 00 00 00 00");
  EXPECT_EQ(Uint(std::numeric_limits<uint64_t>::max()),
            "f8 ff ff ff ff ff ff ff ff");
}

TEST(WireTest, SignedEncoding) {
  EXPECT_EQ(Int(0), "00");
  EXPECT_EQ(Int(1), "02");
  EXPECT_EQ(Int(-1), "01");
  EXPECT_EQ(Int(2), "04");
  EXPECT_EQ(Int(-2), "03");
  EXPECT_EQ(Int(63), "7e");
  EXPECT_EQ(Int(-64), "7f");
  EXPECT_EQ(Int(64), "ff 80");
  EXPECT_EQ(Int(-65), "ff 81");
  EXPECT_EQ(Int(127), "ff fe");
  EXPECT_EQ(Int(-128), "ff ff");
  EXPECT_EQ(Int(128), "fe 01 00");
  EXPECT_EQ(Int(-129), "fe 01 01");
  EXPECT_EQ(Int(std::numeric_limits<int64_t>::max()),
            "f8 ff ff ff ff ff ff ff fe");
  EXPECT_EQ(Int(std::numeric_limits<int64_t>::min()),
            "f8 ff ff ff ff ff ff ff ff");
  // Type ids.
  EXPECT_EQ(Int(65), "ff 82");
  EXPECT_EQ(Int(-65), "ff 81");
  EXPECT_EQ(Int(66), "ff 84");
  EXPECT_EQ(Int(-67), "ff 85");
}

TEST(WireTest, SignedRoundTripAtLimits) {
  for (int64_t v : {std::numeric_limits<int64_t>::min(), int64_t{-1},
                    int64_t{0}, int64_t{1},
                    std::numeric_limits<int64_t>::max()}) {
    EXPECT_EQ(IntFromUint(UintFromInt(v)), v);
  }
}

TEST(WireTest, FloatEncoding) {
  EXPECT_EQ(Float(0.0), "00");
  EXPECT_EQ(Float(1.0), "fe f0 3f");
  EXPECT_EQ(Float(17.0), "fe 31 40");
  EXPECT_EQ(Float(-2.5), "fe 04 c0");
  EXPECT_EQ(Float(0.1), "f8 9a 99 99 99 99 99 b9 3f");
  EXPECT_EQ(Float(INFINITY), "fe f0 7f");
  EXPECT_EQ(Float(-INFINITY), "fe f0 ff");
  EXPECT_EQ(Float(-0.0), "ff 80");
  EXPECT_EQ(Float(static_cast<float>(1.5)), "fe f8 3f");
  EXPECT_TRUE(std::signbit(FloatFromBits(FloatBits(-0.0))));
}

TEST(WireTest, StringEncoding) {
  std::string out;
  AppendString(&out, "hello");
  EXPECT_EQ(ToHex(out), "05 68 65 6c 6c 6f");
}

TEST(WireTest, ReadUintAcceptsNonMinimalAndRejectsLong) {
  std::string b = Hex("ff 2c");
  const uint8_t* p = reinterpret_cast<const uint8_t*>(b.data());
  uint64_t x = 0;
  EXPECT_EQ(ReadUint(&p, p + b.size(), &x), UintResult::kOk);
  EXPECT_EQ(x, 44u);

  b = Hex("80");
  p = reinterpret_cast<const uint8_t*>(b.data());
  EXPECT_EQ(ReadUint(&p, p + b.size(), &x), UintResult::kTooLong);
  p = reinterpret_cast<const uint8_t*>(b.data());
  EXPECT_THAT(UintError(p, p + b.size()),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "gob: encoded unsigned integer out of range"));

  b = Hex("fe 01");
  p = reinterpret_cast<const uint8_t*>(b.data());
  EXPECT_EQ(ReadUint(&p, p + b.size(), &x), UintResult::kShort);
  p = reinterpret_cast<const uint8_t*>(b.data());
  EXPECT_THAT(UintError(p, p + b.size()),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "gob: invalid uint data length 2: exceeds input size 1"));
  EXPECT_THAT(UintError(p, p), StatusIs(absl::StatusCode::kInvalidArgument, "EOF"));
}

TEST(WireTest, ParseFrame) {
  Frame f;
  EXPECT_EQ(ParseFrame("", &f), FrameResult::kNeedMore);
  EXPECT_EQ(f.need, 1u);
  std::string b = Hex("fe 01");
  EXPECT_EQ(ParseFrame(b, &f), FrameResult::kNeedMore);
  EXPECT_EQ(f.need, 3u);
  b = Hex("fe 01 00 aa");
  EXPECT_EQ(ParseFrame(b, &f), FrameResult::kNeedMore);
  EXPECT_EQ(f.prefix, 3u);
  EXPECT_EQ(f.length, 256u);
  EXPECT_EQ(f.need, 259u);
  b = Hex("03 04 00 06 ff");
  EXPECT_EQ(ParseFrame(b, &f), FrameResult::kComplete);
  EXPECT_EQ(f.prefix, 1u);
  EXPECT_EQ(f.length, 3u);
  b = Hex("f0 01");
  EXPECT_EQ(ParseFrame(b, &f), FrameResult::kBadUint);
}

TEST(WireTest, AppendMessage) {
  std::string out;
  AppendMessage(&out, Hex("04 00 06"));
  EXPECT_EQ(ToHex(out), "03 04 00 06");
}

TEST(WireTest, ErrorValues) {
  EXPECT_THAT(ErrEOF(), StatusIs(absl::StatusCode::kOutOfRange, "EOF"));
  EXPECT_THAT(ErrUnexpectedEOF(),
              StatusIs(absl::StatusCode::kDataLoss, "unexpected EOF"));
  EXPECT_TRUE(IsNeedMore(ErrNeedMore()));
  EXPECT_FALSE(IsNeedMore(absl::UnavailableError("gob: need more input")));
  EXPECT_TRUE(IsEOF(ErrEOF()));
  EXPECT_FALSE(IsEOF(absl::InvalidArgumentError("EOF")));
}

TEST(WireTest, IsExportedName) {
  EXPECT_TRUE(IsExportedName("X"));
  EXPECT_TRUE(IsExportedName("ServiceMethod"));
  EXPECT_FALSE(IsExportedName("x"));
  EXPECT_FALSE(IsExportedName("_X"));
  EXPECT_FALSE(IsExportedName(""));
  EXPECT_TRUE(IsExportedName("\xc3\x89t\xc3\xa9"));   // Été
  EXPECT_FALSE(IsExportedName("\xc3\xa9t\xc3\xa9"));  // été
  EXPECT_TRUE(IsExportedName("\xce\x94"));            // Δ
}

}  // namespace
}  // namespace netrpc::gob
