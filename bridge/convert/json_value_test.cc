#include "bridge/convert/json_value.h"

#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "google/protobuf/util/message_differencer.h"
#include "gtest/gtest.h"

#include "bridge/convert/gob_to_proto.h"
#include "bridge/convert/gob_types.h"
#include "bridge/convert/proto_to_gob.h"
#include "bridge/convert/testdata/map_cases.h"
#include "bridge/convert/testdata/mapping.pb.h"
#include "netrpc/gob/time.h"
#include "netrpc/gob/type.h"
#include "netrpc/gob/value.h"
#include "netrpc/testing/status_matchers.h"

namespace bridge {
namespace {

namespace gob = ::netrpc::gob;
using ::google::protobuf::util::MessageDifferencer;
using ::netrpc::testing::IsOk;
using ::netrpc::testing::StatusIs;
using testdata::Node;
using testdata::Product;
using testdata::User;
using testdata::Widths;

// FullUser is convert_test's fixture; kFullUserJson is what Go 1.19's
// json.Marshal writes for the same value of the Go twin of User:
//
//   type Inner struct { Name string; Vals []int64 }
//   type User struct {
//     UserID int64; DisplayName string; Avatar []byte; Profile *Inner
//     Items []Inner; Tags map[string]int64; ById map[int32]Inner
//     Color int32; Created time.Time; Ttl time.Duration; Active bool
//     Score float64; Ratio float32; Names []string
//   }
User FullUser() {
  User u;
  u.set_user_id(-42);
  u.set_display_name("Zoë");
  u.set_avatar(std::string("\x00\xff\x10", 3));
  u.mutable_profile()->set_name("p");
  u.mutable_profile()->add_vals(1);
  u.mutable_profile()->add_vals(-2);
  u.add_items()->set_name("a");
  u.add_items();
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

constexpr char kFullUserJson[] =
    R"({"UserID":-42,"DisplayName":"Zoë","Avatar":"AP8Q",)"
    R"("Profile":{"Name":"p","Vals":[1,-2]},)"
    R"("Items":[{"Name":"a","Vals":null},{"Name":"","Vals":null}],)"
    R"("Tags":{"k":7,"z":0},"ById":{"3":{"Name":"three","Vals":null}},)"
    R"("Color":2,"Created":"2009-11-10T23:00:00.123456789Z",)"
    R"("Ttl":-3000000500,"Active":true,"Score":0.1,"Ratio":1.5,)"
    R"("Names":["x",""]})";

// Go's json.Marshal(User{}).
constexpr char kZeroUserJson[] =
    R"({"UserID":0,"DisplayName":"","Avatar":null,"Profile":null,)"
    R"("Items":null,"Tags":null,"ById":null,"Color":0,)"
    R"("Created":"0001-01-01T00:00:00Z","Ttl":0,"Active":false,"Score":0,)"
    R"("Ratio":0,"Names":null})";

// SameValue is Value's == with maps compared as maps: their entry order
// (ProtoToGob's is the proto map's, the decoder's the JSON's) does not count.
bool SameValue(const gob::Value& a, const gob::Value& b) {
  if (a.type() != b.type()) return false;
  switch (a.kind()) {
    case gob::Kind::kStruct:
      for (size_t i = 0; i < a.type()->fields().size(); ++i) {
        if (!SameValue(a.field(i), b.field(i))) return false;
      }
      return true;
    case gob::Kind::kSlice:
    case gob::Kind::kArray:
      if (a.size() != b.size()) return false;
      for (size_t i = 0; i < a.size(); ++i) {
        if (!SameValue(a.elem(i), b.elem(i))) return false;
      }
      return true;
    case gob::Kind::kMap:
      if (a.size() != b.size()) return false;
      for (size_t i = 0; i < a.size(); ++i) {
        const gob::Value* other = b.MapFind(a.map_key(i));
        if (other == nullptr || !SameValue(a.map_value(i), *other)) {
          return false;
        }
      }
      return true;
    default:
      return a == b;
  }
}

class JsonValueTest : public ::testing::Test {
 protected:
  const gob::Type* TypeOf(const google::protobuf::Descriptor* d) {
    absl::StatusOr<const gob::Type*> t = types_.For(d);
    EXPECT_THAT(t.status(), IsOk());
    return t.ok() ? *t : nullptr;
  }

  gob::Value ToGob(const google::protobuf::Message& m) {
    absl::StatusOr<gob::Value> v = ProtoToGob(m, types_, options_);
    EXPECT_THAT(v.status(), IsOk());
    return v.ok() ? *std::move(v) : gob::Value();
  }

  std::string ToJson(const gob::Value& v) {
    std::string out;
    EXPECT_THAT(GobValueToJson(v, &out), IsOk());
    return out;
  }

  absl::StatusOr<gob::Value> FromJson(absl::string_view json,
                                      const google::protobuf::Descriptor* d) {
    gob::Value v;
    absl::Status s = JsonToGobValue(json, TypeOf(d), &v, options_);
    if (!s.ok()) return s;
    return v;
  }

  // UserFromJson decodes json as a User and converts it to the message.
  absl::StatusOr<User> UserFromJson(absl::string_view json) {
    absl::StatusOr<gob::Value> v = FromJson(json, User::descriptor());
    if (!v.ok()) return v.status();
    User u;
    absl::Status s = GobToProto(*v, &u, types_, options_);
    if (!s.ok()) return s;
    return u;
  }

  GobTypes types_{GoNames()};
  ConvertOptions options_;
};

TEST_F(JsonValueTest, EncodesAsGoDoes) {
  EXPECT_EQ(ToJson(ToGob(FullUser())), kFullUserJson);
}

TEST_F(JsonValueTest, EncodesAbsentFieldsAsGoZeros) {
  EXPECT_EQ(ToJson(ToGob(User())), kZeroUserJson);
  EXPECT_EQ(ToJson(gob::Value::Zero(TypeOf(User::descriptor()))),
            kZeroUserJson);
  EXPECT_EQ(ToJson(gob::Value()), "null");
}

TEST_F(JsonValueTest, DecodesWhatGoWrites) {
  absl::StatusOr<User> u = UserFromJson(kFullUserJson);
  ASSERT_THAT(u.status(), IsOk());
  std::string diff;
  MessageDifferencer d;
  d.ReportDifferencesToString(&diff);
  EXPECT_TRUE(d.Compare(FullUser(), *u)) << diff;
}

// A decoded value is the value a gob decode of the same Go value gives:
// the struct fields Go's gob encoder omits (zero, nil) are absent, so it
// equals what ProtoToGob makes of the message.
TEST_F(JsonValueTest, DecodedValueIsTheGobValue) {
  for (const User& u : {FullUser(), User()}) {
    gob::Value want = ToGob(u);
    absl::StatusOr<gob::Value> got = FromJson(ToJson(want), User::descriptor());
    ASSERT_THAT(got.status(), IsOk());
    EXPECT_TRUE(SameValue(*got, want)) << ToJson(*got);
  }
  absl::StatusOr<gob::Value> zero = FromJson(kZeroUserJson, User::descriptor());
  ASSERT_THAT(zero.status(), IsOk());
  for (size_t i = 0; i < zero->type()->fields().size(); ++i) {
    EXPECT_FALSE(zero->field(i).present()) << zero->type()->fields()[i].name;
  }
}

TEST_F(JsonValueTest, KeysMatchIgnoringCase) {
  absl::StatusOr<User> u = UserFromJson(
      R"({"userid":5,"DISPLAYNAME":"n","byid":{"1":{"name":"x"}}})");
  ASSERT_THAT(u.status(), IsOk());
  EXPECT_EQ(u->user_id(), 5);
  EXPECT_EQ(u->display_name(), "n");
  EXPECT_EQ(u->by_id().at(1).name(), "x");
}

TEST_F(JsonValueTest, UnknownKeyFailsUnderStrict) {
  EXPECT_THAT(
      UserFromJson(R"({"UserID":1,"Profile":{"Nick":"x"}})").status(),
      StatusIs(absl::StatusCode::kInvalidArgument,
               "bridge: JSON key \"Nick\" of Inner (field Profile) names no "
               "field of the mapped type; add the field to the proto, "
               "declare its Go name (go_name option or field_names in the "
               "config), or set unknown_fields: DROP_AND_COUNT"));
}

TEST_F(JsonValueTest, UnknownKeyIsDroppedAndReportedUnderDropAndCount) {
  std::vector<std::string> dropped;
  options_.unknown_fields = netrpc::config::v1::DROP_AND_COUNT;
  options_.on_drop = [&](absl::string_view what) {
    dropped.emplace_back(what);
  };
  absl::StatusOr<User> u = UserFromJson(R"({"Extra":[1,{}],"UserID":3})");
  ASSERT_THAT(u.status(), IsOk());
  EXPECT_EQ(u->user_id(), 3);
  EXPECT_EQ(dropped, (std::vector<std::string>{
                         "bridge: JSON key \"Extra\" of User names no field "
                         "of the mapped type"}));
}

// Go's texts, checked against Go 1.19's json.Unmarshal into the Go twin
// (whose ById key is int32: the bridge range-checks int64 here and the
// proto field's width in GobToProto).
TEST_F(JsonValueTest, TypeErrorsNameTheField) {
  EXPECT_THAT(UserFromJson(R"({"UserID":1e30})").status(),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "json: cannot unmarshal number 1e30 into Go struct "
                       "field User.UserID of type int64"));
  EXPECT_THAT(UserFromJson(R"({"Profile":{"Vals":["x"]}})").status(),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "json: cannot unmarshal string into Go struct field "
                       "Inner.Profile.Vals of type int64"));
  EXPECT_THAT(UserFromJson(R"({"Items":[{"Vals":[1.5]}]})").status(),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "json: cannot unmarshal number 1.5 into Go struct "
                       "field Inner.Items.Vals of type int64"));
  EXPECT_THAT(UserFromJson(R"({"ById":{"x":{}}})").status(),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "json: cannot unmarshal number x into Go struct field "
                       "User.ById of type int64"));
  EXPECT_THAT(UserFromJson(R"({"Avatar":"!!"})").status(),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "illegal base64 data at input byte 0"));
  EXPECT_THAT(UserFromJson(R"({"Created":"2009"})").status(),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "parsing time \"\\\"2009\\\"\" as "
                       "\"\\\"2006-01-02T15:04:05Z07:00\\\"\": cannot parse "
                       "\"\\\"\" as \"-\""));
  EXPECT_THAT(UserFromJson(R"({"Active":1})").status(),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "json: cannot unmarshal number into Go struct field "
                       "User.Active of type bool"));
  EXPECT_THAT(UserFromJson(R"({"UserID":1)").status(),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "unexpected end of JSON input"));
}

