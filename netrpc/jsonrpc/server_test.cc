// Copyright netrpc-gateway authors. Licensed under the BSD-style licence of Go.
//
// Our jsonrpc server, request bytes in, response bytes out, for every case
// Go 1.19's server was captured on (wire/SPEC.md §4.6, the full list in
// shared/wire/vectors/jsonrpc_server.txt): each request goes down a fresh
// connection, which is then half-closed, and everything the server writes
// until it closes must equal what Go's wrote. Both ways of serving run the
// table: the asynchronous server (Accept) and the blocking one (ServeCodec).

#include "netrpc/server.h"

#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_split.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

#include "netrpc/conn.h"
#include "netrpc/jsonrpc/server_codec.h"
#include "netrpc/jsonrpc/test_services.h"
#include "netrpc/jsonrpc/test_util.h"
#include "netrpc/listener.h"
#include "netrpc/testing/status_matchers.h"

namespace netrpc::jsonrpc {
namespace {

using ::netrpc::jsonrpc::test::RawConn;
using ::netrpc::testing::IsOk;

constexpr absl::Duration kTimeout = absl::Seconds(20);

struct Case {
  std::string name;
  std::string request;
  // What Go wrote, one response per line; "" for nothing at all.
  std::string response;
  // Several responses may come in any order (Go answers as calls finish).
  bool any_order = false;
};

// The rows of jsonrpc_server.txt, verbatim.
std::vector<Case> Cases() {
  return {
      {"NumericId",
       R"({"method":"Arith.Multiply","params":[{"A":7,"B":8}],"id":0})"
       "\n",
       R"({"id":0,"result":56,"error":null})"
       "\n"},
      {"StringId",
       R"({"method":"Arith.Multiply","params":[{"A":7,"B":8}],"id":"abc"})",
       R"({"id":"abc","result":56,"error":null})"
       "\n"},
      {"StructuredIdCompacted",
       R"({"method":"Arith.Multiply","params":[{"A":1,"B":2}],"id":{"x": [1, 2.50]}})",
       R"({"id":{"x":[1,2.50]},"result":2,"error":null})"
       "\n"},
      {"IdHtmlEscaped",
       R"({"method":"Arith.Multiply","params":[{"A":1,"B":2}],"id":"<&>\u00e9"})",
       R"({"id":"\u003c\u0026\u003e\u00e9","result":2,"error":null})"
       "\n"},
      {"HugeNumericId",
       R"({"method":"Arith.Multiply","params":[{"A":1,"B":2}],"id":123456789012345678901234567890})",
       R"({"id":123456789012345678901234567890,"result":2,"error":null})"
       "\n"},
      {"NullIdAnswered",
       R"({"method":"Arith.Multiply","params":[{"A":2,"B":3}],"id":null})",
       R"({"id":null,"result":6,"error":null})"
       "\n"},
      {"MissingIdAnswered",
       R"({"method":"Arith.Multiply","params":[{"A":2,"B":3}]})",
       R"({"id":null,"result":6,"error":null})"
       "\n"},
      {"MethodError",
       R"({"method":"Arith.Divide","params":[{"A":1,"B":0}],"id":1})",
       R"({"id":1,"result":null,"error":"divide by zero"})"
       "\n"},
      {"StructResult",
       R"({"method":"Arith.Divide","params":[{"A":17,"B":5}],"id":2})",
       R"({"id":2,"result":{"Quo":3,"Rem":2},"error":null})"
       "\n"},
      {"EmptyErrorIsSuccess",
       R"({"method":"Arith.EmptyErr","params":[1],"id":3})",
       R"({"id":3,"result":5,"error":null})"
       "\n"},
      {"ParamsMissing", R"({"method":"Arith.Multiply","id":4})",
       R"({"id":4,"result":null,"error":"jsonrpc: request body missing params"})"
       "\n"},
      {"ParamsNull", R"({"method":"Arith.Multiply","params":null,"id":5})",
       R"({"id":5,"result":null,"error":"jsonrpc: request body missing params"})"
       "\n"},
      {"ParamsEmpty", R"({"method":"Arith.Multiply","params":[],"id":6})",
       R"({"id":6,"result":0,"error":null})"
       "\n"},
      {"ParamsExtraIgnored",
       R"({"method":"Arith.Multiply","params":[{"A":2,"B":3},{"A":100}],"id":7})",
       R"({"id":7,"result":6,"error":null})"
       "\n"},
      {"ParamsObject",
       R"({"method":"Arith.Multiply","params":{"A":2,"B":3},"id":8})",
       R"({"id":8,"result":null,"error":"json: cannot unmarshal object into Go value of type [1]interface {}"})"
       "\n"},
      {"ParamsElementNull",
       R"({"method":"Arith.Multiply","params":[null],"id":9})",
       R"({"id":9,"result":0,"error":null})"
       "\n"},
      {"WrongFieldType",
       R"({"method":"Arith.Multiply","params":[{"A":"x","B":3}],"id":10})",
       R"({"id":10,"result":null,"error":"json: cannot unmarshal string into Go struct field Args.A of type int"})"
       "\n"},
      {"CaseInsensitiveKeys",
       R"({"method":"Arith.Multiply","params":[{"a":4,"b":5,"Z":1}],"id":11})",
       R"({"id":11,"result":20,"error":null})"
       "\n"},
      {"NonStructArgument", R"({"method":"Arith.Square","params":[9],"id":12})",
       R"({"id":12,"result":81,"error":null})"
       "\n"},
      {"NilSliceReply", R"({"method":"Arith.NilSlice","params":[0],"id":"n"})",
       R"({"id":"n","result":null,"error":null})"
       "\n"},
      {"BytesReplyBase64", R"({"method":"Arith.Bytes","params":[0],"id":"b"})",
       R"({"id":"b","result":"AQID","error":null})"
       "\n"},
      {"NaNReplyNothingSent",
       R"({"method":"Arith.NaN","params":[0],"id":"nan"})", ""},
      // Go drops the unencodable reply and keeps serving the connection.
      {"NaNReplyConnectionStaysOpen",
       R"({"method":"Arith.NaN","params":[0],"id":"nan"})"
       R"({"method":"Arith.Sleep","params":[100],"id":"a"})"
       R"({"method":"Arith.Sleep","params":[300],"id":"b"})",
       R"({"id":"a","result":100,"error":null})"
       "\n"
       R"({"id":"b","result":300,"error":null})"
       "\n",
       /*any_order=*/true},
      {"ErrorTextHtmlEscaped",
       R"({"method":"Arith.ErrHTML","params":[0],"id":"h"})",
       R"({"id":"h","result":null,"error":"a\u003cb\u003e\u0026c \u2028"})"
       "\n"},
      {"UnknownMethod", R"({"method":"Arith.Nope","params":[{}],"id":13})",
       R"({"id":13,"result":null,"error":"rpc: can't find method Arith.Nope"})"
       "\n"},
      {"UnknownService", R"({"method":"Nope.Nope","params":[{}],"id":14})",
       R"({"id":14,"result":null,"error":"rpc: can't find service Nope.Nope"})"
       "\n"},
      {"NoDot", R"({"method":"NoDot","params":[{}],"id":15})",
       R"({"id":15,"result":null,"error":"rpc: service/method request ill-formed: NoDot"})"
       "\n"},
      {"EmptyObject", "{}",
       R"({"id":null,"result":null,"error":"rpc: service/method request ill-formed: "})"
       "\n"},
      {"ExtraMembersIgnored",
       R"({"jsonrpc":"2.0","method":"Arith.Multiply","params":[{"A":1,"B":1}],"id":16})",
       R"({"id":16,"result":1,"error":null})"
       "\n"},
      {"OutOfOrderResponses",
       R"({"method":"Arith.Sleep","params":[200],"id":"slow"} {"method":"Arith.Sleep","params":[1],"id":"fast"})",
       R"({"id":"fast","result":1,"error":null})"
       "\n"
       R"({"id":"slow","result":200,"error":null})"
       "\n"},
      {"ConnectionUsableAfterMethodError",
       R"({"method":"Arith.Divide","params":[{"A":1,"B":0}],"id":1}{"method":"Arith.Multiply","params":[{"A":3,"B":3}],"id":2})",
       R"({"id":2,"result":9,"error":null})"
       "\n"
       R"({"id":1,"result":null,"error":"divide by zero"})"
       "\n",
       /*any_order=*/true},
      {"MalformedJson", "{id:1}", ""},
      {"WrongMemberType", R"({"method":5,"id":1})", ""},
      {"Truncated", R"({"method":"Arith.Multiply","par)", ""},
      {"GarbageAfterRequest",
       R"({"method":"Arith.Multiply","params":[{"A":2,"B":2}],"id":1} xyz)",
       R"({"id":1,"result":4,"error":null})"
       "\n"},
      {"BatchNotSupported",
       R"([{"method":"Arith.Multiply","params":[{"A":2,"B":2}],"id":1}])", ""},
  };
}

// Serving is one way of serving the test services.
class Serving {
 public:
  virtual ~Serving() = default;
  // Connect returns a new connection to the server.
  virtual absl::StatusOr<RawConn> Connect() = 0;
};

// AsyncServing serves with Accept on a loopback listener.
class AsyncServing final : public Serving {
 public:
  AsyncServing() {
    EXPECT_THAT(test::RegisterTestServices(server_), IsOk());
    absl::StatusOr<std::unique_ptr<Listener>> l = Listen("tcp", "127.0.0.1:0");
    EXPECT_THAT(l, IsOk());
    listener_ = std::move(*l);
    thread_ = std::thread([this] { Accept(server_, *listener_); });
  }
  ~AsyncServing() override {
    listener_->Close();
    thread_.join();
  }
  absl::StatusOr<RawConn> Connect() override {
    return RawConn::Dial(listener_->Addr());
  }

