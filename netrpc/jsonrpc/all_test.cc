// Copyright netrpc-gateway authors. Licensed under the BSD-style licence of Go.
//
// Go 1.19's net/rpc/jsonrpc/all_test.go, ported: our server and our client
// in one process (wire/SPEC.md §5 items 34-42). tests/jsonrpc runs the same
// checks across the process boundary, against Go's own client and server.

#include <algorithm>
#include <array>
#include <cmath>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "absl/strings/str_format.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

#include "netrpc/body.h"
#include "netrpc/client.h"
#include "netrpc/codec.h"
#include "netrpc/conn.h"
#include "netrpc/errors.h"
#include "netrpc/jsonrpc/client_codec.h"
#include "netrpc/jsonrpc/json.h"
#include "netrpc/jsonrpc/server_codec.h"
#include "netrpc/jsonrpc/test_services.h"
#include "netrpc/jsonrpc/test_util.h"
#include "netrpc/server.h"
#include "netrpc/testing/status_matchers.h"

namespace netrpc::jsonrpc {
namespace {

using ::netrpc::jsonrpc::test::Args;
using ::netrpc::jsonrpc::test::RawConn;
using ::netrpc::jsonrpc::test::Reply;
using ::netrpc::testing::IsOk;
using ::netrpc::testing::StatusIs;

constexpr absl::Duration kTimeout = absl::Seconds(20);

// ArithAddResp is all_test.go's view of a response.
struct ArithAddResp {
  std::optional<std::string> id;  // Go: Id any, here always a string
  Reply result;
  std::optional<std::string> error;
};

class AllTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_THAT(test::RegisterTestServices(server_), IsOk());
  }
  void TearDown() override {
    for (std::thread& t : threads_) t.join();
  }

  // Pipe returns the client end of a connection whose server end is served
  // by ServeConn (Go: `cli, srv := net.Pipe(); go ServeConn(srv)`).
  RawConn Pipe() {
    absl::StatusOr<std::pair<RawConn, RawConn>> pair = RawConn::Pair();
    EXPECT_THAT(pair, IsOk());
    auto srv = std::make_unique<TcpConn>(pair->second.Release());
    threads_.emplace_back([this, srv = std::move(srv)]() mutable {
      ServeConn(server_, std::move(srv));
    });
    return std::move(pair->first);
  }

  // Decode reads one response line into an ArithAddResp.
  static ArithAddResp Decode(RawConn& cli) {
    ArithAddResp resp;
    absl::StatusOr<std::string> line = cli.ReadLine(kTimeout);
    EXPECT_THAT(line, IsOk());
    // {"id":<string|null>,"result":<Reply|null>,"error":<string|null>}
    absl::string_view rest = *line;
    size_t r = rest.find(",\"result\":");
    size_t e = rest.find(",\"error\":");
    EXPECT_THAT(Unmarshal(rest.substr(6, r - 6), &resp.id), IsOk());
    EXPECT_THAT(Unmarshal(rest.substr(r + 10, e - r - 10), &resp.result),
                IsOk());
    EXPECT_THAT(
        Unmarshal(rest.substr(e + 9, rest.size() - e - 11), &resp.error),
        IsOk());
    return resp;
  }

  Server server_;
  std::vector<std::thread> threads_;
};

// 34
TEST_F(AllTest, ServerNoParams) {
  RawConn cli = Pipe();
  ASSERT_THAT(cli.Write(R"({"method": "Arith.Add", "id": "123"})"), IsOk());
  ArithAddResp resp = Decode(cli);
  EXPECT_TRUE(resp.error.has_value());
}

// 35
TEST_F(AllTest, ServerEmptyMessage) {
  RawConn cli = Pipe();
  ASSERT_THAT(cli.Write("{}"), IsOk());
  ArithAddResp resp = Decode(cli);
  EXPECT_TRUE(resp.error.has_value());
}

// 36
TEST_F(AllTest, Server) {
  RawConn cli = Pipe();
  for (int i = 0; i < 10; ++i) {
    ASSERT_THAT(
        cli.Write(absl::StrFormat(
            R"({"method": "Arith.Add", "id": "\u%04d", "params": [{"A": %d, "B": %d}]})",
            i, i, i + 1)),
        IsOk());
    ArithAddResp resp = Decode(cli);
    EXPECT_FALSE(resp.error.has_value()) << *resp.error;
    EXPECT_EQ(resp.id, std::string(1, static_cast<char>(i)));
    EXPECT_EQ(resp.result.C, 2 * i + 1);
  }
}

// 37
TEST_F(AllTest, Client) {
  std::unique_ptr<Client> client =
      jsonrpc::NewClient(std::make_unique<TcpConn>(Pipe().Release()));

  Args args{7, 8};
  Reply reply;
  ASSERT_THAT(client->Call("Arith.Add", args, &reply), IsOk());
  EXPECT_EQ(reply.C, args.A + args.B);

  reply = Reply();
  ASSERT_THAT(client->Call("Arith.Mul", args, &reply), IsOk());
  EXPECT_EQ(reply.C, args.A * args.B);

  // Out of order.
  Reply mul_reply, add_reply;
  std::shared_ptr<Call> mul_call = client->Go("Arith.Mul", args, &mul_reply);
  std::shared_ptr<Call> add_call = client->Go("Arith.Add", args, &add_reply);
  ASSERT_THAT(add_call->Wait(), IsOk());
  EXPECT_EQ(add_reply.C, args.A + args.B);
  ASSERT_THAT(mul_call->Wait(), IsOk());
  EXPECT_EQ(mul_reply.C, args.A * args.B);

  // Error test
  absl::Status err = client->Call("Arith.Div", Args{7, 0}, &reply);
  EXPECT_TRUE(IsServerError(err));
  EXPECT_EQ(err.message(), "divide by zero");
}

