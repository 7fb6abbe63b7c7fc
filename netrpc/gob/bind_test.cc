// Copyright 2024 The netrpc-gateway Authors. Licensed under the Apache License 2.0.

#include "netrpc/gob/bind.h"

#include <array>
#include <cfloat>
#include <cmath>
#include <complex>
#include <cstdint>
#include <limits>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/time/time.h"
#include "gtest/gtest.h"
#include "netrpc/gob/decoder.h"
#include "netrpc/gob/encoder.h"
#include "netrpc/gob/test_util.h"

namespace netrpc::gob::bind_test {

// Wide holds every integer width at 64 bits, to feed narrower receivers.
struct Wide {
  int64_t I8 = 0;
  int64_t I16 = 0;
  int64_t I32 = 0;
  int64_t I64 = 0;
  uint64_t U8 = 0;
  uint64_t U16 = 0;
  uint64_t U32 = 0;
  uint64_t U64 = 0;
  double F32 = 0;
};
NETRPC_GOB_STRUCT_NAMED(Wide, "main.Wide", I8, I16, I32, I64, U8, U16, U32,
                        U64, F32);

struct Narrow {
  int8_t I8 = 0;
  int16_t I16 = 0;
  int32_t I32 = 0;
  int64_t I64 = 0;
  uint8_t U8 = 0;
  uint16_t U16 = 0;
  uint32_t U32 = 0;
  uint64_t U64 = 0;
  float F32 = 0;
};
NETRPC_GOB_STRUCT_NAMED(Narrow, "main.Narrow", I8, I16, I32, I64, U8, U16, U32,
                        U64, F32);

struct Inner {
  std::string Name;
};
NETRPC_GOB_STRUCT_NAMED(Inner, "main.Inner", Name);

struct Containers {
  std::vector<int64_t> V;
  std::array<int64_t, 2> A = {};
  std::map<std::string, int64_t> M;
  std::unordered_map<int64_t, std::string> U;
  absl::flat_hash_map<std::string, Inner> H;
  std::vector<std::vector<std::string>> VV;
  std::optional<int64_t> OptInt;
  std::unique_ptr<Inner> PtrInner;
  std::vector<bool> Bools;
  Bytes Raw;
  std::vector<uint8_t> Raw2;
  std::array<uint8_t, 3> Fixed = {};
  absl::Time When = GoZeroTime();
  absl::Duration Took;
  std::complex<double> Z;
};
NETRPC_GOB_STRUCT_NAMED(Containers, "main.Containers", V, A, M, U, H, VV,
                        OptInt, PtrInner, Bools, Raw, Raw2, Fixed, When, Took,
                        Z);

struct Lists {
  std::vector<int64_t> V;
  std::map<std::string, int64_t> M;
};
NETRPC_GOB_STRUCT_NAMED(Lists, "main.Lists", V, M);

struct NarrowLists {
  std::vector<int8_t> V;
  std::map<std::string, int8_t> M;
};
NETRPC_GOB_STRUCT_NAMED(NarrowLists, "main.Lists", V, M);

struct StringLists {
  std::vector<std::string> V;
};
NETRPC_GOB_STRUCT_NAMED(StringLists, "main.StringLists", V);

struct InnerAsInt {
  int64_t Name = 0;
};
NETRPC_GOB_STRUCT_NAMED(InnerAsInt, "main.InnerAsInt", Name);

struct WithInner {
  Inner In;
};
NETRPC_GOB_STRUCT_NAMED(WithInner, "main.WithInner", In);

struct WithInt {
  int64_t In = 0;
};
NETRPC_GOB_STRUCT_NAMED(WithInt, "main.WithInner", In);

struct Private {
  int64_t Shown = 0;
  int64_t hidden = 0;
};
NETRPC_GOB_STRUCT_NAMED(Private, "main.Private", Shown, hidden);

enum class Color : uint8_t { kRed = 1, kGreen = 2 };
NETRPC_GOB_TYPE_NAME(Color, "main.Color");
enum Plain { kZero, kOne };

struct Paint {
  Color C = Color::kRed;
  std::vector<Color> Cs;
  Plain P = kZero;
};
NETRPC_GOB_STRUCT_NAMED(Paint, "main.Paint", C, Cs, P);

struct PaintWide {
  uint64_t C = 0;
};
NETRPC_GOB_STRUCT_NAMED(PaintWide, "main.Paint", C);

namespace {

using ::netrpc::gob::testing::IsOk;
using ::netrpc::gob::testing::StatusIs;

constexpr absl::StatusCode kInvalid = absl::StatusCode::kInvalidArgument;

template <typename From, typename To>
absl::Status Transfer(const From& from, To* to) {
  Encoder enc;
  std::string stream;
  absl::Status s = enc.Encode(from, &stream);
  if (!s.ok()) return s;
  return Unmarshal(stream, to);
}

TEST(BindTest, IntegerLimitsRoundTrip) {
  Wide w;
  w.I8 = INT8_MIN;
  w.I16 = INT16_MAX;
  w.I32 = INT32_MIN;
  w.I64 = INT64_MIN;
  w.U8 = UINT8_MAX;
  w.U16 = UINT16_MAX;
  w.U32 = UINT32_MAX;
  w.U64 = UINT64_MAX;
  w.F32 = FLT_MAX;
  Narrow n;
  ASSERT_THAT(Transfer(w, &n), IsOk());
  EXPECT_EQ(n.I8, INT8_MIN);
  EXPECT_EQ(n.I16, INT16_MAX);
  EXPECT_EQ(n.I32, INT32_MIN);
  EXPECT_EQ(n.I64, INT64_MIN);
  EXPECT_EQ(n.U8, UINT8_MAX);
  EXPECT_EQ(n.U16, UINT16_MAX);
  EXPECT_EQ(n.U32, UINT32_MAX);
  EXPECT_EQ(n.U64, UINT64_MAX);
  EXPECT_EQ(n.F32, FLT_MAX);
}

TEST(BindTest, IntegerOverflowsNameTheField) {
  const std::vector<std::pair<Wide, const char*>> cases = {
      {Wide{INT8_MAX + 1}, "I8"},
      {Wide{INT8_MIN - 1}, "I8"},
      {Wide{0, INT16_MIN - 1}, "I16"},
      {Wide{0, 0, int64_t{INT32_MAX} + 1}, "I32"},
      {Wide{0, 0, 0, 0, UINT8_MAX + 1}, "U8"},
      {Wide{0, 0, 0, 0, 0, UINT16_MAX + 1}, "U16"},
      {Wide{0, 0, 0, 0, 0, 0, uint64_t{UINT32_MAX} + 1}, "U32"},
      {Wide{0, 0, 0, 0, 0, 0, 0, 0, DBL_MAX}, "F32"},
      {Wide{0, 0, 0, 0, 0, 0, 0, 0, -1e39}, "F32"},
  };
  for (const auto& [wide, field] : cases) {
    Narrow n;
    EXPECT_THAT(Transfer(wide, &n),
                StatusIs(kInvalid, absl::StrCat("value for \"", field,
                                                "\" out of range")));
  }
  // Infinity and underflow fit a float32, as in Go.
  Narrow n;
  ASSERT_THAT(Transfer(Wide{0, 0, 0, 0, 0, 0, 0, 0, INFINITY}, &n), IsOk());
  EXPECT_EQ(n.F32, INFINITY);
  ASSERT_THAT(Transfer(Wide{0, 0, 0, 0, 0, 0, 0, 0, 1e-300}, &n), IsOk());
  EXPECT_EQ(n.F32, 0.0f);
}

TEST(BindTest, TopLevelAndElementOverflowNames) {
  int8_t i8;
  EXPECT_THAT(Transfer(int64_t{200}, &i8),
              StatusIs(kInvalid, "value for \"*int8\" out of range"));
  std::complex<float> c64;
  EXPECT_THAT(Transfer(std::complex<double>(1e300, 0), &c64),
              StatusIs(kInvalid, "value for \"*complex64\" out of range"));
  NarrowLists n;
  EXPECT_THAT(Transfer(Lists{{1, 1000}, {}}, &n),
              StatusIs(kInvalid, "value for \"element of V\" out of range"));
  EXPECT_THAT(Transfer(Lists{{}, {{"k", 1000}}}, &n),
              StatusIs(kInvalid, "value for \"M\" out of range"));
}

TEST(BindTest, ContainersRoundTrip) {
  Containers c;
  c.V = {1, -2, 3};
  c.A = {4, 5};
  c.M = {{"a", 1}, {"b", 2}};
  c.U = {{7, "seven"}};
  c.H = {{"in", Inner{"x"}}};
  c.VV = {{"a"}, {}, {"b", "c"}};
  c.OptInt = 9;
  c.PtrInner = std::make_unique<Inner>(Inner{"p"});
  c.Bools = {true, false, true};
  c.Raw = {0, 1, 2};
  c.Raw2 = {3};
  c.Fixed = {7, 8, 9};
  c.When = absl::FromUnixNanos(1234567890123456789);
  c.Took = absl::Milliseconds(-1500);
  c.Z = {1.5, -2};
  Containers got;
  ASSERT_THAT(Transfer(c, &got), IsOk());
  EXPECT_EQ(got.V, c.V);
  EXPECT_EQ(got.A, c.A);
  EXPECT_EQ(got.M, c.M);
  EXPECT_EQ(got.U, c.U);
  ASSERT_EQ(got.H.size(), 1u);
  EXPECT_EQ(got.H["in"].Name, "x");
  EXPECT_EQ(got.VV, c.VV);
  EXPECT_EQ(got.OptInt, 9);
  ASSERT_NE(got.PtrInner, nullptr);
  EXPECT_EQ(got.PtrInner->Name, "p");
  EXPECT_EQ(got.Bools, c.Bools);
  EXPECT_EQ(got.Raw, c.Raw);
  EXPECT_EQ(got.Raw2, c.Raw2);
  EXPECT_EQ(got.Fixed, c.Fixed);
  EXPECT_EQ(got.When, c.When);
  EXPECT_EQ(got.Took, c.Took);
  EXPECT_EQ(got.Z, c.Z);
}

TEST(BindTest, ZeroFieldsAreOmittedAndLeaveTheReceiverAlone) {
  Containers zero;
  Encoder enc;
  std::string stream;
  ASSERT_THAT(enc.Encode(zero, &stream), IsOk());
  Decoder dec = Decoder::FromBytes(stream);
  Value v;
  ASSERT_THAT(dec.DecodeValue(&v), IsOk());
  for (size_t i = 0; i < v.type()->fields().size(); ++i) {
    const std::string& name = v.type()->fields()[i].name;
    bool always_sent = name == "A" || name == "Fixed";  // arrays
    EXPECT_EQ(v.field(i).present(), always_sent) << name;
  }
  Containers keep;
  keep.OptInt = 5;
  keep.M = {{"old", 1}};
  ASSERT_THAT(Unmarshal(stream, &keep), IsOk());
  EXPECT_EQ(keep.OptInt, 5);
  EXPECT_EQ(keep.M.size(), 1u);
}

TEST(BindTest, SlicesReplaceMapsMerge) {
  Lists target{{9, 9, 9}, {{"old", 1}}};
  ASSERT_THAT(Transfer(Lists{{1}, {{"new", 2}}}, &target), IsOk());
  EXPECT_EQ(target.V, std::vector<int64_t>{1});
  EXPECT_EQ(target.M, (std::map<std::string, int64_t>{{"new", 2}, {"old", 1}}));
}

TEST(BindTest, CompatibilityErrors) {
  StringLists s;
  EXPECT_THAT(Transfer(Lists{{1}, {}}, &s),
              StatusIs(kInvalid,
                       "gob: wrong type ([]string) for received field Lists.V"));
  InnerAsInt ai;
  EXPECT_THAT(Transfer(Inner{"x"}, &ai),
              StatusIs(kInvalid,
                       "gob: wrong type (int) for received field Inner.Name"));
  WithInner wi;
  EXPECT_THAT(Transfer(WithInt{3}, &wi),
              StatusIs(kInvalid,
                       "gob: type mismatch in decoder: want struct type "
                       "main.Inner; got non-struct"));
  std::array<int64_t, 3> three;
  EXPECT_THAT(Transfer(std::array<int64_t, 2>{}, &three),
              StatusIs(kInvalid,
                       "gob: decoding into local type *[3]int, received "
                       "remote type "));
  Bytes bytes;
  EXPECT_THAT(Transfer(std::string("s"), &bytes),
              StatusIs(kInvalid,
                       "gob: decoding into local type *[]uint8, received "
                       "remote type string"));
  absl::Time t;
  EXPECT_THAT(Transfer(int64_t{1}, &t),
              StatusIs(kInvalid,
                       "gob: decoding into local type *time.Time, received "
                       "remote type int"));
}

TEST(BindTest, UnexportedMembersAreNotSent) {
  Private p{1, 2};
  Encoder enc;
  std::string stream;
  ASSERT_THAT(enc.Encode(p, &stream), IsOk());
  Decoder dec = Decoder::FromBytes(stream);
  Value v;
  ASSERT_THAT(dec.DecodeValue(&v), IsOk());
  ASSERT_EQ(v.type()->fields().size(), 1u);
  EXPECT_EQ(v.type()->fields()[0].name, "Shown");
  Private got{0, 7};
  ASSERT_THAT(Unmarshal(stream, &got), IsOk());
  EXPECT_EQ(got.Shown, 1);
  EXPECT_EQ(got.hidden, 7);
}

TEST(BindTest, EnumsAreIntegers) {
  Paint p{Color::kGreen, {Color::kRed, Color::kGreen}, kOne};
  Paint got;
  ASSERT_THAT(Transfer(p, &got), IsOk());
  EXPECT_EQ(got.C, Color::kGreen);
  EXPECT_EQ(got.Cs, p.Cs);
  EXPECT_EQ(got.P, kOne);
  EXPECT_EQ(Codec<std::vector<Color>>::GoString(), "[]main.Color");
  EXPECT_EQ(TypeOf<Paint>()->fields()[0].type, UintType());
  EXPECT_THAT(Transfer(PaintWide{300}, &got),
              StatusIs(kInvalid, "value for \"C\" out of range"));
}

TEST(BindTest, GoNames) {
  EXPECT_EQ(Codec<int64_t>::GoString(), "int");
  EXPECT_EQ(Codec<int32_t>::GoString(), "int32");
  EXPECT_EQ(Codec<uint8_t>::GoString(), "uint8");
  EXPECT_EQ(Codec<uint64_t>::GoString(), "uint");
  EXPECT_EQ(Codec<std::vector<Inner>>::GoString(), "[]main.Inner");
  EXPECT_EQ((Codec<std::map<std::string, std::unique_ptr<Inner>>>::GoString()),
            "map[string]*main.Inner");
  EXPECT_EQ((Codec<std::array<int8_t, 2>>::GoString()), "[2]int8");
  EXPECT_EQ(Codec<Bytes>::GoString(), "[]uint8");
  EXPECT_EQ(Codec<absl::Time>::GoString(), "time.Time");
  EXPECT_EQ(Codec<Inner>::GoName(), "Inner");
  EXPECT_EQ(Codec<std::unique_ptr<Inner>>::GoName(), "");
}

TEST(BindTest, TypeOfDescribesAsGoWould) {
  const Type* t = TypeOf<Containers>();
  ASSERT_EQ(t->kind(), Kind::kStruct);
  EXPECT_EQ(t->name(), "Containers");
  EXPECT_EQ(t->fields()[0].type->name(), "[]int");
  EXPECT_EQ(t->fields()[2].type->name(), "map[string]int");
  EXPECT_EQ(t->fields()[2].type->kind(), Kind::kMap);
  EXPECT_EQ(t->fields()[6].type, IntType());  // *int is int on the wire
  // Inner was first reached as the element of map H, which fixes its name to
  // "" as in Go (SPEC §1.6: the first path wins).
  EXPECT_EQ(t->fields()[4].type->elem(), t->fields()[7].type);
  EXPECT_EQ(t->fields()[7].type->name(), "");
  EXPECT_EQ(t->fields()[12].type->kind(), Kind::kGobEncoder);
  EXPECT_EQ(t->fields()[12].type->name(), "Time");
  EXPECT_EQ(TypeOf<Containers>(), t);
  EXPECT_EQ(TypeOf<std::vector<std::string>>()->name(), "");
}

}  // namespace
}  // namespace netrpc::gob::bind_test
