// Bad gob input never crashes our decoder: `gob dump` on a truncated, flipped
// or hand-made malformed stream exits 1 with a "gob"-prefixed message on
// stderr (or 0, where the damage still leaves a valid stream), never with a
// signal and never hanging. Truncations are checked against Go itself: our
// tool must accept exactly the prefixes Go accepts and print as many values.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

#include "netrpc/testing/status_matchers.h"
#include "tests/interop/gob_peers.h"

namespace tests {
namespace {

using ::netrpc::testing::IsOk;
using ::netrpc::testing::RunResult;

// Hex decodes "ff 81 03" (spaces allowed).
std::string Hex(absl::string_view hex) {
  return absl::HexStringToBytes(absl::StrReplaceAll(hex, {{" ", ""}}));
}

// Uint is gob's unsigned integer encoding.
std::string Uint(uint64_t n) {
  if (n < 128) return std::string(1, static_cast<char>(n));
  std::string big_endian;
  for (; n > 0; n >>= 8) big_endian.insert(0, 1, static_cast<char>(n & 0xff));
  return static_cast<char>(256 - big_endian.size()) + big_endian;
}

// Message prefixes a message body with its length.
std::string Message(absl::string_view body) {
  return Uint(body.size()) + std::string(body);
}

size_t LineCount(absl::string_view text) {
  return std::vector<absl::string_view>(
             absl::StrSplit(text, '\n', absl::SkipEmpty()))
      .size();
}

// ExpectCleanFailure checks that a run of the tool failed the way bad input
// must make it fail: exit code 1, a message starting with "gob".
void ExpectCleanFailure(const RunResult& r, absl::string_view what) {
  EXPECT_EQ(r.exit.signal, 0) << what << ": " << r.exit.ToString() << "\n"
                              << r.err;
  EXPECT_EQ(r.exit.code, 1) << what << ": " << r.exit.ToString() << "\n"
                            << r.err;
  EXPECT_TRUE(absl::StartsWith(r.err, "gob"))
      << what << ": stderr does not start with \"gob\": " << r.err;
}

class GobMalformedTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<GoGobPeer> go = GoGobPeer::Find();
    ASSERT_THAT(go, IsOk());
    go_.emplace(*std::move(go));
    absl::StatusOr<GobTool> tool = GobTool::Find();
    ASSERT_THAT(tool, IsOk());
    tool_.emplace(*std::move(tool));
  }

  absl::StatusOr<RunResult> Dump(std::string stream) {
    return tool_->Run({"dump"}, std::move(stream));
  }

  // CheckEveryPrefix cuts Go's stream of case_name at every length and
  // holds `gob dump` to Go's verdict on each prefix.
  void CheckEveryPrefix(const std::string& case_name) {
    absl::StatusOr<std::string> stream = go_->Encode(case_name);
    ASSERT_THAT(stream, IsOk());
    for (size_t len = 0; len <= stream->size(); ++len) {
      std::string prefix = stream->substr(0, len);
      std::string what = absl::StrCat(case_name, " cut at ", len, " of ",
                                      stream->size(), " bytes");
      absl::StatusOr<GoCount> go = go_->Count(case_name, prefix);
      ASSERT_THAT(go, IsOk()) << what;
      absl::StatusOr<RunResult> ours = Dump(prefix);
      ASSERT_THAT(ours, IsOk()) << what;
      if (go->clean) {
        EXPECT_TRUE(ours->exit.Success())
            << what << ": Go reads " << go->values << " values, we fail with "
            << ours->exit.ToString() << ": " << ours->err;
        EXPECT_EQ(LineCount(ours->out), go->values) << what << ":\n"
                                                    << ours->out;
      } else {
        ExpectCleanFailure(*ours, absl::StrCat(what, " (Go: ", go->error, ")"));
      }
      if (HasFailure()) return;
    }
  }

