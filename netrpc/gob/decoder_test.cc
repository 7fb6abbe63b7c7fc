// Copyright 2024 The netrpc-gateway Authors. Licensed under the Apache License 2.0.
//
// Decoder behaviour against Go's: every probe of shared/wire/vectors/
// gobchecks.go (SPEC §6 "gob decoder") with Go's verdict and exact text, then
// the incremental (need-more) protocol, stream recovery and the limits.

#include "netrpc/gob/decoder.h"

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "netrpc/gob/encoder.h"
#include "netrpc/gob/test_util.h"

namespace netrpc::gob::decoder_test {

struct Point {
  int64_t X = 0;
  int64_t Y = 0;
};
NETRPC_GOB_STRUCT_NAMED(Point, "main.Point", X, Y);

struct YX {
  int64_t Y = 0;
  int64_t X = 0;
};
NETRPC_GOB_STRUCT_NAMED(YX, "main.YX", Y, X);

struct XZ {
  int64_t X = 0;
  std::string Z;
};
NETRPC_GOB_STRUCT_NAMED(XZ, "main.XZ", X, Z);

struct OnlyZ {
  int64_t Z = 0;
};
NETRPC_GOB_STRUCT_NAMED(OnlyZ, "main.OnlyZ", Z);

struct XU {
  uint64_t X = 0;
  uint64_t Y = 0;
};
NETRPC_GOB_STRUCT_NAMED(XU, "main.XU", X, Y);

struct X8 {
  int8_t X = 0;
  int8_t Y = 0;
};
NETRPC_GOB_STRUCT_NAMED(X8, "main.X8", X, Y);

struct Holder {
  Interface V;
};
NETRPC_GOB_STRUCT_NAMED(Holder, "main.Holder", V);

namespace {

using ::netrpc::gob::testing::Hex;
using ::netrpc::gob::testing::IsOk;
using ::netrpc::gob::testing::StatusIs;
using ::testing::Not;

constexpr absl::StatusCode kInvalid = absl::StatusCode::kInvalidArgument;

// Message frames a body (like gobchecks.go's msg).
std::string Msg(absl::string_view body_hex) {
  std::string body = Hex(body_hex);
  std::string out;
  AppendMessage(&out, body);
  return out;
}

const char kPointDefBody[] =
    "ff 81 03 01 01 05 50 6f 69 6e 74 01 ff 82 00 01 02 01 01 58 01 04 00 01 "
    "01 59 01 04 00 00 00";
const char kHolderDef[] =
    "1a ff 81 03 01 01 06 48 6f 6c 64 65 72 01 ff 82 00 01 01 01 01 56 01 10 "
    "00 00 00";
const char kPointDef66[] =
    "1f ff 83 03 01 01 05 50 6f 69 6e 74 01 ff 84 00 01 02 01 01 58 01 04 00 "
    "01 01 59 01 04 00 00 00";
const char kGoIface[] =
    "2d ff 82 01 0a 6d 61 69 6e 2e 50 6f 69 6e 74 ff 83 03 01 01 05 50 6f 69 "
    "6e 74 01 ff 84 00 01 02 01 01 58 01 04 00 01 01 59 01 04 00 00 00 09 ff "
    "84 05 01 02 01 04 00 00";

std::string PointStream() {
  return Msg(kPointDefBody) + Msg("ff 82 01 2c 01 42 00");
}

template <typename T>
absl::Status DecodeInto(const std::string& stream, T* out) {
  Decoder dec = Decoder::FromBytes(stream);
  return dec.Decode(out);
}

class GoChecksTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_THAT(Register<Point>(), IsOk()); }
};

TEST_F(GoChecksTest, Baseline) {
  Point p;
  ASSERT_THAT(DecodeInto(PointStream(), &p), IsOk());
  EXPECT_EQ(p.X, 22);
  EXPECT_EQ(p.Y, 33);
}

TEST_F(GoChecksTest, MissingStructTerminatorAtEndOfMessage) {
  Point p;
  ASSERT_THAT(DecodeInto(Msg(kPointDefBody) + Msg("ff 82 01 2c 01 42"), &p),
              IsOk());
  EXPECT_EQ(p.Y, 33);
}

