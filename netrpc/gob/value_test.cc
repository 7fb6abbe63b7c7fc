// Copyright 2024 The netrpc-gateway Authors. Licensed under the Apache License 2.0.

#include "netrpc/gob/value.h"

#include <cmath>
#include <complex>
#include <cstdint>
#include <cstring>
#include <functional>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"

#include "netrpc/gob/decoder.h"
#include "netrpc/gob/encoder.h"
#include "netrpc/gob/test_util.h"
#include "netrpc/gob/value_internal.h"

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

// Go's encoder leaves zero scalars, empty slices and nil interfaces out of
// a struct; it always sends structs, arrays, maps and GobEncoder values.
TEST(ValueTest, OmittedFromStructIsGosRule) {
  TypeArena arena;
  for (const Value& v :
       {Value::Bool(false), Value::Int(0), Value::Uint(0), Value::Float(0),
        Value::Float(-0.0), Value::Complex({0, 0}), Value::String(""),
        Value::Bytes(""), Value::Zero(arena.NewSlice(IntType())),
        Value::NilInterface()}) {
    EXPECT_TRUE(OmittedFromStruct(v)) << v.type()->String();
  }
  Value one = Value::Zero(arena.NewSlice(IntType()));
  ASSERT_THAT(one.Append(Value::Int(0)), IsOk());
  Type* empty = arena.NewStruct("Empty");
  for (const Value& v :
       {Value::Bool(true), Value::Int(-1), Value::Uint(1), Value::Float(1e-300),
        Value::Complex({0, 1}), Value::String("x"), Value::Bytes("\x01"), one,
        Value::Interface("int", Value::Int(0)), Value::Zero(empty),
        Value::Zero(arena.NewArray(IntType(), 0)),
        Value::Zero(arena.NewMap(IntType(), IntType())),
        Value::External(arena.NewExternal(Kind::kGobEncoder, "T"), "")}) {
    EXPECT_FALSE(OmittedFromStruct(v)) << v.type()->String();
  }
}

TEST(ValueTest, FloatEqualityIsGos) {
  EXPECT_EQ(Value::Float(0.0), Value::Float(-0.0));
  EXPECT_NE(Value::Float(NAN), Value::Float(NAN));
}

// SameEntries reports whether maps a and b hold the same entries in the same
// order: Value's == with float keys compared by their bits, so that NaN keys
// count.
::testing::AssertionResult SameEntries(const Value& a, const Value& b) {
  if (a.size() != b.size()) {
    return ::testing::AssertionFailure()
           << a.size() << " vs " << b.size() << " entries";
  }
  for (size_t i = 0; i < a.size(); ++i) {
    const Value& x = a.map_key(i);
    const Value& y = b.map_key(i);
    double fx = x.float_value(), fy = y.float_value();
    bool same_key =
        x.kind() == Kind::kFloat
            ? y.kind() == Kind::kFloat && std::memcmp(&fx, &fy, sizeof fx) == 0
            : x == y;
    if (!same_key || a.map_value(i) != b.map_value(i)) {
      return ::testing::AssertionFailure() << "entry " << i << " differs";
    }
  }
  return ::testing::AssertionSuccess();
}

// Step is a deterministic pseudo-random sequence (a 64-bit LCG).
uint64_t Step(uint64_t& state) {
  state = state * 6364136223846793005u + 1442695040888963407u;
  return state >> 33;
}

// MapBuilder makes the map MapInsert makes, entries, values and order, for
// every key kind, below and past the size where it starts indexing keys.
// Equal keys that differ in representation (0.0 and -0.0, a struct with
// unset or explicitly absent fields) must still be found.
TEST(MapBuilderTest, BuildsWhatMapInsertBuilds) {
  TypeArena arena;
  Type* pair = arena.NewStruct("Pair");
  ASSERT_THAT(arena.AddField(pair, "A", IntType()), IsOk());
  ASSERT_THAT(arena.AddField(pair, "B", StringType()), IsOk());
  const Type* ints2 = arena.NewArray(IntType(), 2);
  struct KeyKind {
    const Type* type;
    std::function<Value(int)> key;  // of j in [0, 60)
  };
  const std::vector<KeyKind> kinds = {
      {BoolType(), [](int j) { return Value::Bool(j % 2 == 1); }},
      {IntType(), [](int j) { return Value::Int(j - 30); }},
      {UintType(), [](int j) { return Value::Uint(uint64_t{1} << j); }},
      {FloatType(),
       [](int j) {
         return Value::Float(j == 0 ? -0.0 : j == 1 ? NAN : 0.5 * (j - 1));
       }},
      {ComplexType(),
       [](int j) {
         return Value::Complex({j % 2 == 0 ? 0.0 : -0.0, 1.0 * (j / 2)});
       }},
      {StringType(),
       [](int j) { return Value::String(std::string(j % 7, 'x') + "k"); }},
      {BytesType(),
       [](int j) {
         return Value::Bytes(absl::StrCat(std::string(1, '\0'), j));
       }},
      {pair,
       [&](int j) {
         Value p = Value::Zero(pair);
         if (j % 5 == 0) return p;  // no field set: equal to all absent
         EXPECT_THAT(p.SetField("A", j % 3 == 0 ? Value() : Value::Int(j / 3)),
                     IsOk());
         EXPECT_THAT(p.SetField("B", j % 4 == 0 ? Value::String("b") : Value()),
                     IsOk());
         return p;
       }},
      {InterfaceType(),
       [](int j) {
         if (j % 10 == 0) return Value::NilInterface();
         return j % 2 == 0 ? Value::Interface("int", Value::Int(j / 4))
                           : Value::Interface("string", Value::String("s"));
       }},
      {ints2,
       [&](int j) {
         Value a = Value::Zero(ints2);
         *a.mutable_elem(j % 2) = Value::Int(j / 2);
         return a;
       }},
  };
  for (const KeyKind& kind : kinds) {
    SCOPED_TRACE(kind.type->String());
    const Type* m = arena.NewMap(kind.type, IntType());
    Value want = Value::Zero(m);
    Value got = Value::Zero(m);
    MapBuilder builder(&got);
    uint64_t state = 1;
    for (int64_t step = 0; step < 300; ++step) {
      int j = static_cast<int>(Step(state) % 60);
      ASSERT_THAT(want.MapInsert(kind.key(j), Value::Int(step)), IsOk());
      ASSERT_THAT(builder.Insert(kind.key(j), Value::Int(step)), IsOk());
      ASSERT_TRUE(SameEntries(got, want)) << "after step " << step;
    }
  }
}