// The first error wins and the rest is still decoded, as Go's.
TEST_F(JsonValueTest, TypeErrorKeepsDecoding) {
  gob::Value v;
  absl::Status s = JsonToGobValue(R"({"UserID":"x","DisplayName":"kept"})",
                                  TypeOf(User::descriptor()), &v, options_);
  EXPECT_THAT(s, StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_EQ(v.Field("DisplayName")->string_value(), "kept");
}

TEST_F(JsonValueTest, NarrowProtoFieldsAreRangeCheckedByGobToProto) {
  absl::StatusOr<gob::Value> v = FromJson(
      R"({"I32":3000000000,"U64":18446744073709551615})", Widths::descriptor());
  ASSERT_THAT(v.status(), IsOk());
  Widths w;
  EXPECT_THAT(GobToProto(*v, &w, types_, options_),
              StatusIs(absl::StatusCode::kOutOfRange,
                       "bridge: value 3000000000 out of range for "
                       "bridge.testdata.Widths.i32 (int32)"));
  EXPECT_THAT(FromJson(R"({"U32":-1})", Widths::descriptor()).status(),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "json: cannot unmarshal number -1 into Go struct "
                       "field Widths.U32 of type uint64"));
  EXPECT_THAT(
      FromJson(R"({"U64":18446744073709551616})", Widths::descriptor())
          .status(),
      StatusIs(absl::StatusCode::kInvalidArgument,
               "json: cannot unmarshal number 18446744073709551616 into Go "
               "struct field Widths.U64 of type uint64"));
  absl::StatusOr<gob::Value> limits =
      FromJson(R"({"I64":-9223372036854775808,"U64":18446744073709551615})",
               Widths::descriptor());
  ASSERT_THAT(limits.status(), IsOk());
  EXPECT_EQ(limits->Field("I64")->int_value(),
            std::numeric_limits<int64_t>::min());
  EXPECT_EQ(limits->Field("U64")->uint_value(),
            std::numeric_limits<uint64_t>::max());
  EXPECT_EQ(ToJson(*limits),
            R"({"I32":0,"I64":-9223372036854775808,"S32":0,"S64":0,)"
            R"("Sf32":0,"Sf64":0,"U32":0,"U64":18446744073709551615,)"
            R"("F32":0,"F64":0})");
}

