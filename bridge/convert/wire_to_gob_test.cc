#include "bridge/convert/wire_to_gob.h"

#include <cmath>
#include <cstdint>
#include <cstring>
#include <memory>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "google/protobuf/descriptor.pb.h"
#include "google/protobuf/dynamic_message.h"
#include "google/protobuf/stubs/logging.h"
#include "google/protobuf/text_format.h"
#include "google/protobuf/util/message_differencer.h"
#include "gtest/gtest.h"

#include "bridge/convert/gob_to_proto.h"
#include "bridge/convert/gob_to_wire.h"
#include "bridge/convert/gob_types.h"
#include "bridge/convert/testdata/mapping.pb.h"
#include "bridge/convert/testdata/map_cases.h"
#include "bridge/convert/testdata/mapping2.pb.h"
#include "netrpc/gob/time.h"

namespace bridge {
namespace {

namespace gob = ::netrpc::gob;
using ::google::protobuf::Descriptor;
using ::google::protobuf::FieldDescriptor;
using ::google::protobuf::Message;
using ::google::protobuf::Reflection;
using ::google::protobuf::util::MessageDifferencer;
using testdata::Inner;
using testdata::Node;
using testdata::Product;
using testdata::User;
using testdata2::Leaf;
using testdata2::Legacy;

// Wire builds protobuf wire bytes by hand.
class Wire {
 public:
  Wire& Tag(uint64_t field, int wire_type) {
    return Varint(field << 3 | static_cast<uint64_t>(wire_type));
  }
  Wire& Varint(uint64_t v) {
    for (; v >= 0x80; v >>= 7) out_.push_back(static_cast<char>(v | 0x80));
    out_.push_back(static_cast<char>(v));
    return *this;
  }
  Wire& Int(uint64_t field, uint64_t v) { return Tag(field, 0).Varint(v); }
  Wire& Fixed32(uint64_t field, uint32_t v) {
    Tag(field, 5);
    for (int i = 0; i < 4; ++i) out_.push_back(static_cast<char>(v >> 8 * i));
    return *this;
  }
  Wire& Bytes(uint64_t field, absl::string_view s) {
    Tag(field, 2).Varint(s.size());
    out_.append(s.data(), s.size());
    return *this;
  }
  Wire& Msg(uint64_t field, const Wire& w) { return Bytes(field, w.str()); }
  Wire& Group(uint64_t field, const Wire& w) {
    Tag(field, 3);
    out_ += w.str();
    return Tag(field, 4);
  }
  Wire& Raw(absl::string_view bytes) {
    out_.append(bytes.data(), bytes.size());
    return *this;
  }
  const std::string& str() const { return out_; }

 private:
  std::string out_;
};

uint64_t ZigZag(int64_t v) {
  return (static_cast<uint64_t>(v) << 1) ^ static_cast<uint64_t>(v >> 63);
}

// Same compares values as a Go peer sees them: maps unordered, floats by
// their bits.
::testing::AssertionResult Same(const gob::Value& a, const gob::Value& b,
                                const std::string& path = "value") {
  if (a.type() != b.type()) {
    return ::testing::AssertionFailure()
           << path << ": type " << (a.present() ? a.type()->String() : "absent")
           << " vs " << (b.present() ? b.type()->String() : "absent");
  }
  switch (a.kind()) {
    case gob::Kind::kFloat: {
      double x = a.float_value(), y = b.float_value();
      if (std::memcmp(&x, &y, sizeof x) == 0) break;
      return ::testing::AssertionFailure() << path << ": " << x << " vs " << y;
    }
    case gob::Kind::kStruct:
      for (size_t i = 0; i < a.type()->fields().size(); ++i) {
        auto r = Same(a.field(i), b.field(i),
                      absl::StrCat(path, ".", a.type()->fields()[i].name));
        if (!r) return r;
      }
      break;
    case gob::Kind::kSlice:
      if (a.size() != b.size()) {
        return ::testing::AssertionFailure()
               << path << ": " << a.size() << " vs " << b.size() << " elements";
      }
      for (size_t i = 0; i < a.size(); ++i) {
        auto r = Same(a.elem(i), b.elem(i), absl::StrCat(path, "[", i, "]"));
        if (!r) return r;
      }
      break;
    case gob::Kind::kMap:
      if (a.size() != b.size()) {
        return ::testing::AssertionFailure()
               << path << ": " << a.size() << " vs " << b.size() << " entries";
      }
      for (size_t i = 0; i < a.size(); ++i) {
        const gob::Value* other = b.MapFind(a.map_key(i));
        if (other == nullptr) {
          return ::testing::AssertionFailure()
                 << path << ": key " << i << " missing";
        }
        auto r = Same(a.map_value(i), *other, absl::StrCat(path, "{", i, "}"));
        if (!r) return r;
      }
      break;
    default:
      if (!(a == b)) {
        return ::testing::AssertionFailure()
               << path << ": " << a.int_value() << "/" << a.uint_value() << "/"
               << absl::CEscape(a.bytes()) << " vs " << b.int_value() << "/"
               << b.uint_value() << "/" << absl::CEscape(b.bytes());
      }
  }
  return ::testing::AssertionSuccess();
}

class WireToGobTest : public ::testing::Test {
 protected:
  const gob::Type* TypeOf(const Descriptor* d) {
    absl::StatusOr<const gob::Type*> t = types_.For(d);
    EXPECT_TRUE(t.ok()) << t.status();
    return t.ok() ? *t : nullptr;
  }

  // FieldType is the gob type of the field called go_name in d's struct.
  const gob::Type* FieldType(const Descriptor* d, absl::string_view go_name) {
    const gob::Type* t = TypeOf(d);
    return t->fields()[static_cast<size_t>(t->FieldIndex(go_name))].type;
  }

  // Struct builds the struct value of d with the given fields.
  gob::Value Struct(const Descriptor* d,
                    std::vector<std::pair<std::string, gob::Value>> fields) {
    gob::Value v = gob::Value::Zero(TypeOf(d));
    for (auto& [name, value] : fields) {
      absl::Status s = v.SetField(name, std::move(value));
      EXPECT_TRUE(s.ok()) << s;
    }
    return v;
  }

  gob::Value Slice(const gob::Type* t, std::vector<gob::Value> elems) {
    gob::Value v = gob::Value::Zero(t);
    for (gob::Value& e : elems) EXPECT_TRUE(v.Append(std::move(e)).ok());
    return v;
  }

