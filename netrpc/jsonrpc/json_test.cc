// Copyright netrpc-gateway authors. Licensed under the BSD-style licence of Go.
//
// Marshal and Unmarshal against Go 1.19's encoding/json: every expected
// string here is what Go printed for the same value or input (the Go types
// mirror the C++ ones field for field). tests/jsonrpc/json_vectors_test
// repeats the comparison against a live Go process.

#include "netrpc/jsonrpc/json.h"

#include <array>
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
#include "gmock/gmock.h"
#include "gtest/gtest.h"

#include "netrpc/gob/bind.h"
#include "netrpc/testing/status_matchers.h"

namespace netrpc::jsonrpc {
namespace {

using ::netrpc::testing::IsOk;
using ::netrpc::testing::StatusIs;

struct Inner {
  int64_t X = 0;
  std::string Name;
};
NETRPC_GOB_STRUCT_NAMED(Inner, "main.Inner", X, Name);

struct Outer {
  Inner In;
  std::unique_ptr<Inner> Ptr;
  int64_t K = 0;
  std::string Sun;
};
NETRPC_GOB_STRUCT_NAMED(Outer, "main.Outer", In, Ptr, K, Sun);

struct All {
  bool B = false;
  int64_t I = 0;
  int8_t I8 = 0;
  uint16_t U16 = 0;
  uint64_t U = 0;
  double F = 0;
  float F32 = 0;
  std::string S;
  gob::Bytes Bs;
  std::vector<int64_t> V;
  std::array<int64_t, 2> A = {};
  std::map<std::string, int64_t> M;
  std::map<int64_t, std::string> MI;
  std::optional<int64_t> P;
  absl::Time T = absl::UnixEpoch();
  absl::Duration D;
  int64_t hidden = 0;
};
NETRPC_GOB_STRUCT_NAMED(All, "main.All", B, I, I8, U16, U, F, F32, S, Bs, V, A,
                        M, MI, P, T, D, hidden);

template <typename T>
std::string MarshalOrDie(const T& v) {
  std::string out;
  absl::Status s = Marshal(v, &out);
  EXPECT_THAT(s, IsOk());
  return out;
}

TEST(MarshalTest, Float64AsGo) {
  EXPECT_EQ(MarshalOrDie(0.0), "0");
  EXPECT_EQ(MarshalOrDie(-0.0), "-0");
  EXPECT_EQ(MarshalOrDie(1.0), "1");
  EXPECT_EQ(MarshalOrDie(-1.5), "-1.5");
  EXPECT_EQ(MarshalOrDie(0.1), "0.1");
  EXPECT_EQ(MarshalOrDie(1e20), "100000000000000000000");
  EXPECT_EQ(MarshalOrDie(1e21), "1e+21");
  EXPECT_EQ(MarshalOrDie(123456789012345678901.0), "123456789012345680000");
  EXPECT_EQ(MarshalOrDie(1e-6), "0.000001");
  EXPECT_EQ(MarshalOrDie(1e-7), "1e-7");
  EXPECT_EQ(MarshalOrDie(1.5e-7), "1.5e-7");
  EXPECT_EQ(MarshalOrDie(5e-324), "5e-324");
  EXPECT_EQ(MarshalOrDie(std::numeric_limits<double>::max()),
            "1.7976931348623157e+308");
  EXPECT_EQ(MarshalOrDie(1.5e300), "1.5e+300");
  EXPECT_EQ(MarshalOrDie(12345678.9), "12345678.9");
  EXPECT_EQ(MarshalOrDie(0.000001234), "0.000001234");
}

TEST(MarshalTest, Float32AsGo) {
  EXPECT_EQ(MarshalOrDie(0.1f), "0.1");
  EXPECT_EQ(MarshalOrDie(1e-7f), "1e-7");
  EXPECT_EQ(MarshalOrDie(16777216.0f), "16777216");
  EXPECT_EQ(MarshalOrDie(3.4e38f), "3.4e+38");
  EXPECT_EQ(MarshalOrDie(1e21f), "1e+21");
  EXPECT_EQ(MarshalOrDie(1e20f), "100000000000000000000");
  EXPECT_EQ(MarshalOrDie(0.3f), "0.3");
}

TEST(MarshalTest, NonFiniteFloatsFail) {
  std::string out = "kept";
  EXPECT_THAT(Marshal(std::nan(""), &out),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "json: unsupported value: NaN"));
  EXPECT_THAT(Marshal(std::vector<double>{1, HUGE_VAL}, &out),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "json: unsupported value: +Inf"));
  EXPECT_THAT(Marshal(-HUGE_VALF, &out),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "json: unsupported value: -Inf"));
  EXPECT_EQ(out, "kept");  // nothing appended on error
}

