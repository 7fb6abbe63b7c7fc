// Copyright netrpc-gateway authors. Licensed under the BSD-style licence of Go.
//
// Differential tests against Go 1.19's net/rpc/jsonrpc:
// - the same request bytes go to Go's server (go/jsonpeer `serve`) and to
//   ours, serving the same services; the response bytes must be the same
//   (responses to several requests may come in any order);
// - the same response bytes go to Go's client (jsonpeer `rawclient`) and to
//   ours, from a fake server; what the calls return must be the same.
// The cases are the SPEC's captures (§4.5, §4.6) and more of the same kind.

#include <memory>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

#include "netrpc/client.h"
#include "netrpc/errors.h"
#include "netrpc/jsonrpc/client_codec.h"
#include "netrpc/jsonrpc/server_codec.h"
#include "netrpc/jsonrpc/test_services.h"
#include "netrpc/jsonrpc/test_util.h"
#include "netrpc/listener.h"
#include "netrpc/server.h"
#include "netrpc/testing/readiness.h"
#include "netrpc/testing/runfiles.h"
#include "netrpc/testing/status_matchers.h"
#include "netrpc/testing/subprocess.h"

namespace {

using ::netrpc::jsonrpc::test::Args;
using ::netrpc::jsonrpc::test::RawConn;
using ::netrpc::jsonrpc::test::RawListener;
using ::netrpc::testing::IsOk;

constexpr absl::Duration kTimeout = absl::Seconds(30);

std::string Peer() {
  absl::StatusOr<std::string> peer =
      netrpc::testing::Runfile("tests/jsonrpc/jsonpeer");
  EXPECT_THAT(peer, IsOk());
  return peer.ok() ? *peer : "";
}

// Exchange sends `request` on a new connection to `addr`, half-closes, and
// returns the lines the server writes until it closes.
std::vector<std::string> Exchange(const std::string& addr,
                                  const std::string& request) {
  absl::StatusOr<RawConn> conn = RawConn::Dial(addr);
  EXPECT_THAT(conn, IsOk());
  if (!conn.ok()) return {};
  EXPECT_THAT(conn->Write(request), IsOk());
  conn->CloseWrite();
  absl::StatusOr<std::string> got = conn->ReadAll(kTimeout);
  EXPECT_THAT(got, IsOk());
  return absl::StrSplit(got.ok() ? *got : "", '\n');
}

std::vector<std::string> Requests() {
  std::vector<std::string> r = {
      // §4.6, as captured.
      R"({"method":"Arith.Multiply","params":[{"A":7,"B":8}],"id":0})"
      "\n",
      R"({"method":"Arith.Multiply","params":[{"A":7,"B":8}],"id":"abc"})",
      R"({"method":"Arith.Multiply","params":[{"A":1,"B":2}],"id":{"x": [1, 2.50]}})",
      R"({"method":"Arith.Multiply","params":[{"A":1,"B":2}],"id":"<&>\u00e9"})",
      R"({"method":"Arith.Multiply","params":[{"A":1,"B":2}],"id":123456789012345678901234567890})",
      R"({"method":"Arith.Multiply","params":[{"A":2,"B":3}],"id":null})",
      R"({"method":"Arith.Multiply","params":[{"A":2,"B":3}]})",
      R"({"method":"Arith.Divide","params":[{"A":1,"B":0}],"id":1})",
      R"({"method":"Arith.Divide","params":[{"A":17,"B":5}],"id":2})",
      R"({"method":"Arith.EmptyErr","params":[1],"id":3})",
      R"({"method":"Arith.Multiply","id":4})",
      R"({"method":"Arith.Multiply","params":null,"id":5})",
      R"({"method":"Arith.Multiply","params":[],"id":6})",
      R"({"method":"Arith.Multiply","params":[{"A":2,"B":3},{"A":100}],"id":7})",
      R"({"method":"Arith.Multiply","params":{"A":2,"B":3},"id":8})",
      R"({"method":"Arith.Multiply","params":[null],"id":9})",
      R"({"method":"Arith.Multiply","params":[{"A":"x","B":3}],"id":10})",
      R"({"method":"Arith.Multiply","params":[{"a":4,"b":5,"Z":1}],"id":11})",
      R"({"method":"Arith.Square","params":[9],"id":12})",
      R"({"method":"Arith.NilSlice","params":[0],"id":"n"})",
      R"({"method":"Arith.Bytes","params":[0],"id":"b"})",
      R"({"method":"Arith.NaN","params":[0],"id":"nan"})",
      R"({"method":"Arith.ErrHTML","params":[0],"id":"h"})",
      R"({"method":"Arith.Nope","params":[{}],"id":13})",
      R"({"method":"Nope.Nope","params":[{}],"id":14})",
      R"({"method":"NoDot","params":[{}],"id":15})",
      "{}",
      R"({"jsonrpc":"2.0","method":"Arith.Multiply","params":[{"A":1,"B":1}],"id":16})",
      R"({"method":"Arith.Sleep","params":[200],"id":"slow"} {"method":"Arith.Sleep","params":[1],"id":"fast"})",
      R"({"method":"Arith.Divide","params":[{"A":1,"B":0}],"id":1}{"method":"Arith.Multiply","params":[{"A":3,"B":3}],"id":2})",
      "{id:1}",
      R"({"method":5,"id":1})",
      R"({"method":"Arith.Multiply","par)",
      R"({"method":"Arith.Multiply","params":[{"A":2,"B":2}],"id":1} xyz)",
      R"([{"method":"Arith.Multiply","params":[{"A":2,"B":2}],"id":1}])",
      // More of the same kind.
      "null",
      "5",
      R"("x")",
      "[]",
      "   \n\t ",
      R"({"Method":"Arith.Multiply","PARAMS":[{"a":1,"b":2}],"ID":7})",
      R"({"method":"Arith.Multiply","params":[{"A":1,"B":2}],"id": [ 1 , {"a" : "<"} , "\u2028" ] })",
      "{\"method\":\"Arith.Multiply\",\"params\":[{\"A\":1,\"B\":2}],"
      "\"id\":\"\xe2\x80\xa8\xe2\x80\xa9\"}",
      "{\"method\":\"Arith.Multiply\",\"params\":[{\"A\":1,\"B\":2}],"
      "\"id\":\"\xff\xfe\"}",
      R"({"method":"Arith.Multiply","params":[{"A":1,"B":2}],"id":1.0e2})",
      R"({"method":"Arith.Multiply","params":[{"A":1,"B":2}],"id":-0})",
      R"({"method":"Arith.Multiply","params":[{"A":1,"B":2}],"id":true})",
      R"({"method":"Nope.X","method":"Arith.Multiply","params":[{"A":2,"B":2}],"params":null,"id":1})",
      R"({"method":"Arith.Multiply","params":[5],"id":1})",
      R"({"method":"Arith.Multiply","params":"x","id":1})",
      R"({"method":"Arith.Multiply","params":true,"id":1})",
      R"({"method":"Arith.Multiply","params":1,"id":1})",
      R"({"method":null,"params":[{"A":1,"B":1}],"id":1})",
      R"({"method":"","id":2})",
      R"({"method":"Arith.Nope","id":2})",
      R"({"method":"Arith.Multiply","params":[{"A":1e400}],"id":1})",
      R"({"method":"Arith.Multiply","params":[{"A":1.5}],"id":1})",
      R"({"method":"Arith.Square","params":["9"],"id":1})",
      R"({"method":"BuiltinTypes.Map","params":[3],"id":1})",
      R"({"method":"BuiltinTypes.Slice","params":[3],"id":1})",
      R"({"method":"BuiltinTypes.Array","params":[3],"id":1})",
      "{}{}",
      R"({"method":"Arith.Multiply","params":[{"A":2,"B":3}],"id":1})"
      "\n\n  \t"
      R"({"method":"Arith.Add","params":[{"A":2,"B":3}],"id":2})",
      R"({"method":"Arith.Multiply","params":[{"A":2,"B":3}],"id":1} 5)",
      R"({"method":"Arith.Multiply","params":[{"A":2,"B":3}],"id":1} null)",
      R"({"method":"Arith.Add","params":[{"A":2,"B":3}],"id":"\ud800\u0000\"\\\/\b\f\n\r\t"})",
      R"({"method":"Arith.Add","params":[{"A":2}],"id":1,"params":[{"B":3}]})",
      R"({"method":"Arith.Divide","params":[{"A":-7,"B":2}],"id":1})",
  };
  // Nesting: an id 3000 deep is echoed, params 10001 deep end the
  // connection.
  r.push_back(absl::StrCat(
      R"({"method":"Arith.Multiply","params":[{"A":1,"B":2}],"id":)",
      std::string(3000, '['), std::string(3000, ']'), "}"));
  r.push_back(absl::StrCat(R"({"method":"Arith.Multiply","params":)",
                           std::string(10001, '['), std::string(10001, ']'),
                           R"(,"id":1})"));
  return r;
}