TEST_F(GoChecksTest, TrailingBytesAfterValueIgnored) {
  Point p;
  ASSERT_THAT(
      DecodeInto(Msg(kPointDefBody) + Msg("ff 82 01 2c 01 42 00 99 99"), &p),
      IsOk());
  EXPECT_EQ(p.X, 22);
}

TEST_F(GoChecksTest, ZeroLengthMessage) {
  int64_t v = 0;
  EXPECT_THAT(DecodeInto(Hex("00"), &v), StatusIs(kInvalid, "EOF"));
}

TEST_F(GoChecksTest, NonMinimalUint) {
  Point p;
  ASSERT_THAT(
      DecodeInto(Msg(kPointDefBody) + Msg("ff 82 01 ff 2c 01 42 00"), &p),
      IsOk());
  EXPECT_EQ(p.X, 22);
}

TEST_F(GoChecksTest, FieldsMatchedByName) {
  YX v;
  ASSERT_THAT(DecodeInto(PointStream(), &v), IsOk());
  EXPECT_EQ(v.Y, 33);
  EXPECT_EQ(v.X, 22);
}

TEST_F(GoChecksTest, UnknownRemoteFieldSkippedLocalFieldKept) {
  XZ v;
  v.Z = "keep";
  ASSERT_THAT(DecodeInto(PointStream(), &v), IsOk());
  EXPECT_EQ(v.X, 22);
  EXPECT_EQ(v.Z, "keep");
}

TEST_F(GoChecksTest, NoCommonFieldNames) {
  OnlyZ v;
  EXPECT_THAT(DecodeInto(PointStream(), &v),
              StatusIs(kInvalid,
                       "gob: type mismatch: no fields matched compiling "
                       "decoder for OnlyZ"));
}

TEST_F(GoChecksTest, SignedRemoteIntoUnsignedLocal) {
  XU v;
  EXPECT_THAT(DecodeInto(PointStream(), &v),
              StatusIs(kInvalid,
                       "gob: wrong type (uint) for received field Point.X"));
}

TEST_F(GoChecksTest, Int8Fits) {
  X8 v;
  ASSERT_THAT(DecodeInto(PointStream(), &v), IsOk());
  EXPECT_EQ(v.X, 22);
}

TEST_F(GoChecksTest, Int8Overflow) {
  X8 v;
  EXPECT_THAT(DecodeInto(Msg(kPointDefBody) + Msg("ff 82 01 fe 02 58 00"), &v),
              StatusIs(kInvalid, "value for \"X\" out of range"));
}

TEST_F(GoChecksTest, MergeKeepsOmittedFields) {
  Point p{1, 99};
  ASSERT_THAT(DecodeInto(Msg(kPointDefBody) + Msg("ff 82 01 2c 00"), &p),
              IsOk());
  EXPECT_EQ(p.X, 22);
  EXPECT_EQ(p.Y, 99);
}

TEST_F(GoChecksTest, StructStreamIntoLocalInt) {
  int64_t v;
  EXPECT_THAT(DecodeInto(PointStream(), &v),
              StatusIs(kInvalid,
                       "gob: decoding into local type *int, received remote "
                       "type Point"));
}

TEST_F(GoChecksTest, IntSingletonIntoLocalStruct) {
  Point p;
  EXPECT_THAT(DecodeInto(Hex("03 04 00 06"), &p),
              StatusIs(kInvalid,
                       "gob: type mismatch in decoder: want struct type "
                       "main.Point; got non-struct"));
}

TEST_F(GoChecksTest, NonZeroDeltaForSingleton) {
  int64_t v;
  EXPECT_THAT(
      DecodeInto(Hex("03 04 01 06"), &v),
      StatusIs(kInvalid,
               "gob: decode: corrupted data: non-zero delta for singleton"));
}

TEST_F(GoChecksTest, IntSingletonIntoUint) {
  uint64_t v;
  EXPECT_THAT(DecodeInto(Hex("03 04 00 06"), &v),
              StatusIs(kInvalid,
                       "gob: decoding into local type *uint, received remote "
                       "type int"));
}

TEST_F(GoChecksTest, UintPrefixTooLong) {
  int64_t v;
  EXPECT_THAT(DecodeInto(Hex("03 04 00 80"), &v),
              StatusIs(kInvalid, "gob: encoded unsigned integer out of range"));
}