TEST(MarshalTest, StringsEscapedAsGo) {
  EXPECT_EQ(MarshalOrDie(std::string("a<b>&c")), R"("a\u003cb\u003e\u0026c")");
  EXPECT_EQ(MarshalOrDie(std::string("\u2028\u2029")), R"("\u2028\u2029")");
  EXPECT_EQ(MarshalOrDie(std::string("\x00\x1f\t\n\r\"\\/", 8)),
            R"("\u0000\u001f\t\n\r\"\\/")");
  EXPECT_EQ(MarshalOrDie(std::string("\x7f\b\f")), "\"\x7f\\u0008\\u000c\"");
  EXPECT_EQ(MarshalOrDie(std::string("\xff\xfe")), R"("\ufffd\ufffd")");
  EXPECT_EQ(MarshalOrDie(std::string("\xc3\xa9")), "\"\xc3\xa9\"");
  EXPECT_EQ(MarshalOrDie(std::string("\xed\xa0\x80")),
            R"("\ufffd\ufffd\ufffd")");  // a surrogate is not UTF-8
  EXPECT_EQ(MarshalOrDie(std::string("\xf0\x9f\x98\x80")),
            "\"\xf0\x9f\x98\x80\"");
  EXPECT_EQ(MarshalOrDie(std::string("\xf0\x9f\x98")),
            R"("\ufffd\ufffd\ufffd")");
}

TEST(MarshalTest, BytesAreBase64) {
  EXPECT_EQ(MarshalOrDie(gob::Bytes{1, 2, 3}), R"("AQID")");
  EXPECT_EQ(MarshalOrDie(gob::Bytes{}), R"("")");
  EXPECT_EQ(MarshalOrDie(gob::Bytes{0xff, 0xfe, 0xfd, 0xfc}), R"("//79/A==")");
  EXPECT_EQ(MarshalOrDie(std::optional<gob::Bytes>()), "null");
}

TEST(MarshalTest, MapsSortedByKeyText) {
  EXPECT_EQ(MarshalOrDie(std::map<int64_t, int64_t>{{10, 1}, {9, 2}, {-1, 3}}),
            R"({"-1":3,"10":1,"9":2})");
  EXPECT_EQ(MarshalOrDie(std::unordered_map<std::string, int>{
                {"b", 1}, {"a", 2}, {"<", 3}}),
            R"({"\u003c":3,"a":2,"b":1})");
  EXPECT_EQ(MarshalOrDie(absl::flat_hash_map<uint8_t, bool>{}), "{}");
  std::string out;
  EXPECT_THAT(Marshal(std::map<bool, int64_t>{{true, 1}}, &out),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "json: unsupported type: map[bool]int"));
}

TEST(MarshalTest, UnsupportedTypeFailsAsGo) {
  std::string out;
  EXPECT_THAT(Marshal(std::complex<double>(1, 2), &out),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "json: unsupported type: complex128"));
}

