// Copyright netrpc-gateway authors. Licensed under the BSD-style licence of
// Go.
//
// ServeAny: the first-bytes classifier, and four protocols on one port with
// our own clients (tests/netrpc/any_interop_test runs Go's).

#include "netrpc/any.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <memory>
#include <string>
#include <thread>
#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/time/clock.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "netrpc/client.h"
#include "netrpc/http.h"
#include "netrpc/jsonrpc/client_codec.h"
#include "netrpc/listener.h"
#include "netrpc/log.h"
#include "netrpc/server.h"
#include "netrpc/service.h"
#include "netrpc/sync.h"
#include "netrpc/test_types.h"
#include "netrpc/testing/status_matchers.h"

namespace netrpc {
namespace {

using ::netrpc::test_types::Args;
using ::netrpc::test_types::Reply;
using ::netrpc::testing::IsOk;
using ::testing::HasSubstr;

constexpr absl::string_view kPreface = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n";

TEST(SniffProtocolTest, Classifies) {
  EXPECT_EQ(SniffProtocol(""), AnyProtocol::kNeedMore);
  EXPECT_EQ(SniffProtocol("P"), AnyProtocol::kNeedMore);
  EXPECT_EQ(SniffProtocol("PRI * HTTP/2"), AnyProtocol::kNeedMore);
  EXPECT_EQ(SniffProtocol(kPreface), AnyProtocol::kGrpc);
  EXPECT_EQ(SniffProtocol(absl::StrCat(kPreface, "\x00\x00\x12\x04")),
            AnyProtocol::kGrpc);
  EXPECT_EQ(SniffProtocol("PO"), AnyProtocol::kNeedMore);
  EXPECT_EQ(SniffProtocol("POST"), AnyProtocol::kNeedMore);
  EXPECT_EQ(SniffProtocol("POST /"), AnyProtocol::kHttp);
  EXPECT_EQ(SniffProtocol("GET / HTTP/1.1\r\n"), AnyProtocol::kHttp);
  EXPECT_EQ(SniffProtocol("CONNECT /_goRPC_ HTTP/1.0\n\n"),
            AnyProtocol::kHttp);
  EXPECT_EQ(SniffProtocol("HEAD "), AnyProtocol::kHttp);
  EXPECT_EQ(SniffProtocol("{"), AnyProtocol::kJsonRpc);
  EXPECT_EQ(SniffProtocol(" \r\n\t{\"method\""), AnyProtocol::kJsonRpc);
  EXPECT_EQ(SniffProtocol("  "), AnyProtocol::kNeedMore);
  EXPECT_EQ(SniffProtocol(std::string(256, ' ')), AnyProtocol::kJsonRpc);
  // Gob: a Go client's first message, and anything else.
  EXPECT_EQ(SniffProtocol("\x2f\xff\x81\x03\x01\x01\x07Request"),
            AnyProtocol::kGob);
  EXPECT_EQ(SniffProtocol("GEX"), AnyProtocol::kGob);
  EXPECT_EQ(SniffProtocol("PRI * HTTP/1.1"), AnyProtocol::kGob);
  EXPECT_EQ(SniffProtocol("[1]"), AnyProtocol::kGob);
}

class Arith {
 public:
  absl::Status Mul(const Args& args, Reply* reply) {
    reply->C = args.A * args.B;
    const CallContext* call = CurrentCall();
    MutexLock lock(&mu_);
    protocol_ = call == nullptr ? "" : std::string(call->protocol);
    return absl::OkStatus();
  }
  std::string protocol() {
    MutexLock lock(&mu_);
    return protocol_;
  }

