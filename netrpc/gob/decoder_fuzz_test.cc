// Copyright 2024 The netrpc-gateway Authors. Licensed under the Apache License 2.0.
//
// Fuzz target for the Decoder. For any input it must not crash, hang or
// allocate without bound, and:
// - decoding the input as one chunk or as two chunks cut at a point derived
//   from the input gives the same results (values and statuses), for dynamic
//   Values, typed structs and Skip;
// - the values it decodes re-encode to a stream that decodes to the same
//   values and re-encodes to itself byte for byte.
//
// Built two ways (see BUILD.bazel): as a cc_test that replays
// testdata/decoder_corpus plus byte flips of each seed (fuzz_replay_main.cc),
// and as the libFuzzer binary :decoder_fuzzer under --config=fuzz.

#include <array>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "netrpc/gob/debug.h"
#include "netrpc/gob/decoder.h"
#include "netrpc/gob/encoder.h"

namespace netrpc::gob::fuzz {

struct Point {
  int64_t X = 0;
  int64_t Y = 0;
};
NETRPC_GOB_STRUCT_NAMED(Point, "main.Point", X, Y);

// Target has a member of every kind, so that typed decoding meets every
// compatibility rule and every decoder.
struct Target {
  bool Flag = false;
  int64_t I = 0;
  int8_t I8 = 0;
  uint16_t U16 = 0;
  uint64_t U = 0;
  double F = 0;
  float F32 = 0;
  std::complex<float> C64;
  std::string S;
  Bytes B;
  std::vector<int64_t> V;
  std::vector<Point> Points;
  std::array<int16_t, 3> A = {};
  std::map<std::string, int32_t> M;
  std::optional<std::map<int64_t, Point>> PM;
  std::unique_ptr<Target> Next;
  Interface Any;
  absl::Time T = GoZeroTime();
  absl::Duration D;
};
NETRPC_GOB_STRUCT_NAMED(Target, "main.Target", Flag, I, I8, U16, U, F, F32,
                        C64, S, B, V, Points, A, M, PM, Next, Any, T, D);

struct Request {
  std::string ServiceMethod;
  uint64_t Seq = 0;
};
NETRPC_GOB_STRUCT_NAMED(Request, "main.Request", ServiceMethod, Seq);

namespace {

// Small limits keep each run fast while still exercising every check.
DecoderOptions Options() {
  DecoderOptions opts;
  opts.max_message_size = 1 << 20;
  opts.max_alloc_bytes = 16 << 20;
  opts.max_depth = 200;
  opts.max_types = 500;
  return opts;
}

constexpr int kMaxValues = 1000;

void Check(bool ok, const char* what) {
  if (!ok) {
    std::fprintf(stderr, "decoder_fuzz: invariant violated: %s\n", what);
    std::abort();
  }
}

// Feed runs one decode function over input fed in two chunks (split ==
// size: one chunk), retrying on need-more, and records each result.
template <typename Fn>
std::vector<std::string> Feed(absl::string_view input, size_t split, Fn fn) {
  Decoder dec(Options());
  dec.Append(input.substr(0, split));
  bool fed_all = split >= input.size();
  if (fed_all) dec.CloseInput();
  std::vector<std::string> out;
  for (int i = 0; i < kMaxValues; ++i) {
    std::string result;
    absl::Status s = fn(dec, &result);
    if (IsNeedMore(s)) {
      Check(!fed_all, "need-more after the input was closed");
      Check(!dec.Ready(), "need-more while Ready");
      dec.Append(input.substr(split));
      dec.CloseInput();
      fed_all = true;
      continue;
    }
    out.push_back(absl::StrCat(s.ToString(), " ", result));
    if (IsEOF(s) || !dec.broken().ok()) break;
  }
  return out;
}

absl::Status DecodeDynamic(Decoder& dec, std::string* json,
                           std::vector<Value>* values) {
  Value v;
  absl::Status s = dec.DecodeValue(&v);
  if (s.ok()) {
    *json = ValueToJson(v);
    if (values != nullptr) values->push_back(std::move(v));
  }
  return s;
}

template <typename T>
absl::Status DecodeTyped(Decoder& dec, std::string* result) {
  T v;
  absl::Status s = dec.Decode(&v);
  if (s.ok()) {
    // Render what was decoded by encoding it again.
    Encoder enc;
    absl::Status e = enc.Encode(v, result);
    absl::StrAppend(result, " ", e.ToString());
  }
  return s;
}

// Recode decodes all values of stream and encodes them with one Encoder;
// false if some value cannot be encoded (e.g. an interface holding an
// interface, which Go cannot send either).
bool Recode(absl::string_view stream, std::string* out) {
  Decoder dec = Decoder::FromBytes(stream, Options());
  Encoder enc;
  for (int i = 0; i < kMaxValues; ++i) {
    Value v;
    absl::Status s = dec.DecodeValue(&v);
    if (!s.ok()) return IsEOF(s);
    if (!enc.EncodeValue(v, out).ok()) return false;
  }
  return true;
}

}  // namespace
}  // namespace netrpc::gob::fuzz

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace netrpc::gob;        // NOLINT
  using namespace netrpc::gob::fuzz;  // NOLINT
  static const bool registered = [] {
    return Register<Point>().ok() && Register<Target>().ok();
  }();
  Check(registered, "registration");

  absl::string_view input(reinterpret_cast<const char*>(data), size);
  size_t split = size == 0 ? 0 : (data[0] * 131u + data[size - 1]) % (size + 1);

  auto dynamic = [](Decoder& dec, std::string* r) {
    return DecodeDynamic(dec, r, nullptr);
  };
  Check(Feed(input, size, dynamic) == Feed(input, split, dynamic),
        "dynamic decoding depends on the split");
  Check(Feed(input, size, DecodeTyped<Target>) ==
            Feed(input, split, DecodeTyped<Target>),
        "typed decoding depends on the split");
  Check(Feed(input, size, DecodeTyped<Request>) ==
            Feed(input, split, DecodeTyped<Request>),
        "header decoding depends on the split");
  auto skip = [](Decoder& dec, std::string*) { return dec.Skip(); };
  Check(Feed(input, size, skip) == Feed(input, split, skip),
        "skipping depends on the split");

  // Round trip: whatever decodes re-encodes to a canonical stream.
  std::string once;
  if (Recode(input, &once)) {
    std::string twice;
    Check(Recode(once, &twice), "a recoded stream does not decode");
    Check(once == twice, "recoding is not idempotent");
  }
  return 0;
}
