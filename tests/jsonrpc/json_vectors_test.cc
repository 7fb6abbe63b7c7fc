// Copyright netrpc-gateway authors. Licensed under the BSD-style licence of Go.
//
// netrpc::jsonrpc::Marshal and Unmarshal against Go 1.19's encoding/json on
// about 31,000 generated cases (go/jsonpeer's `corpus` mode): random float64
// and float32 bit patterns and decimals around Go's format cut-offs, strings
// full of the bytes Go escapes (and invalid UTF-8), []byte, maps, times; and
// inputs decoded into a struct with every kind: each field given each of a
// set of values, then mutated and truncated documents. For every case our
// output must equal Go's byte for byte, and our error Go's text.

#include <array>
#include <cstdint>
#include <cstring>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

#include "netrpc/gob/bind.h"
#include "netrpc/gob/time.h"
#include "netrpc/jsonrpc/json.h"
#include "netrpc/testing/runfiles.h"
#include "netrpc/testing/status_matchers.h"
#include "netrpc/testing/subprocess.h"

namespace {

using ::netrpc::testing::IsOk;

// Inner and Target mirror go/jsonpeer's types field for field (Go's int is
// int64_t, its uint uint64_t; nil slices and maps, which C++ lacks, are
// made empty by jsonpeer before it encodes).
struct Inner {
  int64_t X = 0;
  std::string Name;
};
NETRPC_GOB_STRUCT_NAMED(Inner, "main.Inner", X, Name);

struct Target {
  bool B = false;
  int64_t I = 0;
  int8_t I8 = 0;
  uint16_t U16 = 0;
  uint64_t U = 0;
  double F = 0;
  float F32 = 0;
  std::string S;
  netrpc::gob::Bytes Bs;
  std::vector<int64_t> V;
  std::array<int64_t, 2> A = {};
  std::map<std::string, int64_t> M;
  std::map<int64_t, std::string> MI;
  std::optional<int64_t> P;
  Inner In;
  std::unique_ptr<Inner> PIn;
  absl::Time T = netrpc::gob::GoZeroTime();
  absl::Duration D;
  std::vector<std::string> Ss;
  int64_t hidden = 0;
};
NETRPC_GOB_STRUCT_NAMED(Target, "main.Target", B, I, I8, U16, U, F, F32, S, Bs,
                        V, A, M, MI, P, In, PIn, T, D, Ss, hidden);

// Unesc undoes jsonpeer's esc: \\ \t \r \n.
std::string Unesc(absl::string_view s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '\\' || i + 1 == s.size()) {
      out.push_back(s[i]);
      continue;
    }
    char c = s[++i];
    out.push_back(c == 't' ? '\t' : c == 'r' ? '\r' : c == 'n' ? '\n' : c);
  }
  return out;
}

std::string Esc(absl::string_view s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '\\':
        out += "\\\\";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\n':
        out += "\\n";
        break;
      default:
        out.push_back(c);
    }
  }
  return out;
}

template <typename T>
std::string Json(const T& v) {
  std::string out;
  absl::Status s = netrpc::jsonrpc::Marshal(v, &out);
  return s.ok() ? out : absl::StrCat("ERR ", s.message());
}

uint64_t Hex(absl::string_view s) {
  uint64_t v = 0;
  EXPECT_TRUE(absl::SimpleHexAtoi(s, &v)) << s;
  return v;
}

// Ours computes what our code says about one corpus line (all fields but
// the last); the last field is Go's answer.
std::string Ours(const std::vector<absl::string_view>& f) {
  absl::string_view kind = f[0];
  if (kind == "f64") {
    uint64_t bits = Hex(f[1]);
    double d;
    std::memcpy(&d, &bits, sizeof(d));
    return Json(d);
  }
  if (kind == "f32") {
    uint32_t bits = static_cast<uint32_t>(Hex(f[1]));
    float x;
    std::memcpy(&x, &bits, sizeof(x));
    return Json(x);
  }
  if (kind == "str") return Json(Unesc(f[1]));
  if (kind == "bytes") {
    std::string raw = absl::HexStringToBytes(f[1]);
    return Json(netrpc::gob::Bytes(raw.begin(), raw.end()));
  }
  if (kind == "map") {
    std::map<std::string, int64_t> m;
    for (size_t i = 1; i + 1 < f.size(); i += 2) {
      int64_t v = 0;
      EXPECT_TRUE(absl::SimpleAtoi(f[i + 1], &v));
      m[Unesc(f[i])] = v;
    }
    return Json(m);
  }
  if (kind == "time") {
    int64_t sec = 0, nsec = 0;
    EXPECT_TRUE(absl::SimpleAtoi(f[1], &sec));
    EXPECT_TRUE(absl::SimpleAtoi(f[2], &nsec));
    return Json(absl::FromUnixSeconds(sec) + absl::Nanoseconds(nsec));
  }
  if (kind == "dec") {
    Target t;
    absl::Status s = netrpc::jsonrpc::Unmarshal(Unesc(f[1]), &t);
    return absl::StrCat(s.ok() ? "<nil>" : Esc(s.message()), "\t", Json(t));
  }
  ADD_FAILURE() << "unknown corpus line kind " << kind;
  return "";
}

TEST(JsonVectorsTest, SameBytesAndErrorsAsGo) {
  absl::StatusOr<std::string> peer =
      netrpc::testing::Runfile("tests/jsonrpc/jsonpeer");
  ASSERT_THAT(peer, IsOk());
  netrpc::testing::SubprocessOptions options;
  options.argv = {*peer, "corpus"};
  absl::StatusOr<netrpc::testing::RunResult> run =
      netrpc::testing::RunCommand(options, absl::Seconds(120));
  ASSERT_THAT(run, IsOk());
  ASSERT_THAT(run->ToStatus(), IsOk());

  std::map<std::string, int> counts;
  int mismatches = 0;
  for (absl::string_view line : absl::StrSplit(run->out, '\n')) {
    if (line.empty()) continue;
    std::vector<absl::string_view> f = absl::StrSplit(line, '\t');
    ASSERT_GE(f.size(), 2u) << line;
    // Go's answer is the last field, or the last two for "dec".
    size_t answer_fields = f[0] == "dec" ? 2 : 1;
    std::string go = absl::StrJoin(f.end() - answer_fields, f.end(), "\t");
    std::vector<absl::string_view> input(f.begin(), f.end() - answer_fields);
    std::string ours = Ours(input);
    ++counts[std::string(f[0])];
    if (ours != go && ++mismatches <= 20) {
      ADD_FAILURE() << "case: " << Esc(line) << "\n  Go:   " << go
                    << "\n  ours: " << ours;
    }
  }
  EXPECT_EQ(mismatches, 0);
  // The corpus is all there (jsonpeer's loop counts).
  EXPECT_EQ(counts["f64"], 10000);
  EXPECT_EQ(counts["f32"], 10000);
  EXPECT_EQ(counts["str"], 5000);
  EXPECT_EQ(counts["bytes"], 1000);
  EXPECT_EQ(counts["map"], 1000);
  EXPECT_EQ(counts["time"], 1000);
  EXPECT_GT(counts["dec"], 3000);
}

}  // namespace