TEST_F(JsonValueTest, NullMakesNilAndLeavesScalars) {
  gob::Value v = ToGob(FullUser());
  ASSERT_THAT(JsonToGobValue(R"({"Profile":null,"Items":null,"Tags":null,)"
                             R"("Avatar":null,"UserID":null,"Created":null})",
                             TypeOf(User::descriptor()), &v, options_),
              IsOk());
  EXPECT_FALSE(v.Field("Profile")->present());
  EXPECT_FALSE(v.Field("Items")->present());
  EXPECT_FALSE(v.Field("Tags")->present());
  EXPECT_FALSE(v.Field("Avatar")->present());
  EXPECT_EQ(v.Field("UserID")->int_value(), -42);
  EXPECT_TRUE(v.Field("Created")->present());
  EXPECT_EQ(v.Field("DisplayName")->string_value(), "Zoë");  // merged
}

TEST_F(JsonValueTest, TopLevelNullIsTheZeroValue) {
  absl::StatusOr<gob::Value> v = FromJson("null", User::descriptor());
  ASSERT_THAT(v.status(), IsOk());
  EXPECT_EQ(v->kind(), gob::Kind::kStruct);
}

TEST_F(JsonValueTest, BytesAlsoReadAsNumbers) {
  absl::StatusOr<User> u = UserFromJson(R"({"Avatar":[0,255,16]})");
  ASSERT_THAT(u.status(), IsOk());
  EXPECT_EQ(u->avatar(), std::string("\x00\xff\x10", 3));
  EXPECT_THAT(UserFromJson(R"({"Avatar":[256]})").status(),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "json: cannot unmarshal number 256 into Go struct "
                       "field User.Avatar of type uint8"));
}