  gob::Value Ints(const gob::Type* t, std::vector<int64_t> elems) {
    gob::Value v = gob::Value::Zero(t);
    for (int64_t e : elems) EXPECT_TRUE(v.Append(gob::Value::Int(e)).ok());
    return v;
  }

  gob::Value Convert(const Wire& w, const Descriptor* d) {
    absl::StatusOr<gob::Value> v = WireToGob(w.str(), d, types_, options_);
    EXPECT_TRUE(v.ok()) << v.status();
    return v.ok() ? *std::move(v) : gob::Value();
  }

  absl::Status Error(const Wire& w, const Descriptor* d) {
    return WireToGob(w.str(), d, types_, options_).status();
  }

  GobTypes types_{GoNames()};
  ConvertOptions options_;
};

TEST_F(WireToGobTest, ScalarsOfEveryWidth) {
  const Descriptor* d = testdata::Widths::descriptor();
  Wire w;
  w.Int(1, static_cast<uint64_t>(int64_t{-5}))  // int32, sign-extended
      .Int(2, static_cast<uint64_t>(INT64_MIN))
      .Int(3, ZigZag(-3))
      .Int(4, ZigZag(INT64_MAX))
      .Fixed32(5, static_cast<uint32_t>(-7))
      .Tag(6, 1)
      .Raw(std::string("\xff\xff\xff\xff\xff\xff\xff\x7f", 8))
      .Int(7, 0x1ffffffffu)  // uint32 keeps the low 32 bits
      .Int(8, UINT64_MAX)
      .Fixed32(9, 4000000000u);
  EXPECT_TRUE(
      Same(Convert(w, d), Struct(d, {{"I32", gob::Value::Int(-5)},
                                     {"I64", gob::Value::Int(INT64_MIN)},
                                     {"S32", gob::Value::Int(-3)},
                                     {"S64", gob::Value::Int(INT64_MAX)},
                                     {"Sf32", gob::Value::Int(-7)},
                                     {"Sf64", gob::Value::Int(INT64_MAX)},
                                     {"U32", gob::Value::Uint(0xffffffffu)},
                                     {"U64", gob::Value::Uint(UINT64_MAX)},
                                     {"F32", gob::Value::Uint(4000000000u)}})));
}

TEST_F(WireToGobTest, UserFieldsAndZeroOmission) {
  const Descriptor* d = User::descriptor();
  Wire w;
  w.Int(1, 42)
      .Bytes(2, "Zoë")
      .Bytes(3, std::string("\0\xff", 2))
      .Int(8, 2)
      .Int(11, 1)
      .Bytes(14, "x")
      .Bytes(14, "")
      .Int(11, 0)     // active: the last value wins, and it is zero
      .Bytes(2, "");  // display_name = "": zero again
  gob::Value names = gob::Value::Zero(FieldType(d, "Names"));
  ASSERT_TRUE(names.Append(gob::Value::String("x")).ok());
  ASSERT_TRUE(names.Append(gob::Value::String("")).ok());
  EXPECT_TRUE(
      Same(Convert(w, d),
           Struct(d, {{"UserID", gob::Value::Int(42)},
                      {"Avatar", gob::Value::Bytes(std::string("\0\xff", 2))},
                      {"Color", gob::Value::Int(2)},
                      {"Names", std::move(names)}})));
  // Nothing on the wire: every field absent.
  EXPECT_TRUE(Same(Convert(Wire(), d), Struct(d, {})));
}

TEST_F(WireToGobTest, FloatsKeepNegativeZeroOmittedAndNaN) {
  const Descriptor* d = User::descriptor();
  Wire w;
  w.Tag(12, 1).Raw(std::string("\0\0\0\0\0\0\0\x80", 8));  // score = -0.0
  w.Fixed32(13, 0x7fc00001);                               // ratio = NaN
  gob::Value v = Convert(w, d);
  EXPECT_FALSE(v.Field("Score")->present());
  EXPECT_TRUE(std::isnan(v.Field("Ratio")->float_value()));
}

TEST_F(WireToGobTest, MessageFieldsMerge) {
  const Descriptor* d = User::descriptor();
  Wire w;
  w.Msg(4, Wire().Bytes(1, "a").Int(2, 1))
      .Msg(4, Wire().Int(2, 2))
      .Msg(5, Wire())  // an empty element is still an element
      .Msg(5, Wire().Bytes(1, "b"));
  const Descriptor* inner = Inner::descriptor();
  const gob::Type* vals = FieldType(inner, "Vals");
  EXPECT_TRUE(Same(
      Convert(w, d),
      Struct(d,
             {{"Profile", Struct(inner, {{"Name", gob::Value::String("a")},
                                         {"Vals", Ints(vals, {1, 2})}})},
              {"Items",
               Slice(FieldType(d, "Items"),
                     {Struct(inner, {}),
                      Struct(inner, {{"Name", gob::Value::String("b")}})})}})));
  // A message present but empty is an empty struct, not an absent field.
  EXPECT_TRUE(Same(Convert(Wire().Msg(4, Wire()), d),
                   Struct(d, {{"Profile", Struct(inner, {})}})));
}

TEST_F(WireToGobTest, PackedAndUnpackedMix) {
  const Descriptor* inner = Inner::descriptor();
  Wire packed12, packed4;
  packed12.Varint(1).Varint(2);
  packed4.Varint(4);
  Wire w;
  w.Bytes(2, packed12.str()).Int(2, 3).Bytes(2, packed4.str()).Bytes(2, "");
  EXPECT_TRUE(Same(
      Convert(w, inner),
      Struct(inner, {{"Vals", Ints(FieldType(inner, "Vals"), {1, 2, 3, 4})}})));

  // proto2: an unpacked field read packed, a packed one read unpacked.
  const Descriptor* d = Legacy::descriptor();
  Wire zigzag;
  zigzag.Varint(ZigZag(-2)).Varint(ZigZag(3));
  Wire l;
  l.Int(4, 7)
      .Bytes(4, Wire().Varint(8).str())
      .Int(5, ZigZag(-1))
      .Bytes(5, zigzag.str());
  gob::Value v = Convert(l, d);
  EXPECT_TRUE(
      Same(*v.Field("Unpacked"), Ints(FieldType(d, "Unpacked"), {7, 8})));
  EXPECT_TRUE(
      Same(*v.Field("Packed"), Ints(FieldType(d, "Packed"), {-1, -2, 3})));
}

TEST_F(WireToGobTest, OneofLastMemberWins) {
  const Descriptor* d = Legacy::descriptor();
  const Descriptor* leaf = Leaf::descriptor();
  // Legacy's level has no presence in gob: absent, it is its default LOW
  // (1), which is not zero, so it is always sent.
  auto legacy = [&](std::vector<std::pair<std::string, gob::Value>> fields) {
    fields.emplace_back("Level", gob::Value::Int(1));
    return Struct(d, std::move(fields));
  };
  EXPECT_TRUE(Same(Convert(Wire().Int(9, 5).Bytes(10, "t"), d),
                   legacy({{"Text", gob::Value::String("t")}})));
  EXPECT_TRUE(Same(Convert(Wire().Msg(11, Wire().Int(2, 1)).Int(9, 5), d),
                   legacy({{"Num", gob::Value::Int(5)}})));
  // The same member twice: a message merges...
  EXPECT_TRUE(Same(
      Convert(Wire().Msg(11, Wire().Bytes(1, "a")).Msg(11, Wire().Int(2, 2)),
              d),
      legacy({{"Pick", Struct(leaf, {{"Tag", gob::Value::String("a")},
                                     {"N", gob::Value::Int(2)}})}})));
  // ...but not across another member, which cleared it.
  EXPECT_TRUE(
      Same(Convert(Wire()
                       .Msg(11, Wire().Bytes(1, "a"))
                       .Bytes(10, "t")
                       .Msg(11, Wire().Int(2, 3)),
                   d),
           legacy({{"Pick", Struct(leaf, {{"N", gob::Value::Int(3)}})}})));
  // A zero member is omitted, and still clears the others.
  EXPECT_TRUE(Same(Convert(Wire().Bytes(10, "t").Int(9, 0), d), legacy({})));
}

TEST_F(WireToGobTest, MapEntriesLastKeyWinsAndDefaults) {
  const Descriptor* d = User::descriptor();
  const Descriptor* inner = Inner::descriptor();
  Wire w;
  w.Msg(6, Wire().Bytes(1, "a").Int(2, 1))
      .Msg(6, Wire().Bytes(1, "b").Int(2, 2))
      .Msg(6, Wire().Bytes(1, "a").Int(2, 3))          // replaces a: 1
      .Msg(6, Wire().Bytes(1, "nokey").Bytes(1, "k"))  // key: last wins
      .Msg(6, Wire().Int(2, 9))                        // no key: ""
      .Msg(7, Wire().Int(1, 4))                        // no value: Inner{}
      .Msg(7, Wire()
                  .Int(1, 5)
                  .Msg(2, Wire().Bytes(1, "x"))
                  .Msg(2, Wire().Int(2, 6)));  // merged
  gob::Value tags = gob::Value::Zero(FieldType(d, "Tags"));
  for (auto [k, v] : std::vector<std::pair<const char*, int64_t>>{
           {"a", 3}, {"b", 2}, {"k", 0}, {"", 9}}) {
    ASSERT_TRUE(tags.MapInsert(gob::Value::String(k), gob::Value::Int(v)).ok());
  }
  gob::Value by_id = gob::Value::Zero(FieldType(d, "ById"));
  ASSERT_TRUE(by_id.MapInsert(gob::Value::Int(4), Struct(inner, {})).ok());
  ASSERT_TRUE(
      by_id
          .MapInsert(
              gob::Value::Int(5),
              Struct(inner, {{"Name", gob::Value::String("x")},
                             {"Vals", Ints(FieldType(inner, "Vals"), {6})}}))
          .ok());
  EXPECT_TRUE(Same(Convert(w, d), Struct(d, {{"Tags", std::move(tags)},
                                             {"ById", std::move(by_id)}})));
}

// Past the size where maps are indexed, a repeated key still takes its last
// value in its first place.
TEST_F(WireToGobTest, MapEntriesLastKeyWinsInBigMaps) {
  const Descriptor* d = User::descriptor();
  const Descriptor* inner = Inner::descriptor();
  Wire w;
  for (int i = 0; i < 40; ++i) {
    w.Msg(6, Wire().Bytes(1, absl::StrCat("k", i)).Int(2, i));
    w.Msg(7, Wire().Int(1, static_cast<uint64_t>(i - 20)));
  }
  w.Msg(6, Wire().Bytes(1, "k39").Int(2, 139))
      .Msg(6, Wire().Bytes(1, "k0").Int(2, 100))
      .Msg(6, Wire().Bytes(1, "k39").Int(2, 239))
      .Msg(6, Wire().Bytes(1, "new").Int(2, 7))
      .Msg(7, Wire()
                  .Int(1, static_cast<uint64_t>(-3))
                  .Msg(2, Wire().Bytes(1, "x")));
  gob::Value v = Convert(w, d);
  map_cases::ExpectLastValuesWon(v);
  const gob::Value& by_id = *v.Field("ById");
  ASSERT_EQ(by_id.size(), 40u);
  EXPECT_TRUE(Same(by_id.map_value(17),
                   Struct(inner, {{"Name", gob::Value::String("x")}})));
  EXPECT_TRUE(Same(by_id.map_value(16), Struct(inner, {})));
}

// Converting a map is linear in its entries: 200k take a fraction of a
// second, where a search per entry would take minutes (and time the test
// out). Keys alike but for their last bytes make each comparison slower.
TEST_F(WireToGobTest, BigMapsConvertInLinearTime) {
  using map_cases::BigKey;
  using map_cases::kBigEntries;
  const Descriptor* d = User::descriptor();
  Wire w;
  for (int64_t i = 0; i < kBigEntries; ++i) {
    w.Msg(6, Wire().Bytes(1, BigKey(i)).Int(2, static_cast<uint64_t>(i)));
  }
  for (int64_t i = 0; i < kBigEntries; i += 3) {
    w.Msg(6, Wire().Bytes(1, BigKey(i)).Int(2, static_cast<uint64_t>(-i)));
  }
  gob::Value v = Convert(w, d);
  const gob::Value& tags = *v.Field("Tags");
  ASSERT_EQ(tags.size(), static_cast<size_t>(kBigEntries));
  EXPECT_EQ(map_cases::WrongBigEntries(tags), 0u);
}

TEST_F(WireToGobTest, WellKnownTypes) {
  const Descriptor* d = User::descriptor();
  Wire w;
  w.Msg(9, Wire().Int(1, 1257894000).Int(2, 5))
      .Msg(9, Wire().Int(2, 123456789))  // merged: the last nanos win
      .Msg(10, Wire()
                   .Int(1, static_cast<uint64_t>(int64_t{-3}))
                   .Int(2, static_cast<uint64_t>(int64_t{-500})));
  std::string time;
  ASSERT_TRUE(gob::AppendGoTime(absl::FromUnixSeconds(1257894000) +
                                    absl::Nanoseconds(123456789),
                                &time)
                  .ok());
  EXPECT_TRUE(Same(
      Convert(w, d),
      Struct(d, {{"Created", gob::Value::External(types_.TimeType(), time)},
                 {"Ttl", gob::Value::Int(-3000000500)}})));
  // An empty Timestamp is the Unix epoch, an empty Duration zero: present.
  time.clear();
  ASSERT_TRUE(gob::AppendGoTime(absl::UnixEpoch(), &time).ok());
  EXPECT_TRUE(Same(
      Convert(Wire().Msg(9, Wire()).Msg(10, Wire()), d),
      Struct(d, {{"Created", gob::Value::External(types_.TimeType(), time)},
                 {"Ttl", gob::Value::Int(0)}})));

  absl::Status s = Error(Wire().Msg(10, Wire().Int(1, 9223372037)), d);
  EXPECT_EQ(s.code(), absl::StatusCode::kOutOfRange);
  EXPECT_EQ(s.message(),
            "bridge: duration of 9223372037s does not fit Go's time.Duration "
            "(about 292 years)");
  // Seconds in range, but the nanos carry the sum past int64: an error,
  // never a wrapped duration.
  auto neg = [](int64_t x) { return static_cast<uint64_t>(x); };
  s = Error(Wire().Msg(10, Wire().Int(1, 9223372036).Int(2, 854775808)), d);
  EXPECT_EQ(s.code(), absl::StatusCode::kOutOfRange);
  EXPECT_EQ(s.message(),
            "bridge: duration of 9223372036s and 854775808ns does not fit "
            "Go's time.Duration (about 292 years)");
  s = Error(Wire().Msg(10, Wire()
                               .Int(1, neg(-9223372036))
                               .Int(2, neg(-854775809))),
            d);
  EXPECT_EQ(s.code(), absl::StatusCode::kOutOfRange);
  // The extremes themselves fit.
  EXPECT_TRUE(Same(
      Convert(Wire().Msg(10, Wire().Int(1, 9223372036).Int(2, 854775807)), d),
      Struct(d, {{"Ttl", gob::Value::Int(INT64_MAX)}})));
  EXPECT_TRUE(Same(
      Convert(Wire().Msg(10, Wire()
                                 .Int(1, neg(-9223372036))
                                 .Int(2, neg(-854775808))),
              d),
      Struct(d, {{"Ttl", gob::Value::Int(INT64_MIN)}})));

  // Wrappers: the wrapped value, sent even when zero.
  const Descriptor* legacy = Legacy::descriptor();
  gob::Value v =
      Convert(Wire().Msg(12, Wire()).Msg(13, Wire().Bytes(1, "x")), legacy);
  EXPECT_TRUE(Same(*v.Field("Maybe"), gob::Value::Int(0)));
  EXPECT_TRUE(Same(*v.Field("MaybeText"), gob::Value::String("x")));
}

TEST_F(WireToGobTest, UnwrappedMessageIsSentEvenWhenZero) {
  EXPECT_TRUE(Same(Convert(Wire(), Product::descriptor()), gob::Value::Int(0)));
  EXPECT_TRUE(Same(Convert(Wire().Int(1, 7).Int(1, 8), Product::descriptor()),
                   gob::Value::Int(8)));
}

TEST_F(WireToGobTest, Proto2DefaultsAndStrings) {
  const Descriptor* d = Legacy::descriptor();
  // An invalid UTF-8 proto2 string is kept; level HIGH replaces the default.
  EXPECT_TRUE(Same(Convert(Wire().Bytes(2, "\xff").Int(3, 2), d),
                   Struct(d, {{"Label", gob::Value::String("\xff")},
                              {"Level", gob::Value::Int(2)}})));
}

TEST_F(WireToGobTest, UnknownFieldsStrict) {
  const Descriptor* d = Inner::descriptor();
  Wire w;
  w.Bytes(1, "n").Int(99, 1).Bytes(100, "x").Fixed32(101, 0).Group(
      102, Wire().Int(1, 1));
  absl::Status s = Error(w, d);
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(s.message(),
            "bridge: bridge.testdata.Inner carries 4 field(s) unknown to the "
            "schema (first: number 99) that the net/rpc side cannot receive; "
            "update the bridge's schema, or set unknown_fields: "
            "DROP_AND_COUNT");

  // A known field of another wire type is unknown too, as protobuf keeps
  // it: here user_id as bytes, and a group where a string belongs.
  s = Error(Wire().Bytes(1, "x").Group(2, Wire()), User::descriptor());
  EXPECT_EQ(s.message(),
            "bridge: bridge.testdata.User carries 2 field(s) unknown to the "
            "schema (first: number 1) that the net/rpc side cannot receive; "
            "update the bridge's schema, or set unknown_fields: "
            "DROP_AND_COUNT");

  // Nested messages are checked too, after their parent.
  s = Error(Wire().Msg(4, Wire().Int(7, 1)).Int(50, 1), User::descriptor());
  EXPECT_TRUE(absl::StartsWith(
      s.message(),
      "bridge: bridge.testdata.User carries 1 field(s) unknown "
      "to the schema (first: number 50)"))
      << s;
  s = Error(Wire().Msg(5, Wire()).Msg(5, Wire().Int(7, 1)), User::descriptor());
  EXPECT_TRUE(absl::StartsWith(
      s.message(),
      "bridge: bridge.testdata.Inner carries 1 field(s) unknown "
      "to the schema (first: number 7)"))
      << s;
}

TEST_F(WireToGobTest, UnknownEnumValuesOfClosedEnumsAreUnknownFields) {
  const Descriptor* d = Legacy::descriptor();
  Wire levels;
  levels.Varint(1).Varint(9).Varint(2).Varint(9);
  Wire w;
  w.Int(3, 7).Bytes(6, levels.str()).Int(6, 8);
  options_.unknown_fields = netrpc::config::v1::DROP_AND_COUNT;
  std::vector<std::string> drops;
  options_.on_drop = [&](absl::string_view what) { drops.emplace_back(what); };
  EXPECT_TRUE(
      Same(Convert(w, d),
           Struct(d, {{"Level", gob::Value::Int(1)},
                      {"Levels", Ints(FieldType(d, "Levels"), {1, 2})}})));
  EXPECT_EQ(drops, std::vector<std::string>{
                       "bridge: bridge.testdata2.Legacy carries 4 field(s) "
                       "unknown to the schema (first: number 3) that the "
                       "net/rpc side cannot receive"});
}

TEST_F(WireToGobTest, DropAndCountReportsEveryMessageInOrder) {
  options_.unknown_fields = netrpc::config::v1::DROP_AND_COUNT;
  std::vector<std::string> drops;
  options_.on_drop = [&](absl::string_view what) { drops.emplace_back(what); };
  const Descriptor* d = User::descriptor();
  Wire w;
  w.Msg(5, Wire().Int(8, 1))
      .Int(60, 1)
      .Msg(4, Wire().Bytes(1, "p").Int(9, 1))
      .Msg(6, Wire().Bytes(1, "k").Int(3, 1));  // in the map entry
  gob::Value v = Convert(w, d);
  EXPECT_EQ(v.Field("Profile")->Field("Name")->string_value(), "p");
  EXPECT_EQ(v.Field("Tags")->size(), 1u);
  const std::string tail = " field(s) unknown to the schema (first: number ";
  EXPECT_EQ(drops,
            (std::vector<std::string>{
                absl::StrCat("bridge: bridge.testdata.User carries 1", tail,
                             "60) that the net/rpc side cannot receive"),
                absl::StrCat("bridge: bridge.testdata.Inner carries 1", tail,
                             "9) that the net/rpc side cannot receive"),
                absl::StrCat("bridge: bridge.testdata.Inner carries 1", tail,
                             "8) that the net/rpc side cannot receive"),
                absl::StrCat("bridge: bridge.testdata.User.TagsEntry carries 1",
                             tail, "3) that the net/rpc side cannot receive")}));
}

// A map entry's fields besides key and value are unknown fields like any
// other: refused by default, never lost without a word.
TEST_F(WireToGobTest, UnknownFieldsInMapEntries) {
  const Descriptor* d = User::descriptor();
  absl::Status s = Error(
      Wire().Msg(6, Wire().Bytes(1, "k").Int(2, 1).Int(3, 1).Int(4, 2)), d);
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(s.message(),
            "bridge: bridge.testdata.User.TagsEntry carries 2 field(s) "
            "unknown to the schema (first: number 3) that the net/rpc side "
            "cannot receive; update the bridge's schema, or set "
            "unknown_fields: DROP_AND_COUNT");
  // A value of the wrong wire type is unknown too, as protobuf keeps it.
  s = Error(Wire().Msg(6, Wire().Bytes(1, "k").Bytes(2, "x")), d);
  EXPECT_TRUE(absl::StartsWith(
      s.message(),
      "bridge: bridge.testdata.User.TagsEntry carries 1 field(s) unknown to "
      "the schema (first: number 2)"))
      << s;
}

TEST_F(WireToGobTest, MalformedBytes) {
  const Descriptor* d = User::descriptor();
  struct Case {
    std::string wire;
    std::string error;
  } cases[] = {
      {"\x08", "bad number at byte 0"},
      {std::string("\x08\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\x01"),
       "bad number at byte 0"},  // 11 bytes
      {"\x80", "bad tag at byte 0"},
      {std::string("\x88\x80\x80\x80\x80\x01", 6), "bad tag at byte 0"},
      {"\x12\x05"
       "ab",
       "bad length at byte 0"},
      {std::string("\x12\x80\x80\x80\x80\x80\x00", 7), "bad length at byte 0"},
      {std::string("\x00\x01", 2), "field number 0 at byte 0"},
      {"\x08\x01\x0c", "end-group tag at byte 2"},
      {"\x0e", "wire type 6 at byte 0"},
      {"\xa7\x01", "wire type 7 at byte 0"},
      {"\x65"
       "abc",
       "bad number at byte 0"},  // fixed32, 3 bytes
      {"\x61"
       "abcdefg",
       "bad number at byte 0"},
      {"\xa3\x01\x08\x01", "unterminated group at byte 0"},
      {"\xa3\x01\xac\x02", "mismatched end-group tag at byte 2"},
      {"\x12\x02\xc3\x28",
       "invalid UTF-8 in bridge.testdata.User."
       "display_name at byte 0"},
      {"\x22\x02\x08", "bad length at byte 0"},
      {"\x22\x03\x10\x80\x01"
       "\x22\x01\x10",
       "bad number at byte 7"},
      {std::string("\x22\x02\x0c\x00", 4), "end-group tag at byte 2"},
      {"\x32\x04\x0a\x02\xc3\x28",
       "invalid UTF-8 in bridge.testdata.User."
       "TagsEntry.key at byte 2"},
      {std::string("\x6d\x00\x00\x80", 4), "bad number at byte 0"},
  };
  for (const Case& c : cases) {
    absl::Status s = WireToGob(c.wire, d, types_, options_).status();
    EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument)
        << absl::CEscape(c.wire);
    EXPECT_EQ(s.message(),
              absl::StrCat("bridge: malformed bridge.testdata.User: ", c.error))
        << absl::CEscape(c.wire);
  }
}

TEST_F(WireToGobTest, MalformedWinsOverConversionErrors) {
  // The unknown field comes first, the broken bytes later: protobuf would
  // refuse the bytes before any conversion.
  Wire w;
  w.Int(50, 1).Msg(4, Wire().Raw("\x08"));
  absl::Status s = Error(w, User::descriptor());
  EXPECT_TRUE(
      absl::StartsWith(s.message(), "bridge: malformed bridge.testdata.User: "))
      << s;
  // Even inside a oneof member that a later one cleared.
  s = Error(Wire().Msg(11, Wire().Raw("\x08")).Int(9, 1), Legacy::descriptor());
  EXPECT_TRUE(absl::StartsWith(s.message(), "bridge: malformed ")) << s;
}

std::string NodeChain(int depth) {
  Node n;
  Node* cur = &n;
  for (int i = 0; i < depth; ++i) cur = cur->mutable_next();
  cur->set_val(1);
  return n.SerializeAsString();
}

TEST_F(WireToGobTest, NestingLimitIsProtobufs) {
  absl::StatusOr<gob::Value> v =
      WireToGob(NodeChain(100), Node::descriptor(), types_, options_);
  ASSERT_TRUE(v.ok()) << v.status();
  const gob::Value* cur = &*v;
  for (int i = 0; i < 100; ++i) cur = cur->Field("Next");
  EXPECT_EQ(cur->Field("Val")->int_value(), 1);

  absl::Status s =
      WireToGob(NodeChain(101), Node::descriptor(), types_, options_).status();
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(absl::StrContains(s.message(), "nested deeper than 100")) << s;

  // Unknown groups count as levels too.
  Wire groups;
  for (int i = 0; i < 101; ++i) groups.Tag(20, 3);
  for (int i = 0; i < 101; ++i) groups.Tag(20, 4);
  s = Error(groups, Inner::descriptor());
  EXPECT_TRUE(absl::StrContains(s.message(), "groups nested deeper than 100"))
      << s;
}

// A proto2 schema with what the fixtures lack: declared groups, required
// fields, extensions, and a message unwrapped to a struct.
constexpr char kSchema[] = R"pb(
  name: "wire_to_gob_test.proto"
  package: "wtg"
  syntax: "proto2"
  message_type {
    name: "Req"
    field { name: "a" number: 1 label: LABEL_REQUIRED type: TYPE_INT32 }
    field { name: "s" number: 2 label: LABEL_OPTIONAL type: TYPE_STRING }
  }
  message_type {
    name: "G"
    field {
      name: "x"
      number: 1
      label: LABEL_OPTIONAL
      type: TYPE_INT32
      default_value: "7"
    }
    field {
      name: "grp"
      number: 2
      label: LABEL_OPTIONAL
      type: TYPE_GROUP
      type_name: ".wtg.G.Grp"
    }
    field {
      name: "req"
      number: 3
      label: LABEL_OPTIONAL
      type: TYPE_MESSAGE
      type_name: ".wtg.Req"
    }
    field {
      name: "fx"
      number: 5
      label: LABEL_REPEATED
      type: TYPE_FIXED32
      options { packed: true }
    }
    nested_type {
      name: "Grp"
      field { name: "y" number: 4 label: LABEL_OPTIONAL type: TYPE_INT32 }
    }
    extension_range { start: 100 end: 200 }
  }
  message_type {
    name: "Wrap"
    field {
      name: "req"
      number: 1
      label: LABEL_OPTIONAL
      type: TYPE_MESSAGE
      type_name: ".wtg.Req"
    }
  }
  message_type {
    name: "Loop"
    field {
      name: "next"
      number: 1
      label: LABEL_OPTIONAL
      type: TYPE_MESSAGE
      type_name: ".wtg.Loop"
    }
  }
  message_type {
    name: "Kids"
    field {
      name: "kids"
      number: 1
      label: LABEL_REPEATED
      type: TYPE_MESSAGE
      type_name: ".wtg.Kids"
    }
  }
  message_type {
    name: "Ping"
    field {
      name: "pong"
      number: 1
      label: LABEL_OPTIONAL
      type: TYPE_MESSAGE
      type_name: ".wtg.Pong"
    }
  }
  message_type {
    name: "Pong"
    field {
      name: "ping"
      number: 1
      label: LABEL_OPTIONAL
      type: TYPE_MESSAGE
      type_name: ".wtg.Ping"
    }
  }
  message_type {
    name: "Node"
    field {
      name: "parent"
      number: 1
      label: LABEL_OPTIONAL
      type: TYPE_MESSAGE
      type_name: ".wtg.Holder"
    }
  }
  message_type {
    name: "Holder"
    field {
      name: "node"
      number: 1
      label: LABEL_OPTIONAL
      type: TYPE_MESSAGE
      type_name: ".wtg.Node"
    }
    field { name: "n" number: 2 label: LABEL_OPTIONAL type: TYPE_INT32 }
  }
  extension {
    name: "ext"
    number: 100
    label: LABEL_OPTIONAL
    type: TYPE_MESSAGE
    type_name: ".wtg.Req"
    extendee: ".wtg.G"
  }
)pb";

