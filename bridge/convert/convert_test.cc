#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "bridge/convert/gob_to_proto.h"
#include "bridge/convert/gob_types.h"
#include "bridge/convert/proto_to_gob.h"
#include "bridge/convert/testdata/mapping.pb.h"
#include "google/protobuf/util/message_differencer.h"
#include "gtest/gtest.h"
#include "netrpc/gob/decoder.h"
#include "netrpc/gob/encoder.h"
#include "netrpc/gob/time.h"

namespace bridge {
namespace {

namespace gob = ::netrpc::gob;
using ::google::protobuf::util::MessageDifferencer;
using testdata::Inner;
using testdata::Node;
using testdata::Product;
using testdata::User;
using testdata::Widths;

class ConvertTest : public ::testing::Test {
 protected:
  template <typename M>
  M RoundTrip(const M& in) {
    absl::StatusOr<gob::Value> v = ProtoToGob(in, types_, options_);
    EXPECT_TRUE(v.ok()) << v.status();
    M out;
    if (v.ok()) {
      absl::Status s = GobToProto(*v, &out, types_, options_);
      EXPECT_TRUE(s.ok()) << s;
    }
    return out;
  }

  GobTypes types_{GoNames()};
  ConvertOptions options_;
};

User FullUser() {
  User u;
  u.set_user_id(-42);
  u.set_display_name("Zoë");
  u.set_avatar(std::string("\x00\xff\x10", 3));
  u.mutable_profile()->set_name("p");
  u.mutable_profile()->add_vals(1);
  u.mutable_profile()->add_vals(-2);
  u.add_items()->set_name("a");
  u.add_items();  // an all-zero element is still an element
  (*u.mutable_tags())["k"] = 7;
  (*u.mutable_tags())["z"] = 0;
  (*u.mutable_by_id())[3].set_name("three");
  u.set_color(testdata::GREEN);
  u.mutable_created()->set_seconds(1257894000);
  u.mutable_created()->set_nanos(123456789);
  u.mutable_ttl()->set_seconds(-3);
  u.mutable_ttl()->set_nanos(-500);
  u.set_active(true);
  u.set_score(0.1);
  u.set_ratio(1.5f);
  u.add_names("x");
  u.add_names("");
  return u;
}

TEST_F(ConvertTest, GobTypeUsesGoNames) {
  absl::StatusOr<const gob::Type*> t = types_.For(User::descriptor());
  ASSERT_TRUE(t.ok()) << t.status();
  const gob::Type* user = *t;
  EXPECT_EQ(user->kind(), gob::Kind::kStruct);
  EXPECT_EQ(user->name(), "User");
  std::vector<std::string> names;
  for (const auto& f : user->fields()) names.push_back(f.name);
  EXPECT_EQ(names, (std::vector<std::string>{
                       "UserID", "DisplayName", "Avatar", "Profile", "Items",
                       "Tags", "ById", "Color", "Created", "Ttl", "Active",
                       "Score", "Ratio", "Names"}));
  EXPECT_EQ(user->fields()[0].type, gob::IntType());
  EXPECT_EQ(user->fields()[2].type, gob::BytesType());
  EXPECT_EQ(user->fields()[4].type->kind(), gob::Kind::kSlice);
  EXPECT_EQ(user->fields()[4].type->elem()->name(), "Inner");
  EXPECT_EQ(user->fields()[5].type->kind(), gob::Kind::kMap);
  EXPECT_EQ(user->fields()[7].type, gob::IntType());  // enum
  EXPECT_EQ(user->fields()[8].type->kind(), gob::Kind::kGobEncoder);
  EXPECT_EQ(user->fields()[8].type->name(), "Time");
  EXPECT_EQ(user->fields()[9].type, gob::IntType());  // Duration
}

TEST_F(ConvertTest, RecursiveMessageGivesRecursiveStruct) {
  absl::StatusOr<const gob::Type*> t = types_.For(Node::descriptor());
  ASSERT_TRUE(t.ok()) << t.status();
  EXPECT_EQ((*t)->fields()[1].type, *t);

  Node n;
  n.set_val(1);
  n.mutable_next()->set_val(2);
  n.mutable_next()->mutable_next()->set_val(3);
  EXPECT_TRUE(MessageDifferencer::Equals(RoundTrip(n), n));
}

TEST_F(ConvertTest, RoundTripKeepsEveryField) {
  User u = FullUser();
  User back = RoundTrip(u);
  EXPECT_TRUE(MessageDifferencer::Equals(back, u)) << back.DebugString();
}

// The values survive the real gob encoder and decoder: what a Go peer would
// receive decodes back to the same message through the decoder's own types.
TEST_F(ConvertTest, RoundTripThroughGobWire) {
  User u = FullUser();
  std::string stream;
  gob::Encoder enc;
  for (int i = 0; i < 2; ++i) {  // the second value reuses the sent types
    absl::StatusOr<gob::Value> v = ProtoToGob(u, types_, options_);
    ASSERT_TRUE(v.ok()) << v.status();
    ASSERT_TRUE(enc.EncodeValue(*v, &stream).ok());
  }
  gob::Decoder dec = gob::Decoder::FromBytes(stream);
  for (int i = 0; i < 2; ++i) {
    gob::Value decoded;
    absl::Status s = dec.DecodeValue(&decoded);
    ASSERT_TRUE(s.ok()) << s;
    User back;
    s = GobToProto(decoded, &back, types_, options_);
    ASSERT_TRUE(s.ok()) << s;
    EXPECT_TRUE(MessageDifferencer::Equals(back, u)) << back.DebugString();
  }
}

TEST_F(ConvertTest, ValuesAreWhatGoExpects) {
  absl::StatusOr<gob::Value> v = ProtoToGob(FullUser(), types_, options_);
  ASSERT_TRUE(v.ok()) << v.status();
  EXPECT_EQ(v->Field("UserID")->int_value(), -42);
  EXPECT_EQ(v->Field("DisplayName")->string_value(), "Zoë");
  EXPECT_EQ(v->Field("Color")->int_value(), 2);
  EXPECT_EQ(v->Field("Ttl")->int_value(), -3000000500);
  EXPECT_EQ(v->Field("Items")->size(), 2u);
  EXPECT_EQ(v->Field("Tags")->size(), 2u);

  absl::StatusOr<gob::GoTime> t =
      gob::ParseGoTime(v->Field("Created")->bytes());
  ASSERT_TRUE(t.ok()) << t.status();
  EXPECT_EQ(t->time, absl::FromUnixSeconds(1257894000) +
                         absl::Nanoseconds(123456789));
}

TEST_F(ConvertTest, ZeroFieldsAreAbsent) {
  User u;
  u.set_display_name("only");
  absl::StatusOr<gob::Value> v = ProtoToGob(u, types_, options_);
  ASSERT_TRUE(v.ok()) << v.status();
  EXPECT_FALSE(v->Field("UserID")->present());
  EXPECT_FALSE(v->Field("Profile")->present());
  EXPECT_FALSE(v->Field("Names")->present());
  EXPECT_TRUE(v->Field("DisplayName")->present());
}

TEST_F(ConvertTest, IntegerWidthsAtTheirLimits) {
  Widths w;
  w.set_i32(std::numeric_limits<int32_t>::min());
  w.set_i64(std::numeric_limits<int64_t>::min());
  w.set_s32(std::numeric_limits<int32_t>::max());
  w.set_s64(std::numeric_limits<int64_t>::max());
  w.set_sf32(-1);
  w.set_sf64(std::numeric_limits<int64_t>::max());
  w.set_u32(std::numeric_limits<uint32_t>::max());
  w.set_u64(std::numeric_limits<uint64_t>::max());
  w.set_f32(std::numeric_limits<uint32_t>::max());
  w.set_f64(std::numeric_limits<uint64_t>::max());
  EXPECT_TRUE(MessageDifferencer::Equals(RoundTrip(w), w));
}

TEST_F(ConvertTest, OutOfRangeIsAnErrorNotATruncation) {
  const gob::Type* t = *types_.For(Widths::descriptor());
  struct Case {
    const char* field;
    gob::Value value;
  } cases[] = {
      {"I32", gob::Value::Int(int64_t{1} << 31)},
      {"S32", gob::Value::Int(-(int64_t{1} << 31) - 1)},
      {"U32", gob::Value::Uint(uint64_t{1} << 32)},
      {"F32", gob::Value::Uint(std::numeric_limits<uint64_t>::max())},
  };
  for (const Case& c : cases) {
    gob::Value v = gob::Value::Zero(t);
    ASSERT_TRUE(v.SetField(c.field, c.value).ok()) << c.field;
    Widths w;
    absl::Status s = GobToProto(v, &w, types_, options_);
    EXPECT_EQ(s.code(), absl::StatusCode::kOutOfRange) << c.field << ": " << s;
    EXPECT_NE(s.message().find("out of range"), absl::string_view::npos) << s;
  }
}

TEST_F(ConvertTest, SignednessMismatchIsAnError) {
  // A Go uint field cannot fill a proto int64, as gob's own decoder refuses.
  gob::TypeArena arena;
  gob::Type* go = arena.NewStruct("Widths");
  ASSERT_TRUE(arena.AddField(go, "I64", gob::UintType()).ok());
  gob::Value v = gob::Value::Zero(go);
  ASSERT_TRUE(v.SetField("I64", gob::Value::Uint(5)).ok());
  Widths w;
  absl::Status s = GobToProto(v, &w, types_, options_);
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(s.message().find("bridge.testdata.Widths.i64"),
            absl::string_view::npos)
      << s;
}

TEST_F(ConvertTest, UnknownGoFieldIsAnErrorWhenStrict) {
  gob::TypeArena arena;
  gob::Type* go = arena.NewStruct("Inner");
  ASSERT_TRUE(arena.AddField(go, "Name", gob::StringType()).ok());
  ASSERT_TRUE(arena.AddField(go, "Extra", gob::IntType()).ok());
  gob::Value v = gob::Value::Zero(go);
  ASSERT_TRUE(v.SetField("Name", gob::Value::String("n")).ok());
  ASSERT_TRUE(v.SetField("Extra", gob::Value::Int(9)).ok());

  Inner strict;
  absl::Status s = GobToProto(v, &strict, types_, options_);
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(s.message().find("Inner.Extra"), absl::string_view::npos) << s;

  std::vector<std::string> drops;
  ConvertOptions lenient;
  lenient.unknown_fields = netrpc::config::v1::DROP_AND_COUNT;
  lenient.on_drop = [&](absl::string_view what) {
    drops.emplace_back(what);
  };
  Inner dropped;
  ASSERT_TRUE(GobToProto(v, &dropped, types_, lenient).ok());
  EXPECT_EQ(dropped.name(), "n");
  ASSERT_EQ(drops.size(), 1u);
  EXPECT_NE(drops[0].find("Extra"), std::string::npos);
}

TEST_F(ConvertTest, UnknownProtoFieldsAreNotLostSilently) {
  Inner in;
  in.set_name("x");
  in.GetReflection()->MutableUnknownFields(&in)->AddVarint(99, 1);
  absl::StatusOr<gob::Value> v = ProtoToGob(in, types_, options_);
  EXPECT_EQ(v.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(v.status().message().find("number 99"), absl::string_view::npos);

  int drops = 0;
  ConvertOptions lenient;
  lenient.unknown_fields = netrpc::config::v1::DROP_AND_COUNT;
  lenient.on_drop = [&](absl::string_view) { ++drops; };
  ASSERT_TRUE(ProtoToGob(in, types_, lenient).ok());
  EXPECT_EQ(drops, 1);
}

TEST_F(ConvertTest, InvalidUtf8IsRefusedForProto3Strings) {
  const gob::Type* t = *types_.For(Inner::descriptor());
  gob::Value v = gob::Value::Zero(t);
  ASSERT_TRUE(v.SetField("Name", gob::Value::String("\xc3\x28")).ok());
  Inner out;
  absl::Status s = GobToProto(v, &out, types_, options_);
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(s.message().find("UTF-8"), absl::string_view::npos) << s;
}

TEST_F(ConvertTest, UnwrappedMessageIsASingleValue) {
  absl::StatusOr<const gob::Type*> t = types_.For(Product::descriptor());
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(*t, gob::IntType());

  Product p;  // zero: a top-level value is sent in full even when zero
  absl::StatusOr<gob::Value> v = ProtoToGob(p, types_, options_);
  ASSERT_TRUE(v.ok()) << v.status();
  EXPECT_TRUE(v->present());
  EXPECT_EQ(v->int_value(), 0);

  Product back;
  ASSERT_TRUE(GobToProto(gob::Value::Int(56), &back, types_, options_).ok());
  EXPECT_EQ(back.value(), 56);
}

TEST_F(ConvertTest, NonStructForOrdinaryMessageNamesTheFix) {
  Inner out;
  absl::Status s = GobToProto(gob::Value::Int(3), &out, types_, options_);
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(s.message().find("unwrap"), absl::string_view::npos) << s;
}

TEST_F(ConvertTest, TimestampOutsideProtoRangeIsAnError) {
  const gob::Type* t = *types_.For(User::descriptor());
  std::string bytes;
  ASSERT_TRUE(
      gob::AppendGoTime(absl::FromCivil(absl::CivilSecond(10000, 1, 1, 0, 0, 0),
                                        absl::UTCTimeZone()),
                        &bytes)
          .ok());
  gob::Value v = gob::Value::Zero(t);
  ASSERT_TRUE(
      v.SetField("Created", gob::Value::External(types_.TimeType(), bytes))
          .ok());
  User out;
  absl::Status s = GobToProto(v, &out, types_, options_);
  EXPECT_EQ(s.code(), absl::StatusCode::kOutOfRange) << s;
}

}  // namespace
}  // namespace bridge
