// Copyright 2024 The netrpc-gateway Authors. Licensed under the Apache License 2.0.

#include "tools/gob/gob_tool.h"

#include <sstream>
#include <string>

#include "absl/strings/escaping.h"
#include "absl/strings/str_replace.h"
#include "gtest/gtest.h"

namespace gob_tool {
namespace {

std::string Hex(absl::string_view hex) {
  return absl::HexStringToBytes(absl::StrReplaceAll(hex, {{" ", ""}}));
}

// gob_rpc_request.hex: Request, Args, Request, Args.
const char kRpcRequest[] =
    "2f ff 81 03 01 01 07 52 65 71 75 65 73 74 01 ff 82 00 01 02 01 0d 53 65 "
    "72 76 69 63 65 4d 65 74 68 6f 64 01 0c 00 01 03 53 65 71 01 06 00 00 00 "
    "15 ff 82 01 0e 41 72 69 74 68 2e 4d 75 6c 74 69 70 6c 79 01 01 00 "
    "1e ff 83 03 01 01 04 41 72 67 73 01 ff 84 00 01 02 01 01 41 01 04 00 01 "
    "01 42 01 04 00 00 00 "
    "07 ff 84 01 0e 01 10 00 "
    "15 ff 82 01 0e 41 72 69 74 68 2e 4d 75 6c 74 69 70 6c 79 01 02 00 "
    "07 ff 84 01 0e 01 10 00";

// gob_interface.hex: Go's mid-message layout, builtin, nil, []interface{}.
const char kInterface[] =
    "1a ff 81 03 01 01 06 48 6f 6c 64 65 72 01 ff 82 00 01 01 01 01 56 01 10 "
    "00 00 00 "
    "2d ff 82 01 0a 6d 61 69 6e 2e 50 6f 69 6e 74 ff 83 03 01 01 05 50 6f 69 "
    "6e 74 01 ff 84 00 01 02 01 01 58 01 04 00 01 01 59 01 04 00 00 00 "
    "09 ff 84 05 01 02 01 04 00 00 "
    "17 ff 82 01 0a 6d 61 69 6e 2e 50 6f 69 6e 74 ff 84 05 01 06 01 08 00 00 "
    "0c ff 82 01 03 69 6e 74 04 02 00 0e 00 "
    "03 ff 82 00 "
    "0c ff 85 02 01 02 ff 86 00 01 10 00 00 "
    "11 ff 86 00 02 00 06 73 74 72 69 6e 67 0c 03 00 01 78";

TEST(GobToolTest, Dump) {
  std::istringstream in(Hex(kRpcRequest));
  std::ostringstream out;
  ASSERT_TRUE(Dump(in, out, {}).ok());
  EXPECT_EQ(out.str(),
            "{\"ServiceMethod\":\"Arith.Multiply\",\"Seq\":1}\n"
            "{\"A\":7,\"B\":8}\n"
            "{\"ServiceMethod\":\"Arith.Multiply\",\"Seq\":2}\n"
            "{\"A\":7,\"B\":8}\n");
}

TEST(GobToolTest, DumpTypes) {
  std::istringstream in(Hex(kInterface));
  std::ostringstream out;
  ASSERT_TRUE(Dump(in, out, {/*types=*/true}).ok());
  EXPECT_EQ(
      out.str(),
      "{\"type_id\":65,\"def\":{\"kind\":\"struct\",\"name\":\"Holder\","
      "\"id\":65,\"fields\":[{\"name\":\"V\",\"id\":8,\"type\":\"interface\"}]}}\n"
      "{\"type_id\":66,\"def\":{\"kind\":\"struct\",\"name\":\"Point\","
      "\"id\":66,\"fields\":[{\"name\":\"X\",\"id\":2,\"type\":\"int\"},"
      "{\"name\":\"Y\",\"id\":2,\"type\":\"int\"}]}}\n"
      "{\"V\":{\"type\":\"main.Point\",\"value\":{\"X\":1,\"Y\":2}}}\n"
      "{\"V\":{\"type\":\"main.Point\",\"value\":{\"X\":3,\"Y\":4}}}\n"
      "{\"V\":{\"type\":\"int\",\"value\":7}}\n"
      "{\"V\":null}\n"
      "{\"type_id\":67,\"def\":{\"kind\":\"slice\",\"name\":\"\",\"id\":67,"
      "\"elem\":8,\"elem_type\":\"interface\"}}\n"
      "[null,{\"type\":\"string\",\"value\":\"x\"}]\n");
}

TEST(GobToolTest, RecodeReproducesGoStreams) {
  for (const char* hex : {kRpcRequest, kInterface}) {
    std::istringstream in(Hex(hex));
    std::ostringstream out;
    ASSERT_TRUE(Recode(in, out).ok());
    EXPECT_EQ(out.str(), Hex(hex));
  }
}

TEST(GobToolTest, ErrorsAfterTheGoodValues) {
  std::string stream = Hex(kRpcRequest);
  stream.resize(stream.size() - 3);  // cut the last value
  std::istringstream in(stream);
  std::ostringstream out;
  absl::Status s = Dump(in, out, {});
  EXPECT_EQ(s.message(), "unexpected EOF");
  EXPECT_EQ(out.str(),
            "{\"ServiceMethod\":\"Arith.Multiply\",\"Seq\":1}\n"
            "{\"A\":7,\"B\":8}\n"
            "{\"ServiceMethod\":\"Arith.Multiply\",\"Seq\":2}\n");
}

TEST(GobToolTest, EmptyInputIsFine) {
  std::istringstream in("");
  std::ostringstream out;
  EXPECT_TRUE(Dump(in, out, {}).ok());
  EXPECT_EQ(out.str(), "");
}

}  // namespace
}  // namespace gob_tool
