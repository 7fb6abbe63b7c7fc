#include "gateway/log.h"

#include "gtest/gtest.h"

namespace gateway {
namespace {

TEST(LogTest, FormatsLogfmtQuotingOnlyWhatNeedsIt) {
  EXPECT_EQ(FormatLogLine(LogLevel::kWarn, "call failed",
                          {{"route", "Arith.Divide"},
                           {"code", "UNKNOWN"},
                           {"error", "divide by \"zero\"\n"},
                           {"peer", ""}}),
            "level=warn msg=\"call failed\" route=Arith.Divide code=UNKNOWN "
            "error=\"divide by \\\"zero\\\"\\n\" peer=\"\"");
}

TEST(LogTest, LevelsFilterAndParse) {
  SetLogLevel(LogLevel::kWarn);
  EXPECT_FALSE(LogEnabled(LogLevel::kInfo));
  EXPECT_TRUE(LogEnabled(LogLevel::kError));
  SetLogLevel(LogLevel::kInfo);
  EXPECT_TRUE(LogEnabled(LogLevel::kInfo));
  EXPECT_EQ(*ParseLogLevel("debug"), LogLevel::kDebug);
  absl::StatusOr<LogLevel> bad = ParseLogLevel("verbose");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().message(),
            "unknown log level \"verbose\" (use debug, info, warn or error)");
}

}  // namespace
}  // namespace gateway