class Proto2SchemaTest : public WireToGobTest {
 protected:
  void SetUp() override {
    google::protobuf::FileDescriptorProto file;
    ASSERT_TRUE(google::protobuf::TextFormat::ParseFromString(kSchema, &file));
    ASSERT_NE(pool_.BuildFile(file), nullptr);
    g_ = pool_.FindMessageTypeByName("wtg.G");
    req_ = pool_.FindMessageTypeByName("wtg.Req");
  }

  google::protobuf::DescriptorPool pool_;
  const Descriptor* g_ = nullptr;
  const Descriptor* req_ = nullptr;
};

TEST_F(Proto2SchemaTest, GroupsRequiredFieldsAndExtensions) {
  const Descriptor* grp = g_->FindNestedTypeByName("Grp");
  // A group merges like a message; x keeps its default 7.
  EXPECT_TRUE(
      Same(Convert(Wire().Group(2, Wire().Int(4, 1)).Group(2, Wire()), g_),
           Struct(g_, {{"X", gob::Value::Int(7)},
                       {"Grp", Struct(grp, {{"Y", gob::Value::Int(1)}})}})));
  // Required fields may come in different occurrences of the message.
  EXPECT_TRUE(Same(
      Convert(Wire().Msg(3, Wire().Bytes(2, "s")).Msg(3, Wire().Int(1, 0)), g_),
      Struct(g_, {{"X", gob::Value::Int(7)},
                  {"Req", Struct(req_, {{"S", gob::Value::String("s")}})}})));
  EXPECT_EQ(Error(Wire().Msg(3, Wire().Bytes(2, "s")), g_).message(),
            "bridge: malformed wtg.G: missing required field wtg.Req.a at "
            "byte 2");
  // A known extension is dropped (protobuf parses it apart from the fields),
  // but its required fields are still checked.
  EXPECT_TRUE(Same(Convert(Wire().Msg(100, Wire().Int(1, 1)), g_),
                   Struct(g_, {{"X", gob::Value::Int(7)}})));
  EXPECT_TRUE(absl::StrContains(Error(Wire().Msg(100, Wire()), g_).message(),
                                "missing required field"));
  // An explicit zero x is omitted.
  EXPECT_TRUE(Same(Convert(Wire().Int(1, 0), g_), Struct(g_, {})));
  // Packed fixed-width values must fill the length.
  EXPECT_EQ(Error(Wire().Bytes(5, "abcde"), g_).message(),
            "bridge: malformed wtg.G: packed fixed-width field of a partial "
            "length at byte 0");
}