  // CheckFlips flips the lowest and then the highest bit of each byte of
  // Go's stream of case_name: the one turns ids, counts and deltas into
  // their neighbours, the other turns one-byte numbers into length prefixes.
  void CheckFlips(const std::string& case_name) {
    absl::StatusOr<std::string> stream = go_->Encode(case_name);
    ASSERT_THAT(stream, IsOk());
    for (size_t i = 0; i < stream->size(); ++i) {
      for (unsigned char mask : {0x01, 0x80}) {
        std::string damaged = *stream;
        damaged[i] = static_cast<char>(damaged[i] ^ mask);
        std::string what =
            absl::StrCat(case_name, " with byte ", i, " ^= ", mask);
        absl::StatusOr<RunResult> r = Dump(damaged);
        ASSERT_THAT(r, IsOk()) << what;
        // A flip can leave a valid stream (a different number, say).
        if (r->exit.Success()) continue;
        ExpectCleanFailure(*r, what);
        if (HasFailure()) return;
      }
    }
  }

  std::optional<GoGobPeer> go_;
  std::optional<GobTool> tool_;
};

TEST_F(GobMalformedTest, EveryPrefixOfPoint) { CheckEveryPrefix("point"); }

TEST_F(GobMalformedTest, EveryPrefixOfInterfaces) {
  // Go writes an interface's type definitions in the middle of the value
  // message: a prefix can end between two parts of one value.
  CheckEveryPrefix("interface_basic");
}

TEST_F(GobMalformedTest, EveryPrefixOfNested) { CheckEveryPrefix("nested"); }

TEST_F(GobMalformedTest, FlippedBytesInNested) { CheckFlips("nested"); }

TEST_F(GobMalformedTest, FlippedBytesInInterfaces) {
  CheckFlips("interface_basic");
}

TEST_F(GobMalformedTest, FlippedBytesInRecursive) { CheckFlips("recursive"); }

TEST_F(GobMalformedTest, FlippedBytesInTime) { CheckFlips("time"); }

// Hand-made streams that Go's decoder rejects (each checked against Go 1.19).
TEST_F(GobMalformedTest, HandMadeStreamsGoRejects) {
  const std::string point_def = Message(
      Hex("ff 81 03 01 01 05 50 6f 69 6e 74 01 ff 82 00 01 02 01 01 58 01 04 "
          "00 01 01 59 01 04 00 00 00"));
  const std::string int_slice_def =
      Message(Hex("ff 81 02 01 02 ff 82 00 01 04 00 00"));
  const struct {
    const char* name;
    std::string stream;
  } kCases[] = {
      {"uint with a 0x80 prefix byte (128 bytes long)", Hex("03 04 00 80")},
      {"message length 8 GiB (tooBig)", Hex("fa 08 00 00 00 00 00")},
      {"message length past the end of the stream", Hex("7f 04 00")},
      {"type id 63 (below the first user id)",
       Message(Hex("7d 03 01 01 01 41 01 7e 00 00 00")) + Hex("03 04 00 06")},
      {"type defined twice", point_def + point_def + Message(Hex("ff 82 00"))},
      {"value of an undefined type", Message(Hex("ff 8c 01 2c 00"))},
      {"end of stream after a type definition", point_def},
      {"truncated message", Hex("07 ff 82 01 2c")},
      {"singleton with a non-zero field delta", Hex("03 04 01 06")},
      {"string longer than its message", Message(Hex("0c 00 05 61"))},
      {"extra bytes after a type definition",
       Message(Hex("ff 81 03 01 01 05 50 6f 69 6e 74 01 ff 82 00 01 02 01 01 "
                   "58 01 04 00 01 01 59 01 04 00 00 00 00")) +
           Message(Hex("ff 82 00"))},
      {"field number out of range", point_def + Message(Hex("ff 82 05 02 00"))},
      // 2^40 elements of []int announced, none sent: must fail without
      // trying to allocate them.
      {"slice count far beyond the message",
       int_slice_def + Message(Hex("ff 82 00 fa 01 00 00 00 00 00"))},
      {"type definition with no kind set",
       Message(Hex("ff 81 00")) + Message(Hex("ff 82 00"))},
      {"slice of an undefined element type",
       Message(Hex("ff 81 02 01 02 ff 82 00 01 ff 90 00 00")) +
           Message(Hex("ff 82 00 01 00"))},
  };
  for (const auto& c : kCases) {
    absl::StatusOr<RunResult> r = Dump(c.stream);
    ASSERT_THAT(r, IsOk()) << c.name;
    ExpectCleanFailure(*r, c.name);
  }
}

}  // namespace
}  // namespace tests
