// Copyright netrpc-gateway authors. Licensed under the BSD-style licence of Go.
//
// The gob codecs against the bytes of real Go processes: a session of four
// calls captured between a Go 1.19 client and server
// (wire/vectors/rpc_session_tcp.hex). Our client codec must write the
// client's bytes and our server codec the server's, byte for byte, and each
// must read the other side's bytes, whole or one byte at a time.

#include "netrpc/gob_codec.h"

#include <cstdint>
#include <string>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "netrpc/body.h"
#include "netrpc/codec.h"
#include "netrpc/errors.h"
#include "netrpc/test_types.h"
#include "netrpc/testing/status_matchers.h"

namespace netrpc {
namespace {

using ::netrpc::testing::IsOk;
using ::netrpc::testing::StatusIs;
using test_types::Args;

struct Quotient {
  int64_t Quo = 0;
  int64_t Rem = 0;
};
NETRPC_GOB_STRUCT_NAMED(Quotient, "main.Quotient", Quo, Rem);

// Client to server: Multiply(7,8) twice, Divide(7,0), Divide(17,5).
constexpr absl::string_view kClientStream =
    "2f ff 81 03 01 01 07 52 65 71 75 65 73 74 01 ff 82 00 01 02 01 0d "
    "53 65 72 76 69 63 65 4d 65 74 68 6f 64 01 0c 00 01 03 53 65 71 01 "
    "06 00 00 00 13 ff 82 01 0e 41 72 69 74 68 2e 4d 75 6c 74 69 70 6c "
    "79 00 1e ff 83 03 01 01 04 41 72 67 73 01 ff 84 00 01 02 01 01 41 "
    "01 04 00 01 01 42 01 04 00 00 00 07 ff 84 01 0e 01 10 00 15 ff 82 "
    "01 0e 41 72 69 74 68 2e 4d 75 6c 74 69 70 6c 79 01 01 00 07 ff 84 "
    "01 0e 01 10 00 13 ff 82 01 0c 41 72 69 74 68 2e 44 69 76 69 64 65 "
    "01 02 00 05 ff 84 01 0e 00 13 ff 82 01 0c 41 72 69 74 68 2e 44 69 "
    "76 69 64 65 01 03 00 07 ff 84 01 22 01 0a 00";

// Server to client: 56, 56, "divide by zero", Quotient{3, 2}.
constexpr absl::string_view kServerStream =
    "3a ff 81 03 01 01 08 52 65 73 70 6f 6e 73 65 01 ff 82 00 01 03 01 "
    "0d 53 65 72 76 69 63 65 4d 65 74 68 6f 64 01 0c 00 01 03 53 65 71 "
    "01 06 00 01 05 45 72 72 6f 72 01 0c 00 00 00 13 ff 82 01 0e 41 72 "
    "69 74 68 2e 4d 75 6c 74 69 70 6c 79 00 03 04 00 70 15 ff 82 01 0e "
    "41 72 69 74 68 2e 4d 75 6c 74 69 70 6c 79 01 01 00 03 04 00 70 23 "
    "ff 82 01 0c 41 72 69 74 68 2e 44 69 76 69 64 65 01 02 01 0e 64 69 "
    "76 69 64 65 20 62 79 20 7a 65 72 6f 00 0a ff 83 03 01 02 ff 84 00 "
    "00 00 03 ff 84 00 13 ff 82 01 0c 41 72 69 74 68 2e 44 69 76 69 64 "
    "65 01 03 00 26 ff 85 03 01 01 08 51 75 6f 74 69 65 6e 74 01 ff 86 "
    "00 01 02 01 03 51 75 6f 01 04 00 01 03 52 65 6d 01 04 00 00 00 07 "
    "ff 86 01 06 01 04 00";

std::string Bytes(absl::string_view spaced) {
  std::string hex;
  for (absl::string_view b : absl::StrSplit(spaced, ' ', absl::SkipEmpty())) {
    absl::StrAppend(&hex, b);
  }
  return absl::HexStringToBytes(hex);
}

std::string Hex(absl::string_view bytes) {
  return absl::BytesToHexString(bytes);
}

TEST(GobCodecTest, ClientWritesGoClientBytes) {
  std::unique_ptr<StreamClientCodec> codec = NewGobStreamClientCodec();
  std::string out;
  struct CallSpec {
    const char* method;
    Args args;
  } calls[] = {{"Arith.Multiply", {7, 8}},
               {"Arith.Multiply", {7, 8}},
               {"Arith.Divide", {7, 0}},
               {"Arith.Divide", {17, 5}}};
  uint64_t seq = 0;
  for (const CallSpec& c : calls) {
    BodyRef<const Args> body(&c.args);
    ASSERT_THAT(codec->WriteRequest({c.method, seq++}, &body, &out), IsOk());
  }
  EXPECT_EQ(Hex(out), Hex(Bytes(kClientStream)));
}

TEST(GobCodecTest, ServerWritesGoServerBytes) {
  std::unique_ptr<StreamServerCodec> codec = NewGobStreamServerCodec();
  std::string out;
  OwnedBody<int64_t> product;
  product.value() = 56;
  ASSERT_THAT(codec->WriteResponse({"Arith.Multiply", 0, ""}, &product, &out),
              IsOk());
  ASSERT_THAT(codec->WriteResponse({"Arith.Multiply", 1, ""}, &product, &out),
              IsOk());
  ASSERT_THAT(
      codec->WriteResponse({"Arith.Divide", 2, "divide by zero"}, nullptr, &out),
      IsOk());
  OwnedBody<Quotient> quotient;
  quotient.value() = {3, 2};
  ASSERT_THAT(codec->WriteResponse({"Arith.Divide", 3, ""}, &quotient, &out),
              IsOk());
  EXPECT_EQ(Hex(out), Hex(Bytes(kServerStream)));
}

// ReadServerSide decodes the client stream, fed in chunks of `chunk` bytes.
void ReadServerSide(size_t chunk) {
  std::unique_ptr<StreamServerCodec> codec = NewGobStreamServerCodec();
  std::string stream = Bytes(kClientStream);
  size_t fed = 0;
  auto step = [&](auto read) {
    for (;;) {
      absl::Status s = read();
      if (!IsNeedMoreInput(s)) return s;
      if (fed == stream.size()) {
        codec->SetEOF();
        continue;
      }
      size_t n = std::min(chunk, stream.size() - fed);
      codec->Append(absl::string_view(stream).substr(fed, n));
      fed += n;
    }
  };
  const Args want[] = {{7, 8}, {7, 8}, {7, 0}, {17, 5}};
  for (uint64_t i = 0; i < 4; ++i) {
    Request request;
    ASSERT_THAT(step([&] { return codec->ReadRequestHeader(&request); }),
                IsOk());
    EXPECT_EQ(request.seq, i);
    EXPECT_EQ(request.service_method, i < 2 ? "Arith.Multiply" : "Arith.Divide");
    OwnedBody<Args> args;
    ASSERT_THAT(step([&] { return codec->ReadRequestBody(&args); }), IsOk());
    EXPECT_EQ(args.value().A, want[i].A);
    EXPECT_EQ(args.value().B, want[i].B);
  }
  Request request;
  EXPECT_TRUE(IsEOF(step([&] { return codec->ReadRequestHeader(&request); })));
}

TEST(GobCodecTest, ServerReadsGoClientBytes) { ReadServerSide(1 << 20); }
TEST(GobCodecTest, ServerReadsGoClientBytesOneAtATime) { ReadServerSide(1); }

TEST(GobCodecTest, ClientReadsGoServerBytes) {
  std::unique_ptr<StreamClientCodec> codec = NewGobStreamClientCodec();
  std::string stream = Bytes(kServerStream);
  // One byte at a time: every prefix asks for more and consumes nothing.
  size_t fed = 0;
  auto step = [&](auto read) {
    for (;;) {
      absl::Status s = read();
      if (!IsNeedMoreInput(s) || fed == stream.size()) return s;
      codec->Append(absl::string_view(stream).substr(fed++, 1));
    }
  };
  for (uint64_t i = 0; i < 2; ++i) {
    Response response;
    ASSERT_THAT(step([&] { return codec->ReadResponseHeader(&response); }),
                IsOk());
    EXPECT_EQ(response.seq, i);
    int64_t product = 0;
    BodyRef<int64_t> body(&product);
    ASSERT_THAT(step([&] { return codec->ReadResponseBody(&body); }), IsOk());
    EXPECT_EQ(product, 56);
  }
  Response response;
  ASSERT_THAT(step([&] { return codec->ReadResponseHeader(&response); }),
              IsOk());
  EXPECT_EQ(response.error, "divide by zero");
  ASSERT_THAT(step([&] { return codec->ReadResponseBody(nullptr); }), IsOk());
  ASSERT_THAT(step([&] { return codec->ReadResponseHeader(&response); }),
              IsOk());
  EXPECT_EQ(response.error, "");
  Quotient q;
  BodyRef<Quotient> body(&q);
  ASSERT_THAT(step([&] { return codec->ReadResponseBody(&body); }), IsOk());
  EXPECT_EQ(q.Quo, 3);
  EXPECT_EQ(q.Rem, 2);
  codec->SetEOF();
  EXPECT_TRUE(IsEOF(codec->ReadResponseHeader(&response)));
}

TEST(GobCodecTest, EndInsideAValueIsUnexpectedEOF) {
  std::unique_ptr<StreamServerCodec> codec = NewGobStreamServerCodec();
  std::string stream = Bytes(kClientStream);
  codec->Append(stream.substr(0, 30));
  Request request;
  EXPECT_TRUE(IsNeedMoreInput(codec->ReadRequestHeader(&request)));
  codec->SetEOF();
  EXPECT_THAT(codec->ReadRequestHeader(&request),
              StatusIs(absl::StatusCode::kDataLoss, "unexpected EOF"));
}

TEST(GobCodecTest, ConstBodyCannotBeDecodedInto) {
  std::unique_ptr<StreamServerCodec> codec = NewGobStreamServerCodec();
  codec->Append(Bytes(kClientStream));
  Request request;
  ASSERT_THAT(codec->ReadRequestHeader(&request), IsOk());
  const Args args;
  BodyRef<const Args> body(&args);
  EXPECT_THAT(codec->ReadRequestBody(&body),
              StatusIs(absl::StatusCode::kFailedPrecondition));
}

}  // namespace
}  // namespace netrpc
