// Copyright 2024 The netrpc-gateway Authors. Licensed under the Apache License 2.0.
//
// The umbrella header alone is enough for the README's round trip.

#include "netrpc/gob/gob.h"

#include <cstdint>
#include <string>

#include "gtest/gtest.h"

namespace example {

struct Args {
  int64_t A = 0;
  int64_t B = 0;
};
NETRPC_GOB_STRUCT_NAMED(Args, "main.Args", A, B);

}  // namespace example

namespace {

TEST(GobTest, ReadmeRoundTrip) {
  netrpc::gob::Encoder enc;
  std::string wire;
  ASSERT_TRUE(enc.Encode(example::Args{7, 8}, &wire).ok());

  netrpc::gob::Decoder dec;
  dec.Append(wire.substr(0, 10));
  example::Args args;
  EXPECT_TRUE(netrpc::gob::IsNeedMore(dec.Decode(&args)));
  dec.Append(wire.substr(10));
  ASSERT_TRUE(dec.Decode(&args).ok());
  EXPECT_EQ(args.A, 7);
  EXPECT_EQ(args.B, 8);

  netrpc::gob::Decoder dyn = netrpc::gob::Decoder::FromBytes(wire);
  netrpc::gob::Value v;
  ASSERT_TRUE(dyn.DecodeValue(&v).ok());
  EXPECT_EQ(netrpc::gob::ValueToJson(v), "{\"A\":7,\"B\":8}");
}

}  // namespace