TEST(MarshalTest, TimeIsRfc3339Nano) {
  absl::TimeZone utc = absl::UTCTimeZone();
  EXPECT_EQ(MarshalOrDie(absl::FromCivil(
                absl::CivilSecond(2009, 11, 10, 23, 0, 0), utc)),
            R"("2009-11-10T23:00:00Z")");
  EXPECT_EQ(MarshalOrDie(absl::FromCivil(
                             absl::CivilSecond(2009, 11, 10, 23, 0, 0), utc) +
                         absl::Milliseconds(500)),
            R"("2009-11-10T23:00:00.5Z")");
  EXPECT_EQ(MarshalOrDie(absl::FromCivil(
                             absl::CivilSecond(1969, 12, 31, 23, 59, 59), utc) +
                         absl::Nanoseconds(123456789)),
            R"("1969-12-31T23:59:59.123456789Z")");
  EXPECT_EQ(
      MarshalOrDie(absl::FromCivil(absl::CivilSecond(0, 1, 1, 0, 0, 0), utc)),
      R"("0000-01-01T00:00:00Z")");
  std::string out;
  EXPECT_THAT(
      Marshal(absl::FromCivil(absl::CivilSecond(10000, 1, 1, 0, 0, 0), utc),
              &out),
      StatusIs(absl::StatusCode::kInvalidArgument,
               "json: error calling MarshalJSON for type time.Time: "
               "Time.MarshalJSON: year outside of range [0,9999]"));
  EXPECT_EQ(MarshalOrDie(absl::Nanoseconds(1500)), "1500");
}

TEST(MarshalTest, StructHasExportedFieldsInOrder) {
  All all;
  all.T =
      absl::FromCivil(absl::CivilSecond(1, 1, 1, 0, 0, 0), absl::UTCTimeZone());
  all.hidden = 5;
  // Go writes null for its nil slices and maps; an empty C++ container is
  // Go's empty non-nil one.
  EXPECT_EQ(MarshalOrDie(all),
            R"({"B":false,"I":0,"I8":0,"U16":0,"U":0,"F":0,"F32":0,"S":"",)"
            R"("Bs":"","V":[],"A":[0,0],"M":{},"MI":{},"P":null,)"
            R"("T":"0001-01-01T00:00:00Z","D":0})");
}

TEST(UnmarshalTest, EveryKind) {
  All a;
  ASSERT_THAT(
      Unmarshal(
          R"({"B":true,"I":-5,"I8":-128,"U16":65535,"U":18446744073709551615,)"
          R"("F":2.5,"F32":0.1,"S":"x\u00e9\ud83d\ude00","Bs":"AQID",)"
          R"("V":[1,2],"A":[3],"M":{"k":1},"MI":{"-2":"a"},"P":7,)"
          R"("T":"2009-11-10T23:00:00.5+01:00","D":99,"hidden":5})",
          &a),
      IsOk());
  EXPECT_EQ(MarshalOrDie(a),
            R"({"B":true,"I":-5,"I8":-128,"U16":65535,)"
            R"("U":18446744073709551615,"F":2.5,"F32":0.1,)"
            "\"S\":\"x\xc3\xa9\xf0\x9f\x98\x80\","
            R"("Bs":"AQID","V":[1,2],"A":[3,0],"M":{"k":1},"MI":{"-2":"a"},)"
            R"("P":7,"T":"2009-11-10T22:00:00.5Z","D":99})");
  EXPECT_EQ(a.hidden, 0);  // unexported: never decoded
}

struct ErrorCase {
  std::string input;
  std::string error;
};

class UnmarshalErrorTest : public ::testing::TestWithParam<ErrorCase> {};

TEST_P(UnmarshalErrorTest, SameTextAsGo) {
  All a;
  EXPECT_THAT(Unmarshal(GetParam().input, &a),
              StatusIs(absl::StatusCode::kInvalidArgument, GetParam().error));
}