TEST_F(Proto2SchemaTest, UnwrappedToAStruct) {
  netrpc::config::v1::Bridge config;
  config.add_unwrap_messages("wtg.Wrap");
  GobTypes types{GoNames(config)};
  const Descriptor* wrap = pool_.FindMessageTypeByName("wtg.Wrap");
  absl::StatusOr<gob::Value> v =
      WireToGob(Wire().Msg(1, Wire().Int(1, 3)).str(), wrap, types, options_);
  ASSERT_TRUE(v.ok()) << v.status();
  gob::Value want = gob::Value::Zero(*types.For(req_));
  ASSERT_TRUE(want.SetField("A", gob::Value::Int(3)).ok());
  EXPECT_TRUE(Same(*v, want));
  v = WireToGob("", wrap, types, options_);
  ASSERT_TRUE(v.ok()) << v.status();
  EXPECT_TRUE(Same(*v, gob::Value::Zero(*types.For(req_))));
}

// An unwrapped message stands for its field's value, so a cycle of
// unwrapped messages alone would be a Go value that contains itself: it is
// refused when the types are built (the config loads), not looped on. A
// struct on the way breaks the cycle, as a Go struct with a pointer does.
TEST_F(Proto2SchemaTest, UnwrapCyclesAreRefused) {
  netrpc::config::v1::Bridge config;
  for (const char* m : {"wtg.Loop", "wtg.Kids", "wtg.Ping", "wtg.Pong",
                        "wtg.Node"}) {
    config.add_unwrap_messages(m);
  }
  GobTypes types{GoNames(config)};
  struct Case {
    const char* message;
    const char* error;
  } cases[] = {
      {"wtg.Loop",
       "bridge: wtg.Loop is unwrapped, and its field wtg.Loop.next leads "
       "back to it through unwrapped messages only: the Go value would "
       "contain itself; unwrap one of them less"},
      {"wtg.Kids",
       "bridge: wtg.Kids is unwrapped, and its field wtg.Kids.kids leads "
       "back to it through unwrapped messages only: the Go value would "
       "contain itself; unwrap one of them less"},
      {"wtg.Ping",
       "bridge: wtg.Ping is unwrapped, and its field wtg.Ping.pong leads "
       "back to it through unwrapped messages only: the Go value would "
       "contain itself; unwrap one of them less"},
  };
  for (const Case& c : cases) {
    const Descriptor* d = pool_.FindMessageTypeByName(c.message);
    ASSERT_NE(d, nullptr) << c.message;
    // Twice: a failed build leaves nothing behind that the next one trips on.
    for (int i = 0; i < 2; ++i) {
      absl::Status s = types.For(d).status();
      EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument) << c.message;
      EXPECT_EQ(s.message(), c.error);
    }
    EXPECT_EQ(types.Index(d), nullptr);
  }

  // Node is unwrapped to the struct Holder, whose field node is Holder
  // again: fine, and converted both ways.
  const Descriptor* node = pool_.FindMessageTypeByName("wtg.Node");
  const Descriptor* holder = pool_.FindMessageTypeByName("wtg.Holder");
  absl::StatusOr<const gob::Type*> t = types.For(node);
  ASSERT_TRUE(t.ok()) << t.status();
  EXPECT_EQ(*t, *types.For(holder));
  EXPECT_EQ((*t)->FieldIndex("Node"), 0);
  const std::string wire =
      Wire().Msg(1, Wire().Msg(1, Wire().Msg(1, Wire().Int(2, 5)))).str();
  absl::StatusOr<gob::Value> v = WireToGob(wire, node, types, options_);
  ASSERT_TRUE(v.ok()) << v.status();
  EXPECT_EQ(v->Field("Node")->Field("N")->int_value(), 5);
  std::string back;
  ASSERT_TRUE(GobToWire(*v, node, types, options_, &back).ok());
  EXPECT_EQ(back, wire);
}