TEST_F(GoChecksTest, TypeIdBelowFirstUserId) {
  int64_t v;
  EXPECT_THAT(DecodeInto(Msg("7d 03 01 01 01 41 01 7e 00 00 00") +
                             Hex("03 04 00 06"),
                         &v),
              StatusIs(kInvalid, "gob: duplicate type received"));
}

TEST_F(GoChecksTest, TypeId64Accepted) {
  int64_t v = 0;
  ASSERT_THAT(DecodeInto(Msg("ff 7f 03 01 01 01 41 01 ff 80 00 00 00") +
                             Hex("03 04 00 06"),
                         &v),
              IsOk());
  EXPECT_EQ(v, 3);
}

TEST_F(GoChecksTest, SameTypeIdTwice) {
  Point p;
  EXPECT_THAT(
      DecodeInto(Msg(kPointDefBody) + Msg(kPointDefBody) + Msg("ff 82 00"), &p),
      StatusIs(kInvalid, "gob: duplicate type received"));
}

TEST_F(GoChecksTest, UndefinedTypeIdIntoStruct) {
  Point p;
  EXPECT_THAT(DecodeInto(Msg("ff 8c 01 2c 00"), &p),
              StatusIs(kInvalid, "gob: unknown type id or corrupted data"));
}

TEST_F(GoChecksTest, UndefinedTypeIdIntoInt) {
  int64_t v;
  EXPECT_THAT(DecodeInto(Msg("ff 8c 00 2c"), &v),
              StatusIs(kInvalid,
                       "gob: decoding into local type *int, received remote "
                       "type unknown type"));
}

TEST_F(GoChecksTest, ExtraBytesAfterDefinition) {
  Point p;
  EXPECT_THAT(
      DecodeInto(Msg(absl::StrCat(kPointDefBody, " 00")) + Msg("ff 82 00"), &p),
      StatusIs(kInvalid, "extra data in buffer"));
}

TEST_F(GoChecksTest, EmptyStream) {
  int64_t v;
  EXPECT_THAT(DecodeInto("", &v),
              StatusIs(absl::StatusCode::kOutOfRange, "EOF"));
}

TEST_F(GoChecksTest, EofAfterDefinition) {
  Point p;
  EXPECT_THAT(DecodeInto(Msg(kPointDefBody), &p),
              StatusIs(absl::StatusCode::kDataLoss, "unexpected EOF"));
}

TEST_F(GoChecksTest, TruncatedMessage) {
  Point p;
  EXPECT_THAT(DecodeInto(Hex("07 ff 82 01 2c"), &p),
              StatusIs(absl::StatusCode::kDataLoss, "unexpected EOF"));
}

TEST_F(GoChecksTest, MessageLengthTooBig) {
  int64_t v;
  EXPECT_THAT(DecodeInto(Hex("fa 08 00 00 00 00 00"), &v),
              StatusIs(kInvalid, "invalid message length"));
}

TEST_F(GoChecksTest, DiscardPoint) {
  Decoder dec = Decoder::FromBytes(PointStream());
  EXPECT_THAT(dec.Skip(), IsOk());
  EXPECT_THAT(dec.Skip(), StatusIs(absl::StatusCode::kOutOfRange, "EOF"));
}

TEST_F(GoChecksTest, InterfaceGoLayout) {
  Holder h;
  ASSERT_THAT(DecodeInto(Hex(kHolderDef) + Hex(kGoIface), &h), IsOk());
  ASSERT_NE(h.V.Get<Point>(), nullptr);
  EXPECT_EQ(h.V.Get<Point>()->X, 1);
  EXPECT_EQ(h.V.Get<Point>()->Y, 2);
}

TEST_F(GoChecksTest, InterfaceAllDefinitionsUpFront) {
  Holder h;
  std::string s =
      Hex(kHolderDef) + Hex(kPointDef66) +
      Msg("ff 82 01 0a 6d 61 69 6e 2e 50 6f 69 6e 74 ff 84 05 01 02 01 04 00 00");
  ASSERT_THAT(DecodeInto(s, &h), IsOk());
  EXPECT_EQ(h.V.Get<Point>()->Y, 2);
}