INSTANTIATE_TEST_SUITE_P(
    Go, UnmarshalErrorTest,
    ::testing::Values(
        ErrorCase{R"({"I":"x","B":3})",
                  "json: cannot unmarshal string into Go struct field All.I "
                  "of type int"},
        ErrorCase{R"({"I8":300})",
                  "json: cannot unmarshal number 300 into Go struct field "
                  "All.I8 of type int8"},
        // 64-bit integers stand for Go's int and uint (gob/bind.h).
        ErrorCase{R"({"U":-1})",
                  "json: cannot unmarshal number -1 into Go struct field All.U "
                  "of type uint"},
        ErrorCase{R"({"U16":1.0})",
                  "json: cannot unmarshal number 1.0 into Go struct field "
                  "All.U16 of type uint16"},
        ErrorCase{R"({"F":1e400})",
                  "json: cannot unmarshal number 1e400 into Go struct field "
                  "All.F of type float64"},
        ErrorCase{R"({"F32":1e39})",
                  "json: cannot unmarshal number 1e39 into Go struct field "
                  "All.F32 of type float32"},
        ErrorCase{R"({"MI":{"x":"a","3":"b"}})",
                  "json: cannot unmarshal number x into Go struct field All.MI "
                  "of type int"},
        ErrorCase{R"({"MI":{"99999999999999999999":"a"}})",
                  "json: cannot unmarshal number 99999999999999999999 into Go "
                  "struct field All.MI of type int"},
        ErrorCase{R"({"Bs":"AQI"})", "illegal base64 data at input byte 0"},
        ErrorCase{R"({"Bs":"A==="})", "illegal base64 data at input byte 1"},
        ErrorCase{R"({"Bs":"AQ==x"})", "illegal base64 data at input byte 4"},
        ErrorCase{R"({"V":[1,"x",3]})",
                  "json: cannot unmarshal string into Go struct field All.V "
                  "of type int"},
        ErrorCase{R"({"M":[1]})",
                  "json: cannot unmarshal array into Go struct field All.M of "
                  "type map[string]int"},
        ErrorCase{R"({"P":"s"})",
                  "json: cannot unmarshal string into Go struct field All.P "
                  "of type int"},
        ErrorCase{R"({"S":5})",
                  "json: cannot unmarshal number into Go struct field All.S "
                  "of type string"},
        ErrorCase{R"({"B":"true"})",
                  "json: cannot unmarshal string into Go struct field All.B "
                  "of type bool"},
        ErrorCase{"[1]",
                  "json: cannot unmarshal array into Go value of type "
                  "main.All"},
        ErrorCase{R"({"T":5})",
                  R"(parsing time "5" as "\"2006-01-02T15:04:05Z07:00\"": )"
                  R"(cannot parse "5" as "\"")"},
        ErrorCase{R"({"T":"2009-13-10T23:00:00Z"})",
                  R"(parsing time "\"2009-13-10T23:00:00Z\"": month out of )"
                  "range"},
        ErrorCase{R"({"T":"2009-02-30T00:00:00Z"})",
                  R"(parsing time "\"2009-02-30T00:00:00Z\"": day out of )"
                  "range"},
        ErrorCase{R"({"T":"2009-11-10T24:00:00Z"})",
                  R"(parsing time "\"2009-11-10T24:00:00Z\"": hour out of )"
                  "range"},
        ErrorCase{R"({"T":"2009-11-10 23:00:00Z"})",
                  R"(parsing time "\"2009-11-10 23:00:00Z\"" as )"
                  R"("\"2006-01-02T15:04:05Z07:00\"": cannot parse )"
                  R"(" 23:00:00Z\"" as "T")"},
        ErrorCase{R"({"T":"2009-11-10T23:00:00"})",
                  R"(parsing time "\"2009-11-10T23:00:00\"" as )"
                  R"("\"2006-01-02T15:04:05Z07:00\"": cannot parse "\"" as )"
                  R"("Z07:00")"},
        ErrorCase{R"({"T":"2009-11-10T23:00:00Zx"})",
                  R"(parsing time "\"2009-11-10T23:00:00Zx\"" as )"
                  R"("\"2006-01-02T15:04:05Z07:00\"": cannot parse "x\"" as )"
                  R"("\"")"},
        // An Unmarshaler's error ends decoding at once and wins over a
        // saved type error.
        ErrorCase{R"({"T":{"a":1},"I":"x"})",
                  R"(parsing time "{\"a\":1}" as )"
                  R"("\"2006-01-02T15:04:05Z07:00\"": cannot parse )"
                  R"("{\"a\":1}" as "\"")"},
        ErrorCase{R"({"I":"x","T":[1]})",
                  R"(parsing time "[1]" as "\"2006-01-02T15:04:05Z07:00\"": )"
                  R"(cannot parse "[1]" as "\"")"},
        ErrorCase{R"({"T":"2x09-11-10T23:00:00Z"})",
                  R"(parsing time "\"2x09-11-10T23:00:00Z\"" as )"
                  R"("\"2006-01-02T15:04:05Z07:00\"": cannot parse )"
                  R"("-11-10T23:00:00Z\"" as "2006")"},
        ErrorCase{R"({"T":"2009-11-10T23:00:00+0100"})",
                  R"(parsing time "\"2009-11-10T23:00:00+0100\"" as )"
                  R"("\"2006-01-02T15:04:05Z07:00\"": cannot parse )"
                  R"("+0100\"" as "Z07:00")"},
        ErrorCase{R"({"T":"2009-11-10T23:00:00\u00e9"})",
                  R"(parsing time "\"2009-11-10T23:00:00\\u00e9\"" as )"
                  R"("\"2006-01-02T15:04:05Z07:00\"": cannot parse )"
                  R"("\\u00e9\"" as "Z07:00")"},
        ErrorCase{"{\"A\":1", "unexpected end of JSON input"},
        ErrorCase{"{} {}", "invalid character '{' after top-level value"}));