// Random messages of the fixtures, built through reflection.
class RandomMessages {
 public:
  explicit RandomMessages(uint64_t seed) : rng_(seed) {}

  void Fill(Message* m, int depth) {
    const Reflection* r = m->GetReflection();
    const Descriptor* d = m->GetDescriptor();
    for (int i = 0; i < d->field_count(); ++i) {
      const FieldDescriptor* f = d->field(i);
      if (Pick(2) == 0) continue;
      if (f->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE && depth > 3) {
        continue;
      }
      int n = f->is_repeated() ? Pick(4) : 1;
      for (int j = 0; j < n; ++j) {
        Set(m, r, f, depth);
        if (f->is_map()) UniqueKey(r->MutableRepeatedMessage(m, f, j), j);
      }
    }
  }

 private:
  // UniqueKey gives map entry j a key no other entry has: a message keeps
  // every entry it is given, a parsed one only the last of a key.
  static void UniqueKey(Message* entry, int j) {
    const FieldDescriptor* key = entry->GetDescriptor()->map_key();
    if (key->cpp_type() == FieldDescriptor::CPPTYPE_STRING) {
      entry->GetReflection()->SetString(entry, key, absl::StrCat(j));
    } else {
      entry->GetReflection()->SetInt32(entry, key, j);
    }
  }

