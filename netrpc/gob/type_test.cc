// Copyright 2024 The netrpc-gateway Authors. Licensed under the Apache License 2.0.

#include "netrpc/gob/type.h"

#include <string>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "netrpc/gob/test_util.h"
#include "netrpc/gob/wire.h"

namespace netrpc::gob {
namespace {

using ::netrpc::gob::testing::Hex;
using ::netrpc::gob::testing::IsOk;
using ::netrpc::gob::testing::StatusIs;
using ::netrpc::gob::testing::ToHex;
using ::testing::Not;

TEST(TypeTest, PredefinedBasics) {
  const struct {
    TypeId id;
    const Type* type;
    Kind kind;
    const char* name;
  } cases[] = {
      {1, BoolType(), Kind::kBool, "bool"},
      {2, IntType(), Kind::kInt, "int"},
      {3, UintType(), Kind::kUint, "uint"},
      {4, FloatType(), Kind::kFloat, "float"},
      {5, BytesType(), Kind::kBytes, "bytes"},
      {6, StringType(), Kind::kString, "string"},
      {7, ComplexType(), Kind::kComplex, "complex"},
      {8, InterfaceType(), Kind::kInterface, "interface"},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(PredefinedType(c.id), c.type);
    EXPECT_EQ(c.type->predefined_id(), c.id);
    EXPECT_EQ(c.type->kind(), c.kind);
    EXPECT_EQ(c.type->name(), c.name);
  }
  for (TypeId id : {0, 9, 15, 25, 63, 64, 65}) {
    EXPECT_EQ(PredefinedType(id), nullptr) << id;
  }
}

TEST(TypeTest, PredefinedWireTypeFamily) {
  const Type* wire = PredefinedType(kWireTypeId);
  ASSERT_NE(wire, nullptr);
  EXPECT_EQ(wire->name(), "wireType");
  ASSERT_EQ(wire->fields().size(), 7u);
  EXPECT_EQ(wire->fields()[2].name, "StructT");
  const Type* st = wire->fields()[2].type;
  EXPECT_EQ(st, PredefinedType(kStructTypeId));
  EXPECT_EQ(st->fields()[1].type, PredefinedType(kFieldTypeSliceId));
  EXPECT_EQ(st->fields()[1].type->elem(), PredefinedType(kFieldTypeId));
  EXPECT_EQ(wire->fields()[4].type, PredefinedType(kGobEncoderTypeId));
  EXPECT_EQ(PredefinedType(kCommonTypeId)->fields()[1].name, "Id");
}

TEST(TypeTest, ArenaBuildsRecursiveTypes) {
  TypeArena arena;
  Type* node = arena.NewStruct("Node");
  ASSERT_THAT(arena.AddField(node, "Val", IntType()), IsOk());
  ASSERT_THAT(arena.AddField(node, "Next", node), IsOk());
  EXPECT_EQ(node->FieldIndex("Next"), 1);
  EXPECT_EQ(node->FieldIndex("next"), -1);  // case-sensitive
  EXPECT_EQ(node->String(), "Node");
  const Type* list = arena.NewSlice(node);
  EXPECT_EQ(list->String(), "[]Node");
  const Type* m = arena.NewMap(StringType(), arena.NewArray(IntType(), 2));
  EXPECT_EQ(m->String(), "map[string][2]int");
  Type* anon = arena.NewStruct("");
  ASSERT_THAT(arena.AddField(anon, "Self", arena.NewSlice(anon)), IsOk());
  EXPECT_EQ(anon->String(), "struct { Self []... }");
  EXPECT_EQ(arena.NewExternal(Kind::kGobEncoder, "Time")->kind(),
            Kind::kGobEncoder);
  EXPECT_EQ(arena.NewExternal(Kind::kInt, "x"), nullptr);
  EXPECT_NE(node->serial(), list->serial());
}

TEST(TypeTest, StringOfDeepUnnamedTypesIsBounded) {
  TypeArena arena;
  const Type* t = IntType();
  for (int i = 0; i < 10000; ++i) t = arena.NewSlice(t);
  std::string want;
  for (int i = 0; i < 32; ++i) want += "[]";
  EXPECT_EQ(t->String(), want + "...");
}

TEST(TypeTest, AddFieldChecks) {
  TypeArena arena;
  Type* s = arena.NewStruct("S");
  EXPECT_THAT(arena.AddField(s, "", IntType()), Not(IsOk()));
  EXPECT_THAT(arena.AddField(s, "X", nullptr), Not(IsOk()));
  ASSERT_THAT(arena.AddField(s, "X", IntType()), IsOk());
  EXPECT_THAT(arena.AddField(s, "X", IntType()),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "gob: duplicate field X in S"));
}

TEST(TypeTest, ManyFieldsAreIndexed) {
  TypeArena arena;
  Type* s = arena.NewStruct("Big");
  for (int i = 0; i < 40; ++i) {
    ASSERT_THAT(arena.AddField(s, absl::StrCat("F", i), IntType()), IsOk());
  }
  EXPECT_EQ(s->FieldIndex("F0"), 0);
  EXPECT_EQ(s->FieldIndex("F39"), 39);
  EXPECT_EQ(s->FieldIndex("F40"), -1);
}

TEST(WireTypeTest, PointDefinitionRoundTrip) {
  WireType point;
  point.kind = Kind::kStruct;
  point.name = "Point";
  point.id = 65;
  point.fields = {{"X", kIntId}, {"Y", kIntId}};
  std::string out;
  AppendWireType(point, &out);
  EXPECT_EQ(ToHex(out),
            "03 01 01 05 50 6f 69 6e 74 01 ff 82 00 01 02 01 01 58 01 04 00 "
            "01 01 59 01 04 00 00 00");
  const uint8_t* p = reinterpret_cast<const uint8_t*>(out.data());
  WireType back;
  ASSERT_THAT(ParseWireType(&p, p + out.size(), &back), IsOk());
  EXPECT_EQ(back.kind, Kind::kStruct);
  EXPECT_EQ(back.name, "Point");
  EXPECT_EQ(back.id, 65);
  ASSERT_EQ(back.fields.size(), 2u);
  EXPECT_EQ(back.fields[1].name, "Y");
  EXPECT_EQ(back.fields[1].id, kIntId);
}

TEST(WireTypeTest, EveryKind) {
  WireType array{Kind::kArray, "[2]int8", 70, kIntId, 0, 2, {}};
  std::string out;
  AppendWireType(array, &out);
  EXPECT_EQ(ToHex(out),
            "01 01 01 07 5b 32 5d 69 6e 74 38 01 ff 8c 00 01 04 01 04 00 00");
  WireType empty_struct{Kind::kStruct, "", 66, 0, 0, 0, {}};
  out.clear();
  AppendWireType(empty_struct, &out);
  EXPECT_EQ(ToHex(out), "03 01 02 ff 84 00 00 00");
  for (Kind k : {Kind::kSlice, Kind::kMap, Kind::kGobEncoder,
                 Kind::kBinaryMarshaler, Kind::kTextMarshaler}) {
    WireType w{k, "N", 99, kStringId, kIntId, 0, {}};
    out.clear();
    AppendWireType(w, &out);
    const uint8_t* p = reinterpret_cast<const uint8_t*>(out.data());
    WireType back;
    ASSERT_THAT(ParseWireType(&p, p + out.size(), &back), IsOk());
    EXPECT_EQ(back.kind, k);
    EXPECT_EQ(back.name, "N");
    EXPECT_EQ(back.id, 99);
    if (k == Kind::kMap) {
      EXPECT_EQ(back.elem, kStringId);
      EXPECT_EQ(back.key, kIntId);
    }
  }
}

TEST(WireTypeTest, ParseErrors) {
  auto parse = [](const std::string& hex) {
    std::string b = Hex(hex);
    const uint8_t* p = reinterpret_cast<const uint8_t*>(b.data());
    WireType w;
    return ParseWireType(&p, p + b.size(), &w);
  };
  EXPECT_THAT(parse("08 01 00"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "gob: bad data: field numbers out of bounds"));
  EXPECT_THAT(parse("03 01 01 09 41"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "gob: bad string slice length: 0"));
  EXPECT_THAT(parse("03 01 02 fb 02 00 00 00 00"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "value for \"Id\" out of range"));
  EXPECT_THAT(parse("03 02 05"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "gob: decoding array or slice: length exceeds input "
                       "size (5 elements)"));
  EXPECT_THAT(parse("03 01 01"),
              StatusIs(absl::StatusCode::kInvalidArgument, "EOF"));
  EXPECT_THAT(parse(""), IsOk());  // an empty wireType: no kind
}

}  // namespace
}  // namespace netrpc::gob
