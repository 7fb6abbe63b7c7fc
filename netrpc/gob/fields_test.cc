// Copyright 2024 The netrpc-gateway Authors. Licensed under the Apache License 2.0.

#include "netrpc/gob/fields.h"

#include <cstdint>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"

namespace calc {

struct Args {
  int64_t A = 0;
  int64_t B = 0;
};
NETRPC_GOB_STRUCT(Args, A, B);

struct Reply {
  int64_t quotient = 0;
  std::string note;
  std::vector<int> extra;
};
NETRPC_GOB_STRUCT_NAMED(Reply, "main.Quotient",
                        NETRPC_GOB_FIELD(quotient, "Quo"), note,
                        NETRPC_GOB_FIELD(extra, "Extra"));

struct Empty {};
NETRPC_GOB_STRUCT(Empty);

struct NotBound {};

}  // namespace calc

namespace netrpc::gob {
namespace {

TEST(FieldsTest, NamesAndCounts) {
  EXPECT_TRUE(kIsGobStruct<calc::Args>);
  EXPECT_FALSE(kIsGobStruct<calc::NotBound>);
  EXPECT_FALSE(kIsGobStruct<int>);
  EXPECT_EQ(std::string(GoTypeName<calc::Args>()), "Args");
  EXPECT_EQ(std::string(GoTypeName<calc::Reply>()), "main.Quotient");
  EXPECT_EQ(GobFieldCount<calc::Args>(), 2u);
  EXPECT_EQ(GobFieldCount<calc::Reply>(), 3u);
  EXPECT_EQ(GobFieldCount<calc::Empty>(), 0u);
  static_assert(GobFieldCount<calc::Reply>() == 3);
}

TEST(FieldsTest, ForEachFieldVisitsInOrder) {
  calc::Reply r{7, "n", {1}};
  std::vector<std::string> seen;
  ForEachField(r, [&](absl::string_view name, auto& member) {
    seen.push_back(std::string(name));
    using M = std::decay_t<decltype(member)>;
    if constexpr (std::is_same_v<M, int64_t>) member += 1;
  });
  EXPECT_EQ(seen, (std::vector<std::string>{"Quo", "note", "Extra"}));
  EXPECT_EQ(r.quotient, 8);

  const calc::Args args{1, 2};
  std::string out;
  ForEachField(args, [&](absl::string_view name, const auto& member) {
    absl::StrAppend(&out, name, "=", member, ";");
  });
  EXPECT_EQ(out, "A=1;B=2;");

  calc::Empty e;
  int calls = 0;
  ForEachField(e, [&](absl::string_view, auto&) { ++calls; });
  EXPECT_EQ(calls, 0);
}

}  // namespace
}  // namespace netrpc::gob