TEST(UnmarshalTest, TopLevelTypeErrors) {
  int64_t i = 0;
  EXPECT_THAT(Unmarshal(R"("x")", &i),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "json: cannot unmarshal string into Go value of type "
                       "int"));
  EXPECT_THAT(Unmarshal("{}", &i),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "json: cannot unmarshal object into Go value of type "
                       "int"));
  std::string s;
  EXPECT_THAT(Unmarshal("true", &s),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "json: cannot unmarshal bool into Go value of type "
                       "string"));
}

TEST(UnmarshalTest, GoesOnAfterATypeError) {
  All a;
  EXPECT_FALSE(Unmarshal(R"({"V":[1,"x",3],"MI":{"x":"a","3":"b"}})", &a).ok());
  EXPECT_THAT(a.V, ::testing::ElementsAre(1, 0, 3));
  EXPECT_THAT(a.MI, ::testing::ElementsAre(::testing::Pair(3, "b")));
  Outer o;
  EXPECT_FALSE(Unmarshal(R"({"ptr":{"name":5}})", &o).ok());
  ASSERT_NE(o.Ptr, nullptr);  // allocated before the bad value was seen
}

TEST(UnmarshalTest, NestedFieldContextIsGos) {
  Outer o;
  EXPECT_THAT(Unmarshal(R"({"in":{"x":"s"}})", &o),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "json: cannot unmarshal string into Go struct field "
                       "Inner.In.X of type int"));
  EXPECT_THAT(Unmarshal(R"({"ptr":{"name":5}})", &o),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "json: cannot unmarshal number into Go struct field "
                       "Inner.Ptr.Name of type string"));
}

TEST(UnmarshalTest, KeysMatchIgnoringCase) {
  Outer o;
  ASSERT_THAT(Unmarshal(R"({"\u212a":5,"\u017fun":"y"})", &o), IsOk());
  EXPECT_EQ(o.K, 5);      // KELVIN SIGN folds to k
  EXPECT_EQ(o.Sun, "y");  // LATIN SMALL LETTER LONG S folds to s
  ASSERT_THAT(Unmarshal(R"({"IN":{"X":1},"In":{"Name":"n"}})", &o), IsOk());
  EXPECT_EQ(o.In.X, 1);  // merged: the second member keeps X
  EXPECT_EQ(o.In.Name, "n");
}

TEST(UnmarshalTest, NullAndMergeSemantics) {
  All a;
  a.P = 1;
  a.V = {1};
  a.M = {{"a", 1}};
  a.A = {1, 2};
  ASSERT_THAT(Unmarshal(R"({"P":null,"V":null,"M":null,"A":null})", &a),
              IsOk());
  EXPECT_FALSE(a.P.has_value());
  EXPECT_TRUE(a.V.empty());
  EXPECT_TRUE(a.M.empty());
  EXPECT_THAT(a.A, ::testing::ElementsAre(1, 2));  // null leaves an array

  a.V = {1, 2, 3};
  ASSERT_THAT(Unmarshal(R"({"V":[9],"A":[9]})", &a), IsOk());
  EXPECT_THAT(a.V, ::testing::ElementsAre(9));
  EXPECT_THAT(a.A, ::testing::ElementsAre(9, 0));  // the rest zeroed
  ASSERT_THAT(Unmarshal(R"({"A":[1,2,3]})", &a), IsOk());
  EXPECT_THAT(a.A, ::testing::ElementsAre(1, 2));
}