TEST(DifferentialTest, ServersAnswerTheSameBytes) {
  netrpc::testing::SubprocessOptions options;
  options.argv = {Peer(), "serve"};
  absl::StatusOr<std::unique_ptr<netrpc::testing::Subprocess>> go =
      netrpc::testing::Subprocess::Start(options);
  ASSERT_THAT(go, IsOk());
  absl::StatusOr<netrpc::testing::HostPort> go_addr =
      netrpc::testing::WaitForListenAddress(**go, "listening jsonrpc ",
                                            absl::Seconds(30));
  ASSERT_THAT(go_addr, IsOk());

  netrpc::Server server;
  ASSERT_THAT(netrpc::jsonrpc::test::RegisterTestServices(server), IsOk());
  absl::StatusOr<std::unique_ptr<netrpc::Listener>> listener =
      netrpc::Listen("tcp", "127.0.0.1:0");
  ASSERT_THAT(listener, IsOk());
  std::thread serve([&] { netrpc::jsonrpc::Accept(server, **listener); });

  for (const std::string& request : Requests()) {
    std::vector<std::string> want = Exchange(go_addr->ToString(), request);
    std::vector<std::string> got = Exchange((*listener)->Addr(), request);
    EXPECT_THAT(got, ::testing::UnorderedElementsAreArray(want))
        << "request: " << request.substr(0, 200);
  }
  (*listener)->Close();
  serve.join();
}

