// Copyright netrpc-gateway authors. Licensed under the BSD-style licence of Go.
//
// ValueStream splits a byte stream into JSON values as Go's json.Decoder
// does, whatever the chunking.

#include "netrpc/jsonrpc/internal/stream.h"

#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

#include "netrpc/codec.h"
#include "netrpc/errors.h"
#include "netrpc/testing/status_matchers.h"

namespace netrpc::jsonrpc::internal {
namespace {

using ::netrpc::testing::IsOk;
using ::netrpc::testing::StatusIs;

constexpr size_t kBig = 1 << 20;

// Values feeds `input` in the given pieces, then EOF, and collects the
// values (whitespace trimmed) and the final status.
std::vector<std::string> Values(const std::vector<std::string>& pieces,
                                absl::Status* end) {
  ValueStream stream(kBig);
  std::vector<std::string> out;
  size_t next = 0;
  for (;;) {
    absl::string_view v;
    absl::Status s = stream.Next(&v);
    if (s.ok()) {
      size_t b = v.find_first_not_of(" \t\r\n");
      out.emplace_back(b == absl::string_view::npos ? "" : v.substr(b));
      continue;
    }
    if (IsNeedMoreInput(s)) {
      if (next < pieces.size()) {
        stream.Append(pieces[next++]);
      } else {
        stream.SetEOF();
      }
      continue;
    }
    *end = s;
    return out;
  }
}

TEST(ValueStreamTest, SplitsAsGoWhateverTheChunking) {
  const std::string input =
      R"( {"a":[1,{"b":"x\"}"}]}{}[] "s" 12 null true   -1.5e3 )"
      "\n\t";
  const std::vector<std::string> want = {R"({"a":[1,{"b":"x\"}"}]})",
                                         "{}",
                                         "[]",
                                         R"("s")",
                                         "12",
                                         "null",
                                         "true",
                                         "-1.5e3"};
  absl::Status end;
  EXPECT_EQ(Values({input}, &end), want);
  EXPECT_TRUE(IsEOF(end)) << end;
  for (size_t cut = 0; cut <= input.size(); ++cut) {
    EXPECT_EQ(Values({input.substr(0, cut), input.substr(cut)}, &end), want)
        << "cut at " << cut;
    EXPECT_TRUE(IsEOF(end)) << end;
  }
  std::vector<std::string> bytes;
  for (char c : input) bytes.emplace_back(1, c);
  EXPECT_EQ(Values(bytes, &end), want);
}

TEST(ValueStreamTest, BareNumberWaitsForTheNextByte) {
  ValueStream stream(kBig);
  stream.Append("12");
  absl::string_view v;
  EXPECT_TRUE(IsNeedMoreInput(stream.Next(&v)));  // 123 may follow
  stream.Append("3}");
  ASSERT_THAT(stream.Next(&v), IsOk());
  EXPECT_EQ(v, "123");
  // Go notes the stray '}' only when it starts the next value.
  EXPECT_THAT(stream.Next(&v),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "invalid character '}' looking for beginning of "
                       "value"));
}

TEST(ValueStreamTest, ObjectEndsAtItsBrace) {
  ValueStream stream(kBig);
  stream.Append("{}");
  absl::string_view v;
  ASSERT_THAT(stream.Next(&v), IsOk());  // no need to see another byte
  EXPECT_EQ(v, "{}");
}

TEST(ValueStreamTest, EndOfInput) {
  absl::Status end;
  EXPECT_TRUE(Values({"  \n"}, &end).empty());
  EXPECT_TRUE(IsEOF(end)) << end;
  EXPECT_EQ(Values({R"({"a":1} {"b")"}, &end),
            std::vector<std::string>{R"({"a":1})"});
  EXPECT_TRUE(IsUnexpectedEOF(end)) << end;
  EXPECT_EQ(Values({"nul"}, &end), std::vector<std::string>{});
  EXPECT_TRUE(IsUnexpectedEOF(end)) << end;
}

TEST(ValueStreamTest, ErrorsAreSticky) {
  ValueStream stream(kBig);
  stream.Append("{} xyz {}");
  absl::string_view v;
  ASSERT_THAT(stream.Next(&v), IsOk());
  absl::Status err = stream.Next(&v);
  EXPECT_THAT(err, StatusIs(absl::StatusCode::kInvalidArgument,
                            "invalid character 'x' looking for beginning of "
                            "value"));
  EXPECT_EQ(stream.Next(&v), err);
}

TEST(ValueStreamTest, LongValueFails) {
  ValueStream stream(16);
  stream.Append(R"({"a":"0123456789abc)");
  absl::string_view v;
  EXPECT_THAT(stream.Next(&v),
              StatusIs(absl::StatusCode::kResourceExhausted,
                       "jsonrpc: message longer than 16 bytes"));
}

}  // namespace
}  // namespace netrpc::jsonrpc::internal