TEST_F(JsonValueTest, TimesInOtherZonesAreTheirInstant) {
  absl::StatusOr<User> u =
      UserFromJson(R"({"Created":"2009-11-11T00:00:00.5+01:00"})");
  ASSERT_THAT(u.status(), IsOk());
  EXPECT_EQ(u->created().seconds(), 1257894000);
  EXPECT_EQ(u->created().nanos(), 500000000);
  // The zero time is Go's zero value: gob omits it.
  absl::StatusOr<gob::Value> zero =
      FromJson(R"({"Created":"0001-01-01T00:00:00Z"})", User::descriptor());
  ASSERT_THAT(zero.status(), IsOk());
  EXPECT_FALSE(zero->Field("Created")->present());
}

TEST_F(JsonValueTest, GoZeroValueOfTimeIsGoZeroTime) {
  gob::Value zero = GoZeroValue(types_.TimeType());
  absl::StatusOr<gob::GoTime> t = gob::ParseGoTime(zero.bytes());
  ASSERT_THAT(t.status(), IsOk());
  EXPECT_EQ(t->time, gob::GoZeroTime());
  EXPECT_EQ(ToJson(zero), "\"0001-01-01T00:00:00Z\"");
  EXPECT_EQ(GoZeroValue(TypeOf(User::descriptor())).kind(), gob::Kind::kStruct);
}

TEST_F(JsonValueTest, NonUtcTimesAreWrittenInTheirZone) {
  const gob::Type* time_type = types_.TimeType();
  std::string bytes;
  ASSERT_THAT(gob::AppendGoTime(absl::FromUnixSeconds(1257894000), &bytes),
              IsOk());
  // MarshalBinary version 1 with a zone offset of +60 minutes.
  bytes[13] = 0;
  bytes[14] = 60;
  EXPECT_EQ(ToJson(gob::Value::External(time_type, bytes)),
            "\"2009-11-11T00:00:00+01:00\"");
}

TEST_F(JsonValueTest, UnwrappedTopLevelValues) {
  absl::StatusOr<gob::Value> v = FromJson("56", Product::descriptor());
  ASSERT_THAT(v.status(), IsOk());
  EXPECT_EQ(v->int_value(), 56);
  EXPECT_EQ(ToJson(*v), "56");
  // A top-level zero is still sent by gob: present.
  absl::StatusOr<gob::Value> zero = FromJson("0", Product::descriptor());
  ASSERT_THAT(zero.status(), IsOk());
  EXPECT_TRUE(zero->present());
  EXPECT_THAT(FromJson(R"({"Value":1})", Product::descriptor()).status(),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "json: cannot unmarshal object into Go value of type "
                       "int64"));
}

