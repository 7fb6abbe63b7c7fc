// Copyright netrpc-gateway authors. Licensed under the BSD-style licence of
// Go.
//
// HTTP CONNECT and the HTTP front end, in process: Go's exact bytes for the
// hijack, 405, 404 and the debug page (wire/SPEC.md §3), DialHTTPPath and its
// errors, ServeMux registration.

#include "netrpc/http.h"

#include <memory>
#include <string>
#include <thread>

#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "netrpc/client.h"
#include "netrpc/conn.h"
#include "netrpc/debug_page.h"
#include "netrpc/errors.h"
#include "netrpc/server.h"
#include "netrpc/service.h"
#include "netrpc/test_types.h"
#include "netrpc/testing/status_matchers.h"

namespace netrpc {
namespace {

using ::netrpc::testing::IsOk;
using ::netrpc::testing::StatusIs;
using ::testing::EndsWith;
using ::testing::StartsWith;
using test_types::Args;

class Arith {
 public:
  absl::Status Multiply(const Args& a, int64_t* reply) {
    *reply = a.A * a.B;
    return absl::OkStatus();
  }
};

class HttpTest : public ::testing::Test {
 protected:
  void SetUp() override {
    Service<Arith> service("Arith", &arith_);
    service.Method("Multiply", &Arith::Multiply);
    ASSERT_THAT(server_.Register(service), IsOk());
    ASSERT_THAT(server_.HandleHTTP("/foo", "/bar", &mux_), IsOk());
    absl::StatusOr<std::unique_ptr<Listener>> l = Listen("tcp", "127.0.0.1:0");
    ASSERT_THAT(l, IsOk());
    listener_ = std::move(*l);
    addr_ = listener_->Addr();
    serve_ = std::thread([this] { ServeHTTP(*listener_, &mux_); });
  }
  void TearDown() override {
    listener_->Close();
    serve_.join();
  }

  // Exchange sends `request` on a new connection and reads until the server
  // closes it, or `n` bytes if n > 0.
  std::string Exchange(absl::string_view request, size_t n = 0) {
    absl::StatusOr<std::unique_ptr<Conn>> conn = DialTCP(addr_);
    EXPECT_THAT(conn, IsOk());
    if (!conn.ok()) return "";
    EXPECT_THAT((*conn)->Write(request), IsOk());
    std::string got;
    char buf[4096];
    while (n == 0 || got.size() < n) {
      absl::StatusOr<size_t> r = (*conn)->Read(buf, sizeof(buf));
      if (!r.ok()) break;
      got.append(buf, *r);
    }
    return got;
  }

  Arith arith_;
  Server server_;
  ServeMux mux_;
  std::unique_ptr<Listener> listener_;
  std::string addr_;
  std::thread serve_;
};

TEST_F(HttpTest, ConnectGetsGosExactLine) {
  EXPECT_EQ(Exchange("CONNECT /foo HTTP/1.0\n\n", 34),
            "HTTP/1.0 200 Connected to Go RPC\n\n");
  // HTTP/1.1, CRLF, a Host header: the same 34 bytes.
  EXPECT_EQ(Exchange("CONNECT /foo HTTP/1.1\r\nHost: x\r\n\r\n", 34),
            "HTTP/1.0 200 Connected to Go RPC\n\n");
}

TEST_F(HttpTest, GetOnRpcPathIs405) {
  std::string got = Exchange("GET /foo HTTP/1.0\r\n\r\n");
  EXPECT_THAT(got, StartsWith("HTTP/1.0 405 Method Not Allowed\r\n"
                              "Content-Type: text/plain; charset=utf-8\r\n"
                              "Date: "));
  EXPECT_THAT(got, EndsWith(" GMT\r\nContent-Length: 17\r\n\r\n"
                            "405 must CONNECT\n"));
}

TEST_F(HttpTest, UnknownPathIs404) {
  std::string got = Exchange("CONNECT /nope HTTP/1.0\n\n");
  EXPECT_THAT(got, StartsWith("HTTP/1.0 404 Not Found\r\n"
                              "Content-Type: text/plain; charset=utf-8\r\n"
                              "X-Content-Type-Options: nosniff\r\n"
                              "Date: "));
  EXPECT_THAT(got, EndsWith("\r\nContent-Length: 19\r\n\r\n"
                            "404 page not found\n"));
}

TEST_F(HttpTest, DebugPath) {
  std::string got = Exchange("GET /bar HTTP/1.1\r\nHost: x\r\n\r\n");
  std::string page = DebugPage(server_);
  EXPECT_THAT(got, StartsWith("HTTP/1.1 200 OK\r\nDate: "));
  EXPECT_THAT(got, ::testing::HasSubstr(absl::StrCat(
                       "\r\nContent-Length: ", page.size(),
                       "\r\nContent-Type: text/html; charset=utf-8\r\n")));
  EXPECT_THAT(got, EndsWith("\r\n\r\n" + page));
}

TEST_F(HttpTest, MalformedRequestIs400) {
  EXPECT_THAT(Exchange("NONSENSE\r\n\r\n"), StartsWith("HTTP/1.1 400 "));
}

TEST_F(HttpTest, DialHTTPPathCalls) {
  absl::StatusOr<std::unique_ptr<Client>> client =
      DialHTTPPath("tcp", addr_, "/foo");
  ASSERT_THAT(client, IsOk());
  int64_t product = 0;
  ASSERT_THAT((*client)->Call("Arith.Multiply", Args{6, 7}, &product), IsOk());
  EXPECT_EQ(product, 42);
}

TEST_F(HttpTest, DialHTTPUnknownPathFailsAsGo) {
  EXPECT_THAT(DialHTTP("tcp", addr_).status(),
              StatusIs(absl::StatusCode::kUnavailable,
                       absl::StrCat("dial-http tcp ", addr_,
                                    ": unexpected HTTP response: 404 Not "
                                    "Found")));
}

TEST_F(HttpTest, GobBytesBehindConnectAreKept) {
  // Go drops bytes sent before the 200 line is read; we keep them. The
  // request here is Go's first Arith.Multiply call (rpc_session_tcp.hex).
  std::string gob = absl::HexStringToBytes(
      "2fff81030101075265717565737401ff820001020"
      "10d536572766963654d6574686f64010c000103536571010600000013ff82010e4172"
      "6974682e4d756c7469706c79001eff83030101044172677301ff84000102010141010"
      "4000101420104000000" "07ff84010e011000");
  std::string got = Exchange(absl::StrCat("CONNECT /foo HTTP/1.0\n\n", gob),
                             34 + 0x3a + 1 + 0x13 + 1 + 4);
  EXPECT_THAT(got, StartsWith("HTTP/1.0 200 Connected to Go RPC\n\n"));
  EXPECT_THAT(absl::BytesToHexString(got), EndsWith("03040070"));  // 56
}

TEST(ServeMuxTest, DuplicatePathFails) {
  Server server;
  ServeMux mux;
  ASSERT_THAT(server.HandleHTTP("/a", "/b", &mux), IsOk());
  EXPECT_THAT(server.HandleHTTP("/c", "/a", &mux),
              StatusIs(absl::StatusCode::kAlreadyExists,
                       "http: multiple registrations for /a"));
  ServeMux::Route route;
  EXPECT_FALSE(mux.Find("/c", &route));  // nothing of the failed call
}

}  // namespace
}  // namespace netrpc