// A builder takes the map as it is: already past the indexing size, with
// a key twice (as a decoded map may hold it). Like MapInsert, it replaces
// the first of the two.
TEST(MapBuilderTest, StartsFromTheEntriesThere) {
  TypeArena arena;
  const Type* m = arena.NewMap(IntType(), IntType());
  Value want = Value::Zero(m);
  std::vector<Value>* elems = internal::ValueAccess::mutable_elems(&want);
  for (int64_t k :
       {7, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19}) {
    elems->push_back(Value::Int(k));
    elems->push_back(Value::Int(-k));
  }
  Value got = want;
  MapBuilder builder(&got);
  for (int64_t k : {7, 20, 1, 7, 21}) {
    ASSERT_THAT(want.MapInsert(Value::Int(k), Value::Int(100 + k)), IsOk());
    ASSERT_THAT(builder.Insert(Value::Int(k), Value::Int(100 + k)), IsOk());
  }
  EXPECT_TRUE(SameEntries(got, want));
  EXPECT_EQ(got.map_value(0).int_value(), 107);
  EXPECT_EQ(got.map_value(7).int_value(), -7);
}

TEST(MapBuilderTest, ChecksTypesAsMapInsert) {
  TypeArena arena;
  const Type* m = arena.NewMap(StringType(), IntType());
  Value map = Value::Zero(m);
  MapBuilder builder(&map);
  for (int i = 0; i < 40; ++i) {
    ASSERT_THAT(builder.Insert(Value::String(absl::StrCat(i)), Value::Int(i)),
                IsOk());
    // Below and past the indexing size, nothing of a wrong type gets in.
    EXPECT_THAT(builder.Insert(Value::Int(i), Value::Int(i)), Not(IsOk()));
    EXPECT_THAT(builder.Insert(Value::String("0"), Value::String("x")),
                Not(IsOk()));
    EXPECT_THAT(builder.Insert(Value::String("0"), Value()), Not(IsOk()));
  }
  ASSERT_EQ(map.size(), 40u);
  EXPECT_EQ(map.map_value(0).int_value(), 0);
  Value slice = Value::Zero(arena.NewSlice(IntType()));
  EXPECT_THAT(MapBuilder(&slice).Insert(Value::Int(1), Value::Int(1)),
              Not(IsOk()));
  EXPECT_EQ(slice.size(), 0u);
}

// Building a map is linear: 200k entries take a fraction of a second, where
// a search per insertion would take minutes (and time the test out). Keys
// alike but for their last bytes make each comparison of a search slower.
TEST(MapBuilderTest, LargeMapsBuildInLinearTime) {
  TypeArena arena;
  const Type* m = arena.NewMap(StringType(), IntType());
  const std::string prefix(44, 'k');
  auto key = [&](int64_t k) {
    return Value::String(absl::StrCat(prefix, absl::Dec(k, absl::kZeroPad20)));
  };
  Value map = Value::Zero(m);
  MapBuilder builder(&map);
  constexpr int64_t kEntries = 200000;
  size_t failed = 0;
  for (int64_t k = 0; k < kEntries; ++k) {
    failed += !builder.Insert(key(k), Value::Int(k)).ok();
  }
  for (int64_t k = kEntries - 1; k >= 0; k -= 3) {
    failed += !builder.Insert(key(k), Value::Int(-k)).ok();
  }
  EXPECT_EQ(failed, 0u);
  ASSERT_EQ(map.size(), static_cast<size_t>(kEntries));
  size_t wrong = 0;
  for (int64_t k = 0; k < kEntries; ++k) {
    const size_t i = static_cast<size_t>(k);
    const int64_t want = (kEntries - 1 - k) % 3 == 0 ? -k : k;
    wrong += map.map_key(i) != key(k) || map.map_value(i).int_value() != want;
  }
  EXPECT_EQ(wrong, 0u);
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

// A map key sent twice (no Go encoder does it; a hostile peer may) gives one
// entry with the last value, as Go's decoder (SetMapIndex) keeps it.
TEST(ValueTest, DecodedMapKeepsTheLastValueOfARepeatedKey) {
  TypeArena arena;
  const Type* m = arena.NewMap(StringType(), IntType());
  Value map = Value::Zero(m);
  ASSERT_THAT(map.MapInsert(Value::String("a"), Value::Int(1)), IsOk());
  ASSERT_THAT(map.MapInsert(Value::String("b"), Value::Int(2)), IsOk());
  Encoder enc;
  std::string out;
  ASSERT_THAT(enc.EncodeValue(map, &out), IsOk());
  size_t at = out.rfind('b');  // the second key's one byte
  ASSERT_NE(at, std::string::npos);
  out[at] = 'a';
  Decoder dec = Decoder::FromBytes(out);
  Value got;
  ASSERT_THAT(dec.DecodeValue(&got), IsOk());
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got.map_key(0).string_value(), "a");
  EXPECT_EQ(got.map_value(0).int_value(), 2);
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