  int Pick(int n) { return std::uniform_int_distribution<int>(0, n - 1)(rng_); }

  uint64_t Number() {
    static const uint64_t kEdges[] = {
        0,          1,          127,
        128,        0x7fffffff, 0x80000000,
        UINT32_MAX, UINT64_MAX, uint64_t{1} << 63};
    return Pick(2) == 0 ? kEdges[Pick(9)] : rng_() >> Pick(64);
  }

  void Set(Message* m, const Reflection* r, const FieldDescriptor* f,
           int depth) {
    const bool rep = f->is_repeated();
    const uint64_t v = Number();
    switch (f->cpp_type()) {
#define NETRPC_SET(CPP, T, M)             \
  case FieldDescriptor::CPPTYPE_##CPP:    \
    if (rep) {                            \
      r->Add##M(m, f, static_cast<T>(v)); \
    } else {                              \
      r->Set##M(m, f, static_cast<T>(v)); \
    }                                     \
    break;
      NETRPC_SET(INT32, int32_t, Int32)
      NETRPC_SET(INT64, int64_t, Int64)
      NETRPC_SET(UINT32, uint32_t, UInt32)
      NETRPC_SET(UINT64, uint64_t, UInt64)
      NETRPC_SET(BOOL, bool, Bool)
      NETRPC_SET(FLOAT, float, Float)
      NETRPC_SET(DOUBLE, double, Double)
#undef NETRPC_SET
      case FieldDescriptor::CPPTYPE_ENUM: {
        const auto* e = f->enum_type();
        int x = e->value(Pick(e->value_count()))->number();
        if (rep) {
          r->AddEnumValue(m, f, x);
        } else {
          r->SetEnumValue(m, f, x);
        }
        break;
      }
      case FieldDescriptor::CPPTYPE_STRING: {
        static const char* kParts[] = {"a", "é", "€", "𝄞", " "};
        std::string s;
        for (int n = Pick(4); n > 0; --n) s += kParts[Pick(5)];
        if (rep) {
          r->AddString(m, f, s);
        } else {
          r->SetString(m, f, s);
        }
        break;
      }
      case FieldDescriptor::CPPTYPE_MESSAGE: {
        Message* sub = rep ? r->AddMessage(m, f) : r->MutableMessage(m, f);
        const Descriptor* sd = sub->GetDescriptor();
        if (ClassifyMessage(sd) == WellKnown::kTimestamp ||
            ClassifyMessage(sd) == WellKnown::kDuration) {
          // Values both mappings keep exactly: same-signed seconds and
          // nanos within Go's ranges.
          int64_t sign = Pick(2) == 0 ? 1 : -1;
          sub->GetReflection()->SetInt64(sub, sd->field(0),
                                         sign * (rng_() % 4000000000));
          sub->GetReflection()->SetInt32(
              sub, sd->field(1),
              static_cast<int32_t>(
                  (ClassifyMessage(sd) == WellKnown::kDuration ? sign : 1) *
                  static_cast<int64_t>(rng_() % 1000000000)));
        } else {
          Fill(sub, depth + 1);
        }
        break;
      }
    }
  }

