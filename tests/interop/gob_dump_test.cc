// `gob dump` on streams Go wrote prints each value as one line of JSON, in
// the format netrpc/gob/debug.h documents (encoding/json's conventions). The
// expected lines are written out in full: they pin down what a person
// debugging a stream sees.

#include <optional>
#include <string>
#include <vector>

#include "absl/strings/str_split.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

#include "netrpc/testing/status_matchers.h"
#include "tests/interop/gob_peers.h"

namespace tests {
namespace {

using ::netrpc::testing::IsOk;
using ::netrpc::testing::RunResult;
using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

class GobDumpTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<GoGobPeer> go = GoGobPeer::Find();
    ASSERT_THAT(go, IsOk());
    go_.emplace(*std::move(go));
    absl::StatusOr<GobTool> tool = GobTool::Find();
    ASSERT_THAT(tool, IsOk());
    tool_.emplace(*std::move(tool));
  }

  // DumpLines returns `gob dump [flags]`'s lines for Go's stream of
  // case_name, or an empty list after recording a failure.
  std::vector<std::string> DumpLines(const std::string& case_name,
                                     std::vector<std::string> flags = {}) {
    absl::StatusOr<std::string> stream = go_->Encode(case_name);
    EXPECT_THAT(stream, IsOk());
    if (!stream.ok()) return {};
    std::vector<std::string> args = {"dump"};
    args.insert(args.end(), flags.begin(), flags.end());
    absl::StatusOr<RunResult> r = tool_->Run(args, *stream);
    EXPECT_THAT(r, IsOk());
    if (!r.ok()) return {};
    EXPECT_THAT(r->ToStatus(), IsOk());
    return absl::StrSplit(r->out, '\n', absl::SkipEmpty());
  }

  std::optional<GoGobPeer> go_;
  std::optional<GobTool> tool_;
};

TEST_F(GobDumpTest, StructsShowEveryFieldOmittedOrNot) {
  EXPECT_THAT(
      DumpLines("point"),
      ElementsAre(R"({"X":1,"Y":2})", R"({"X":-3,"Y":0})", R"({"X":0,"Y":0})"));
}

TEST_F(GobDumpTest, IntegersAtTheirLimits) {
  EXPECT_THAT(DumpLines("int_toplevel"),
              ElementsAre("0", "1", "-1", "63", "-64", "64", "-65", "127",
                          "-128", "128", "-129", "255", "256", "-128", "127",
                          "-32768", "32767", "-2147483648", "2147483647",
                          "-9223372036854775808", "9223372036854775807", "255",
                          "65535", "4294967295", "18446744073709551615", "0",
                          "18446744073709551615", "-9223372036854775808"));
  EXPECT_THAT(
      DumpLines("int_fields_max"),
      ElementsAre(
          R"({"I":9223372036854775807,"I8":127,"I16":32767,"I32":2147483647,)"
          R"("I64":9223372036854775807,"U":18446744073709551615,"U8":255,)"
          R"("U16":65535,"U32":4294967295,"U64":18446744073709551615,)"
          R"("Uptr":18446744073709551615})"));
}

TEST_F(GobDumpTest, StringsAreEscapedLikeEncodingJson) {
  std::vector<std::string> lines = DumpLines("strings");
  ASSERT_EQ(lines.size(), 4u);
  // Invalid UTF-8 bytes become U+FFFD, one per byte, as in encoding/json.
  EXPECT_THAT(lines[0], HasSubstr(R"("ASCII":"hello")"));
  EXPECT_THAT(lines[0],
              HasSubstr("\"Unicode\":\"h\xc3\xa9llo, \xe4\xb8\x96\xe7\x95\x8c "
                        "\xf0\x9f\x8c\x8d\""));
  EXPECT_THAT(lines[0], HasSubstr(R"("Invalid":"\ufffd\ufffd\u0000x")"));
  EXPECT_EQ(lines[1], R"("")");
  EXPECT_EQ(lines[2], "\"\xe2\x88\x91 unicode\"");
  EXPECT_EQ(lines[3], R"("a\u0000b")");
}