TEST_F(GoChecksTest, InterfaceNameNotRegistered) {
  Holder h;
  EXPECT_THAT(
      DecodeInto(Hex(kHolderDef) + Msg("ff 82 01 03 66 6f 6f 04 02 00 0e 00"),
                 &h),
      StatusIs(kInvalid, "gob: name not registered for interface: \"foo\""));
}

TEST_F(GoChecksTest, InterfaceBuiltinInt) {
  Holder h;
  ASSERT_THAT(
      DecodeInto(Hex(kHolderDef) + Msg("ff 82 01 03 69 6e 74 04 02 00 0e 00"),
                 &h),
      IsOk());
  EXPECT_EQ(*h.V.Get<int64_t>(), 7);
}

TEST_F(GoChecksTest, InterfaceOmittedFieldUnchanged) {
  Holder h{Interface::Of(int64_t{5})};
  ASSERT_THAT(DecodeInto(Hex(kHolderDef) + Msg("ff 82 00"), &h), IsOk());
  EXPECT_EQ(*h.V.Get<int64_t>(), 5);
}

TEST_F(GoChecksTest, InterfaceExplicitEmptyNameIsNil) {
  Holder h{Interface::Of(int64_t{5})};
  ASSERT_THAT(DecodeInto(Hex(kHolderDef) + Msg("ff 82 01 00 00"), &h), IsOk());
  EXPECT_TRUE(h.V.is_nil());
}

TEST_F(GoChecksTest, DiscardInterfaceWithMidMessageDefinition) {
  Decoder dec = Decoder::FromBytes(Hex(kHolderDef) + Hex(kGoIface));
  EXPECT_THAT(dec.Skip(), IsOk());
  EXPECT_THAT(dec.Skip(), StatusIs(absl::StatusCode::kOutOfRange, "EOF"));
}

TEST_F(GoChecksTest, LocalInterfaceFromRemoteConcrete) {
  Interface v;
  EXPECT_THAT(DecodeInto(Hex("03 04 00 06"), &v),
              StatusIs(kInvalid,
                       "gob: local interface type *interface {} can only be "
                       "decoded from remote interface type; received "
                       "concrete type int"));
}

TEST_F(GoChecksTest, FieldNumbersOutOfBounds) {
  Point p;
  EXPECT_THAT(DecodeInto(Msg(kPointDefBody) + Msg("ff 82 05 2c 00"), &p),
              StatusIs(kInvalid, "gob: bad data: field numbers out of bounds"));
}

// Go's embedded-struct promotion has no C++ counterpart: a remote X does not
// fill a nested member's X (SPEC §1.7.6 is a documented deviation).
TEST_F(GoChecksTest, NoPromotedFields) {
  struct Emb {
    XZ base;
    int64_t Y = 0;
  };
  Decoder dec = Decoder::FromBytes(PointStream());
  YX v;
  ASSERT_THAT(dec.Decode(&v), IsOk());
}

// ---------------------------------------------------------------------------
// Incremental input.

std::string TwoPoints() {
  std::string out;
  Encoder enc;
  EXPECT_THAT(enc.Encode(Point{1, 2}, &out), IsOk());
  EXPECT_THAT(enc.Encode(Point{3, 4}, &out), IsOk());
  return out;
}

TEST(DecoderIncrementalTest, NeedMoreConsumesNothingAndRetrySucceeds) {
  const std::string stream = TwoPoints();
  for (size_t split = 0; split <= stream.size(); ++split) {
    Decoder dec;
    dec.Append(stream.substr(0, split));
    std::vector<Point> got;
    Point p;
    absl::Status s;
    while ((s = dec.Decode(&p)).ok()) got.push_back(p);
    ASSERT_TRUE(IsNeedMore(s)) << s;
    dec.Append(stream.substr(split));
    dec.CloseInput();
    while ((s = dec.Decode(&p)).ok()) got.push_back(p);
    EXPECT_THAT(s, StatusIs(absl::StatusCode::kOutOfRange, "EOF"));
    ASSERT_EQ(got.size(), 2u) << "split " << split;
    EXPECT_EQ(got[1].X, 3);
    EXPECT_EQ(dec.definitions().size(), 1u);
  }
}