  std::mt19937_64 rng_;
};

// Random proto3 messages survive WireToGob then GobToProto exactly.
TEST_F(WireToGobTest, RandomMessagesRoundTrip) {
  RandomMessages random(20240611);
  for (const Message* prototype :
       {static_cast<const Message*>(&User::default_instance()),
        static_cast<const Message*>(&testdata::Widths::default_instance()),
        static_cast<const Message*>(&Node::default_instance())}) {
    for (int i = 0; i < 300; ++i) {
      std::unique_ptr<Message> in(prototype->New());
      random.Fill(in.get(), 0);
      std::string wire = in->SerializeAsString();
      absl::StatusOr<gob::Value> v =
          WireToGob(wire, in->GetDescriptor(), types_, options_);
      ASSERT_TRUE(v.ok()) << v.status() << "\n" << in->DebugString();
      std::unique_ptr<Message> out(prototype->New());
      absl::Status s = GobToProto(*v, out.get(), types_, options_);
      ASSERT_TRUE(s.ok()) << s << "\n" << in->DebugString();
      MessageDifferencer diff;
      diff.set_message_field_comparison(MessageDifferencer::EQUIVALENT);
      EXPECT_TRUE(diff.Compare(*in, *out)) << in->DebugString() << "\nvs\n"
                                           << out->DebugString();
    }
  }
}