TEST_F(JsonValueTest, RecursiveMessages) {
  Node n;
  Node* p = &n;
  for (int i = 1; i <= 50; ++i) {
    p->set_val(i);
    p = p->mutable_next();
  }
  gob::Value v = ToGob(n);
  std::string json = ToJson(v);
  EXPECT_EQ(json.substr(0, 29), R"({"Val":1,"Next":{"Val":2,"Nex)");
  absl::StatusOr<gob::Value> back = FromJson(json, Node::descriptor());
  ASSERT_THAT(back.status(), IsOk());
  EXPECT_TRUE(*back == v);
}

TEST_F(JsonValueTest, TooDeepIsAnError) {
  std::string json;
  for (int i = 0; i < 2000; ++i) json += R"({"Next":)";
  json += "null";
  for (int i = 0; i < 2000; ++i) json += "}";
  EXPECT_THAT(FromJson(json, Node::descriptor()).status(),
              StatusIs(absl::StatusCode::kInvalidArgument));
}

// A struct holding a slice of itself nests two levels per struct: decoding
// stops at jsonrpc's kMaxDecodeDepth (1000) with an error, and values just
// under it decode and encode again (also under ASan's larger frames).
TEST_F(JsonValueTest, DeepSlicesOfStructs) {
  gob::TypeArena arena;
  gob::Type* tree = arena.NewStruct("Tree");
  ASSERT_THAT(arena.AddField(tree, "Kids", arena.NewSlice(tree)), IsOk());
  auto nested = [](int levels) {
    std::string json;
    for (int i = 0; i < levels; ++i) json += R"({"Kids":[)";
    json += "{}";
    for (int i = 0; i < levels; ++i) json += "]}";
    return json;
  };
  gob::Value v;
  std::string json = nested(495);
  ASSERT_THAT(JsonToGobValue(json, tree, &v, options_), IsOk());
  std::string out;
  ASSERT_THAT(GobValueToJson(v, &out), IsOk());
  EXPECT_EQ(out.substr(0, 19), R"({"Kids":[{"Kids":[{)");
  EXPECT_THAT(JsonToGobValue(nested(600), tree, &v, options_),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "jsonrpc: JSON nested deeper than 1000 levels"));
}

// Hostile input: every byte of a full value replaced by each JSON
// metacharacter, and every truncation, decodes to a value or an error and
// never crashes (run under --config=asan); a decoded value encodes again.
TEST_F(JsonValueTest, ByteFlipsAndTruncations) {
  const std::string good = kFullUserJson;
  const gob::Type* user = TypeOf(User::descriptor());
  auto check = [&](const std::string& json) {
    gob::Value v;
    if (JsonToGobValue(json, user, &v, options_).ok()) {
      std::string out;
      (void)GobValueToJson(v, &out);
    }
  };
  for (size_t i = 0; i < good.size(); ++i) {
    for (char c : std::string("{}[]\",:n1-e. \\\xff")) {
      std::string json = good;
      json[i] = c;
      check(json);
    }
    check(good.substr(0, i));
  }
}

TEST_F(JsonValueTest, NaNAndInfinitiesAreErrors) {
  User u;
  u.set_score(std::nan(""));
  std::string out = "kept";
  EXPECT_THAT(GobValueToJson(ToGob(u), &out),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "json: unsupported value: NaN"));
  EXPECT_EQ(out, "kept");
  u.set_score(-std::numeric_limits<double>::infinity());
  EXPECT_THAT(GobValueToJson(ToGob(u), &out),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "json: unsupported value: -Inf"));
}

TEST_F(JsonValueTest, MapKeysMustBeStringsOrIntegers) {
  gob::TypeArena arena;
  const gob::Type* m = arena.NewMap(gob::BoolType(), gob::IntType());
  gob::Value v = gob::Value::Zero(m);
  ASSERT_THAT(v.MapInsert(gob::Value::Bool(true), gob::Value::Int(1)), IsOk());
  std::string out;
  EXPECT_THAT(GobValueToJson(v, &out),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "json: unsupported type: map[bool]int64"));
  gob::Value d;
  EXPECT_THAT(JsonToGobValue(R"({"true":1})", m, &d, options_),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "json: cannot unmarshal object into Go value of type "
                       "map[bool]int64"));
}

