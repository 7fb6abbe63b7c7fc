// Copyright 2024 The netrpc-gateway Authors. Licensed under the Apache License 2.0.

#include "netrpc/gob/debug.h"

#include <cmath>
#include <string>

#include "gtest/gtest.h"
#include "netrpc/gob/decoder.h"
#include "netrpc/gob/test_util.h"

namespace netrpc::gob {
namespace {

using ::netrpc::gob::testing::Hex;
using ::netrpc::gob::testing::IsOk;

std::string Json(absl::string_view s) {
  std::string out;
  AppendJsonString(s, &out);
  return out;
}

std::string JsonFloat(double f) {
  std::string out;
  AppendJsonFloat(f, &out);
  return out;
}

TEST(DebugTest, StringsAreEscapedLikeGo) {
  EXPECT_EQ(Json("plain"), "\"plain\"");
  EXPECT_EQ(Json("a<b>&c"), "\"a\\u003cb\\u003e\\u0026c\"");
  EXPECT_EQ(Json("q\"\\\n\r\t"), "\"q\\\"\\\\\\n\\r\\t\"");
  EXPECT_EQ(Json(std::string("\x01\x08\x0c", 3)), "\"\\u0001\\u0008\\u000c\"");
  EXPECT_EQ(Json("\xe2\x80\xa8"), "\"\\u2028\"");
  EXPECT_EQ(Json("h\xc3\xa9"), "\"h\xc3\xa9\"");
  EXPECT_EQ(Json("bad\xff"), "\"bad\\ufffd\"");
  EXPECT_EQ(Json("\xed\xa0\x80"), "\"\\ufffd\\ufffd\\ufffd\"");  // surrogate
}

TEST(DebugTest, FloatsAreFormattedLikeGo) {
  EXPECT_EQ(JsonFloat(0), "0");
  EXPECT_EQ(JsonFloat(-0.0), "-0");
  EXPECT_EQ(JsonFloat(0.5), "0.5");
  EXPECT_EQ(JsonFloat(17), "17");
  EXPECT_EQ(JsonFloat(0.1), "0.1");
  EXPECT_EQ(JsonFloat(1e-7), "1e-7");
  EXPECT_EQ(JsonFloat(123456789), "123456789");
  EXPECT_EQ(JsonFloat(1e21), "1e+21");
  EXPECT_EQ(JsonFloat(1e20), "100000000000000000000");
  EXPECT_EQ(JsonFloat(NAN), "\"NaN\"");
  EXPECT_EQ(JsonFloat(-INFINITY), "\"-Inf\"");
}

// gob_nested.hex, as `gob dump` shows it.
TEST(DebugTest, NestedVector) {
  std::string stream = Hex(
      "5d ff 81 03 01 01 05 4f 75 74 65 72 01 ff 82 00 01 08 01 02 49 44 01 "
      "06 00 01 04 54 61 67 73 01 ff 84 00 01 04 44 61 74 61 01 0a 00 01 05 "
      "49 74 65 6d 73 01 ff 8a 00 01 05 52 61 74 69 6f 01 08 00 01 04 46 6c "
      "61 67 01 02 00 01 03 53 75 62 01 ff 86 00 01 03 41 72 72 01 ff 8c 00 "
      "00 00"
      "1e ff 83 04 01 01 0e 6d 61 70 5b 73 74 72 69 6e 67 5d 69 6e 74 01 ff "
      "84 00 01 0c 01 04 00 00"
      "1b ff 89 02 01 01 0c 5b 5d 6d 61 69 6e 2e 49 6e 6e 65 72 01 ff 8a 00 "
      "01 ff 86 00 00"
      "26 ff 85 03 01 01 05 49 6e 6e 65 72 01 ff 86 00 01 02 01 04 4e 61 6d "
      "65 01 0c 00 01 04 56 61 6c 73 01 ff 88 00 00 00"
      "13 ff 87 02 01 01 05 5b 5d 69 6e 74 01 ff 88 00 01 04 00 00"
      "17 ff 8b 01 01 01 07 5b 32 5d 69 6e 74 38 01 ff 8c 00 01 04 01 04 00 "
      "00"
      "2a ff 82 01 fe 01 2c 01 01 01 6b 01 01 02 de ad 01 02 01 01 61 01 02 "
      "02 04 00 00 01 fe e0 3f 01 01 01 01 01 73 00 01 02 00 0a 00");
  Decoder dec = Decoder::FromBytes(stream);
  Value v;
  ASSERT_THAT(dec.DecodeValue(&v), IsOk());
  EXPECT_EQ(ValueToJson(v),
            "{\"ID\":300,\"Tags\":{\"k\":-1},\"Data\":\"3q0=\",\"Items\":[{"
            "\"Name\":\"a\",\"Vals\":[1,2]},{\"Name\":\"\",\"Vals\":null}],"
            "\"Ratio\":0.5,\"Flag\":true,\"Sub\":{\"Name\":\"s\",\"Vals\":null},"
            "\"Arr\":[0,5]}");
  EXPECT_EQ(TypeToJson(v.type()),
            "{\"kind\":\"struct\",\"name\":\"Outer\",\"fields\":[{\"name\":"
            "\"ID\",\"type\":\"uint\"},{\"name\":\"Tags\",\"type\":\"map["
            "string]int\"},{\"name\":\"Data\",\"type\":\"bytes\"},{\"name\":"
            "\"Items\",\"type\":\"[]main.Inner\"},{\"name\":\"Ratio\",\"type\":"
            "\"float\"},{\"name\":\"Flag\",\"type\":\"bool\"},{\"name\":\"Sub\","
            "\"type\":\"Inner\"},{\"name\":\"Arr\",\"type\":\"[2]int8\"}]}");
  ASSERT_EQ(dec.definitions().size(), 6u);
  EXPECT_EQ(WireTypeToJson(66, *dec.Definition(66)),
            "{\"type_id\":66,\"def\":{\"kind\":\"map\",\"name\":\"map[string]"
            "int\",\"id\":66,\"key\":6,\"key_type\":\"string\",\"elem\":2,"
            "\"elem_type\":\"int\"}}");
  EXPECT_EQ(WireTypeToJson(67, *dec.Definition(67)),
            "{\"type_id\":67,\"def\":{\"kind\":\"struct\",\"name\":\"Inner\","
            "\"id\":67,\"fields\":[{\"name\":\"Name\",\"id\":6,\"type\":"
            "\"string\"},{\"name\":\"Vals\",\"id\":68}]}}");
  EXPECT_EQ(WireTypeToJson(70, *dec.Definition(70)),
            "{\"type_id\":70,\"def\":{\"kind\":\"array\",\"name\":\"[2]int8\","
            "\"id\":70,\"elem\":2,\"elem_type\":\"int\",\"len\":2}}");
}

TEST(DebugTest, InterfacesTimesAndOpaqueValues) {
  TypeArena arena;
  const Type* time_type = arena.NewExternal(Kind::kGobEncoder, "Time");
  const Type* ge = arena.NewExternal(Kind::kBinaryMarshaler, "BM");
  Value t = Value::External(
      time_type, Hex("01 00 00 00 0e c2 8b e7 70 00 00 00 00 ff ff"));
  EXPECT_EQ(ValueToJson(t), "\"2009-11-10T23:00:00Z\"");
  EXPECT_EQ(ValueToJson(Value::External(ge, Hex("bb 06"))),
            "{\"type\":\"BM\",\"kind\":\"binary_marshaler\",\"data\":\"uwY=\"}");
  EXPECT_EQ(ValueToJson(Value::Interface("int", Value::Int(7))),
            "{\"type\":\"int\",\"value\":7}");
  EXPECT_EQ(ValueToJson(Value::NilInterface()), "null");
  EXPECT_EQ(ValueToJson(Value::Complex({1, -2})), "[1,-2]");
  EXPECT_EQ(ValueToJson(Value()), "null");
}

TEST(DebugTest, Maps) {
  TypeArena arena;
  Value by_int = Value::Zero(arena.NewMap(IntType(), StringType()));
  ASSERT_THAT(by_int.MapInsert(Value::Int(10), Value::String("ten")), IsOk());
  ASSERT_THAT(by_int.MapInsert(Value::Int(9), Value::String("nine")), IsOk());
  EXPECT_EQ(ValueToJson(by_int), "{\"10\":\"ten\",\"9\":\"nine\"}");
  Value by_float = Value::Zero(arena.NewMap(FloatType(), BoolType()));
  ASSERT_THAT(by_float.MapInsert(Value::Float(2.5), Value::Bool(true)), IsOk());
  EXPECT_EQ(ValueToJson(by_float), "[[2.5,true]]");
}

}  // namespace
}  // namespace netrpc::gob
