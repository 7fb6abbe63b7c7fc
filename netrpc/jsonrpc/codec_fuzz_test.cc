// Copyright netrpc-gateway authors. Licensed under the BSD-style licence of Go.
//
// Fuzz target for the jsonrpc codecs: the input is a byte stream as a peer
// sends it, read by the server codec (as requests, each body decoded into a
// struct with a member of every kind, each decoded argument encoded back in
// a response) and by the client codec (as responses). For any input nothing
// may crash, hang or grow without bound, and:
// - the transcript (every status and every byte written) is the same when
//   the input arrives in one piece, in two pieces cut at a point derived
//   from the input, or one byte at a time;
// - a value Unmarshal accepts re-encodes to JSON that decodes to a value
//   that encodes to the same bytes.
//
// Built two ways (see BUILD.bazel): as a cc_test that replays
// testdata/codec_corpus plus byte flips and truncations of each seed
// (//netrpc/gob:fuzz_replay_main), and as the libFuzzer binary
// :codec_fuzzer under --config=fuzz.

#include <array>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"

#include "netrpc/body.h"
#include "netrpc/codec.h"
#include "netrpc/jsonrpc/client_codec.h"
#include "netrpc/jsonrpc/json.h"
#include "netrpc/jsonrpc/server_codec.h"

namespace netrpc::jsonrpc::fuzz {

struct Point {
  int64_t X = 0;
  int64_t Y = 0;
};
NETRPC_GOB_STRUCT_NAMED(Point, "main.Point", X, Y);

// Target has a member of every kind the bindings map.
struct Target {
  bool Flag = false;
  int64_t I = 0;
  int8_t I8 = 0;
  uint16_t U16 = 0;
  uint64_t U = 0;
  double F = 0;
  float F32 = 0;
  std::string S;
  gob::Bytes B;
  std::vector<int64_t> V;
  std::vector<Point> Points;
  std::vector<bool> Bits;
  std::array<int16_t, 3> A = {};
  std::map<std::string, int32_t> M;
  std::map<int64_t, Point> MP;
  std::optional<std::map<uint8_t, std::string>> OM;
  std::unique_ptr<Target> Next;
  absl::Time T;
  absl::Duration D;
  int64_t hidden = 0;
};
NETRPC_GOB_STRUCT_NAMED(Target, "main.Target", Flag, I, I8, U16, U, F, F32, S,
                        B, V, Points, Bits, A, M, MP, OM, Next, T, D, hidden);

namespace {

// Small limits keep each run fast while still exercising the checks.
CodecOptions Options() {
  CodecOptions options;
  options.max_message_bytes = 1 << 16;
  return options;
}

void Fail(absl::string_view what) {
  std::fprintf(stderr, "codec_fuzz_test: %.*s\n", static_cast<int>(what.size()),
               what.data());
  std::abort();
}

// Feeder gives a codec the input in pieces, then EOF, whenever it asks for
// more.
class Feeder {
 public:
  Feeder(absl::string_view input, std::vector<size_t> cuts)
      : input_(input), cuts_(std::move(cuts)) {
    cuts_.push_back(input.size());
  }

  // Feed appends the next piece; false once EOF has been given.
  template <typename Codec>
  bool Feed(Codec& codec) {
    if (next_ < cuts_.size()) {
      size_t end = cuts_[next_++];
      codec.Append(input_.substr(pos_, end - pos_));
      pos_ = end;
      return true;
    }
    if (eof_) return false;
    codec.SetEOF();
    eof_ = true;
    return true;
  }