 private:
  Mutex mu_;
  std::string protocol_ ABSL_GUARDED_BY(mu_);
};

int RawConnect(const std::string& addr) {
  int port = 0;
  EXPECT_TRUE(absl::SimpleAtoi(addr.substr(addr.rfind(':') + 1), &port));
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in sa{};
  sa.sin_family = AF_INET;
  sa.sin_port = htons(static_cast<uint16_t>(port));
  sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  EXPECT_EQ(::connect(fd, reinterpret_cast<sockaddr*>(&sa), sizeof(sa)), 0);
  return fd;
}

// ReadAll reads until EOF, for at most `timeout`; false on timeout.
bool ReadToEOF(int fd, absl::Duration timeout, std::string* out) {
  absl::Time deadline = absl::Now() + timeout;
  char buf[4096];
  for (;;) {
    pollfd p{fd, POLLIN, 0};
    int ms = static_cast<int>(absl::ToInt64Milliseconds(deadline - absl::Now()));
    if (ms <= 0 || ::poll(&p, 1, ms) <= 0) return false;
    ssize_t n = ::read(fd, buf, sizeof(buf));
    if (n <= 0) return true;
    out->append(buf, static_cast<size_t>(n));
  }
}

// FdQueue hands fds from the grpc callback to the test.
class FdQueue {
 public:
  void Push(int fd) {
    MutexLock lock(&mu_);
    fds_.push_back(fd);
  }
  int Pop() {
    MutexLock lock(&mu_);
    mu_.Await([this]() ABSL_NO_THREAD_SAFETY_ANALYSIS { return !fds_.empty(); });
    int fd = fds_.front();
    fds_.erase(fds_.begin());
    return fd;
  }

 private:
  Mutex mu_;
  std::vector<int> fds_ ABSL_GUARDED_BY(mu_);
};

class ServeAnyTest : public ::testing::Test {
 protected:
  void SetUp() override {
    Service<Arith> s("Arith", &arith_);
    s.Method("Mul", &Arith::Mul);
    ASSERT_THAT(server_.Register(s), IsOk());
    ASSERT_THAT(server_.HandleHTTP(kDefaultRPCPath, kDefaultDebugPath, &mux_),
                IsOk());
    absl::StatusOr<std::unique_ptr<Listener>> l = Listen("tcp", "127.0.0.1:0");
    ASSERT_THAT(l, IsOk());
    listener_ = std::move(*l);
  }
  void Start(AnyOptions options) {
    thread_ = std::thread([this, options] { ServeAny(*listener_, options); });
  }
  void TearDown() override {
    listener_->Close();  // ServeAny returns
    if (thread_.joinable()) thread_.join();
  }
  AnyOptions All() {
    AnyOptions o;
    o.gob = &server_;
    o.jsonrpc = &server_;
    o.http = &mux_;
    o.grpc = [this](int fd) { grpc_fds_.Push(fd); };
    return o;
  }

