#include "bridge/convert/gob_to_wire.h"

#include <cmath>
#include <cstdint>
#include <limits>
#include <memory>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/time/time.h"
#include "google/protobuf/any.pb.h"
#include "google/protobuf/descriptor.pb.h"
#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/text_format.h"
#include "google/protobuf/util/message_differencer.h"
#include "gtest/gtest.h"

#include "bridge/convert/gob_to_proto.h"
#include "bridge/convert/gob_types.h"
#include "bridge/convert/proto_to_gob.h"
#include "bridge/convert/testdata/mapping.pb.h"
#include "bridge/convert/testdata/mapping2.pb.h"
#include "netrpc/gob/decoder.h"
#include "netrpc/gob/encoder.h"
#include "netrpc/gob/time.h"
#include "netrpc/testing/status_matchers.h"

namespace bridge {
namespace {

namespace gob = ::netrpc::gob;
using ::google::protobuf::Descriptor;
using ::google::protobuf::FieldDescriptor;
using ::google::protobuf::Message;
using ::google::protobuf::Reflection;
using ::google::protobuf::util::MessageDifferencer;
using ::netrpc::testing::IsOk;
using ::netrpc::testing::StatusIs;
using testdata::Inner;
using testdata::Node;
using testdata::Product;
using testdata::User;
using testdata::Widths;
using testdata2::Leaf;
using testdata2::Legacy;

constexpr absl::StatusCode kInvalid = absl::StatusCode::kInvalidArgument;
constexpr absl::StatusCode kOutOfRange = absl::StatusCode::kOutOfRange;

// Bytes turns "08 ff 01" into the bytes it spells.
std::string Bytes(absl::string_view hex) {
  return absl::HexStringToBytes(absl::StrReplaceAll(hex, {{" ", ""}}));
}

// Parse reads wire as an M, however deep it nests.
template <typename M>
M Parse(const std::string& wire) {
  M m;
  google::protobuf::io::CodedInputStream in(
      reinterpret_cast<const uint8_t*>(wire.data()),
      static_cast<int>(wire.size()));
  in.SetRecursionLimit(std::numeric_limits<int>::max());
  EXPECT_TRUE(m.MergePartialFromCodedStream(&in) && in.ConsumedEntireMessage())
      << absl::BytesToHexString(wire);
  return m;
}

MATCHER_P(EqualsProto, expected, "") {
  std::string diff;
  MessageDifferencer differencer;
  differencer.ReportDifferencesToString(&diff);
  if (differencer.Compare(arg, expected)) return true;
  *result_listener << diff;
  return false;
}

class GobToWireTest : public ::testing::Test {
 protected:
  // Struct builds a value of the gob struct that stands for d.
  gob::Value Struct(const Descriptor* d,
                    std::vector<std::pair<const char*, gob::Value>> fields) {
    gob::Value v = gob::Value::Zero(*types_.For(d));
    for (auto& [name, value] : fields) {
      EXPECT_THAT(v.SetField(name, std::move(value)), IsOk()) << name;
    }
    return v;
  }

  // Zero is the zero value of the type of d's Go field `name`.
  gob::Value Zero(const Descriptor* d, absl::string_view name) {
    const gob::Type* t = *types_.For(d);
    return gob::Value::Zero(t->fields()[t->FieldIndex(name)].type);
  }

  gob::Value Slice(const Descriptor* d, absl::string_view name,
                   std::vector<gob::Value> elems) {
    gob::Value v = Zero(d, name);
    for (gob::Value& e : elems) EXPECT_THAT(v.Append(std::move(e)), IsOk());
    return v;
  }

  gob::Value Time(absl::Time t) {
    std::string b;
    EXPECT_THAT(gob::AppendGoTime(t, &b), IsOk());
    return gob::Value::External(types_.TimeType(), b);
  }

  // Decode decodes a gob stream's first value; the decoder, which owns the
  // value's types, lives as long as the test.
  gob::Value Decode(const std::string& stream) {
    decoders_.push_back(
        std::make_unique<gob::Decoder>(gob::Decoder::FromBytes(stream)));
    gob::Value v;
    EXPECT_THAT(decoders_.back()->DecodeValue(&v), IsOk());
    return v;
  }

  // Renamed sends v through a gob stream in which every `from` is renamed
  // `to` (as long): a peer's struct type may name a field twice, which no
  // TypeArena builds.
  gob::Value Renamed(const gob::Value& v, absl::string_view from,
                     absl::string_view to) {
    std::string stream;
    gob::Encoder encoder;
    EXPECT_THAT(encoder.EncodeValue(v, &stream), IsOk());
    return Decode(absl::StrReplaceAll(stream, {{from, to}}));
  }

  absl::StatusOr<std::string> Wire(const gob::Value& v, const Descriptor* d) {
    std::string out;
    absl::Status s = GobToWire(v, d, types_, options_, &out);
    if (!s.ok()) return s;
    return out;
  }

  // Hex is the wire encoding of v as a d, in hex, or the error.
  std::string Hex(const gob::Value& v, const Descriptor* d) {
    absl::StatusOr<std::string> w = Wire(v, d);
    return w.ok() ? absl::BytesToHexString(*w) : w.status().ToString();
  }