 private:
  absl::string_view input_;
  std::vector<size_t> cuts_;
  size_t next_ = 0;
  size_t pos_ = 0;
  bool eof_ = false;
};

// Read retries `step` while the codec needs more input.
template <typename Codec, typename Step>
absl::Status Read(Codec& codec, Feeder& feeder, Step step) {
  for (;;) {
    absl::Status s = step();
    if (!IsNeedMoreInput(s)) return s;
    if (!feeder.Feed(codec)) Fail("a codec asked for input after EOF");
  }
}

void Note(std::string* t, const absl::Status& s) {
  absl::StrAppend(t, s.ok() ? "OK" : s.ToString(), "\n");
}

// ServerTranscript reads requests until the stream ends, as the server
// does, alternating a typed body with a discarded one, and answers each.
std::string ServerTranscript(absl::string_view input,
                             std::vector<size_t> cuts) {
  std::unique_ptr<StreamServerCodec> codec = NewStreamServerCodec(Options());
  Feeder feeder(input, std::move(cuts));
  std::string t;
  for (int n = 0;; ++n) {
    Request req;
    absl::Status s =
        Read(*codec, feeder, [&] { return codec->ReadRequestHeader(&req); });
    Note(&t, s);
    if (!s.ok()) break;
    absl::StrAppend(&t, req.service_method, " ", req.seq, "\n");
    OwnedBody<Target> arg;
    bool typed = n % 2 == 0;
    s = Read(*codec, feeder,
             [&] { return codec->ReadRequestBody(typed ? &arg : nullptr); });
    Note(&t, s);
    Response resp;
    resp.service_method = req.service_method;
    resp.seq = req.seq;
    if (!s.ok()) resp.error = std::string(s.message());
    std::string out;
    Note(&t,
         codec->WriteResponse(resp, typed && s.ok() ? &arg : nullptr, &out));
    t += out;
  }
  return t;
}

// ClientTranscript sends one request, then reads responses as the client
// does, decoding each result into a Target.
std::string ClientTranscript(absl::string_view input,
                             std::vector<size_t> cuts) {
  std::unique_ptr<StreamClientCodec> codec = NewStreamClientCodec(Options());
  Feeder feeder(input, std::move(cuts));
  std::string t;
  Request req;
  req.service_method = "Arith.Multiply";
  Target arg;
  BodyRef<const Target> body(&arg);
  Note(&t, codec->WriteRequest(req, &body, &t));
  for (;;) {
    Response resp;
    absl::Status s =
        Read(*codec, feeder, [&] { return codec->ReadResponseHeader(&resp); });
    Note(&t, s);
    if (!s.ok()) break;
    absl::StrAppend(&t, resp.service_method, " ", resp.seq, " ", resp.error,
                    "\n");
    OwnedBody<Target> reply;
    s = Read(*codec, feeder, [&] {
      return codec->ReadResponseBody(resp.error.empty() ? &reply : nullptr);
    });
    Note(&t, s);
    if (!s.ok()) break;
    std::string json;
    Note(&t, Marshal(reply.value(), &json));
    t += json;
  }
  return t;
}

void CheckPartitions(absl::string_view input) {
  std::vector<size_t> bytes;
  for (size_t i = 1; i < input.size() && i < 4096; ++i) bytes.push_back(i);
  size_t cut =
      input.empty() ? 0 : static_cast<uint8_t>(input[0]) % input.size();
  for (auto transcript : {&ServerTranscript, &ClientTranscript}) {
    std::string whole = transcript(input, {});
    if (transcript(input, {cut}) != whole) Fail("a cut changed the result");
    if (input.size() < 4096 && transcript(input, bytes) != whole) {
      Fail("feeding bytes one at a time changed the result");
    }
  }
}

void CheckRoundTrip(absl::string_view input) {
  Target t;
  if (!Unmarshal(input, &t).ok()) return;
  std::string once;
  if (!Marshal(t, &once).ok()) return;  // e.g. a time past year 9999
  Target again;
  if (!Unmarshal(once, &again).ok()) Fail("our own JSON did not decode");
  std::string twice;
  if (!Marshal(again, &twice).ok() || twice != once) {
    Fail(absl::StrCat("re-encoding changed the JSON: ", once, " -> ", twice));
  }
}

}  // namespace
}  // namespace netrpc::jsonrpc::fuzz

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  absl::string_view input(reinterpret_cast<const char*>(data), size);
  netrpc::jsonrpc::fuzz::CheckPartitions(input);
  netrpc::jsonrpc::fuzz::CheckRoundTrip(input);
  return 0;
}
