// Copyright 2024 The netrpc-gateway Authors. Licensed under the Apache License 2.0.

#include "netrpc/gob/encoder.h"

#include <array>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "gtest/gtest.h"
#include "netrpc/gob/decoder.h"
#include "netrpc/gob/test_util.h"

namespace netrpc::gob::encoder_test {

struct Point {
  int64_t X = 0;
  int64_t Y = 0;
};
NETRPC_GOB_STRUCT_NAMED(Point, "main.Point", X, Y);

struct A {
  int64_t X = 0;
};
NETRPC_GOB_STRUCT_NAMED(A, "main.A", X);
struct B {
  int64_t X = 0;
};
NETRPC_GOB_STRUCT_NAMED(B, "main.B", X);
struct C {
  int64_t X = 0;
};
NETRPC_GOB_STRUCT_NAMED(C, "main.C", X);

struct Names {
  std::vector<std::unique_ptr<A>> PA;
  std::map<std::string, B> MB;
  std::array<C, 1> AC;
  std::vector<std::string> SS;
};
NETRPC_GOB_STRUCT_NAMED(Names, "main.Names", PA, MB, AC, SS);

struct R {
  int64_t x = 0;
};
NETRPC_GOB_STRUCT_NAMED(R, "main.R", x);

struct Unregistered {
  int64_t X = 0;
};
NETRPC_GOB_STRUCT_NAMED(Unregistered, "main.Unregistered", X);

struct Holder2 {
  Interface V;
  std::vector<std::unique_ptr<int64_t>> L;
};
NETRPC_GOB_STRUCT_NAMED(Holder2, "main.Holder2", V, L);

struct Node {
  int64_t Val = 0;
  std::unique_ptr<Node> Next;
};
NETRPC_GOB_STRUCT_NAMED(Node, "main.Node", Val, Next);

namespace {

using ::netrpc::gob::testing::Hex;
using ::netrpc::gob::testing::IsOk;
using ::netrpc::gob::testing::StatusIs;
using ::netrpc::gob::testing::ToHex;

constexpr absl::StatusCode kInvalid = absl::StatusCode::kInvalidArgument;

// SPEC §1.6: ids in Go's build order; a named type reached as a pointer
// slice element, a map element or an array element gets an empty name;
// unnamed field types get their Go spelling.
TEST(EncoderTest, IdsAndNamesFollowGo) {
  Names v;
  v.PA.push_back(std::make_unique<A>());
  Encoder enc;
  std::string out;
  ASSERT_THAT(enc.Encode(v, &out), IsOk());
  Decoder dec = Decoder::FromBytes(out);
  ASSERT_THAT(dec.Skip(), IsOk());
  std::map<TypeId, std::string> names;
  std::vector<TypeId> order = dec.definitions();
  for (TypeId id : order) names[id] = dec.Definition(id)->name;
  EXPECT_EQ(order, (std::vector<TypeId>{65, 67, 66, 69, 68, 71, 70, 72}));
  EXPECT_EQ(names[65], "Names");
  EXPECT_EQ(names[66], "");  // A, as the element of []*A
  EXPECT_EQ(names[67], "[]*main.A");
  EXPECT_EQ(names[68], "");  // B, as a map element
  EXPECT_EQ(names[69], "map[string]main.B");
  EXPECT_EQ(names[70], "");  // C, as an array element
  EXPECT_EQ(names[71], "[1]main.C");
  EXPECT_EQ(names[72], "[]string");
}

TEST(EncoderTest, TopLevelUnnamedTypeHasNoName) {
  Encoder enc;
  std::string out;
  ASSERT_THAT(enc.Encode(std::vector<std::string>{"a"}, &out), IsOk());
  EXPECT_EQ(ToHex(out.substr(0, 13)),
            "0c ff 81 02 01 02 ff 82 00 01 0c 00 00");
}

TEST(EncoderTest, EachEncoderIsAFreshStream) {
  Encoder a, b;
  std::string out_a, out_b;
  ASSERT_THAT(a.Encode(Point{1, 2}, &out_a), IsOk());
  ASSERT_THAT(b.Encode(Point{1, 2}, &out_b), IsOk());
  EXPECT_EQ(out_a, out_b);
  std::string again;
  ASSERT_THAT(a.Encode(Point{1, 2}, &again), IsOk());
  EXPECT_EQ(ToHex(again), "07 ff 82 01 02 01 04 00");
}

TEST(EncoderTest, NilPointerAtTopLevel) {
  Encoder enc;
  std::string out;
  EXPECT_THAT(enc.Encode(std::unique_ptr<Point>(), &out),
              StatusIs(kInvalid,
                       "gob: cannot encode nil pointer of type *main.Point"));
  EXPECT_THAT(enc.Encode(std::optional<int64_t>(), &out),
              StatusIs(kInvalid, "gob: cannot encode nil pointer of type *int"));
}

TEST(EncoderTest, NilElements) {
  Encoder enc;
  std::string out;
  std::vector<std::unique_ptr<int64_t>> list;
  list.push_back(nullptr);
  EXPECT_THAT(enc.Encode(list, &out),
              StatusIs(kInvalid, "gob: encodeArray: nil element"));
  std::map<std::string, std::unique_ptr<int64_t>> m;
  m["k"] = nullptr;
  EXPECT_THAT(enc.Encode(m, &out),
              StatusIs(kInvalid, "gob: encodeReflectValue: nil element"));
}

// SPEC §1.7.2 and rpc_gob_error.hex: the definition is written, then the
// value fails.
TEST(EncoderTest, NoExportedFieldsKeepsTheDefinition) {
  Encoder enc;
  std::string out;
  EXPECT_THAT(enc.Encode(R{1}, &out),
              StatusIs(kInvalid, "gob: type main.R has no exported fields"));
  EXPECT_EQ(ToHex(out), "0d ff 81 03 01 01 01 52 01 ff 82 00 00 00");
  std::string again;
  EXPECT_FALSE(enc.Encode(R{1}, &again).ok());
  EXPECT_EQ(again, "");  // already sent
}

TEST(EncoderTest, UnregisteredInterfaceType) {
  struct Holder {
    Interface V;
  };
  Encoder enc;
  std::string out;
  EXPECT_THAT(enc.Encode(Interface::Of(Unregistered{}), &out),
              StatusIs(kInvalid,
                       "gob: type not registered for interface: "
                       "main.Unregistered"));
}

TEST(EncoderTest, FailureAfterGoLayoutFlushWritesNoValue) {
  ASSERT_THAT(Register<Point>(), IsOk());
  Holder2 bad{Interface::Of(Point{1, 2}), {}};
  bad.L.push_back(nullptr);
  Encoder enc;
  std::string out;
  EXPECT_THAT(enc.Encode(bad, &out),
              StatusIs(kInvalid, "gob: encodeArray: nil element"));
  // Only the definitions before the value: Holder2 and []*int.
  Decoder defs = Decoder::FromBytes(out);
  EXPECT_THAT(defs.Skip(), StatusIs(absl::StatusCode::kDataLoss,
                                    "unexpected EOF"));
  EXPECT_EQ(defs.definitions(), (std::vector<TypeId>{65, 66}));

  // Point's definition went down with the value, so it is sent again.
  Holder2 good{Interface::Of(Point{1, 2}), {}};
  ASSERT_THAT(enc.Encode(good, &out), IsOk());
  Decoder dec = Decoder::FromBytes(out);
  Holder2 got;
  ASSERT_THAT(dec.Decode(&got), IsOk());
  EXPECT_EQ(got.V.Get<Point>()->Y, 2);
}

TEST(EncoderTest, MessageTooBig) {
  EncoderOptions opts;
  opts.max_message_size = 16;
  Encoder enc(opts);
  std::string out;
  EXPECT_THAT(enc.Encode(std::string(100, 'x'), &out),
              StatusIs(absl::StatusCode::kResourceExhausted,
                       "gob: encoder: message too big"));
  EXPECT_EQ(out, "");
  ASSERT_THAT(enc.Encode(std::string(10, 'x'), &out), IsOk());
}

TEST(EncoderTest, DepthLimit) {
  Node head;
  Node* n = &head;
  for (int i = 0; i < 2000; ++i) {
    n->Next = std::make_unique<Node>();
    n = n->Next.get();
  }
  Encoder enc;
  std::string out;
  EXPECT_EQ(enc.Encode(head, &out).code(),
            absl::StatusCode::kResourceExhausted);
  EncoderOptions opts;
  opts.max_depth = 5000;
  Encoder deep(opts);
  out.clear();
  ASSERT_THAT(deep.Encode(head, &out), IsOk());
  DecoderOptions dopts;
  dopts.max_depth = 5000;
  Decoder dec(dopts);
  dec.Append(out);
  Node got;
  ASSERT_THAT(dec.Decode(&got), IsOk());
  // Unlink iteratively: recursive destruction of 2000 levels is fine, but
  // keep the test independent of stack size.
  while (head.Next) head.Next = std::move(head.Next->Next);
  while (got.Next) got.Next = std::move(got.Next->Next);
}

TEST(EncoderTest, EncodeValueNeedsAValue) {
  Encoder enc;
  std::string out;
  EXPECT_THAT(enc.EncodeValue(Value(), &out),
              StatusIs(kInvalid, "gob: cannot encode nil value"));
}

TEST(EncoderTest, EncodeValueChecksFieldTypes) {
  const Type* point = TypeOf<Point>();
  Value v = Value::Zero(point);
  *v.mutable_field(0) = Value::String("not an int");
  Encoder enc;
  std::string out;
  EXPECT_THAT(enc.EncodeValue(v, &out),
              StatusIs(kInvalid,
                       "gob: value of type string where the type says int"));
}

// ---------------------------------------------------------------------------
// Typed and dynamic encoding agree.

TEST(EquivalenceTest, DynamicPointEqualsTyped) {
  const Type* point = TypeOf<Point>();
  EXPECT_EQ(point->name(), "Point");
  Value v = Value::Zero(point);
  ASSERT_THAT(v.SetField("X", Value::Int(22)), IsOk());
  ASSERT_THAT(v.SetField("Y", Value::Int(33)), IsOk());
  Encoder typed, dynamic;
  std::string a, b;
  ASSERT_THAT(typed.Encode(Point{22, 33}, &a), IsOk());
  ASSERT_THAT(dynamic.EncodeValue(v, &b), IsOk());
  EXPECT_EQ(ToHex(a), ToHex(b));
  // And typed bytes decode to the same Value contents.
  Decoder dec = Decoder::FromBytes(a);
  Value got;
  ASSERT_THAT(dec.DecodeValue(&got), IsOk());
  EXPECT_EQ(got.Field("X")->int_value(), 22);
  EXPECT_EQ(got.Field("Y")->int_value(), 33);
  EXPECT_EQ(got.type()->name(), "Point");
}

TEST(EquivalenceTest, DynamicInterfaceEqualsTyped) {
  ASSERT_THAT(Register<Point>(), IsOk());
  struct Holder {
    Interface V;
  };
  Value p = Value::Zero(TypeOf<Point>());
  ASSERT_THAT(p.SetField("X", Value::Int(1)), IsOk());
  std::vector<Interface> typed_list = {Interface::Of(Point{1, 0}),
                                       Interface::FromValue("main.Point", p),
                                       Interface()};
  Encoder typed;
  std::string a;
  ASSERT_THAT(typed.Encode(typed_list, &a), IsOk());
  Decoder dec = Decoder::FromBytes(a);
  std::vector<Interface> got;
  ASSERT_THAT(dec.Decode(&got), IsOk());
  ASSERT_EQ(got.size(), 3u);
  EXPECT_EQ(got[0].Get<Point>()->X, 1);
  EXPECT_EQ(got[1].Get<Point>()->X, 1);  // sent as main.Point, typed on receipt
  EXPECT_TRUE(got[2].is_nil());
}

}  // namespace
}  // namespace netrpc::gob::encoder_test