// FakeServer answers the first request on one connection with raw bytes
// (then closes, if `close`), and later ones with a result of 1.
class FakeServer {
 public:
  FakeServer(std::string response, bool close)
      : listener_(Listen()),
        thread_([this, response = std::move(response), close] {
          Serve(response, close);
        }) {}
  ~FakeServer() { thread_.join(); }

  const std::string& Addr() const { return listener_.Addr(); }

 private:
  static RawListener Listen() {
    absl::StatusOr<RawListener> l = RawListener::Listen();
    EXPECT_THAT(l, IsOk());
    return std::move(*l);
  }

  void Serve(const std::string& response, bool close) {
    absl::StatusOr<RawConn> conn = listener_.Accept(kTimeout);
    if (!conn.ok()) return;
    if (!conn->ReadLine(kTimeout).ok() || !conn->Write(response).ok() ||
        close) {
      return;
    }
    for (;;) {
      absl::StatusOr<std::string> line = conn->ReadLine(kTimeout);
      if (!line.ok()) return;
      size_t at = line->rfind("\"id\":");
      std::string id = line->substr(at + 5, line->size() - at - 7);
      if (!conn->Write(absl::StrCat(R"({"id":)", id,
                                    R"(,"result":1,"error":null})", "\n"))
               .ok()) {
        return;
      }
    }
  }

  RawListener listener_;
  std::thread thread_;
};

// Esc is jsonpeer's esc.
std::string Esc(absl::string_view s) {
  std::string out;
  for (char c : s) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '\t') {
      out += "\\t";
    } else if (c == '\r') {
      out += "\\r";
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out.push_back(c);
    }
  }
  return out;
}

std::string ErrStr(const absl::Status& s) {
  return s.ok() ? "<nil>" : Esc(s.message());
}

// OurOutcome makes jsonpeer rawclient's two calls with our client.
std::string OurOutcome(const std::string& addr) {
  absl::StatusOr<std::unique_ptr<netrpc::Client>> client =
      netrpc::jsonrpc::Dial("tcp", addr);
  EXPECT_THAT(client, IsOk());
  if (!client.ok()) return "";
  int64_t r = 0, r2 = 0;
  absl::Status err = (*client)->Call("Arith.Multiply", Args{7, 8}, &r);
  absl::Status err2 = (*client)->Call("Arith.Multiply", Args{1, 1}, &r2);
  // Join the reader thread before the statuses it shared go away here:
  // Debian's Abseil is not built for TSan, which cannot see absl::Status's
  // reference count and would report its last release as a race.
  client->reset();
  return absl::StrFormat(
      "first: reply=%d err=%s server=%s | next: err=%s", r, ErrStr(err),
      netrpc::IsServerError(err) ? "true" : "false", ErrStr(err2));
}

