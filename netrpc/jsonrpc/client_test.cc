// Copyright netrpc-gateway authors. Licensed under the BSD-style licence of Go.
//
// Our jsonrpc client against a fake server that answers its first request
// with raw bytes, for every case Go 1.19's client was captured on
// (wire/SPEC.md §4.5, shared/wire/vectors/jsonrpc_client.txt), plus a few
// more. After the first call a second one shows whether the connection
// survived: the fake server answers later requests properly.

#include "netrpc/client.h"

#include <memory>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

#include "netrpc/conn.h"
#include "netrpc/errors.h"
#include "netrpc/jsonrpc/client_codec.h"
#include "netrpc/jsonrpc/test_services.h"
#include "netrpc/jsonrpc/test_util.h"
#include "netrpc/testing/status_matchers.h"

namespace netrpc::jsonrpc {
namespace {

using ::netrpc::jsonrpc::test::Args;
using ::netrpc::jsonrpc::test::RawConn;
using ::netrpc::testing::IsOk;

constexpr absl::Duration kTimeout = absl::Seconds(20);

// FakeServer answers the first request line with `first_response`, and
// each later one with {"id":<its id>,"result":1,"error":null}.
class FakeServer {
 public:
  FakeServer(RawConn conn, std::string first_response)
      : thread_([this, conn = std::move(conn),
                 first = std::move(first_response)]() mutable {
          Serve(conn, first);
        }) {}
  ~FakeServer() { thread_.join(); }

  // first_request is the first line the client sent (after the server
  // stops).
  const std::string& first_request() const { return first_request_; }

 private:
  void Serve(RawConn& conn, const std::string& first) {
    absl::StatusOr<std::string> line = conn.ReadLine(kTimeout);
    if (!line.ok()) return;
    first_request_ = *line;
    if (!conn.Write(first).ok()) return;
    for (;;) {
      line = conn.ReadLine(kTimeout);
      if (!line.ok()) return;  // the client closed
      // Our client writes `..."id":N}\n`.
      size_t at = line->rfind("\"id\":");
      std::string id = line->substr(at + 5, line->size() - at - 7);
      if (!conn.Write(absl::StrCat(R"({"id":)", id,
                                   R"(,"result":1,"error":null})", "\n"))
               .ok()) {
        return;
      }
    }
  }