 private:
  Server server_;
  std::unique_ptr<Listener> listener_;
  std::thread thread_;
};

// BlockingServing serves each connection, one end of a socketpair, with
// ServeCodec on a thread of its own.
class BlockingServing final : public Serving {
 public:
  BlockingServing() {
    EXPECT_THAT(test::RegisterTestServices(server_), IsOk());
  }
  ~BlockingServing() override {
    for (std::thread& t : threads_) t.join();
  }
  absl::StatusOr<RawConn> Connect() override {
    absl::StatusOr<std::pair<RawConn, RawConn>> pair = RawConn::Pair();
    if (!pair.ok()) return pair.status();
    auto conn = std::make_unique<TcpConn>(pair->second.Release());
    threads_.emplace_back([this, conn = std::move(conn)]() mutable {
      server_.ServeCodec(NewServerCodec(std::move(conn)));
    });
    return std::move(pair->first);
  }

 private:
  Server server_;
  std::vector<std::thread> threads_;
};

class ServerTest : public ::testing::TestWithParam<Case> {
 protected:
  static void SetUpTestSuite() {
    async_ = new AsyncServing;
    blocking_ = new BlockingServing;
  }
  static void TearDownTestSuite() {
    delete async_;
    delete blocking_;
  }

  static void Check(Serving& serving) {
    const Case& c = GetParam();
    absl::StatusOr<RawConn> conn = serving.Connect();
    ASSERT_THAT(conn, IsOk());
    ASSERT_THAT(conn->Write(c.request), IsOk());
    conn->CloseWrite();
    absl::StatusOr<std::string> got = conn->ReadAll(kTimeout);
    ASSERT_THAT(got, IsOk());
    if (c.any_order) {
      EXPECT_THAT(absl::StrSplit(*got, '\n'),
                  ::testing::UnorderedElementsAreArray(
                      absl::StrSplit(c.response, '\n')));
    } else {
      EXPECT_EQ(*got, c.response);
    }
  }

  static Serving* async_;
  static Serving* blocking_;
};

Serving* ServerTest::async_ = nullptr;
Serving* ServerTest::blocking_ = nullptr;

TEST_P(ServerTest, AsyncServerAnswersAsGo) { Check(*async_); }
TEST_P(ServerTest, BlockingServerAnswersAsGo) { Check(*blocking_); }

INSTANTIATE_TEST_SUITE_P(Spec46, ServerTest, ::testing::ValuesIn(Cases()),
                         [](const auto& info) { return info.param.name; });

}  // namespace
}  // namespace netrpc::jsonrpc