TEST(DecoderIncrementalTest, ReadyWaitsForTheMissingBytes) {
  const std::string stream = TwoPoints();  // 32-byte definition, 8, 8
  Decoder dec;
  EXPECT_FALSE(dec.Ready());
  dec.Append(stream.substr(0, 5));
  EXPECT_TRUE(dec.Ready());
  Point p;
  EXPECT_TRUE(IsNeedMore(dec.Decode(&p)));
  EXPECT_FALSE(dec.Ready());  // waiting for the 32-byte definition
  dec.Append(stream.substr(5, 26));
  EXPECT_FALSE(dec.Ready());
  dec.Append(stream.substr(31, 1));
  EXPECT_TRUE(dec.Ready());
  EXPECT_TRUE(IsNeedMore(dec.Decode(&p)));
  EXPECT_FALSE(dec.Ready());  // waiting for the value's length prefix
  dec.Append(stream.substr(32, 1));
  EXPECT_TRUE(dec.Ready());
  EXPECT_TRUE(IsNeedMore(dec.Decode(&p)));
  EXPECT_FALSE(dec.Ready());  // waiting for the 7 bytes it announces
  dec.Append(stream.substr(33, 6));
  EXPECT_FALSE(dec.Ready());
  dec.Append(stream.substr(39));
  EXPECT_TRUE(dec.Ready());
  EXPECT_THAT(dec.Decode(&p), IsOk());
  EXPECT_THAT(dec.Decode(&p), IsOk());
  EXPECT_EQ(dec.buffered(), 0u);
  EXPECT_FALSE(dec.Ready());
}

TEST(DecoderIncrementalTest, InterfaceValueSpanningMessagesWaits) {
  ASSERT_THAT(Register<Point>(), IsOk());
  const std::string stream = Hex(kHolderDef) + Hex(kGoIface);
  // Cut right after the first message of the Holder value.
  size_t cut = Hex(kHolderDef).size() + 0x2e;
  Decoder dec;
  dec.Append(stream.substr(0, cut));
  Holder h;
  EXPECT_TRUE(IsNeedMore(dec.Decode(&h)));
  EXPECT_TRUE(h.V.is_nil());  // nothing was written before all was there
  Value v;
  EXPECT_TRUE(IsNeedMore(dec.DecodeValue(&v)));
  EXPECT_TRUE(IsNeedMore(dec.Skip()));
  EXPECT_TRUE(dec.definitions().empty());  // rolled back
  dec.Append(stream.substr(cut));
  ASSERT_THAT(dec.Decode(&h), IsOk());
  EXPECT_EQ(h.V.Get<Point>()->X, 1);
  EXPECT_EQ(dec.definitions().size(), 2u);
}

TEST(DecoderIncrementalTest, PrepareAppendWritesInPlace) {
  const std::string stream = TwoPoints();
  Decoder dec;
  char* buf = dec.PrepareAppend(4096);
  std::copy(stream.begin(), stream.end(), buf);
  dec.CommitAppend(stream.size());
  EXPECT_EQ(dec.buffered(), stream.size());
  Point p;
  EXPECT_THAT(dec.Decode(&p), IsOk());
  EXPECT_THAT(dec.Decode(&p), IsOk());
  EXPECT_EQ(p.Y, 4);
}

TEST(DecoderIncrementalTest, UnexpectedEofAfterCloseIsSticky) {
  const std::string stream = TwoPoints();
  Decoder dec;
  dec.Append(stream.substr(0, stream.size() - 1));
  dec.CloseInput();
  Point p;
  EXPECT_THAT(dec.Decode(&p), IsOk());
  EXPECT_THAT(dec.Decode(&p),
              StatusIs(absl::StatusCode::kDataLoss, "unexpected EOF"));
  EXPECT_THAT(dec.broken(), Not(IsOk()));
  EXPECT_THAT(dec.Decode(&p),
              StatusIs(absl::StatusCode::kDataLoss, "unexpected EOF"));
}

TEST(DecoderRecoveryTest, StreamContinuesAfterValueError) {
  // A bad body followed by a good one, as a net/rpc server sees them.
  Encoder enc;
  std::string stream;
  ASSERT_THAT(enc.Encode(Point{1, 2}, &stream), IsOk());
  ASSERT_THAT(enc.Encode(Point{300, 2}, &stream), IsOk());
  ASSERT_THAT(enc.Encode(std::string("next"), &stream), IsOk());
  Decoder dec = Decoder::FromBytes(stream);
  OnlyZ z;
  EXPECT_THAT(dec.Decode(&z), Not(IsOk()));
  X8 x8;
  EXPECT_THAT(dec.Decode(&x8), StatusIs(kInvalid, "value for \"X\" out of range"));
  EXPECT_THAT(dec.broken(), IsOk());
  std::string s;
  EXPECT_THAT(dec.Decode(&s), IsOk());
  EXPECT_EQ(s, "next");
}

