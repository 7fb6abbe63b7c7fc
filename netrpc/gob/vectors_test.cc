// Copyright 2024 The netrpc-gateway Authors. Licensed under the Apache License 2.0.
//
// The vectors of shared/wire/SPEC.md (gob_*.hex, produced by Go 1.19 in fresh
// processes), copied in: typed encoding must reproduce them byte for byte,
// typed decoding must read them back, and decoding them into dynamic Values and
// encoding those again must give the same bytes, however the input is cut.

#include <array>
#include <cmath>
#include <complex>
#include <cstdint>
#include <limits>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "gtest/gtest.h"
#include "netrpc/gob/decoder.h"
#include "netrpc/gob/encoder.h"
#include "netrpc/gob/test_util.h"

namespace netrpc::gob::vectors {

struct Request {
  std::string ServiceMethod;
  uint64_t Seq = 0;
  bool operator==(const Request& o) const {
    return ServiceMethod == o.ServiceMethod && Seq == o.Seq;
  }
};
NETRPC_GOB_STRUCT_NAMED(Request, "main.Request", ServiceMethod, Seq);

struct Response {
  std::string ServiceMethod;
  uint64_t Seq = 0;
  std::string Error;
  bool operator==(const Response& o) const {
    return ServiceMethod == o.ServiceMethod && Seq == o.Seq && Error == o.Error;
  }
};
NETRPC_GOB_STRUCT_NAMED(Response, "main.Response", ServiceMethod, Seq, Error);

struct Args {
  int64_t A = 0;
  int64_t B = 0;
  bool operator==(const Args& o) const { return A == o.A && B == o.B; }
};
NETRPC_GOB_STRUCT_NAMED(Args, "main.Args", A, B);

struct Quotient {
  int64_t Quo = 0;
  int64_t Rem = 0;
  bool operator==(const Quotient& o) const {
    return Quo == o.Quo && Rem == o.Rem;
  }
};
NETRPC_GOB_STRUCT_NAMED(Quotient, "main.Quotient", Quo, Rem);

struct Point {
  int64_t X = 0;
  int64_t Y = 0;
  bool operator==(const Point& o) const { return X == o.X && Y == o.Y; }
};
NETRPC_GOB_STRUCT_NAMED(Point, "main.Point", X, Y);

struct Inner {
  std::string Name;
  std::vector<int64_t> Vals;
  bool operator==(const Inner& o) const {
    return Name == o.Name && Vals == o.Vals;
  }
};
NETRPC_GOB_STRUCT_NAMED(Inner, "main.Inner", Name, Vals);

struct Outer {
  uint64_t ID = 0;
  std::map<std::string, int64_t> Tags;
  Bytes Data;
  std::vector<Inner> Items;
  double Ratio = 0;
  bool Flag = false;
  Inner Sub;
  std::array<int8_t, 2> Arr = {};
  bool operator==(const Outer& o) const {
    return ID == o.ID && Tags == o.Tags && Data == o.Data &&
           Items == o.Items && Ratio == o.Ratio && Flag == o.Flag &&
           Sub == o.Sub && Arr == o.Arr;
  }
};
NETRPC_GOB_STRUCT_NAMED(Outer, "main.Outer", ID, Tags, Data, Items, Ratio,
                        Flag, Sub, Arr);

struct Base {
  int64_t X = 0;
  int64_t Y = 0;
};
NETRPC_GOB_STRUCT_NAMED(Base, "main.Base", X, Y);

struct Embedding {
  Base base;
  std::string Name;
  int64_t secret = 0;  // unexported: never sent
  std::unique_ptr<int64_t> P;
  std::unique_ptr<int64_t> NilP;
  std::unique_ptr<int64_t> PZero;
};
NETRPC_GOB_STRUCT_NAMED(Embedding, "main.Embedding",
                        NETRPC_GOB_FIELD(base, "Base"), Name, secret, P, NilP,
                        PZero);

struct Holder {
  Interface V;
};
NETRPC_GOB_STRUCT_NAMED(Holder, "main.Holder", V);

struct Node {
  int64_t Val = 0;
  std::unique_ptr<Node> Next;
};
NETRPC_GOB_STRUCT_NAMED(Node, "main.Node", Val, Next);

// GE is a GobEncoder: two bytes, 0xAA and n.
struct GE {
  int64_t n = 0;
  absl::Status GobEncode(std::string* out) const {
    out->push_back(static_cast<char>(0xaa));
    out->push_back(static_cast<char>(n));
    return absl::OkStatus();
  }
  absl::Status GobDecode(absl::string_view data) {
    if (data.size() != 2) return absl::InvalidArgumentError("GE: bad data");
    n = static_cast<uint8_t>(data[1]);
    return absl::OkStatus();
  }
  bool operator==(const GE& o) const { return n == o.n; }
};
NETRPC_GOB_TYPE_NAME(GE, "main.GE");

// BM is only a BinaryMarshaler.
struct BM {
  int64_t n = 0;
  absl::Status MarshalBinary(std::string* out) const {
    out->push_back(static_cast<char>(0xbb));
    out->push_back(static_cast<char>(n));
    return absl::OkStatus();
  }
  absl::Status UnmarshalBinary(absl::string_view data) {
    n = static_cast<uint8_t>(data[1]);
    return absl::OkStatus();
  }
  bool operator==(const BM& o) const { return n == o.n; }
};
NETRPC_GOB_TYPE_NAME(BM, "main.BM");

struct WithExt {
  GE G;
  BM B;
  absl::Time T = GoZeroTime();
};
NETRPC_GOB_STRUCT_NAMED(WithExt, "main.WithExt", G, B, T);

struct Zeros {
  int64_t I = 0;
  std::string S;
  std::vector<int64_t> Sl;
  std::optional<std::map<std::string, int64_t>> M;
  Point Sub;
  std::array<int64_t, 2> Arr = {};
};
NETRPC_GOB_STRUCT_NAMED(Zeros, "main.Zeros", I, S, Sl, M, Sub, Arr);

struct Empty {
  bool operator==(const Empty&) const { return true; }
};
NETRPC_GOB_STRUCT_NAMED(Empty, "main.Empty");

// net/rpc's invalidRequest, an unnamed struct{}.
struct InvalidRequest {};
NETRPC_GOB_STRUCT_NAMED(InvalidRequest, "");

namespace {

using ::netrpc::gob::testing::Hex;
using ::netrpc::gob::testing::ToHex;

// Joined returns the hex of a vector's messages, one per element.
std::string Joined(std::initializer_list<const char*> messages) {
  std::string out;
  for (const char* m : messages) out += Hex(m);
  return out;
}

// Recode decodes every value of stream into Values, feeding `chunk` bytes at
// a time, and encodes them again with one fresh Encoder.
std::string Recode(const std::string& stream, size_t chunk) {
  Decoder dec;
  Encoder enc;
  std::string out;
  size_t fed = 0;
  for (;;) {
    Value v;
    absl::Status s = dec.DecodeValue(&v);
    if (IsNeedMore(s)) {
      if (fed == stream.size()) {
        dec.CloseInput();
        continue;
      }
      size_t n = std::min(chunk, stream.size() - fed);
      dec.Append(absl::string_view(stream).substr(fed, n));
      fed += n;
      continue;
    }
    if (IsEOF(s)) break;
    EXPECT_TRUE(s.ok()) << s;
    if (!s.ok()) break;
    absl::Status e = enc.EncodeValue(v, &out);
    EXPECT_TRUE(e.ok()) << e;
  }
  return out;
}

void ExpectRecodes(const std::string& stream) {
  for (size_t chunk : {size_t{1}, size_t{3}, size_t{7}, stream.size()}) {
    EXPECT_EQ(ToHex(Recode(stream, chunk)), ToHex(stream)) << "chunk " << chunk;
  }
}

template <typename T>
void EncodeInto(Encoder& enc, const T& v, std::string* out) {
  absl::Status s = enc.Encode(v, out);
  ASSERT_TRUE(s.ok()) << s;
}

template <typename T>
T DecodeNext(Decoder& dec) {
  T v{};
  absl::Status s = dec.Decode(&v);
  EXPECT_TRUE(s.ok()) << s;
  return v;
}

TEST(VectorsTest, Int3) {
  Encoder enc;
  std::string out;
  EncodeInto(enc, int64_t{3}, &out);
  EXPECT_EQ(ToHex(out), "03 04 00 06");
  Decoder dec = Decoder::FromBytes(out);
  EXPECT_EQ(DecodeNext<int64_t>(dec), 3);
  ExpectRecodes(out);
}

TEST(VectorsTest, Point) {
  const std::string want = Joined({
      "1f ff 81 03 01 01 05 50 6f 69 6e 74 01 ff 82 00 01 02 01 01 58 01 04 "
      "00 01 01 59 01 04 00 00 00",
      "07 ff 82 01 2c 01 42 00",
      "07 ff 82 01 2c 01 42 00",
  });
  Encoder enc;
  std::string out;
  EncodeInto(enc, Point{22, 33}, &out);
  EncodeInto(enc, Point{22, 33}, &out);
  EXPECT_EQ(ToHex(out), ToHex(want));
  Decoder dec = Decoder::FromBytes(want);
  EXPECT_EQ(DecodeNext<Point>(dec), (Point{22, 33}));
  EXPECT_EQ(DecodeNext<Point>(dec), (Point{22, 33}));
  ExpectRecodes(want);
}

TEST(VectorsTest, Uints) {
  const std::vector<std::pair<uint64_t, const char*>> cases = {
      {0, "03 06 00 00"},
      {7, "03 06 00 07"},
      {127, "03 06 00 7f"},
      {128, "04 06 00 ff 80"},
      {255, "04 06 00 ff ff"},
      {256, "05 06 00 fe 01 00"},
      {65535, "05 06 00 fe ff ff"},
      {uint64_t{1} << 32, "08 06 00 fb 01 00 00 00 00"},
      {std::numeric_limits<uint64_t>::max(), "0b 06 00 f8 ff ff ff ff ff ff ff ff"},
  };
  Encoder enc;
  std::string out, want;
  for (const auto& [v, hex] : cases) {
    EncodeInto(enc, v, &out);
    want += Hex(hex);
  }
  EXPECT_EQ(ToHex(out), ToHex(want));
  Decoder dec = Decoder::FromBytes(want);
  for (const auto& [v, hex] : cases) EXPECT_EQ(DecodeNext<uint64_t>(dec), v);
  ExpectRecodes(want);
}

TEST(VectorsTest, Ints) {
  const std::vector<std::pair<int64_t, const char*>> cases = {
      {0, "03 04 00 00"},
      {1, "03 04 00 02"},
      {-1, "03 04 00 01"},
      {2, "03 04 00 04"},
      {-2, "03 04 00 03"},
      {63, "03 04 00 7e"},
      {-64, "03 04 00 7f"},
      {64, "04 04 00 ff 80"},
      {-65, "04 04 00 ff 81"},
      {127, "04 04 00 ff fe"},
      {-128, "04 04 00 ff ff"},
      {-129, "05 04 00 fe 01 01"},
      {128, "05 04 00 fe 01 00"},
      {std::numeric_limits<int64_t>::max(), "0b 04 00 f8 ff ff ff ff ff ff ff fe"},
      {std::numeric_limits<int64_t>::min(), "0b 04 00 f8 ff ff ff ff ff ff ff ff"},
  };
  Encoder enc;
  std::string out, want;
  for (const auto& [v, hex] : cases) {
    EncodeInto(enc, v, &out);
    want += Hex(hex);
  }
  EXPECT_EQ(ToHex(out), ToHex(want));
  Decoder dec = Decoder::FromBytes(want);
  for (const auto& [v, hex] : cases) EXPECT_EQ(DecodeNext<int64_t>(dec), v);
  ExpectRecodes(want);
}

TEST(VectorsTest, Floats) {
  const std::vector<std::pair<double, const char*>> cases = {
      {0.0, "03 08 00 00"},
      {1.0, "05 08 00 fe f0 3f"},
      {17.0, "05 08 00 fe 31 40"},
      {-2.5, "05 08 00 fe 04 c0"},
      {0.1, "0b 08 00 f8 9a 99 99 99 99 99 b9 3f"},
      {INFINITY, "05 08 00 fe f0 7f"},
      {-INFINITY, "05 08 00 fe f0 ff"},
      {-0.0, "04 08 00 ff 80"},
  };
  Encoder enc;
  std::string out, want;
  for (const auto& [v, hex] : cases) {
    EncodeInto(enc, v, &out);
    want += Hex(hex);
  }
  EncodeInto(enc, 1.5f, &out);
  want += Hex("05 08 00 fe f8 3f");
  EXPECT_EQ(ToHex(out), ToHex(want));
  Decoder dec = Decoder::FromBytes(want);
  for (const auto& [v, hex] : cases) {
    double got = DecodeNext<double>(dec);
    EXPECT_EQ(got, v);
    EXPECT_EQ(std::signbit(got), std::signbit(v));
  }
  EXPECT_EQ(DecodeNext<float>(dec), 1.5f);
  ExpectRecodes(want);
}

TEST(VectorsTest, Scalars) {
  const std::string want = Joined({
      "03 0c 00 00",
      "08 0c 00 05 68 65 6c 6c 6f",
      "06 0a 00 03 01 02 03",
      "03 0a 00 00",
      "03 02 00 01",
      "03 02 00 00",
      "06 0e 00 fe f0 3f 40",
      "04 0e 00 00 00",
  });
  Encoder enc;
  std::string out;
  EncodeInto(enc, std::string(""), &out);
  EncodeInto(enc, std::string("hello"), &out);
  EncodeInto(enc, Bytes{1, 2, 3}, &out);
  EncodeInto(enc, Bytes{}, &out);
  EncodeInto(enc, true, &out);
  EncodeInto(enc, false, &out);
  EncodeInto(enc, std::complex<double>(1, 2), &out);
  EncodeInto(enc, std::complex<float>(0, 0), &out);
  EXPECT_EQ(ToHex(out), ToHex(want));
  Decoder dec = Decoder::FromBytes(want);
  EXPECT_EQ(DecodeNext<std::string>(dec), "");
  EXPECT_EQ(DecodeNext<std::string>(dec), "hello");
  EXPECT_EQ(DecodeNext<Bytes>(dec), (Bytes{1, 2, 3}));
  EXPECT_EQ(DecodeNext<Bytes>(dec), Bytes{});
  EXPECT_EQ(DecodeNext<bool>(dec), true);
  EXPECT_EQ(DecodeNext<bool>(dec), false);
  EXPECT_EQ(DecodeNext<std::complex<double>>(dec), std::complex<double>(1, 2));
  EXPECT_EQ(DecodeNext<std::complex<float>>(dec), std::complex<float>(0, 0));
  ExpectRecodes(want);
}

TEST(VectorsTest, RpcRequest) {
  const std::string want = Joined({
      "2f ff 81 03 01 01 07 52 65 71 75 65 73 74 01 ff 82 00 01 02 01 0d 53 "
      "65 72 76 69 63 65 4d 65 74 68 6f 64 01 0c 00 01 03 53 65 71 01 06 00 "
      "00 00",
      "15 ff 82 01 0e 41 72 69 74 68 2e 4d 75 6c 74 69 70 6c 79 01 01 00",
      "1e ff 83 03 01 01 04 41 72 67 73 01 ff 84 00 01 02 01 01 41 01 04 00 "
      "01 01 42 01 04 00 00 00",
      "07 ff 84 01 0e 01 10 00",
      "15 ff 82 01 0e 41 72 69 74 68 2e 4d 75 6c 74 69 70 6c 79 01 02 00",
      "07 ff 84 01 0e 01 10 00",
  });
  Encoder enc;
  std::string out;
  EncodeInto(enc, Request{"Arith.Multiply", 1}, &out);
  EncodeInto(enc, std::make_unique<Args>(Args{7, 8}), &out);
  EncodeInto(enc, Request{"Arith.Multiply", 2}, &out);
  EncodeInto(enc, std::make_unique<Args>(Args{7, 8}), &out);
  EXPECT_EQ(ToHex(out), ToHex(want));
  Decoder dec = Decoder::FromBytes(want);
  EXPECT_EQ(DecodeNext<Request>(dec), (Request{"Arith.Multiply", 1}));
  EXPECT_EQ(DecodeNext<Args>(dec), (Args{7, 8}));
  EXPECT_EQ(DecodeNext<Request>(dec), (Request{"Arith.Multiply", 2}));
  auto args = DecodeNext<std::unique_ptr<Args>>(dec);
  ASSERT_NE(args, nullptr);
  EXPECT_EQ(*args, (Args{7, 8}));
  ExpectRecodes(want);
}

TEST(VectorsTest, RpcResponse) {
  const std::string want = Joined({
      "3a ff 81 03 01 01 08 52 65 73 70 6f 6e 73 65 01 ff 82 00 01 03 01 0d "
      "53 65 72 76 69 63 65 4d 65 74 68 6f 64 01 0c 00 01 03 53 65 71 01 06 "
      "00 01 05 45 72 72 6f 72 01 0c 00 00 00",
      "15 ff 82 01 0e 41 72 69 74 68 2e 4d 75 6c 74 69 70 6c 79 01 01 00",
      "03 04 00 70",
      "23 ff 82 01 0c 41 72 69 74 68 2e 44 69 76 69 64 65 01 02 01 0e 64 69 "
      "76 69 64 65 20 62 79 20 7a 65 72 6f 00",
      "0a ff 83 03 01 02 ff 84 00 00 00",
      "03 ff 84 00",
      "13 ff 82 01 0c 41 72 69 74 68 2e 44 69 76 69 64 65 01 03 00",
      "26 ff 85 03 01 01 08 51 75 6f 74 69 65 6e 74 01 ff 86 00 01 02 01 03 "
      "51 75 6f 01 04 00 01 03 52 65 6d 01 04 00 00 00",
      "07 ff 86 01 06 01 04 00",
  });
  Encoder enc;
  std::string out;
  EncodeInto(enc, Response{"Arith.Multiply", 1, ""}, &out);
  EncodeInto(enc, int64_t{56}, &out);
  EncodeInto(enc, Response{"Arith.Divide", 2, "divide by zero"}, &out);
  EncodeInto(enc, InvalidRequest{}, &out);
  EncodeInto(enc, Response{"Arith.Divide", 3, ""}, &out);
  EncodeInto(enc, Quotient{3, 2}, &out);
  EXPECT_EQ(ToHex(out), ToHex(want));
  Decoder dec = Decoder::FromBytes(want);
  EXPECT_EQ(DecodeNext<Response>(dec), (Response{"Arith.Multiply", 1, ""}));
  EXPECT_EQ(DecodeNext<int64_t>(dec), 56);
  EXPECT_EQ(DecodeNext<Response>(dec),
            (Response{"Arith.Divide", 2, "divide by zero"}));
  EXPECT_TRUE(dec.Skip().ok());  // the body of an error response
  EXPECT_EQ(DecodeNext<Response>(dec), (Response{"Arith.Divide", 3, ""}));
  EXPECT_EQ(DecodeNext<Quotient>(dec), (Quotient{3, 2}));
  ExpectRecodes(want);
}

Outer NestedValue() {
  Outer v;
  v.ID = 300;
  v.Tags = {{"k", -1}};
  v.Data = {0xde, 0xad};
  v.Items = {Inner{"a", {1, 2}}, Inner{}};
  v.Ratio = 0.5;
  v.Flag = true;
  v.Sub.Name = "s";
  v.Arr = {0, 5};
  return v;
}

TEST(VectorsTest, Nested) {
  const std::string want = Joined({
      "5d ff 81 03 01 01 05 4f 75 74 65 72 01 ff 82 00 01 08 01 02 49 44 01 "
      "06 00 01 04 54 61 67 73 01 ff 84 00 01 04 44 61 74 61 01 0a 00 01 05 "
      "49 74 65 6d 73 01 ff 8a 00 01 05 52 61 74 69 6f 01 08 00 01 04 46 6c "
      "61 67 01 02 00 01 03 53 75 62 01 ff 86 00 01 03 41 72 72 01 ff 8c 00 "
      "00 00",
      "1e ff 83 04 01 01 0e 6d 61 70 5b 73 74 72 69 6e 67 5d 69 6e 74 01 ff "
      "84 00 01 0c 01 04 00 00",
      "1b ff 89 02 01 01 0c 5b 5d 6d 61 69 6e 2e 49 6e 6e 65 72 01 ff 8a 00 "
      "01 ff 86 00 00",
      "26 ff 85 03 01 01 05 49 6e 6e 65 72 01 ff 86 00 01 02 01 04 4e 61 6d "
      "65 01 0c 00 01 04 56 61 6c 73 01 ff 88 00 00 00",
      "13 ff 87 02 01 01 05 5b 5d 69 6e 74 01 ff 88 00 01 04 00 00",
      "17 ff 8b 01 01 01 07 5b 32 5d 69 6e 74 38 01 ff 8c 00 01 04 01 04 00 "
      "00",
      "2a ff 82 01 fe 01 2c 01 01 01 6b 01 01 02 de ad 01 02 01 01 61 01 02 "
      "02 04 00 00 01 fe e0 3f 01 01 01 01 01 73 00 01 02 00 0a 00",
  });
  Encoder enc;
  std::string out;
  EncodeInto(enc, NestedValue(), &out);
  EXPECT_EQ(ToHex(out), ToHex(want));
  Decoder dec = Decoder::FromBytes(want);
  EXPECT_EQ(DecodeNext<Outer>(dec), NestedValue());
  ExpectRecodes(want);
}

TEST(VectorsTest, Embedded) {
  const std::string def =
      "43 ff 81 03 01 01 09 45 6d 62 65 64 64 69 6e 67 01 ff 82 00 01 05 01 "
      "04 42 61 73 65 01 ff 84 00 01 04 4e 61 6d 65 01 0c 00 01 01 50 01 04 "
      "00 01 04 4e 69 6c 50 01 04 00 01 05 50 5a 65 72 6f 01 04 00 00 00";
  const std::string want = Joined({
      def.c_str(),
      "1e ff 83 03 01 01 04 42 61 73 65 01 ff 84 00 01 02 01 01 58 01 04 00 "
      "01 01 59 01 04 00 00 00",
      "0e ff 82 01 01 02 01 04 00 01 01 6e 01 0e 00",
      "0e ff 82 01 01 02 01 04 00 01 01 6e 01 0e 00",
  });
  Embedding v;
  v.base = Base{1, 2};
  v.Name = "n";
  v.secret = 9;
  v.P = std::make_unique<int64_t>(7);
  v.PZero = std::make_unique<int64_t>(0);
  Encoder enc;
  std::string out;
  EncodeInto(enc, v, &out);
  EncodeInto(enc, v, &out);
  EXPECT_EQ(ToHex(out), ToHex(want));

  Decoder dec = Decoder::FromBytes(want);
  Embedding got;
  got.secret = 5;
  ASSERT_TRUE(dec.Decode(&got).ok());
  EXPECT_EQ(got.base.X, 1);
  EXPECT_EQ(got.base.Y, 2);
  EXPECT_EQ(got.Name, "n");
  EXPECT_EQ(got.secret, 5);
  ASSERT_NE(got.P, nullptr);
  EXPECT_EQ(*got.P, 7);
  EXPECT_EQ(got.NilP, nullptr);
  EXPECT_EQ(got.PZero, nullptr);  // a pointer to zero arrives as nil
  ExpectRecodes(want);
}

TEST(VectorsTest, Interface) {
  ASSERT_TRUE(Register<Point>().ok());
  const std::string want = Joined({
      "1a ff 81 03 01 01 06 48 6f 6c 64 65 72 01 ff 82 00 01 01 01 01 56 01 "
      "10 00 00 00",
      "2d ff 82 01 0a 6d 61 69 6e 2e 50 6f 69 6e 74 ff 83 03 01 01 05 50 6f "
      "69 6e 74 01 ff 84 00 01 02 01 01 58 01 04 00 01 01 59 01 04 00 00 00",
      "09 ff 84 05 01 02 01 04 00 00",
      "17 ff 82 01 0a 6d 61 69 6e 2e 50 6f 69 6e 74 ff 84 05 01 06 01 08 00 "
      "00",
      "0c ff 82 01 03 69 6e 74 04 02 00 0e 00",
      "03 ff 82 00",
      "0c ff 85 02 01 02 ff 86 00 01 10 00 00",
      "11 ff 86 00 02 00 06 73 74 72 69 6e 67 0c 03 00 01 78",
  });
  Encoder enc;
  std::string out;
  EncodeInto(enc, Holder{Interface::Of(Point{1, 2})}, &out);
  EncodeInto(enc, Holder{Interface::Of(Point{3, 4})}, &out);
  EncodeInto(enc, Holder{Interface::Of(int64_t{7})}, &out);
  EncodeInto(enc, Holder{}, &out);
  EncodeInto(enc,
             std::vector<Interface>{Interface(),
                                    Interface::Of(std::string("x"))},
             &out);
  EXPECT_EQ(ToHex(out), ToHex(want));

  Decoder dec = Decoder::FromBytes(want);
  Holder h = DecodeNext<Holder>(dec);
  ASSERT_NE(h.V.Get<Point>(), nullptr);
  EXPECT_EQ(*h.V.Get<Point>(), (Point{1, 2}));
  EXPECT_EQ(h.V.name(), "main.Point");
  h = DecodeNext<Holder>(dec);
  EXPECT_EQ(*h.V.Get<Point>(), (Point{3, 4}));
  h = DecodeNext<Holder>(dec);
  ASSERT_NE(h.V.Get<int64_t>(), nullptr);
  EXPECT_EQ(*h.V.Get<int64_t>(), 7);
  ASSERT_TRUE(dec.Decode(&h).ok());
  ASSERT_NE(h.V.Get<int64_t>(), nullptr);  // an omitted field is left alone
  EXPECT_EQ(*h.V.Get<int64_t>(), 7);
  auto list = DecodeNext<std::vector<Interface>>(dec);
  ASSERT_EQ(list.size(), 2u);
  EXPECT_TRUE(list[0].is_nil());
  EXPECT_EQ(*list[1].Get<std::string>(), "x");
  ExpectRecodes(want);
}

TEST(VectorsTest, InterfaceUpFrontLayout) {
  ASSERT_TRUE(Register<Point>().ok());
  EncoderOptions opts;
  opts.interface_layout = InterfaceLayout::kUpFront;
  Encoder enc(opts);
  std::string out;
  EncodeInto(enc, Holder{Interface::Of(Point{1, 2})}, &out);
  // gobchecks.go "all type defs up front": the same messages Go accepts.
  EXPECT_EQ(ToHex(out),
            ToHex(Joined({
                "1a ff 81 03 01 01 06 48 6f 6c 64 65 72 01 ff 82 00 01 01 01 "
                "01 56 01 10 00 00 00",
                "1f ff 83 03 01 01 05 50 6f 69 6e 74 01 ff 84 00 01 02 01 01 "
                "58 01 04 00 01 01 59 01 04 00 00 00",
                "17 ff 82 01 0a 6d 61 69 6e 2e 50 6f 69 6e 74 ff 84 05 01 02 "
                "01 04 00 00",
            })));
  Decoder dec = Decoder::FromBytes(out);
  Holder h = DecodeNext<Holder>(dec);
  EXPECT_EQ(*h.V.Get<Point>(), (Point{1, 2}));
}

TEST(VectorsTest, GobEncoder) {
  const std::string want = Joined({
      "2a ff 81 03 01 01 07 57 69 74 68 45 78 74 01 ff 82 00 01 03 01 01 47 "
      "01 ff 84 00 01 01 42 01 ff 86 00 01 01 54 01 ff 88 00 00 00",
      "0e ff 83 05 01 01 02 47 45 01 ff 84 00 00 00",
      "0e ff 85 06 01 01 02 42 4d 01 ff 86 00 00 00",
      "10 ff 87 05 01 01 04 54 69 6d 65 01 ff 88 00 00 00",
      "1c ff 82 01 02 aa 05 01 02 bb 06 01 0f 01 00 00 00 0e c2 8b e7 70 00 "
      "00 00 00 ff ff 00",
      "06 ff 84 00 02 aa 05",
  });
  absl::Time t = absl::FromCivil(absl::CivilSecond(2009, 11, 10, 23, 0, 0),
                                 absl::UTCTimeZone());
  Encoder enc;
  std::string out;
  EncodeInto(enc, WithExt{GE{5}, BM{6}, t}, &out);
  EncodeInto(enc, GE{5}, &out);
  EXPECT_EQ(ToHex(out), ToHex(want));
  Decoder dec = Decoder::FromBytes(want);
  WithExt got = DecodeNext<WithExt>(dec);
  EXPECT_EQ(got.G, GE{5});
  EXPECT_EQ(got.B, BM{6});
  EXPECT_EQ(got.T, t);
  EXPECT_EQ(DecodeNext<GE>(dec), GE{5});
  ExpectRecodes(want);
}

TEST(VectorsTest, Recursive) {
  const std::string want = Joined({
      "24 ff 81 03 01 01 04 4e 6f 64 65 01 ff 82 00 01 02 01 03 56 61 6c 01 "
      "04 00 01 04 4e 65 78 74 01 ff 82 00 00 00",
      "09 ff 82 01 02 01 01 04 00 00",
  });
  Node n;
  n.Val = 1;
  n.Next = std::make_unique<Node>();
  n.Next->Val = 2;
  Encoder enc;
  std::string out;
  EncodeInto(enc, n, &out);
  EXPECT_EQ(ToHex(out), ToHex(want));
  Decoder dec = Decoder::FromBytes(want);
  Node got = DecodeNext<Node>(dec);
  EXPECT_EQ(got.Val, 1);
  ASSERT_NE(got.Next, nullptr);
  EXPECT_EQ(got.Next->Val, 2);
  EXPECT_EQ(got.Next->Next, nullptr);
  ExpectRecodes(want);
}

TEST(VectorsTest, Zeros) {
  const std::string want = Joined({
      "40 ff 81 03 01 01 05 5a 65 72 6f 73 01 ff 82 00 01 06 01 01 49 01 04 "
      "00 01 01 53 01 0c 00 01 02 53 6c 01 ff 84 00 01 01 4d 01 ff 86 00 01 "
      "03 53 75 62 01 ff 88 00 01 03 41 72 72 01 ff 8a 00 00 00",
      "13 ff 83 02 01 01 05 5b 5d 69 6e 74 01 ff 84 00 01 04 00 00",
      "1e ff 85 04 01 01 0e 6d 61 70 5b 73 74 72 69 6e 67 5d 69 6e 74 01 ff "
      "86 00 01 0c 01 04 00 00",
      "1f ff 87 03 01 01 05 50 6f 69 6e 74 01 ff 88 00 01 02 01 01 58 01 04 "
      "00 01 01 59 01 04 00 00 00",
      "16 ff 89 01 01 01 06 5b 32 5d 69 6e 74 01 ff 8a 00 01 04 01 04 00 00",
      "09 ff 82 05 00 01 02 00 00 00",
      "0b ff 82 04 00 01 00 01 02 00 00 00",
      "11 ff 8b 03 01 01 05 45 6d 70 74 79 01 ff 8c 00 00 00",
      "03 ff 8c 00",
      "03 04 00 00",
      "03 0c 00 00",
  });
  Encoder enc;
  std::string out;
  EncodeInto(enc, Zeros{}, &out);
  Zeros with_map;
  with_map.M.emplace();
  EncodeInto(enc, with_map, &out);
  EncodeInto(enc, Empty{}, &out);
  EncodeInto(enc, int64_t{0}, &out);
  EncodeInto(enc, std::string(), &out);
  EXPECT_EQ(ToHex(out), ToHex(want));

  Decoder dec = Decoder::FromBytes(want);
  Zeros z = DecodeNext<Zeros>(dec);
  EXPECT_FALSE(z.M.has_value());
  z = DecodeNext<Zeros>(dec);
  ASSERT_TRUE(z.M.has_value());  // an empty non-nil map is received
  EXPECT_TRUE(z.M->empty());
  EXPECT_EQ(DecodeNext<Empty>(dec), Empty{});
  EXPECT_EQ(DecodeNext<int64_t>(dec), 0);
  EXPECT_EQ(DecodeNext<std::string>(dec), "");
  ExpectRecodes(want);
}

TEST(VectorsTest, Composites) {
  const std::string want = Joined({
      "0c ff 81 02 01 02 ff 82 00 01 0c 00 00",
      "08 ff 82 00 02 01 61 01 62",
      "0e ff 83 01 01 02 ff 84 00 01 04 01 06 00 00",
      "07 ff 84 00 03 00 00 00",
      "0e ff 85 04 01 02 ff 86 00 01 0c 01 04 00 00",
      "07 ff 86 00 01 01 78 02",
      "0d ff 89 02 01 02 ff 8a 00 01 ff 88 00 00",
      "1f ff 87 03 01 01 05 50 6f 69 6e 74 01 ff 88 00 01 02 01 01 58 01 04 "
      "00 01 01 59 01 04 00 00 00",
      "0a ff 8a 00 02 01 02 01 04 00 00",
      "0c ff 8b 02 01 02 ff 8c 00 01 04 00 00",
      "04 ff 8c 00 00",
  });
  Encoder enc;
  std::string out;
  EncodeInto(enc, std::vector<std::string>{"a", "b"}, &out);
  EncodeInto(enc, std::array<int64_t, 3>{}, &out);
  EncodeInto(enc, std::map<std::string, int64_t>{{"x", 1}}, &out);
  EncodeInto(enc, std::vector<Point>{{1, 2}, {0, 0}}, &out);
  EncodeInto(enc, std::vector<int64_t>{}, &out);
  EXPECT_EQ(ToHex(out), ToHex(want));
  Decoder dec = Decoder::FromBytes(want);
  EXPECT_EQ(DecodeNext<std::vector<std::string>>(dec),
            (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ((DecodeNext<std::array<int64_t, 3>>(dec)),
            (std::array<int64_t, 3>{}));
  EXPECT_EQ((DecodeNext<std::map<std::string, int64_t>>(dec)),
            (std::map<std::string, int64_t>{{"x", 1}}));
  EXPECT_EQ(DecodeNext<std::vector<Point>>(dec),
            (std::vector<Point>{{1, 2}, {0, 0}}));
  EXPECT_EQ(DecodeNext<std::vector<int64_t>>(dec), std::vector<int64_t>{});
  ExpectRecodes(want);
}

}  // namespace
}  // namespace netrpc::gob::vectors