  std::string first_request_;
  std::thread thread_;
};

struct Outcome {
  int64_t reply = 0;
  absl::Status first;
  absl::Status next;
};

// RunCase makes the two calls of Go's capture program against a fake server
// whose first answer is `response`.
Outcome RunCase(const std::string& response, std::string* request = nullptr) {
  Outcome out;
  absl::StatusOr<std::pair<RawConn, RawConn>> pair = RawConn::Pair();
  EXPECT_THAT(pair, IsOk());
  std::unique_ptr<Client> client =
      jsonrpc::NewClient(std::make_unique<TcpConn>(pair->first.Release()));
  {
    FakeServer server(std::move(pair->second), response);
    out.first = client->Call("Arith.Multiply", Args{7, 8}, &out.reply);
    int64_t reply2 = 0;
    out.next = client->Call("Arith.Multiply", Args{1, 1}, &reply2);
    EXPECT_THAT(client->Close(), IsOk());
    if (request != nullptr) *request = server.first_request();
  }
  return out;
}

TEST(ClientTest, SendsGosRequest) {
  std::string request;
  RunCase(R"({"id":0,"result":56,"error":null})"
          "\n",
          &request);
  EXPECT_EQ(request,
            R"({"method":"Arith.Multiply","params":[{"A":7,"B":8}],"id":0})"
            "\n");
}

TEST(ClientTest, NormalResult) {
  Outcome o = RunCase(R"({"id":0,"result":56,"error":null})"
                      "\n");
  EXPECT_THAT(o.first, IsOk());
  EXPECT_EQ(o.reply, 56);
  EXPECT_THAT(o.next, IsOk());
}

TEST(ClientTest, ResultWithoutErrorMember) {
  Outcome o = RunCase(R"({"id":0,"result":56})");
  EXPECT_THAT(o.first, IsOk());
  EXPECT_EQ(o.reply, 56);
  EXPECT_THAT(o.next, IsOk());
}

void ExpectServerError(const Outcome& o, absl::string_view text) {
  EXPECT_TRUE(IsServerError(o.first)) << o.first;
  EXPECT_EQ(o.first.message(), text);
  EXPECT_EQ(o.reply, 0);
  EXPECT_THAT(o.next, IsOk());
}

TEST(ClientTest, ErrorString) {
  ExpectServerError(RunCase(R"({"id":0,"result":null,"error":"boom"})"),
                    "boom");
}

TEST(ClientTest, ErrorStringWinsOverResult) {
  ExpectServerError(RunCase(R"({"id":0,"result":56,"error":"boom"})"), "boom");
}

TEST(ClientTest, EmptyErrorString) {
  ExpectServerError(RunCase(R"({"id":0,"result":null,"error":""})"),
                    "unspecified error");
}

// ExpectShutdown: the first call fails with `text` (not a ServerError) and
// the client is shut down.
void ExpectShutdown(const Outcome& o, absl::string_view text) {
  EXPECT_FALSE(IsServerError(o.first)) << o.first;
  EXPECT_EQ(o.first.message(), text);
  EXPECT_EQ(o.reply, 0);
  EXPECT_TRUE(IsShutdown(o.next)) << o.next;
}

// Go's TestMalformedOutput; also what a Go server's nil slice reply gets.
TEST(ClientTest, ResultNullAndErrorNull) {
  ExpectShutdown(RunCase(R"({"id":0,"result":null,"error":null})"),
                 "invalid error <nil>");
}

TEST(ClientTest, NoResultAndNoError) {
  ExpectShutdown(RunCase(R"({"id":0})"), "invalid error <nil>");
}

TEST(ClientTest, ErrorIsAnObject) {
  ExpectShutdown(
      RunCase(R"({"id":0,"result":null,"error":{"code":1,"message":"x"}})"),
      "invalid error map[code:1 message:x]");
}

TEST(ClientTest, ErrorValuePrintedAsGosPercentV) {
  ExpectShutdown(
      RunCase(R"({"id":0,"error":{"z":[1,2.5,1e21,1e20,123456789,1e-7,null,)"
              R"(true,{"a":"b"}],"message":"x","code":1,"code":2}})"),
      "invalid error map[code:2 message:x z:[1 2.5 1e+21 1e+20 "
      "1.23456789e+08 1e-07 <nil> true map[a:b]]]");
}

// Go prints an error value of any depth; ours stops at kMaxDecodeDepth
// (internal/decode.h), which bounds the stack the reader thread needs.
TEST(ClientTest, ErrorValueTooDeep) {
  ExpectShutdown(
      RunCase(absl::StrCat(R"({"id":0,"error":)", std::string(1001, '['),
                           std::string(1001, ']'), "}")),
      "jsonrpc: JSON nested deeper than 1000 levels");
}

TEST(ClientTest, StringId) {
  ExpectShutdown(RunCase(R"({"id":"0","result":56,"error":null})"),
                 "json: cannot unmarshal string into Go struct field "
                 "clientResponse.id of type uint64");
}

TEST(ClientTest, IdOutOfRange) {
  ExpectShutdown(RunCase(R"({"id":18446744073709551616,"result":56})"),
                 "json: cannot unmarshal number 18446744073709551616 into Go "
                 "struct field clientResponse.id of type uint64");
}

TEST(ClientTest, ResultOfWrongType) {
  Outcome o = RunCase(R"({"id":0,"result":"str","error":null})");
  const std::string err =
      "json: cannot unmarshal string into Go value of type int";
  EXPECT_FALSE(IsServerError(o.first)) << o.first;
  EXPECT_EQ(o.first.message(), "reading body " + err);
  // As in Go, the reader completes the call before it marks the client shut
  // down: a call made at once may still go out, and then fail with the
  // decode error.
  EXPECT_TRUE(IsShutdown(o.next) || o.next.message() == err) << o.next;
}

TEST(ClientTest, ResponseForUnknownIdSkipped) {
  Outcome o = RunCase(R"({"id":99,"result":1,"error":null})"
                      R"({"id":0,"result":56,"error":null})");
  EXPECT_THAT(o.first, IsOk());
  EXPECT_EQ(o.reply, 56);
  EXPECT_THAT(o.next, IsOk());
}

TEST(ClientTest, MembersMatchIgnoringCase) {
  Outcome o = RunCase(R"({"ID":0,"Result":56,"ERROR":null})");
  EXPECT_THAT(o.first, IsOk());
  EXPECT_EQ(o.reply, 56);
}

TEST(ClientTest, SyntaxErrorShutsDown) {
  ExpectShutdown(RunCase("{id:0}"),
                 "invalid character 'i' looking for beginning of object key "
                 "string");
}

TEST(ClientTest, ArgumentThatCannotBeEncodedIsNotSent) {
  absl::StatusOr<std::pair<RawConn, RawConn>> pair = RawConn::Pair();
  ASSERT_THAT(pair, IsOk());
  std::unique_ptr<Client> client =
      jsonrpc::NewClient(std::make_unique<TcpConn>(pair->first.Release()));
  FakeServer server(std::move(pair->second),
                    R"({"id":1,"result":56,"error":null})"
                    "\n");
  int64_t reply = 0;
  EXPECT_EQ(client->Call("Arith.Square", std::nan(""), &reply).message(),
            "json: unsupported value: NaN");
  // The connection is untouched: the next request is the first on the wire.
  EXPECT_THAT(client->Call("Arith.Multiply", Args{7, 8}, &reply), IsOk());
  EXPECT_EQ(reply, 56);
  EXPECT_THAT(client->Close(), IsOk());
}

}  // namespace
}  // namespace netrpc::jsonrpc