TEST(DecoderRecoveryTest, BadFramingBreaksTheStream) {
  Decoder dec = Decoder::FromBytes(Hex("f0 00 00"));
  int64_t v;
  EXPECT_THAT(dec.Decode(&v),
              StatusIs(kInvalid, "gob: encoded unsigned integer out of range"));
  EXPECT_THAT(dec.broken(), Not(IsOk()));
}

// ---------------------------------------------------------------------------
// Limits.

TEST(DecoderLimitsTest, MessageSize) {
  DecoderOptions opts;
  opts.max_message_size = 100;
  Decoder dec(opts);
  dec.Append(Hex("ff 80"));  // a 128-byte message is announced
  int64_t v;
  EXPECT_EQ(dec.Decode(&v).code(), absl::StatusCode::kResourceExhausted);
  EXPECT_FALSE(dec.broken().ok());
}

TEST(DecoderLimitsTest, DepthOfRecursiveValues) {
  // 65 = []65: each level is one count byte.
  std::string body = Hex("ff 82 00");
  for (int i = 0; i < 5000; ++i) body += Hex("01");
  body += Hex("00");
  std::string stream = Msg("ff 81 02 01 02 ff 82 00 01 ff 82 00 00");
  AppendMessage(&stream, body);
  Decoder dec = Decoder::FromBytes(stream);
  Value v;
  absl::Status s = dec.DecodeValue(&v);
  EXPECT_EQ(s.code(), absl::StatusCode::kResourceExhausted) << s;
  Decoder skip = Decoder::FromBytes(stream);
  EXPECT_EQ(skip.Skip().code(), absl::StatusCode::kResourceExhausted);
}

TEST(DecoderLimitsTest, HugeCountsAllocateNothing) {
  // []int with 2^32 elements announced in an 11-byte message.
  std::string stream = Msg("ff 81 02 01 02 ff 82 00 01 04 00 00") +
                       Msg("ff 82 00 fb 01 00 00 00 00 02 04");
  std::vector<int64_t> ints;
  EXPECT_EQ(DecodeInto(stream, &ints).code(),
            absl::StatusCode::kResourceExhausted);
  Value v;
  Decoder dec = Decoder::FromBytes(stream);
  EXPECT_EQ(dec.DecodeValue(&v).code(), absl::StatusCode::kResourceExhausted);
  // Within the budget, the count is checked against the bytes instead.
  DecoderOptions opts;
  opts.max_alloc_bytes = uint64_t{1} << 62;
  Decoder big(opts);
  big.Append(stream);
  big.CloseInput();
  EXPECT_THAT(big.Decode(&ints),
              StatusIs(kInvalid,
                       "gob: decoding array or slice: length exceeds input "
                       "size (4294967296 elements)"));
}

TEST(DecoderLimitsTest, MapCountBeyondInput) {
  std::string stream = Msg("ff 81 04 01 02 ff 82 00 01 0c 01 04 00 00") +
                       Msg("ff 82 00 f8 10 00 00 00 00 00 00 00 01 61 02");
  std::map<std::string, int64_t> m;
  EXPECT_THAT(DecodeInto(stream, &m), StatusIs(kInvalid, "EOF"));
  EXPECT_EQ(m.size(), 1u);
}

TEST(DecoderLimitsTest, TypeCount) {
  DecoderOptions opts;
  opts.max_types = 2;
  std::string stream;
  for (int id = 65; id < 70; ++id) {
    std::string body;
    AppendInt(&body, -id);
    body += Hex("02 01 02");
    AppendInt(&body, id);
    body += Hex("00 01 04 00 00");
    AppendMessage(&stream, body);
  }
  Decoder dec(opts);
  dec.Append(stream);
  int64_t v;
  EXPECT_EQ(dec.Decode(&v).code(), absl::StatusCode::kResourceExhausted);
}

}  // namespace
}  // namespace netrpc::gob::decoder_test