// 38
TEST_F(AllTest, BuiltinTypes) {
  std::unique_ptr<Client> client =
      jsonrpc::NewClient(std::make_unique<TcpConn>(Pipe().Release()));
  int64_t arg = 7;

  std::map<int64_t, int64_t> reply_map;
  ASSERT_THAT(client->Call("BuiltinTypes.Map", arg, &reply_map), IsOk());
  EXPECT_EQ(reply_map[arg], arg);

  std::vector<int64_t> reply_slice;
  ASSERT_THAT(client->Call("BuiltinTypes.Slice", arg, &reply_slice), IsOk());
  EXPECT_THAT(reply_slice, ::testing::ElementsAre(arg));

  std::array<int64_t, 1> reply_array = {};
  ASSERT_THAT(client->Call("BuiltinTypes.Array", arg, &reply_array), IsOk());
  EXPECT_THAT(reply_array, ::testing::ElementsAre(arg));
}

// 39: the connection stays open; ServeConn must return, not loop.
TEST_F(AllTest, MalformedInput) {
  absl::StatusOr<std::pair<RawConn, RawConn>> pair = RawConn::Pair();
  ASSERT_THAT(pair, IsOk());
  ASSERT_THAT(pair->first.Write("{id:1}"), IsOk());
  ServeConn(server_, std::make_unique<TcpConn>(pair->second.Release()));
}

// 40
TEST_F(AllTest, MalformedOutput) {
  absl::StatusOr<std::pair<RawConn, RawConn>> pair = RawConn::Pair();
  ASSERT_THAT(pair, IsOk());
  ASSERT_THAT(pair->second.Write(R"({"id":0,"result":null,"error":null})"),
              IsOk());
  std::unique_ptr<Client> client =
      jsonrpc::NewClient(std::make_unique<TcpConn>(pair->first.Release()));
  Reply reply;
  EXPECT_FALSE(client->Call("Arith.Add", Args{7, 8}, &reply).ok());
}

// MemoryConn reads from a string and records what is written (Go's
// struct{io.Reader; io.Writer; io.Closer} in TestServerErrorHasNullResult),
// or fails every read with `read_error` (Go's TestUnexpectedError).
class MemoryConn final : public Conn {
 public:
  explicit MemoryConn(std::string input, absl::Status read_error = {})
      : input_(std::move(input)), read_error_(std::move(read_error)) {}

  absl::StatusOr<size_t> Read(char* buf, size_t n) override {
    if (!read_error_.ok()) return read_error_;
    if (input_.empty()) return EOFError();
    n = std::min(n, input_.size());
    input_.copy(buf, n);
    input_.erase(0, n);
    return n;
  }
  absl::Status Write(absl::string_view data) override {
    out_->append(data.data(), data.size());
    return absl::OkStatus();
  }
  absl::Status CloseWrite() override { return absl::OkStatus(); }
  absl::Status Close() override { return absl::OkStatus(); }
  std::string RemoteAddr() const override { return "memory"; }

  std::shared_ptr<std::string> out() const { return out_; }

 private:
  std::string input_;
  absl::Status read_error_;
  std::shared_ptr<std::string> out_ = std::make_shared<std::string>();
};

// 41
TEST_F(AllTest, ServerErrorHasNullResult) {
  auto conn = std::make_unique<MemoryConn>(
      R"({"method": "Arith.Add", "id": "123", "params": []})");
  std::shared_ptr<std::string> out = conn->out();
  std::unique_ptr<ServerCodec> sc = NewServerCodec(std::move(conn));
  Request r;
  ASSERT_THAT(sc->ReadRequestHeader(&r), IsOk());
  const std::string value_text = "the value we don't want to see";
  BodyRef<const std::string> body(&value_text);
  Response resp;
  resp.service_method = "Method";
  resp.seq = 1;
  resp.error = "some error";
  ASSERT_THAT(sc->WriteResponse(resp, &body), IsOk());
  EXPECT_THAT(*out, ::testing::HasSubstr("some error"));
  EXPECT_THAT(*out, ::testing::Not(::testing::HasSubstr(value_text)));
}

// 42
TEST_F(AllTest, UnexpectedError) {
  ServeConn(server_, std::make_unique<MemoryConn>(
                         "", absl::InternalError("unexpected error!")));
}

// Not in Go's tests: WriteResponse for a sequence number never read.
TEST_F(AllTest, ResponseForUnknownSequenceFails) {
  std::unique_ptr<StreamServerCodec> sc = NewStreamServerCodec();
  std::string out;
  Response resp;
  resp.seq = 7;
  EXPECT_THAT(sc->WriteResponse(resp, nullptr, &out),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "invalid sequence number in response"));
  EXPECT_TRUE(out.empty());
}

// Not in Go's tests: a reply Go cannot encode gets no response, and the
// connection goes on (Go's server only logs, in debug builds).
TEST_F(AllTest, UnencodableReplyWritesNothing) {
  std::unique_ptr<StreamServerCodec> sc = NewStreamServerCodec();
  sc->Append(R"({"method":"Arith.NaN","params":[0],"id":1})");
  Request r;
  ASSERT_THAT(sc->ReadRequestHeader(&r), IsOk());
  double nan = std::nan("");
  BodyRef<const double> reply(&nan);
  Response resp;
  resp.seq = r.seq;
  std::string out;
  EXPECT_THAT(sc->WriteResponse(resp, &reply, &out),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "json: unsupported value: NaN"));
  EXPECT_TRUE(out.empty());
}

}  // namespace
}  // namespace netrpc::jsonrpc
