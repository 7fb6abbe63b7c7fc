// Copyright netrpc-gateway authors. Licensed under the BSD-style licence of Go.
//
// The scanner's verdicts and texts, as Go 1.19's json.Unmarshal gives them
// for the same input (each expectation was produced by running Go).

#include "netrpc/jsonrpc/internal/scanner.h"

#include <string>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

#include "netrpc/testing/status_matchers.h"

namespace netrpc::jsonrpc::internal {
namespace {

using ::netrpc::testing::IsOk;
using ::netrpc::testing::StatusIs;

struct Case {
  std::string input;
  std::string error;  // empty: valid
};

class CheckValidTest : public ::testing::TestWithParam<Case> {};

TEST_P(CheckValidTest, MatchesGo) {
  const Case& c = GetParam();
  if (c.error.empty()) {
    EXPECT_THAT(CheckValid(c.input), IsOk());
  } else {
    EXPECT_THAT(CheckValid(c.input),
                StatusIs(absl::StatusCode::kInvalidArgument, c.error));
  }
}

INSTANTIATE_TEST_SUITE_P(
    Go, CheckValidTest,
    ::testing::Values(
        Case{"", "unexpected end of JSON input"},
        Case{" ", "unexpected end of JSON input"},
        Case{"{", "unexpected end of JSON input"},
        Case{"[1,", "unexpected end of JSON input"},
        Case{R"({"a":1,)", "unexpected end of JSON input"},
        Case{"tr", "invalid character ' ' in literal true (expecting 'u')"},
        Case{"nul", "invalid character ' ' in literal null (expecting 'l')"},
        Case{"fals", "invalid character ' ' in literal false (expecting 'e')"},
        Case{"-", "invalid character ' ' in numeric literal"},
        Case{"1.",
             "invalid character ' ' after decimal point in numeric "
             "literal"},
        Case{"1e+", "invalid character ' ' in exponent of numeric literal"},
        Case{"01", "invalid character '1' after top-level value"},
        Case{"{id:1}",
             "invalid character 'i' looking for beginning of object key "
             "string"},
        Case{"[1 2]", "invalid character '2' after array element"},
        Case{R"({"a" 1})", "invalid character '1' after object key"},
        Case{R"({"a":1 "b":2})",
             "invalid character '\"' after object key:value pair"},
        Case{R"("\x")", "invalid character 'x' in string escape code"},
        Case{R"("\u12g4")",
             "invalid character 'g' in \\u hexadecimal character escape"},
        Case{"\"a\nb\"", "invalid character '\\n' in string literal"},
        Case{"{} x", "invalid character 'x' after top-level value"},
        Case{std::string(1, '\0'),
             "invalid character '\\x00' looking for beginning of value"},
        Case{"'", "invalid character '\\'' looking for beginning of value"},
        Case{"\"\\\"", "unexpected end of JSON input"},
        Case{"\xe9",
             "invalid character '\xc3\xa9' looking for beginning of "
             "value"},
        Case{"\x7f",
             "invalid character '\\x7f' looking for beginning of "
             "value"},
        Case{"\xa0",
             "invalid character '\\u00a0' looking for beginning of "
             "value"},
        Case{"\xad",
             "invalid character '\\u00ad' looking for beginning of "
             "value"},
        Case{"\\", "invalid character '\\\\' looking for beginning of value"},
        Case{"\v", "invalid character '\\v' looking for beginning of value"},
        Case{"[1,]", "invalid character ']' looking for beginning of value"},
        Case{"{,}",
             "invalid character ',' looking for beginning of object "
             "key string"},
        Case{"nulx", "invalid character 'x' in literal null (expecting 'l')"},
        Case{"truex", "invalid character 'x' after top-level value"},
        Case{"\t\r\n 5 \t", ""},
        Case{R"({"a":[1,2.5e-3,{"b":null}],"c":"\u00e9\n"})", ""}));

TEST(CheckValidTest, MaxDepthIsGos) {
  EXPECT_THAT(CheckValid(std::string(kMaxNestingDepth, '[') +
                         std::string(kMaxNestingDepth, ']')),
              IsOk());
  EXPECT_THAT(CheckValid(std::string(kMaxNestingDepth + 1, '[')),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "invalid character '[' exceeded max depth"));
}

TEST(ScannerTest, ReportsEndOfTopLevelValueOneByteLate) {
  Scanner scan;
  EXPECT_EQ(scan.Step('1'), Scanner::kBeginLiteral);
  EXPECT_EQ(scan.Step('2'), Scanner::kContinue);
  EXPECT_EQ(scan.Step('x'), Scanner::kEnd);  // the value before 'x' is whole
  EXPECT_EQ(scan.Eof(), Scanner::kError);    // and 'x' is remembered
  EXPECT_EQ(scan.error(), "invalid character 'x' after top-level value");
}

TEST(QuoteCharTest, QuotesAsGo) {
  EXPECT_EQ(QuoteChar('a'), "'a'");
  EXPECT_EQ(QuoteChar('"'), "'\"'");
  EXPECT_EQ(QuoteChar('\t'), "'\\t'");
  EXPECT_EQ(QuoteChar(0x1b), "'\\x1b'");
  EXPECT_EQ(QuoteChar(0x85), "'\\u0085'");
  EXPECT_EQ(QuoteChar(0xff), "'\xc3\xbf'");
}

}  // namespace
}  // namespace netrpc::jsonrpc::internal