TEST_F(JsonValueTest, IntegerMapKeysSortAsText) {
  User u;
  for (int k : {10, 9, -1, 100}) (*u.mutable_by_id())[k].set_name("");
  std::string json = ToJson(ToGob(u));
  EXPECT_NE(json.find(R"("ById":{"-1":)"), std::string::npos) << json;
  EXPECT_LT(json.find(R"("10":)"), json.find(R"("100":)"));
  EXPECT_LT(json.find(R"("100":)"), json.find(R"("9":)"));
}

// Past the size where maps are indexed, a repeated key still takes its last
// value in its first place, also when it repeats a key of the map decoded
// into (Go decodes into an existing map), or is spelled differently.
TEST_F(JsonValueTest, RepeatedMapKeysLastWinsInBigMaps) {
  std::string json = R"({"Tags":{)";
  for (int i = 0; i < 40; ++i) absl::StrAppend(&json, "\"k", i, "\":", i, ",");
  absl::StrAppend(&json, R"("k39":139,"k0":100,"k39":239,"new":7},"ById":{)");
  for (int i = 0; i < 40; ++i) absl::StrAppend(&json, "\"", i - 20, "\":{},");
  absl::StrAppend(&json, R"("-03":{"Name":"x"}}})");
  absl::StatusOr<gob::Value> v = FromJson(json, User::descriptor());
  ASSERT_THAT(v.status(), IsOk());
  map_cases::ExpectLastValuesWon(*v);

  ASSERT_THAT(JsonToGobValue(R"({"Tags":{"k1":-1,"k41":41}})",
                             TypeOf(User::descriptor()), &*v, options_),
              IsOk());
  ASSERT_EQ(v->Field("Tags")->size(), 42u);
  EXPECT_EQ(v->Field("Tags")->map_value(1).int_value(), -1);
  EXPECT_EQ(v->Field("Tags")->map_key(41).string_value(), "k41");
}

// Decoding a map is linear in its entries: 200k take a fraction of a
// second, where a search per entry would take minutes (and time the test
// out). Keys alike but for their last bytes make each comparison slower.
TEST_F(JsonValueTest, BigMapsDecodeInLinearTime) {
  using map_cases::BigKey;
  using map_cases::kBigEntries;
  std::string json = R"({"Tags":{)";
  for (int64_t i = 0; i < kBigEntries; ++i) {
    absl::StrAppend(&json, "\"", BigKey(i), "\":", i, ",");
  }
  for (int64_t i = 0; i < kBigEntries; i += 3) {
    absl::StrAppend(&json, "\"", BigKey(i), "\":", -i,
                    i + 3 < kBigEntries ? "," : "");
  }
  json += "}}";
  absl::StatusOr<gob::Value> v = FromJson(json, User::descriptor());
  ASSERT_THAT(v.status(), IsOk());
  const gob::Value& tags = *v->Field("Tags");
  ASSERT_EQ(tags.size(), static_cast<size_t>(kBigEntries));
  EXPECT_EQ(map_cases::WrongBigEntries(tags), 0u);
}

TEST_F(JsonValueTest, SliceDecodeMergesAndTruncates) {
  gob::Value v = ToGob(FullUser());
  ASSERT_THAT(JsonToGobValue(R"({"Items":[{"Vals":[5]}]})",
                             TypeOf(User::descriptor()), &v, options_),
              IsOk());
  const gob::Value& items = *v.Field("Items");
  ASSERT_EQ(items.size(), 1u);
  // Go decodes into the existing element: its Name stays.
  EXPECT_EQ(items.elem(0).Field("Name")->string_value(), "a");
  EXPECT_EQ(items.elem(0).Field("Vals")->elem(0).int_value(), 5);
}

TEST_F(JsonValueTest, StringsAreEscapedAsGoDoes) {
  User u;
  u.set_display_name("<a&b>\u2028\"\\\n");
  EXPECT_EQ(ToJson(ToGob(u)).substr(0, 60),
            R"({"UserID":0,"DisplayName":"\u003ca\u0026b\u003e\u2028\"\\\n")");
}

}  // namespace
}  // namespace bridge