// Normalize hides a race that Go's client has, and ours has too: after a
// reply fails to decode ("reading body <err>"), the reader completes that
// call before it marks the client shut down, so a call made at once may
// still be sent and then fail with <err> instead of ErrShutdown.
std::string Normalize(std::string outcome) {
  const std::string prefix = "err=reading body ";
  size_t at = outcome.find(prefix);
  size_t bar = outcome.find(" server=");
  if (at == std::string::npos || bar == std::string::npos) return outcome;
  std::string err =
      outcome.substr(at + prefix.size(), bar - at - prefix.size());
  std::string next = absl::StrCat("next: err=", err);
  if (absl::EndsWith(outcome, next)) {
    outcome.replace(outcome.size() - next.size(), next.size(),
                    "next: err=connection is shut down");
  }
  return outcome;
}

std::string GoOutcome(const std::string& addr) {
  netrpc::testing::SubprocessOptions options;
  options.argv = {Peer(), "rawclient", addr};
  absl::StatusOr<netrpc::testing::RunResult> run =
      netrpc::testing::RunCommand(options, kTimeout);
  EXPECT_THAT(run, IsOk());
  if (!run.ok()) return "";
  EXPECT_THAT(run->ToStatus(), IsOk());
  return std::string(absl::StripSuffix(run->out, "\n"));
}

TEST(DifferentialTest, ClientsSeeTheSameOutcome) {
  struct Case {
    std::string response;
    bool close = false;
  };
  const std::vector<Case> cases = {
      // §4.5, as captured.
      {R"({"id":0,"result":56,"error":null})"
       "\n"},
      {R"({"id":0,"result":56})"},
      {R"({"id":0,"result":null,"error":"boom"})"},
      {R"({"id":0,"result":56,"error":"boom"})"},
      {R"({"id":0,"result":null,"error":""})"},
      {R"({"id":0,"result":null,"error":null})"},
      {R"({"id":0})"},
      {R"({"id":0,"result":null,"error":{"code":1,"message":"x"}})"},
      {R"({"id":"0","result":56,"error":null})"},
      {R"({"id":0,"result":"str","error":null})"},
      {R"({"id":99,"result":1,"error":null}{"id":0,"result":56,"error":null})"},
      // More of the same kind.
      // A bare literal ends at the next byte, so a newline follows.
      {"null\n"},
      {"[1]"},
      {"5\n"},
      {R"("x")"
       "\n"},
      {R"({"id":-1,"result":1})"},
      {R"({"id":1.0,"result":1})"},
      {R"({"id":18446744073709551616})"},
      {R"({"id":null,"result":56})"},
      {R"({"id":0,"error":[1,"a",{"b":null,"a":[]}]})"},
      {R"({"id":0,"error":1e21})"},
      {R"({"id":0,"error":123456.5})"},
      {R"({"id":0,"error":true})"},
      {R"({"id":0,"error":1e400})"},
      {R"({"id":0,"error":{"z":1,"a":{"y":0.000001,"x":1e-7}}})"},
      {R"({"ID":0,"RESULT":56})"},
      {R"({"Id":0,"result":56,"error":null,"result":null})"},
      {R"({"id":0,"result":56.5})"},
      {R"({"id":0,"result":[1]})"},
      {R"({"id":0,"result":9223372036854775808})"},
      {R"({"id":0,"result":null,"error":"a\u0000b\n\"c\"\ud800"})"},
      {"{id:0}"},
      {R"({"id":0,"result":56)", /*close=*/true},
      {"", /*close=*/true},
  };
  for (const Case& c : cases) {
    std::string go, ours;
    {
      FakeServer server(c.response, c.close);
      go = GoOutcome(server.Addr());
    }
    {
      FakeServer server(c.response, c.close);
      ours = OurOutcome(server.Addr());
    }
    EXPECT_EQ(Normalize(ours), Normalize(go)) << "response: " << c.response;
  }
}

}  // namespace