TEST_F(GobDumpTest, BytesAreBase64) {
  std::vector<std::string> lines = DumpLines("bytes");
  ASSERT_EQ(lines.size(), 3u);
  EXPECT_THAT(lines[0], HasSubstr(R"("Small":"AA==","Named":"bmFtZWQ=")"));
  EXPECT_EQ(lines[1], R"("3q2+7w==")");
  EXPECT_EQ(lines[2], R"("AQ==")");
}

TEST_F(GobDumpTest, FloatsInGoFormat) {
  std::vector<std::string> lines = DumpLines("float_toplevel");
  ASSERT_EQ(lines.size(), 16u);
  EXPECT_EQ(lines[3], "0.1");
  EXPECT_EQ(lines[5], "-2.5");
  EXPECT_EQ(lines[6], R"("+Inf")");
  EXPECT_EQ(lines[7], R"("-Inf")");
  EXPECT_EQ(lines[8], R"("NaN")");
  EXPECT_EQ(lines[14], "[1.5,-2.5]");
}

TEST_F(GobDumpTest, TimesAreRfc3339WithNanoseconds) {
  std::vector<std::string> lines = DumpLines("time");
  ASSERT_EQ(lines.size(), 4u);
  // The zero time and Local were omitted by Go: null, like a nil value.
  EXPECT_EQ(lines[0], R"({"When":"2009-11-10T23:00:00.123456789Z","Zero":null,)"
                      R"("Local":null,"Ptr":"1969-07-21T03:17:40Z"})");
  EXPECT_EQ(lines[1], R"("2009-11-10T23:00:00.123456789Z")");
  EXPECT_EQ(lines[2], R"("0001-01-01T00:00:00Z")");
  EXPECT_EQ(lines[3],
            R"(["2009-11-10T23:00:00.123456789Z","1969-07-21T03:17:40Z"])");
  EXPECT_THAT(DumpLines("time_zones"),
              Contains(R"("2023-03-14T15:09:26.535897932+05:30")"));
}

TEST_F(GobDumpTest, InterfacesShowTheirRegisteredName) {
  std::vector<std::string> lines = DumpLines("interface_basic");
  ASSERT_EQ(lines.size(), 10u);
  EXPECT_EQ(lines[0], R"({"V":{"type":"main.Point","value":{"X":1,"Y":2}}})");
  EXPECT_EQ(lines[2], R"({"V":{"type":"int","value":7}})");
  EXPECT_EQ(lines[6], R"({"V":null})");
}

TEST_F(GobDumpTest, StringKeyedMapsAreSortedObjects) {
  std::vector<std::string> lines = DumpLines("maps");
  ASSERT_EQ(lines.size(), 4u);
  EXPECT_EQ(lines[1], R"({"x":1,"y":2,"z":3})");
  EXPECT_EQ(lines[2], "{}");
}

TEST_F(GobDumpTest, TypesFlagAddsTheDefinitions) {
  std::vector<std::string> lines = DumpLines("point", {"--types"});
  EXPECT_THAT(lines, Contains(R"({"X":1,"Y":2})"));
  EXPECT_THAT(lines, Contains(::testing::AllOf(HasSubstr(R"("type_id":65)"),
                                               HasSubstr(R"("Point")"))));
}

TEST_F(GobDumpTest, EveryCaseDumpsOneLinePerValue) {
  for (const std::string& name : GobCases()) {
    absl::StatusOr<std::string> stream = go_->Encode(name);
    ASSERT_THAT(stream, IsOk());
    absl::StatusOr<GoCount> go = go_->Count(name, *stream);
    ASSERT_THAT(go, IsOk());
    EXPECT_EQ(DumpLines(name).size(), go->values) << name;
  }
}

}  // namespace
}  // namespace tests
