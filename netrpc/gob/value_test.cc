// Copyright 2024 The netrpc-gateway Authors. Licensed under the Apache License 2.0.

#include "netrpc/gob/value.h"

#include <cmath>
#include <complex>
#include <string>

#include "gtest/gtest.h"
#include "netrpc/gob/decoder.h"
#include "netrpc/gob/encoder.h"
#include "netrpc/gob/test_util.h"

namespace netrpc::gob {
namespace {

using ::netrpc::gob::testing::Hex;
using ::netrpc::gob::testing::IsOk;
using ::netrpc::gob::testing::ToHex;
using ::testing::Not;

TEST(ValueTest, Scalars) {
  EXPECT_FALSE(Value().present());
  EXPECT_EQ(Value().kind(), Kind::kInvalid);
  EXPECT_TRUE(Value::Bool(true).bool_value());
  EXPECT_EQ(Value::Int(-5).int_value(), -5);
  EXPECT_EQ(Value::Uint(5).uint_value(), 5u);
  EXPECT_EQ(Value::Float(0.5).float_value(), 0.5);
  EXPECT_EQ(Value::Complex({1, 2}).complex_value(), std::complex<double>(1, 2));
  EXPECT_EQ(Value::String("s").string_value(), "s");
  EXPECT_EQ(Value::Bytes("\x01").bytes(), "\x01");
  EXPECT_EQ(Value::Bytes("b").type(), BytesType());
  // Another kind reads as zero.
  EXPECT_EQ(Value::String("s").int_value(), 0);
  EXPECT_EQ(Value().float_value(), 0.0);
}

TEST(ValueTest, StructFields) {
  TypeArena arena;
  Type* point = arena.NewStruct("Point");
  ASSERT_THAT(arena.AddField(point, "X", IntType()), IsOk());
  ASSERT_THAT(arena.AddField(point, "Y", IntType()), IsOk());
  Value p = Value::Zero(point);
  EXPECT_FALSE(p.Field("X")->present());
  EXPECT_EQ(p.Field("X")->int_value(), 0);
  EXPECT_EQ(p.Field("Z"), nullptr);
  ASSERT_THAT(p.SetField("X", Value::Int(22)), IsOk());
  EXPECT_EQ(p.Field("X")->int_value(), 22);
  EXPECT_EQ(p.field(1).present(), false);
  EXPECT_THAT(p.SetField("Y", Value::String("no")), Not(IsOk()));
  EXPECT_EQ(p.SetField("Z", Value::Int(1)).code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(Value::Int(1).SetField("X", Value::Int(1)), Not(IsOk()));
  ASSERT_THAT(p.SetFieldAt(1, Value::Int(33)), IsOk());
  Value q = Value::Zero(point);
  *q.mutable_field(0) = Value::Int(22);
  *q.mutable_field(1) = Value::Int(33);
  EXPECT_EQ(p, q);
  ASSERT_THAT(q.SetField("Y", Value()), IsOk());  // unset again
  EXPECT_NE(p, q);
  EXPECT_EQ(Value::Zero(point), Value::Zero(point));
}

TEST(ValueTest, SlicesMapsInterfaces) {
  TypeArena arena;
  const Type* ints = arena.NewSlice(IntType());
  Value list = Value::Zero(ints);
  ASSERT_THAT(list.Append(Value::Int(1)), IsOk());
  EXPECT_THAT(list.Append(Value::String("x")), Not(IsOk()));
  EXPECT_EQ(list.size(), 1u);
  EXPECT_EQ(list.elem(0).int_value(), 1);

  const Type* m = arena.NewMap(StringType(), IntType());
  Value map = Value::Zero(m);
  ASSERT_THAT(map.MapInsert(Value::String("a"), Value::Int(1)), IsOk());
  ASSERT_THAT(map.MapInsert(Value::String("a"), Value::Int(2)), IsOk());
  ASSERT_THAT(map.MapInsert(Value::String("b"), Value::Int(3)), IsOk());
  EXPECT_EQ(map.size(), 2u);
  EXPECT_EQ(map.MapFind(Value::String("a"))->int_value(), 2);
  EXPECT_EQ(map.MapFind(Value::String("c")), nullptr);
  EXPECT_THAT(map.MapInsert(Value::Int(1), Value::Int(1)), Not(IsOk()));

  Value nil = Value::NilInterface();
  EXPECT_EQ(nil.kind(), Kind::kInterface);
  EXPECT_EQ(nil.interface_value(), nullptr);
  EXPECT_EQ(Value::Interface("", Value::Int(1)), nil);
  Value i = Value::Interface("int", Value::Int(7));
  EXPECT_EQ(i.interface_name(), "int");
  EXPECT_EQ(i.interface_value()->int_value(), 7);

  const Type* arr = arena.NewArray(StringType(), 3);
  EXPECT_EQ(Value::Zero(arr).size(), 3u);
  EXPECT_EQ(Value::Zero(arr).elem(2), Value::String(""));
}

TEST(ValueTest, FloatEqualityIsGos) {
  EXPECT_EQ(Value::Float(0.0), Value::Float(-0.0));
  EXPECT_NE(Value::Float(NAN), Value::Float(NAN));
}

// The dynamic model builds what Go's doc.go example sends.
TEST(ValueTest, EncodesDocGoPoint) {
  TypeArena arena;
  Type* point = arena.NewStruct("Point");
  ASSERT_THAT(arena.AddField(point, "X", IntType()), IsOk());
  ASSERT_THAT(arena.AddField(point, "Y", IntType()), IsOk());
  Value p = Value::Zero(point);
  ASSERT_THAT(p.SetField("X", Value::Int(22)), IsOk());
  ASSERT_THAT(p.SetField("Y", Value::Int(33)), IsOk());
  Encoder enc;
  std::string out;
  ASSERT_THAT(enc.EncodeValue(p, &out), IsOk());
  EXPECT_EQ(ToHex(out),
            "1f ff 81 03 01 01 05 50 6f 69 6e 74 01 ff 82 00 01 02 01 01 58 "
            "01 04 00 01 01 59 01 04 00 00 00 07 ff 82 01 2c 01 42 00");
}

// Explicitly present zeros are omitted, like Go's zero fields; an empty map
// is sent, an empty slice is not.
TEST(ValueTest, OmissionRules) {
  TypeArena arena;
  Type* s = arena.NewStruct("S");
  ASSERT_THAT(arena.AddField(s, "I", IntType()), IsOk());
  ASSERT_THAT(arena.AddField(s, "L", arena.NewSlice(IntType())), IsOk());
  ASSERT_THAT(arena.AddField(s, "M", arena.NewMap(IntType(), IntType())),
              IsOk());
  ASSERT_THAT(arena.AddField(s, "F", FloatType()), IsOk());
  Value v = Value::Zero(s);
  ASSERT_THAT(v.SetField("I", Value::Int(0)), IsOk());
  ASSERT_THAT(v.SetField("L", Value::Zero(s->fields()[1].type)), IsOk());
  ASSERT_THAT(v.SetField("M", Value::Zero(s->fields()[2].type)), IsOk());
  ASSERT_THAT(v.SetField("F", Value::Float(-0.0)), IsOk());
  Encoder enc;
  std::string out;
  ASSERT_THAT(enc.EncodeValue(v, &out), IsOk());
  Decoder dec = Decoder::FromBytes(out);
  Value got;
  ASSERT_THAT(dec.DecodeValue(&got), IsOk());
  EXPECT_FALSE(got.Field("I")->present());
  EXPECT_FALSE(got.Field("L")->present());
  EXPECT_TRUE(got.Field("M")->present());
  EXPECT_FALSE(got.Field("F")->present());
}

TEST(ValueTest, DecodedValuesKeepTheirWireTypes) {
  std::string stream =
      Hex("1f ff 81 03 01 01 05 50 6f 69 6e 74 01 ff 82 00 01 02 01 01 58 01 "
          "04 00 01 01 59 01 04 00 00 00 07 ff 82 01 2c 01 42 00");
  Decoder dec = Decoder::FromBytes(stream);
  Value v;
  ASSERT_THAT(dec.DecodeValue(&v), IsOk());
  EXPECT_EQ(v.type()->name(), "Point");
  EXPECT_EQ(v.Field("Y")->int_value(), 33);
}

}  // namespace
}  // namespace netrpc::gob