// Random mutations of random encodings: malformed exactly when protobuf's
// parser refuses them; otherwise the same value as the bytes protobuf
// re-serializes from what it parsed, its merge rules applied.
TEST_F(WireToGobTest, MutatedBytesAgreeWithProtobufsParser) {
  RandomMessages random(7);
  std::mt19937_64 rng(11);
  google::protobuf::DynamicMessageFactory factory;
  options_.unknown_fields = netrpc::config::v1::DROP_AND_COUNT;
  int malformed = 0;
  for (const Descriptor* d : {User::descriptor(), Legacy::descriptor()}) {
    const Message* prototype = factory.GetPrototype(d);
    for (int i = 0; i < 1500; ++i) {
      std::unique_ptr<Message> a(prototype->New()), b(prototype->New());
      random.Fill(a.get(), 0);
      random.Fill(b.get(), 0);
      std::string wire = a->SerializeAsString();
      switch (rng() % 4) {
        case 0:
          wire += b->SerializeAsString();  // merged
          break;
        case 1:
          if (!wire.empty()) wire.resize(rng() % wire.size());
          break;
        case 2:
          if (!wire.empty()) wire[rng() % wire.size()] ^= 1 + rng() % 255;
          break;
        default:
          wire.insert(rng() % (wire.size() + 1), 1,
                      static_cast<char>(rng() % 256));
      }
      std::unique_ptr<Message> parsed(prototype->New());
      bool ok;
      {
        google::protobuf::LogSilencer quiet;
        ok = parsed->ParseFromString(wire);
      }
      absl::StatusOr<gob::Value> got = WireToGob(wire, d, types_, options_);
      if (!ok) {
        ++malformed;
        EXPECT_TRUE(
            absl::StartsWith(got.status().message(), "bridge: malformed "))
            << got.status() << " " << absl::CEscape(wire);
        continue;
      }
      absl::StatusOr<gob::Value> want =
          WireToGob(parsed->SerializeAsString(), d, types_, options_);
      ASSERT_EQ(got.status(), want.status()) << absl::CEscape(wire);
      if (got.ok()) {
        EXPECT_TRUE(Same(*got, *want)) << absl::CEscape(wire);
      }
    }
  }
  EXPECT_GT(malformed, 100);
}

}  // namespace
}  // namespace bridge
