// Copyright 2024 The netrpc-gateway Authors. Licensed under the Apache License 2.0.

#include "netrpc/gob/interface.h"

#include <cstdint>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "netrpc/gob/decoder.h"
#include "netrpc/gob/encoder.h"
#include "netrpc/gob/test_util.h"

namespace netrpc::gob::interface_test {

struct Circle {
  double R = 0;
  bool operator==(const Circle& o) const { return R == o.R; }
};
NETRPC_GOB_STRUCT_NAMED(Circle, "shapes.Circle", R);

struct Square {
  double Side = 0;
};
NETRPC_GOB_STRUCT_NAMED(Square, "shapes.Square", Side);

struct Other {
  double R = 0;
};
NETRPC_GOB_STRUCT_NAMED(Other, "shapes.Other", R);

struct Shapes {
  std::vector<Interface> List;
  Interface One;
};
NETRPC_GOB_STRUCT_NAMED(Shapes, "shapes.Shapes", List, One);

namespace {

using ::netrpc::gob::testing::Hex;
using ::netrpc::gob::testing::IsOk;
using ::netrpc::gob::testing::StatusIs;
using ::netrpc::gob::testing::ToHex;

TEST(InterfaceTest, RegistrationFollowsGosRules) {
  ASSERT_THAT(Register<Circle>(), IsOk());
  EXPECT_THAT(Register<Circle>(), IsOk());  // idempotent
  EXPECT_THAT(RegisterName<Other>("shapes.Circle"),
              StatusIs(absl::StatusCode::kAlreadyExists,
                       "gob: registering duplicate types for "
                       "\"shapes.Circle\": shapes.Circle != shapes.Other"));
  EXPECT_THAT(RegisterName<Circle>("circle"),
              StatusIs(absl::StatusCode::kAlreadyExists,
                       "gob: registering duplicate names for shapes.Circle: "
                       "\"shapes.Circle\" != \"circle\""));
  EXPECT_THAT(RegisterName<Square>(""),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "gob: attempt to register empty name"));
  EXPECT_THAT(RegisterName<Square>("sq"), IsOk());
}

TEST(InterfaceTest, HoldsAndComparesValues) {
  ASSERT_THAT(Register<Circle>(), IsOk());
  Interface c = Interface::Of(Circle{2});
  EXPECT_EQ(c.name(), "shapes.Circle");
  ASSERT_NE(c.Get<Circle>(), nullptr);
  EXPECT_EQ(c.Get<Circle>()->R, 2);
  EXPECT_EQ(c.Get<Square>(), nullptr);
  EXPECT_EQ(c, Interface::Of(Circle{2}));
  EXPECT_NE(c, Interface::Of(Circle{3}));
  EXPECT_NE(c, Interface());
  EXPECT_EQ(Interface(), Interface());
  EXPECT_EQ(Interface::Of(int64_t{1}).name(), "int");
  EXPECT_EQ(Interface::Of(uint64_t{1}).name(), "uint");
  EXPECT_EQ(Interface::Of(Bytes{}).name(), "[]uint8");
  EXPECT_EQ(Interface::Of(std::vector<int64_t>{}).name(), "[]int");
  EXPECT_EQ(Interface::Named("x.Y", 1.5).name(), "x.Y");
}

TEST(InterfaceTest, RoundTripMixedList) {
  ASSERT_THAT(Register<Circle>(), IsOk());
  ASSERT_THAT(RegisterName<Square>("sq"), IsOk());
  Shapes s;
  s.List = {Interface::Of(Circle{1}), Interface::Of(Square{2}), Interface(),
            Interface::Of(std::string("text")),
            Interface::Of(std::vector<double>{1, 2})};
  s.One = Interface::Of(Circle{3});
  Encoder enc;
  std::string stream;
  ASSERT_THAT(enc.Encode(s, &stream), IsOk());
  ASSERT_THAT(enc.Encode(s, &stream), IsOk());  // types already sent
  Decoder dec = Decoder::FromBytes(stream);
  for (int i = 0; i < 2; ++i) {
    Shapes got;
    ASSERT_THAT(dec.Decode(&got), IsOk());
    ASSERT_EQ(got.List.size(), 5u);
    EXPECT_EQ(got.List[0], Interface::Of(Circle{1}));
    EXPECT_EQ(got.List[1].Get<Square>()->Side, 2);
    EXPECT_EQ(got.List[1].name(), "sq");
    EXPECT_TRUE(got.List[2].is_nil());
    EXPECT_EQ(*got.List[3].Get<std::string>(), "text");
    EXPECT_EQ(*got.List[4].Get<std::vector<double>>(),
              (std::vector<double>{1, 2}));
    EXPECT_EQ(got.One.Get<Circle>()->R, 3);
  }
}

TEST(InterfaceTest, SecondaryBuiltinNamesDecode) {
  // "int64" and "uintptr" are Go names for C++ int64_t and uint64_t.
  Decoder dec = Decoder::FromBytes(
      Hex("0c 10 00 05 69 6e 74 36 34 04 02 00 0e") +
      Hex("0e 10 00 07 75 69 6e 74 70 74 72 06 02 00 07"));
  Interface i;
  ASSERT_THAT(dec.Decode(&i), IsOk());
  EXPECT_EQ(*i.Get<int64_t>(), 7);
  EXPECT_EQ(i.name(), "int64");
  ASSERT_THAT(dec.Decode(&i), IsOk());
  EXPECT_EQ(*i.Get<uint64_t>(), 7u);
  // Encoded again it keeps the name it arrived with.
  Encoder enc;
  std::string out;
  ASSERT_THAT(enc.Encode(i, &out), IsOk());
  EXPECT_EQ(ToHex(out), "0e 10 00 07 75 69 6e 74 70 74 72 06 02 00 07");
}

TEST(InterfaceTest, ConcreteTypeMismatchUsesGoText) {
  ASSERT_THAT(Register<Circle>(), IsOk());
  // A "shapes.Circle" that is really an int.
  Decoder dec = Decoder::FromBytes(
      Hex("14 10 00 0d 73 68 61 70 65 73 2e 43 69 72 63 6c 65 04 02 00 0e"));
  Interface i;
  EXPECT_THAT(dec.Decode(&i),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "gob: type mismatch in decoder: want struct type "
                       "shapes.Circle; got non-struct"));
  Decoder dec2 = Decoder::FromBytes(Hex("0a 10 00 03 69 6e 74 0c 02 00 0e"));
  EXPECT_THAT(dec2.Decode(&i),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "gob: decoding into local type int, received remote "
                       "type string"));
}