  Arith arith_;
  Server server_;
  ServeMux mux_;
  std::unique_ptr<Listener> listener_;
  std::thread thread_;
  FdQueue grpc_fds_;
};

TEST_F(ServeAnyTest, GobHttpAndJsonRpcOnOnePort) {
  Start(All());
  std::string addr = listener_->Addr();
  Reply reply;

  absl::StatusOr<std::unique_ptr<Client>> gob = Dial("tcp", addr);
  ASSERT_THAT(gob, IsOk());
  ASSERT_THAT((*gob)->Call("Arith.Mul", Args{6, 7}, &reply), IsOk());
  EXPECT_EQ(reply.C, 42);
  EXPECT_EQ(arith_.protocol(), "netrpc");

  absl::StatusOr<std::unique_ptr<Client>> http = DialHTTP("tcp", addr);
  ASSERT_THAT(http, IsOk());
  ASSERT_THAT((*http)->Call("Arith.Mul", Args{2, 3}, &reply), IsOk());
  EXPECT_EQ(reply.C, 6);
  EXPECT_EQ(arith_.protocol(), "netrpc_http");

  absl::StatusOr<std::unique_ptr<Client>> json = jsonrpc::Dial("tcp", addr);
  ASSERT_THAT(json, IsOk());
  ASSERT_THAT((*json)->Call("Arith.Mul", Args{5, 5}, &reply), IsOk());
  EXPECT_EQ(reply.C, 25);
  EXPECT_EQ(arith_.protocol(), "jsonrpc");

  // The debug page, over plain HTTP.
  int fd = RawConnect(addr);
  std::string get = "GET /debug/rpc HTTP/1.0\r\n\r\n";
  ASSERT_EQ(::write(fd, get.data(), get.size()),
            static_cast<ssize_t>(get.size()));
  std::string page;
  ASSERT_TRUE(ReadToEOF(fd, absl::Seconds(10), &page));
  ::close(fd);
  EXPECT_THAT(page, HasSubstr("HTTP/1.0 200 OK"));
  EXPECT_THAT(page, HasSubstr("Arith"));
}

TEST_F(ServeAnyTest, GrpcGetsTheFdWithThePrefaceUnread) {
  Start(All());
  int fd = RawConnect(listener_->Addr());
  // The preface in two pieces, the first a prefix that "POST " shares.
  std::string first(kPreface.substr(0, 1));
  std::string rest = absl::StrCat(kPreface.substr(1), "after");
  ASSERT_EQ(::write(fd, first.data(), first.size()), 1);
  ASSERT_EQ(::write(fd, rest.data(), rest.size()),
            static_cast<ssize_t>(rest.size()));
  int handed = grpc_fds_.Pop();
  std::string got;
  while (got.size() < kPreface.size() + 5) {
    pollfd p{handed, POLLIN, 0};
    ASSERT_GT(::poll(&p, 1, 10000), 0);
    char buf[64];
    ssize_t n = ::read(handed, buf, sizeof(buf));
    ASSERT_GT(n, 0);
    got.append(buf, static_cast<size_t>(n));
  }
  EXPECT_EQ(got, absl::StrCat(kPreface, "after"));
  EXPECT_TRUE(::fcntl(handed, F_GETFL, 0) & O_NONBLOCK);
  // The fd is ours: it talks to the client.
  ASSERT_EQ(::write(handed, "ok", 2), 2);
  char buf[2];
  ASSERT_EQ(::read(fd, buf, 2), 2);
  EXPECT_EQ(std::string(buf, 2), "ok");
  ::close(handed);
  ::close(fd);
}

TEST_F(ServeAnyTest, SilentClientIsClosedAfterTheTimeout) {
  std::vector<std::string> lines;
  Mutex mu;
  SetLogFunction([&](absl::string_view line) {
    MutexLock lock(&mu);
    lines.emplace_back(line);
  });
  AnyOptions o = All();
  o.first_bytes_timeout = absl::Milliseconds(200);
  Start(o);
  int fd = RawConnect(listener_->Addr());
  std::string got;
  absl::Time start = absl::Now();
  EXPECT_TRUE(ReadToEOF(fd, absl::Seconds(20), &got));
  EXPECT_GE(absl::Now() - start, absl::Milliseconds(150));
  EXPECT_EQ(got, "");
  ::close(fd);
  // A partial token also times out.
  fd = RawConnect(listener_->Addr());
  ASSERT_EQ(::write(fd, "PO", 2), 2);
  EXPECT_TRUE(ReadToEOF(fd, absl::Seconds(20), &got));
  ::close(fd);
  SetLogFunction(nullptr);
  MutexLock lock(&mu);
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_THAT(lines[0], HasSubstr("rpc.ServeAny: closing connection from "
                                  "127.0.0.1:"));
  EXPECT_THAT(lines[0], HasSubstr("no protocol recognised within 200ms"));
}

TEST_F(ServeAnyTest, MissingHandlersCloseWithALogLine) {
  std::vector<std::string> lines;
  Mutex mu;
  SetLogFunction([&](absl::string_view line) {
    MutexLock lock(&mu);
    lines.emplace_back(line);
  });
  AnyOptions o;
  o.gob = &server_;  // only gob
  Start(o);
  std::string addr = listener_->Addr();
  for (absl::string_view hello :
       {absl::string_view("{\"method\":\"Arith.Mul\"}"),
        absl::string_view("GET / HTTP/1.0\r\n\r\n"), kPreface}) {
    int fd = RawConnect(addr);
    ASSERT_EQ(::write(fd, hello.data(), hello.size()),
              static_cast<ssize_t>(hello.size()));
    std::string got;
    EXPECT_TRUE(ReadToEOF(fd, absl::Seconds(20), &got));
    EXPECT_EQ(got, "");
    ::close(fd);
  }
  // Gob still works.
  absl::StatusOr<std::unique_ptr<Client>> gob = Dial("tcp", addr);
  ASSERT_THAT(gob, IsOk());
  Reply reply;
  ASSERT_THAT((*gob)->Call("Arith.Mul", Args{6, 7}, &reply), IsOk());
  SetLogFunction(nullptr);
  MutexLock lock(&mu);
  ASSERT_EQ(lines.size(), 3u);
  EXPECT_THAT(lines[0], HasSubstr("no jsonrpc server (AnyOptions::jsonrpc)"));
  EXPECT_THAT(lines[1], HasSubstr("no HTTP handler (AnyOptions::http)"));
  EXPECT_THAT(lines[2], HasSubstr("no gRPC handler (AnyOptions::grpc)"));
}

TEST_F(ServeAnyTest, ServeAnyConnServesAnAcceptedFd) {
  // No ServeAny on the listener: a plain accept, then ServeAnyConn.
  int lfd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in sa{};
  sa.sin_family = AF_INET;
  sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(::bind(lfd, reinterpret_cast<sockaddr*>(&sa), sizeof(sa)), 0);
  ASSERT_EQ(::listen(lfd, 4), 0);
  socklen_t len = sizeof(sa);
  ::getsockname(lfd, reinterpret_cast<sockaddr*>(&sa), &len);
  std::string addr = absl::StrCat("127.0.0.1:", ntohs(sa.sin_port));
  std::thread accept([&] {
    int fd = ::accept(lfd, nullptr, nullptr);
    ServeAnyConn(fd, All());
  });
  absl::StatusOr<std::unique_ptr<Client>> json = jsonrpc::Dial("tcp", addr);
  ASSERT_THAT(json, IsOk());
  Reply reply;
  ASSERT_THAT((*json)->Call("Arith.Mul", Args{3, 3}, &reply), IsOk());
  EXPECT_EQ(reply.C, 9);
  accept.join();
  ::close(lfd);
}

TEST_F(ServeAnyTest, ServeConnAsSkipsSniffing) {
  // jsonrpc bytes served as gob: to gob they are a truncated message, so
  // no reply, and the connection closes at the client's EOF.
  int fds[2];
  ASSERT_EQ(::socketpair(AF_UNIX, SOCK_STREAM, 0, fds), 0);
  ServeConnAs(fds[0], AnyProtocol::kGob, All());
  std::string hello = "{\"method\":\"Arith.Mul\",\"params\":[{}],\"id\":1}";
  ASSERT_EQ(::write(fds[1], hello.data(), hello.size()),
            static_cast<ssize_t>(hello.size()));
  ::shutdown(fds[1], SHUT_WR);
  std::string got;
  EXPECT_TRUE(ReadToEOF(fds[1], absl::Seconds(20), &got));
  EXPECT_EQ(got, "");
  ::close(fds[1]);
  // The same bytes served as jsonrpc get their answer.
  ASSERT_EQ(::socketpair(AF_UNIX, SOCK_STREAM, 0, fds), 0);
  ServeConnAs(fds[0], AnyProtocol::kJsonRpc, All());
  ASSERT_EQ(::write(fds[1], hello.data(), hello.size()),
            static_cast<ssize_t>(hello.size()));
  ::shutdown(fds[1], SHUT_WR);
  got.clear();
  EXPECT_TRUE(ReadToEOF(fds[1], absl::Seconds(20), &got));
  EXPECT_EQ(got, "{\"id\":1,\"result\":{\"C\":0},\"error\":null}\n");
  ::close(fds[1]);
}

TEST_F(ServeAnyTest, ClosingTheListenerEndsServeAny) {
  Start(All());
  listener_->Close();
  thread_.join();  // would hang if ServeAny did not return
  SUCCEED();
}

}  // namespace
}  // namespace netrpc