TEST(UnmarshalTest, BytesFromBase64OrNumbers) {
  All a;
  ASSERT_THAT(Unmarshal(R"({"Bs":"AQ=="})", &a), IsOk());
  EXPECT_THAT(a.Bs, ::testing::ElementsAre(1));
  ASSERT_THAT(Unmarshal(R"({"Bs":"AQ\nID"})", &a), IsOk());
  EXPECT_THAT(a.Bs, ::testing::ElementsAre(1, 2, 3));
  ASSERT_THAT(Unmarshal(R"({"Bs":[1,2]})", &a), IsOk());
  EXPECT_THAT(a.Bs, ::testing::ElementsAre(1, 2));
}

TEST(UnmarshalTest, StringsAsGo) {
  std::string s;
  ASSERT_THAT(Unmarshal(R"("\ud800x\udc00\ud800\udbff")", &s), IsOk());
  // Lone surrogates become U+FFFD, each one.
  EXPECT_EQ(s, "\xef\xbf\xbdx\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd");
  ASSERT_THAT(Unmarshal("\"\xff\"", &s), IsOk());
  EXPECT_EQ(s, "\xef\xbf\xbd");
}

TEST(UnmarshalTest, TimeAsGo) {
  absl::Time t;
  ASSERT_THAT(Unmarshal(R"("2009-11-10T23:00:00.123456789123Z")", &t), IsOk());
  EXPECT_EQ(MarshalOrDie(t), R"("2009-11-10T23:00:00.123456789Z")");
  ASSERT_THAT(Unmarshal(R"("2009-11-10T3:00:00Z")", &t), IsOk());
  EXPECT_EQ(MarshalOrDie(t), R"("2009-11-10T03:00:00Z")");
  ASSERT_THAT(Unmarshal("null", &t), IsOk());  // left alone
  EXPECT_EQ(MarshalOrDie(t), R"("2009-11-10T03:00:00Z")");
}

struct Node {
  int64_t V = 0;
  std::unique_ptr<Node> Next;
  std::vector<Node> Kids;
};
NETRPC_GOB_STRUCT_NAMED(Node, "main.Node", V, Next, Kids);

std::string Nested(absl::string_view open, absl::string_view close, int n) {
  std::string s;
  for (int i = 0; i < n; ++i) s.append(open.data(), open.size());
  s += "null";
  for (int i = 0; i < n; ++i) s.append(close.data(), close.size());
  return s;
}

TEST(UnmarshalTest, RecursiveTypesNestUpToTheLimit) {
  Node node;
  ASSERT_THAT(Unmarshal(Nested(R"({"Next":)", "}", 999), &node), IsOk());
  ASSERT_THAT(Unmarshal(Nested(R"({"Kids":[)", "]}", 499), &node), IsOk());
  // Deeper input fails cleanly instead of exhausting the stack (Go, whose
  // stacks grow, accepts up to its scanner's limit of 10000).
  EXPECT_THAT(Unmarshal(Nested(R"({"Next":)", "}", 1001), &node),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "jsonrpc: JSON nested deeper than 1000 levels"));
  EXPECT_THAT(Unmarshal(Nested(R"({"Kids":[)", "]}", 5000), &node),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "jsonrpc: JSON nested deeper than 1000 levels"));
  // The encoder follows whatever was decoded.
  std::string out;
  ASSERT_THAT(Marshal(node, &out), IsOk());
}

TEST(UnmarshalTest, FloatUnderflowIsZero) {
  double f = 1;
  ASSERT_THAT(Unmarshal("1e-400", &f), IsOk());
  EXPECT_EQ(f, 0);
}

}  // namespace
}  // namespace netrpc::jsonrpc