TEST(InterfaceTest, NameTooLong) {
  std::string name(1500, 'a');
  std::string body = Hex("10 00 fe 05 dc") + name + Hex("04 02 00 0e");
  std::string stream;
  AppendMessage(&stream, body);
  Interface i;
  EXPECT_THAT(Unmarshal(stream, &i),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "gob: name too long (1500 bytes): "
                       "\"aaaaaaaaaaaaaaaaaaaa\"..."));
}

TEST(InterfaceTest, FromValueEncodesDynamicConcreteValues) {
  TypeArena arena;
  Type* t = arena.NewStruct("Circle");
  ASSERT_THAT(arena.AddField(t, "R", FloatType()), IsOk());
  Value v = Value::Zero(t);
  ASSERT_THAT(v.SetField("R", Value::Float(4)), IsOk());
  ASSERT_THAT(Register<Circle>(), IsOk());
  Interface i = Interface::FromValue("shapes.Circle", v);
  ASSERT_NE(i.value(), nullptr);
  EXPECT_EQ(i, Interface::FromValue("shapes.Circle", v));
  Encoder enc;
  std::string out;
  ASSERT_THAT(enc.Encode(i, &out), IsOk());
  Interface got;
  ASSERT_THAT(Unmarshal(out, &got), IsOk());
  EXPECT_EQ(got.Get<Circle>()->R, 4);
}

}  // namespace
}  // namespace netrpc::gob::interface_test