  GobTypes types_{GoNames()};
  ConvertOptions options_;
  std::vector<std::unique_ptr<gob::Decoder>> decoders_;
};

TEST_F(GobToWireTest, EveryIntegerWidth) {
  gob::Value v =
      Struct(Widths::descriptor(),
             {{"I32", gob::Value::Int(-1)},
              {"I64", gob::Value::Int(-2)},
              {"S32", gob::Value::Int(-1)},
              {"S64", gob::Value::Int(std::numeric_limits<int64_t>::min())},
              {"Sf32", gob::Value::Int(-2)},
              {"Sf64", gob::Value::Int(1)},
              {"U32", gob::Value::Uint(300)},
              {"U64", gob::Value::Uint(1)},
              {"F32", gob::Value::Uint(0xdeadbeef)},
              {"F64", gob::Value::Uint(2)}});
  EXPECT_EQ(Hex(v, Widths::descriptor()),
            absl::BytesToHexString(
                Bytes("08 ffffffffffffffffff01"  // int32 -1: ten bytes
                      "10 feffffffffffffffff01"  // int64 -2
                      "18 01"                    // sint32 -1, zigzag
                      "20 ffffffffffffffffff01"  // sint64 min, zigzag
                      "2d feffffff"              // sfixed32 -2
                      "31 0100000000000000"      // sfixed64 1
                      "38 ac02"                  // uint32 300
                      "40 01"                    // uint64 1
                      "4d efbeadde"              // fixed32
                      "51 0200000000000000")));  // fixed64 2
}

TEST_F(GobToWireTest, IntegersAtTheirLimitsParseBack) {
  gob::Value v =
      Struct(Widths::descriptor(),
             {{"I32", gob::Value::Int(std::numeric_limits<int32_t>::min())},
              {"I64", gob::Value::Int(std::numeric_limits<int64_t>::max())},
              {"S32", gob::Value::Int(std::numeric_limits<int32_t>::max())},
              {"S64", gob::Value::Int(std::numeric_limits<int64_t>::max())},
              {"Sf32", gob::Value::Int(std::numeric_limits<int32_t>::min())},
              {"Sf64", gob::Value::Int(std::numeric_limits<int64_t>::min())},
              {"U32", gob::Value::Uint(std::numeric_limits<uint32_t>::max())},
              {"U64", gob::Value::Uint(std::numeric_limits<uint64_t>::max())},
              {"F32", gob::Value::Uint(std::numeric_limits<uint32_t>::max())},
              {"F64", gob::Value::Uint(std::numeric_limits<uint64_t>::max())}});
  Widths want;
  want.set_i32(std::numeric_limits<int32_t>::min());
  want.set_i64(std::numeric_limits<int64_t>::max());
  want.set_s32(std::numeric_limits<int32_t>::max());
  want.set_s64(std::numeric_limits<int64_t>::max());
  want.set_sf32(std::numeric_limits<int32_t>::min());
  want.set_sf64(std::numeric_limits<int64_t>::min());
  want.set_u32(std::numeric_limits<uint32_t>::max());
  want.set_u64(std::numeric_limits<uint64_t>::max());
  want.set_f32(std::numeric_limits<uint32_t>::max());
  want.set_f64(std::numeric_limits<uint64_t>::max());
  absl::StatusOr<std::string> w = Wire(v, Widths::descriptor());
  ASSERT_THAT(w, IsOk());
  EXPECT_THAT(Parse<Widths>(*w), EqualsProto(want));
}

TEST_F(GobToWireTest, AppendsToOut) {
  std::string out = "prefix";
  ASSERT_THAT(
      GobToWire(Struct(Widths::descriptor(), {{"U64", gob::Value::Uint(1)}}),
                Widths::descriptor(), types_, options_, &out),
      IsOk());
  EXPECT_EQ(out, "prefix" + Bytes("40 01"));
}

TEST_F(GobToWireTest, Proto3ZerosAreLeftOutAsProtobufDoes) {
  gob::Value v = Struct(User::descriptor(),
                        {{"UserID", gob::Value::Int(0)},
                         {"DisplayName", gob::Value::String("")},
                         {"Avatar", gob::Value::Bytes("")},
                         {"Color", gob::Value::Int(0)},
                         {"Active", gob::Value::Bool(false)},
                         {"Score", gob::Value::Float(0)},
                         {"Ratio", gob::Value::Float(0)},
                         {"Names", Zero(User::descriptor(), "Names")}});
  EXPECT_EQ(Hex(v, User::descriptor()), "");
  // -0.0 is not zero to protobuf's serializer, which compares the bits.
  v = Struct(User::descriptor(), {{"Score", gob::Value::Float(-0.0)}});
  EXPECT_EQ(Hex(v, User::descriptor()),
            absl::BytesToHexString(Bytes("61 0000000000000080")));
}

TEST_F(GobToWireTest, PresenceKeepsZeros) {
  gob::Value v =
      Struct(Legacy::descriptor(), {{"Count", gob::Value::Int(0)},
                                    {"Label", gob::Value::String("")},
                                    {"Num", gob::Value::Int(0)},
                                    {"Maybe", gob::Value::Int(0)},
                                    {"MaybeText", gob::Value::String("")},
                                    {"F", gob::Value::Float(0)},
                                    {"U", gob::Value::Uint(0)}});
  EXPECT_EQ(Hex(v, Legacy::descriptor()),
            absl::BytesToHexString(Bytes("08 00"           // optional int32
                                         "12 00"           // optional string
                                         "48 00"           // oneof member
                                         "62 00"           // Int64Value(0)
                                         "6a 00"           // StringValue("")
                                         "85 01 00000000"  // optional float
                                         "88 01 00")));    // optional uint32
  Legacy want;
  want.set_count(0);
  want.set_label("");
  want.set_num(0);
  want.mutable_maybe();
  want.mutable_maybe_text();
  want.set_f(0);
  want.set_u(0);
  EXPECT_THAT(Parse<Legacy>(*Wire(v, Legacy::descriptor())), EqualsProto(want));
}

TEST_F(GobToWireTest, PackedAndUnpackedRepeatedFields) {
  const Descriptor* d = Legacy::descriptor();
  gob::Value v = Struct(
      d, {{"Unpacked",
           Slice(d, "Unpacked", {gob::Value::Int(1), gob::Value::Int(-1)})},
          {"Packed",
           Slice(d, "Packed", {gob::Value::Int(1), gob::Value::Int(-1)})},
          {"Levels",
           Slice(d, "Levels", {gob::Value::Int(1), gob::Value::Int(2)})}});
  EXPECT_EQ(Hex(v, d), absl::BytesToHexString(Bytes(
                           "20 01 20 ffffffffffffffffff01"  // [packed=false]
                           "2a 02 02 01"                    // sint64, packed
                           "30 01 30 02")));                // proto2 enum
  // proto3 packs by default; an empty slice writes nothing.
  v = Struct(Inner::descriptor(),
             {{"Vals", Slice(Inner::descriptor(), "Vals",
                             {gob::Value::Int(1), gob::Value::Int(-1),
                              gob::Value::Int(0)})}});
  EXPECT_EQ(Hex(v, Inner::descriptor()),
            absl::BytesToHexString(Bytes("12 0c 01 ffffffffffffffffff01 00")));
  v = Struct(Inner::descriptor(),
             {{"Vals", Zero(Inner::descriptor(), "Vals")}});
  EXPECT_EQ(Hex(v, Inner::descriptor()), "");
}

TEST_F(GobToWireTest, LongPackedRunsAndStrings) {
  std::vector<gob::Value> vals;
  Inner want;
  for (int i = 0; i < 200; ++i) {
    vals.push_back(gob::Value::Int(i * 1000));
    want.add_vals(i * 1000);
  }
  want.set_name(std::string(300, 'n'));
  gob::Value v =
      Struct(Inner::descriptor(),
             {{"Name", gob::Value::String(std::string(300, 'n'))},
              {"Vals", Slice(Inner::descriptor(), "Vals", std::move(vals))}});
  absl::StatusOr<std::string> w = Wire(v, Inner::descriptor());
  ASSERT_THAT(w, IsOk());
  EXPECT_EQ(*w, want.SerializeAsString());
}

TEST_F(GobToWireTest, NegativeEnumsAndOpenEnums) {
  gob::Value v = Struct(User::descriptor(), {{"Color", gob::Value::Int(-1)}});
  EXPECT_EQ(Hex(v, User::descriptor()),
            absl::BytesToHexString(Bytes("40 ffffffffffffffffff01")));
  v = Struct(User::descriptor(), {{"Color", gob::Value::Int(77)}});
  EXPECT_EQ(Parse<User>(*Wire(v, User::descriptor())).color(), 77);
}

TEST_F(GobToWireTest, NestedMessagesMapsAndLists) {
  const Descriptor* u = User::descriptor();
  gob::Value tags = Zero(u, "Tags");
  ASSERT_THAT(tags.MapInsert(gob::Value::String("k"), gob::Value::Int(0)),
              IsOk());
  gob::Value by_id = Zero(u, "ById");
  ASSERT_THAT(
      by_id.MapInsert(gob::Value::Int(3), Struct(Inner::descriptor(), {})),
      IsOk());
  gob::Value v = Struct(
      u,
      {{"Profile", Struct(Inner::descriptor(), {})},
       {"Items",
        Slice(u, "Items",
              {Struct(Inner::descriptor(), {{"Name", gob::Value::String("a")}}),
               Struct(Inner::descriptor(), {})})},
       {"Tags", std::move(tags)},
       {"ById", std::move(by_id)},
       {"Names",
        Slice(u, "Names", {gob::Value::String("x"), gob::Value::String("")})}});
  EXPECT_EQ(Hex(v, u), absl::BytesToHexString(
                           Bytes("22 00"           // an empty struct is present
                                 "2a 03 0a 01 61"  // items[0]
                                 "2a 00"           // items[1], empty
                                 "32 05 0a 01 6b 10 00"  // tags: key and value
                                 "3a 04 08 03 12 00"   // by_id: an empty value
                                 "72 01 78 72 00")));  // names
  User want;
  want.mutable_profile();
  want.add_items()->set_name("a");
  want.add_items();
  (*want.mutable_tags())["k"] = 0;
  (*want.mutable_by_id())[3];
  want.add_names("x");
  want.add_names("");
  EXPECT_THAT(Parse<User>(*Wire(v, u)), EqualsProto(want));
}

TEST_F(GobToWireTest, MapOfMessagesAndOneofMessage) {
  const Descriptor* d = Legacy::descriptor();
  gob::Value by_name = Zero(d, "ByName");
  ASSERT_THAT(by_name.MapInsert(
                  gob::Value::String("a"),
                  Struct(Leaf::descriptor(), {{"N", gob::Value::Int(0)}})),
              IsOk());
  gob::Value v = Struct(d, {{"Pick", Struct(Leaf::descriptor(), {})},
                            {"ByName", std::move(by_name)}});
  EXPECT_EQ(Hex(v, d), absl::BytesToHexString(
                           Bytes("5a 00"  // pick, empty
                                 "7a 07 0a 01 61 12 02 10 00")));  // by_name
  Legacy want;
  want.mutable_pick();
  (*want.mutable_by_name())["a"].set_n(0);
  EXPECT_THAT(Parse<Legacy>(*Wire(v, d)), EqualsProto(want));
}

TEST_F(GobToWireTest, WellKnownTypes) {
  const Descriptor* u = User::descriptor();
  gob::Value v = Struct(
      u, {{"Created", Time(absl::UnixEpoch() - absl::Milliseconds(1500))},
          {"Ttl", gob::Value::Int(-1500000000)}});
  User want;
  want.mutable_created()->set_seconds(-2);  // floored
  want.mutable_created()->set_nanos(500000000);
  want.mutable_ttl()->set_seconds(-1);  // both parts negative
  want.mutable_ttl()->set_nanos(-500000000);
  EXPECT_THAT(Parse<User>(*Wire(v, u)), EqualsProto(want));

  // Zero times and durations are present, empty messages.
  v = Struct(
      u, {{"Created", Time(absl::UnixEpoch())}, {"Ttl", gob::Value::Int(0)}});
  EXPECT_EQ(Hex(v, u), absl::BytesToHexString(Bytes("4a 00 52 00")));

  // The first and the last instant Timestamp holds.
  absl::Time first =
      absl::FromCivil(absl::CivilSecond(1, 1, 1, 0, 0, 0), absl::UTCTimeZone());
  v = Struct(u, {{"Created", Time(first)}});
  EXPECT_EQ(Parse<User>(*Wire(v, u)).created().seconds(), -62135596800);
  absl::Time last = absl::FromCivil(absl::CivilSecond(9999, 12, 31, 23, 59, 59),
                                    absl::UTCTimeZone()) +
                    absl::Nanoseconds(999999999);
  v = Struct(u, {{"Created", Time(last)}});
  EXPECT_EQ(Parse<User>(*Wire(v, u)).created().nanos(), 999999999);
  v = Struct(u, {{"Created", Time(last + absl::Nanoseconds(1))}});
  EXPECT_THAT(Wire(v, u),
              StatusIs(kOutOfRange,
                       "bridge: time 10000-01-01T00:00:00Z is outside "
                       "google.protobuf.Timestamp's range (years 1 to 9999)"));
  v = Struct(u, {{"Created", Time(first - absl::Nanoseconds(1))}});
  EXPECT_THAT(Wire(v, u), StatusIs(kOutOfRange));
}

TEST_F(GobToWireTest, Wrappers) {
  const Descriptor* d = Legacy::descriptor();
  gob::Value v = Struct(d, {{"Maybe", gob::Value::Int(-3)},
                            {"MaybeText", gob::Value::String("t")}});
  Legacy want;
  want.mutable_maybe()->set_value(-3);
  want.mutable_maybe_text()->set_value("t");
  EXPECT_THAT(Parse<Legacy>(*Wire(v, d)), EqualsProto(want));
  v = Struct(d, {});
  *v.mutable_field((*types_.For(d))->FieldIndex("Maybe")) = gob::Value::Uint(3);
  EXPECT_THAT(Wire(v, d), StatusIs(kInvalid,
                                   "bridge: a Go uint cannot fill "
                                   "google.protobuf.Int64Value.value (int64)"));
}

TEST_F(GobToWireTest, UnwrappedMessage) {
  EXPECT_EQ(Hex(gob::Value::Int(56), Product::descriptor()), "0838");
  EXPECT_EQ(Hex(gob::Value::Int(0), Product::descriptor()), "");
  EXPECT_THAT(Wire(gob::Value::Uint(1), Product::descriptor()),
              StatusIs(kInvalid,
                       "bridge: a Go uint cannot fill "
                       "bridge.testdata.Product.value (int64)"));
}

TEST_F(GobToWireTest, DeepNesting) {
  constexpr int kDepth = 1000;
  gob::Value v = Struct(Node::descriptor(), {{"Val", gob::Value::Int(kDepth)}});
  for (int i = kDepth - 1; i >= 0; --i) {
    v = Struct(Node::descriptor(),
               {{"Val", gob::Value::Int(i)}, {"Next", std::move(v)}});
  }
  Node want;
  Node* n = &want;
  for (int i = 0; i < kDepth; ++i) {
    n->set_val(i);
    n = n->mutable_next();
  }
  n->set_val(kDepth);
  absl::StatusOr<std::string> w = Wire(v, Node::descriptor());
  ASSERT_THAT(w, IsOk());
  EXPECT_EQ(*w, want.SerializeAsString());

  // GobToProto parses what GobToWire writes without protobuf's default
  // nesting limit of 100.
  Node back;
  ASSERT_THAT(GobToProto(v, &back, types_, options_), IsOk());
  EXPECT_THAT(back, EqualsProto(want));
}

TEST_F(GobToWireTest, KindMismatches) {
  const Descriptor* u = User::descriptor();
  gob::TypeArena arena;
  gob::Value ints = gob::Value::Zero(arena.NewSlice(gob::IntType()));
  gob::Value int_keys =
      gob::Value::Zero(arena.NewMap(gob::IntType(), gob::IntType()));
  ASSERT_THAT(int_keys.MapInsert(gob::Value::Int(1), gob::Value::Int(1)),
              IsOk());
  struct Case {
    const char* field;
    gob::Value value;
    const char* error;
  } cases[] = {
      {"UserID", gob::Value::Uint(1),
       "bridge: a Go uint cannot fill bridge.testdata.User.user_id (int64)"},
      {"Items", gob::Value::Int(1),
       "bridge: a Go int cannot fill bridge.testdata.User.items (repeated "
       "message)"},
      {"Names", gob::Value::String("x"),
       "bridge: a Go string cannot fill bridge.testdata.User.names (repeated "
       "string)"},
      {"Tags", ints,
       "bridge: a Go []int cannot fill bridge.testdata.User.tags (map)"},
      {"Tags", int_keys,
       "bridge: a Go int cannot fill bridge.testdata.User.TagsEntry.key "
       "(string)"},
      {"Avatar", gob::Value::String("x"),
       "bridge: a Go string cannot fill bridge.testdata.User.avatar (bytes)"},
      {"Score", gob::Value::Int(1),
       "bridge: a Go int cannot fill bridge.testdata.User.score (double)"},
      {"Active", gob::Value::Int(1),
       "bridge: a Go int cannot fill bridge.testdata.User.active (bool)"},
      {"Profile", gob::Value::Int(1),
       "bridge: bridge.testdata.Inner needs a Go struct, got int; for a "
       "non-struct net/rpc value declare a one-field message with option "
       "(netrpc.options.v1.unwrap) = true"},
      {"Created", gob::Value::Int(1),
       "bridge: google.protobuf.Timestamp needs a Go time.Time, got int"},
      {"Ttl", gob::Value::String("1s"),
       "bridge: google.protobuf.Duration needs a Go time.Duration (int), got "
       "string"},
  };
  for (Case& c : cases) {
    gob::Value v = gob::Value::Zero(*types_.For(u));
    *v.mutable_field((*types_.For(u))->FieldIndex(c.field)) = c.value;
    EXPECT_THAT(Wire(v, u), StatusIs(kInvalid, c.error)) << c.field;
  }
  gob::Value v = gob::Value::Zero(*types_.For(u));
  *v.mutable_field((*types_.For(u))->FieldIndex("Items")) =
      Slice(u, "Names", {gob::Value::String("x")});
  EXPECT_THAT(Wire(v, u),
              StatusIs(kInvalid,
                       "bridge: bridge.testdata.Inner needs a Go struct, got "
                       "string; for a non-struct net/rpc value declare a "
                       "one-field message with option "
                       "(netrpc.options.v1.unwrap) = true"));
}

TEST_F(GobToWireTest, RangeChecks) {
  const Descriptor* w = Widths::descriptor();
  const Descriptor* l = Legacy::descriptor();
  struct Case {
    const Descriptor* message;
    const char* field;
    gob::Value value;
    const char* error;
  } cases[] = {
      {w, "I32", gob::Value::Int(int64_t{1} << 31),
       "bridge: value 2147483648 out of range for bridge.testdata.Widths.i32 "
       "(int32)"},
      {w, "S32", gob::Value::Int(-(int64_t{1} << 31) - 1),
       "bridge: value -2147483649 out of range for bridge.testdata.Widths.s32 "
       "(sint32)"},
      {w, "Sf32", gob::Value::Int(int64_t{1} << 40),
       "bridge: value 1099511627776 out of range for "
       "bridge.testdata.Widths.sf32 (sfixed32)"},
      {w, "U32", gob::Value::Uint(uint64_t{1} << 32),
       "bridge: value 4294967296 out of range for bridge.testdata.Widths.u32 "
       "(uint32)"},
      {w, "F32", gob::Value::Uint(std::numeric_limits<uint64_t>::max()),
       "bridge: value 18446744073709551615 out of range for "
       "bridge.testdata.Widths.f32 (fixed32)"},
      {l, "Level", gob::Value::Int(3),  // a closed enum
       "bridge: value 3 out of range for bridge.testdata2.Legacy.level "
       "(enum)"},
      {l, "F", gob::Value::Float(1e39),
       "bridge: value 1e+39 out of range for bridge.testdata2.Legacy.f "
       "(float)"},
      {l, "U", gob::Value::Uint(uint64_t{1} << 32),
       "bridge: value 4294967296 out of range for bridge.testdata2.Legacy.u "
       "(uint32)"},
  };
  for (Case& c : cases) {
    EXPECT_THAT(Wire(Struct(c.message, {{c.field, c.value}}), c.message),
                StatusIs(kOutOfRange, c.error))
        << c.field;
  }
  gob::Value levels =
      Slice(l, "Levels", {gob::Value::Int(1), gob::Value::Int(0)});
  EXPECT_THAT(Wire(Struct(l, {{"Levels", levels}}), l),
              StatusIs(kOutOfRange,
                       "bridge: value 0 out of range for "
                       "bridge.testdata2.Legacy.levels (enum)"));
  // Go's float32 rule: infinities and NaN pass.
  for (double x : {std::numeric_limits<double>::infinity(),
                   std::numeric_limits<double>::quiet_NaN()}) {
    absl::StatusOr<std::string> wire =
        Wire(Struct(l, {{"F", gob::Value::Float(x)}}), l);
    ASSERT_THAT(wire, IsOk());
    EXPECT_EQ(std::isnan(x), std::isnan(Parse<Legacy>(*wire).f()));
  }
}

TEST_F(GobToWireTest, Utf8IsCheckedForProto3StringsOnly) {
  for (const char* bad : {"\xff", "\xc0\x80", "\xed\xa0\x80",
                          "\xf4\x90\x80\x80", "abcdefgh\xe2\x82"}) {
    EXPECT_THAT(
        Wire(Struct(Inner::descriptor(), {{"Name", gob::Value::String(bad)}}),
             Inner::descriptor()),
        StatusIs(kInvalid,
                 "bridge: Go string for bridge.testdata.Inner.name is "
                 "not valid UTF-8, which a proto3 string must be; "
                 "make the field bytes"));
  }
  EXPECT_EQ(
      Hex(Struct(Legacy::descriptor(), {{"Label", gob::Value::String("\xff")}}),
          Legacy::descriptor()),
      "1201ff");
  EXPECT_EQ(
      Hex(Struct(Inner::descriptor(),
                 {{"Name", gob::Value::String("Zo\xc3\xab \xf0\x9f\x98\x80")}}),
          Inner::descriptor()),
      absl::BytesToHexString(Bytes("0a 09 5a6fc3ab20f09f9880")));
}

TEST_F(GobToWireTest, AtMostOneOneofMember) {
  const Descriptor* d = Legacy::descriptor();
  const char* kError =
      "bridge: Go fields for two members of oneof "
      "bridge.testdata2.Legacy.choice are set; at most one may be";
  // A member counts as set even when zero.
  EXPECT_THAT(Wire(Struct(d, {{"Num", gob::Value::Int(0)},
                              {"Text", gob::Value::String("")}}),
                   d),
              StatusIs(kInvalid, kError));
  EXPECT_THAT(Wire(Struct(d, {{"Text", gob::Value::String("t")},
                              {"Pick", Struct(Leaf::descriptor(), {})}}),
                   d),
              StatusIs(kInvalid, kError));
}

TEST_F(GobToWireTest, UnknownGoFields) {
  gob::TypeArena arena;
  gob::Type* t = arena.NewStruct("Inner");
  ASSERT_THAT(arena.AddField(t, "Name", gob::StringType()), IsOk());
  ASSERT_THAT(arena.AddField(t, "Extra", gob::IntType()), IsOk());
  gob::Value v = gob::Value::Zero(t);
  ASSERT_THAT(v.SetField("Name", gob::Value::String("n")), IsOk());
  ASSERT_THAT(v.SetField("Extra", gob::Value::Int(9)), IsOk());
  EXPECT_THAT(Wire(v, Inner::descriptor()),
              StatusIs(kInvalid,
                       "bridge: Go field Inner.Extra has no counterpart in "
                       "bridge.testdata.Inner; add the field to the proto, "
                       "declare its Go name (go_name option or field_names "
                       "in the config), or set unknown_fields: "
                       "DROP_AND_COUNT"));

  std::vector<std::string> drops;
  options_.unknown_fields = netrpc::config::v1::DROP_AND_COUNT;
  options_.on_drop = [&](absl::string_view what) { drops.emplace_back(what); };
  EXPECT_EQ(Hex(v, Inner::descriptor()), "0a016e");
  EXPECT_EQ(drops, std::vector<std::string>{
                       "bridge: Go field Inner.Extra has no counterpart in "
                       "bridge.testdata.Inner"});
}

TEST_F(GobToWireTest, GoFieldsInAnotherOrder) {
  gob::TypeArena arena;
  gob::Type* t = arena.NewStruct("Inner");
  ASSERT_THAT(arena.AddField(t, "Vals", arena.NewSlice(gob::IntType())),
              IsOk());
  ASSERT_THAT(arena.AddField(t, "Name", gob::StringType()), IsOk());
  gob::Value v = gob::Value::Zero(t);
  ASSERT_THAT(v.SetField("Name", gob::Value::String("n")), IsOk());
  gob::Value vals = gob::Value::Zero(t->fields()[0].type);
  ASSERT_THAT(vals.Append(gob::Value::Int(9)), IsOk());
  ASSERT_THAT(v.SetField("Vals", std::move(vals)), IsOk());
  EXPECT_EQ(Hex(v, Inner::descriptor()),
            absl::BytesToHexString(Bytes("12 01 09 0a 01 6e")));
}

// GobToProto set a field as often as a struct named it: the last scalar
// wins even when zero, messages merge, and oneof members add up across the
// merged values. The wire must parse to the same.
TEST_F(GobToWireTest, RepeatedGoNamesMergeAsProtobufDoes) {
  const Descriptor* u = User::descriptor();
  const Descriptor* inner = Inner::descriptor();
  gob::TypeArena arena;
  gob::Type* t = arena.NewStruct("User");
  for (const char* name : {"UserID", "UserXX"}) {
    ASSERT_THAT(arena.AddField(t, name, gob::IntType()), IsOk());
  }
  for (const char* name : {"Profile", "ProfilX"}) {
    ASSERT_THAT(arena.AddField(t, name, *types_.For(inner)), IsOk());
  }
  for (const char* name : {"Created", "CreateX"}) {
    ASSERT_THAT(arena.AddField(t, name, types_.TimeType()), IsOk());
  }
  gob::Value v = gob::Value::Zero(t);
  ASSERT_THAT(v.SetField("UserID", gob::Value::Int(5)), IsOk());
  ASSERT_THAT(v.SetField("UserXX", gob::Value::Int(5)), IsOk());
  ASSERT_THAT(
      v.SetField("Profile",
                 Struct(inner, {{"Name", gob::Value::String("a")},
                                {"Vals",
                                 Slice(inner, "Vals", {gob::Value::Int(1)})}})),
      IsOk());
  ASSERT_THAT(
      v.SetField("ProfilX",
                 Struct(inner, {{"Vals",
                                 Slice(inner, "Vals", {gob::Value::Int(2)})}})),
      IsOk());
  ASSERT_THAT(v.SetField("Created", Time(absl::FromUnixSeconds(7))), IsOk());
  ASSERT_THAT(v.SetField("CreateX", Time(absl::UnixEpoch())), IsOk());
  // Go never sends a zero struct field, but the wire can: the second
  // UserID's 5 (gob 0a) becomes 0.
  std::string stream;
  gob::Encoder encoder;
  ASSERT_THAT(encoder.EncodeValue(v, &stream), IsOk());
  size_t at = stream.rfind(Bytes("01 0a 01 0a"));
  ASSERT_NE(at, std::string::npos);
  stream[at + 3] = 0;
  stream = absl::StrReplaceAll(
      stream,
      {{"UserXX", "UserID"}, {"ProfilX", "Profile"}, {"CreateX", "Created"}});
  gob::Value dup = Decode(stream);
  ASSERT_EQ(dup.type()->fields()[1].name, "UserID");
  ASSERT_EQ(dup.field(1), gob::Value::Int(0));

  User want;
  want.mutable_profile()->set_name("a");
  want.mutable_profile()->add_vals(1);
  want.mutable_profile()->add_vals(2);
  want.mutable_created();  // the epoch clears the 7 seconds
  absl::StatusOr<std::string> w = Wire(dup, u);
  ASSERT_THAT(w, IsOk());
  EXPECT_THAT(Parse<User>(*w), EqualsProto(want));

  // Oneof members set in two values of one message field collide.
  google::protobuf::DescriptorPool pool;
  google::protobuf::FileDescriptorProto file;
  ASSERT_TRUE(google::protobuf::TextFormat::ParseFromString(
      R"pb(
        name: "choice.proto"
        package: "bridge.test"
        syntax: "proto3"
        message_type {
          name: "Choice"
          field { name: "a" number: 1 type: TYPE_INT64 oneof_index: 0 }
          field { name: "b" number: 2 type: TYPE_STRING oneof_index: 0 }
          oneof_decl { name: "k" }
        }
        message_type {
          name: "Outer"
          field {
            name: "choice"
            number: 1
            type: TYPE_MESSAGE
            type_name: ".bridge.test.Choice"
          }
        }
      )pb",
      &file));
  ASSERT_NE(pool.BuildFile(file), nullptr);
  const Descriptor* outer = pool.FindMessageTypeByName("bridge.test.Outer");
  const Descriptor* choice = pool.FindMessageTypeByName("bridge.test.Choice");
  gob::Type* o = arena.NewStruct("Outer");
  for (const char* name : {"Choice", "ChoicX"}) {
    ASSERT_THAT(arena.AddField(o, name, *types_.For(choice)), IsOk());
  }
  for (const char* second : {"A", "B"}) {
    gob::Value ov = gob::Value::Zero(o);
    ASSERT_THAT(
        ov.SetField("Choice", Struct(choice, {{"A", gob::Value::Int(1)}})),
        IsOk());
    gob::Value c = Struct(choice, {});
    *c.mutable_field((*types_.For(choice))->FieldIndex(second)) =
        second[0] == 'A' ? gob::Value::Int(2) : gob::Value::String("x");
    ASSERT_THAT(ov.SetField("ChoicX", std::move(c)), IsOk());
    EXPECT_THAT(Wire(Renamed(ov, "ChoicX", "Choice"), outer),
                StatusIs(kInvalid,
                         "bridge: Go fields for two members of oneof "
                         "bridge.test.Choice.k are set; at most one may be"))
        << second;
  }
}

TEST_F(GobToWireTest, UnsupportedWellKnownType) {
  EXPECT_THAT(
      Wire(gob::Value::Int(1), google::protobuf::Any::descriptor()),
      StatusIs(kInvalid, "bridge: google.protobuf.Any has no gob equivalent"));
}

// Randomize sets random values, at the limits of each width as often as
// not, on some of m's fields, nesting to `depth`. A field with presence is
// never set to zero, and a proto2 enum never left unset (Go sees its
// non-zero default): gob cannot tell those from absent, so they would not
// round-trip.
void Randomize(Message* m, std::mt19937_64& rng, int depth) {
  const Descriptor* d = m->GetDescriptor();
  const Reflection* r = m->GetReflection();
  auto coin = [&] { return rng() % 2 == 0; };
  auto int64 = [&]() -> int64_t {
    static constexpr int64_t kEdges[] = {-1,
                                         1,
                                         127,
                                         128,
                                         std::numeric_limits<int64_t>::min(),
                                         std::numeric_limits<int64_t>::max()};
    return coin() ? kEdges[rng() % 6] : static_cast<int64_t>(rng());
  };
  if (d->full_name() == "google.protobuf.Timestamp") {
    r->SetInt64(m, d->field(0),
                -62135596800 + static_cast<int64_t>(rng() % 315537897600));
    r->SetInt32(m, d->field(1), static_cast<int32_t>(rng() % 1000000000));
    return;
  }
  if (d->full_name() == "google.protobuf.Duration") {
    int64_t s = static_cast<int64_t>(rng() % 18000000000) - 9000000000;
    auto nanos = static_cast<int32_t>(rng() % 1000000000);
    r->SetInt64(m, d->field(0), s);
    r->SetInt32(m, d->field(1), s < 0 ? -nanos : nanos);
    return;
  }
  const bool wrapper = ClassifyMessage(d) == WellKnown::kWrapper;
  for (int i = 0; i < d->field_count(); ++i) {
    const FieldDescriptor* f = d->field(i);
    const bool closed_enum =
        f->enum_type() != nullptr && f->has_presence() && !f->is_repeated();
    if ((coin() && !wrapper && !closed_enum) ||
        (f->message_type() != nullptr && depth == 0)) {
      continue;
    }
    const int n = f->is_repeated() ? static_cast<int>(rng() % 4) : 1;
    for (int j = 0; j < n; ++j) {
      const bool add = f->is_repeated();
      switch (f->cpp_type()) {
        case FieldDescriptor::CPPTYPE_INT32: {
          auto x = static_cast<int32_t>(int64() | 1);
          add ? r->AddInt32(m, f, x) : r->SetInt32(m, f, x);
          break;
        }
        case FieldDescriptor::CPPTYPE_INT64: {
          int64_t x = int64() | 1;
          add ? r->AddInt64(m, f, x) : r->SetInt64(m, f, x);
          break;
        }
        case FieldDescriptor::CPPTYPE_UINT32: {
          auto x = static_cast<uint32_t>(int64() | 1);
          add ? r->AddUInt32(m, f, x) : r->SetUInt32(m, f, x);
          break;
        }
        case FieldDescriptor::CPPTYPE_UINT64: {
          auto x = static_cast<uint64_t>(int64() | 1);
          add ? r->AddUInt64(m, f, x) : r->SetUInt64(m, f, x);
          break;
        }
        case FieldDescriptor::CPPTYPE_DOUBLE: {
          double x = coin() ? std::numeric_limits<double>::max() : int64();
          add ? r->AddDouble(m, f, x) : r->SetDouble(m, f, x);
          break;
        }
        case FieldDescriptor::CPPTYPE_FLOAT: {
          float x = coin() ? std::numeric_limits<float>::infinity() : 0.5f;
          add ? r->AddFloat(m, f, x) : r->SetFloat(m, f, x);
          break;
        }
        case FieldDescriptor::CPPTYPE_BOOL:
          add ? r->AddBool(m, f, true) : r->SetBool(m, f, true);
          break;
        case FieldDescriptor::CPPTYPE_ENUM: {
          const auto* e = f->enum_type();
          int x =
              e->value(static_cast<int>(rng() % e->value_count()))->number();
          if (x == 0) x = -7;  // proto3 enums are open
          add ? r->AddEnumValue(m, f, x) : r->SetEnumValue(m, f, x);
          break;
        }
        case FieldDescriptor::CPPTYPE_STRING: {
          std::string x =
              coin() ? "Zo\xc3\xab" : std::string(rng() % 200 + 1, 's');
          add ? r->AddString(m, f, x) : r->SetString(m, f, x);
          break;
        }
        case FieldDescriptor::CPPTYPE_MESSAGE:
          if (f->is_map()) {
            // Distinct keys, so that the map is what was added.
            Message* e = r->AddMessage(m, f);
            Randomize(e, rng, depth - 1);
            const FieldDescriptor* key = e->GetDescriptor()->map_key();
            const Reflection* er = e->GetReflection();
            if (key->cpp_type() == FieldDescriptor::CPPTYPE_STRING) {
              er->SetString(e, key, absl::StrCat("k", j));
            } else {
              er->SetInt32(e, key, j);
            }
          } else {
            Randomize(add ? r->AddMessage(m, f) : r->MutableMessage(m, f), rng,
                      depth - 1);
          }
          break;
      }
    }
  }
}

TEST_F(GobToWireTest, RandomMessagesRoundTrip) {
  std::mt19937_64 rng(42);
  const Message* prototypes[] = {
      &User::default_instance(), &Widths::default_instance(),
      &Node::default_instance(), &Legacy::default_instance()};
  for (int i = 0; i < 4000; ++i) {
    const Message& prototype = *prototypes[i % 4];
    std::unique_ptr<Message> m(prototype.New());
    Randomize(m.get(), rng, 3);
    absl::StatusOr<gob::Value> v = ProtoToGob(*m, types_, options_);
    ASSERT_THAT(v, IsOk()) << m->ShortDebugString();
    std::string wire;
    ASSERT_THAT(GobToWire(*v, m->GetDescriptor(), types_, options_, &wire),
                IsOk());
    std::unique_ptr<Message> back(prototype.New());
    ASSERT_TRUE(back->ParseFromString(wire));
    ASSERT_TRUE(MessageDifferencer::Equals(*back, *m))
        << i << ": " << back->ShortDebugString() << "\nwant "
        << m->ShortDebugString();
  }
}

}  // namespace
}  // namespace bridge
