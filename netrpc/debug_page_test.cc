// Copyright netrpc-gateway authors. Licensed under the BSD-style licence of Go.
//
// The /debug/rpc page, byte for byte against a Go 1.19 server's
// (wire/vectors/http_exchanges.txt: services Arith and S, after 2 Divide,
// 4 Multiply and 1 Recv calls). Calls go through ServeConn over a
// socketpair, which also exercises the blocking codec path.

#include "netrpc/debug_page.h"

#include <sys/socket.h>
#include <unistd.h>

#include <memory>
#include <string>
#include <thread>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "netrpc/client.h"
#include "netrpc/errors.h"
#include "netrpc/server.h"
#include "netrpc/service.h"
#include "netrpc/testing/status_matchers.h"

namespace netrpc {
namespace {

using ::netrpc::testing::IsOk;

struct Args {
  int64_t A = 0;
  int64_t B = 0;
};
NETRPC_GOB_STRUCT_NAMED(Args, "main.Args", A, B);

struct Quotient {
  int64_t Quo = 0;
  int64_t Rem = 0;
};
NETRPC_GOB_STRUCT_NAMED(Quotient, "main.Quotient", Quo, Rem);

struct Empty {};
NETRPC_GOB_STRUCT_NAMED(Empty, "struct {}");

struct R {
  int64_t N = 0;
};
NETRPC_GOB_STRUCT_NAMED(R, "main.R", N);

class Arith {
 public:
  absl::Status Multiply(const Args& a, int64_t* reply) {
    *reply = a.A * a.B;
    return absl::OkStatus();
  }
  absl::Status Divide(const Args& a, Quotient* q) {
    if (a.B == 0) return absl::InvalidArgumentError("divide by zero");
    q->Quo = a.A / a.B;
    q->Rem = a.A % a.B;
    return absl::OkStatus();
  }
};

class S {
 public:
  absl::Status Recv(const Empty&, R* r) {
    r->N = 1;
    return absl::OkStatus();
  }
};

// FdConn is a Conn over one end of a socketpair: not a TcpConn, so
// ServeConn takes the blocking ServeCodec path.
class FdConn : public Conn {
 public:
  explicit FdConn(int fd) : fd_(fd) {}
  ~FdConn() override { ::close(fd_); }
  absl::StatusOr<size_t> Read(char* buf, size_t n) override {
    ssize_t got = ::read(fd_, buf, n);
    if (got > 0) return static_cast<size_t>(got);
    if (got == 0) return EOFError();
    return absl::UnavailableError("read failed");
  }
  absl::Status Write(absl::string_view data) override {
    while (!data.empty()) {
      ssize_t put = ::write(fd_, data.data(), data.size());
      if (put <= 0) return absl::UnavailableError("write failed");
      data.remove_prefix(static_cast<size_t>(put));
    }
    return absl::OkStatus();
  }
  absl::Status CloseWrite() override {
    ::shutdown(fd_, SHUT_WR);
    return absl::OkStatus();
  }
  absl::Status Close() override {
    ::shutdown(fd_, SHUT_RDWR);
    return absl::OkStatus();
  }
  std::string RemoteAddr() const override { return "pipe"; }

 private:
  int fd_;
};

constexpr absl::string_view kGoPage =
    "<html>\n"
    "\t<body>\n"
    "\t<title>Services</title>\n"
    "\t\n"
    "\t<hr>\n"
    "\tService Arith\n"
    "\t<hr>\n"
    "\t\t<table>\n"
    "\t\t<th align=center>Method</th><th align=center>Calls</th>\n"
    "\t\t\n"
    "\t\t\t<tr>\n"
    "\t\t\t<td align=left font=fixed>Divide(*main.Args, *main.Quotient) error</td>\n"
    "\t\t\t<td align=center>2</td>\n"
    "\t\t\t</tr>\n"
    "\t\t\n"
    "\t\t\t<tr>\n"
    "\t\t\t<td align=left font=fixed>Multiply(*main.Args, *int) error</td>\n"
    "\t\t\t<td align=center>4</td>\n"
    "\t\t\t</tr>\n"
    "\t\t\n"
    "\t\t</table>\n"
    "\t\n"
    "\t<hr>\n"
    "\tService S\n"
    "\t<hr>\n"
    "\t\t<table>\n"
    "\t\t<th align=center>Method</th><th align=center>Calls</th>\n"
    "\t\t\n"
    "\t\t\t<tr>\n"
    "\t\t\t<td align=left font=fixed>Recv(*struct {}, *main.R) error</td>\n"
    "\t\t\t<td align=center>1</td>\n"
    "\t\t\t</tr>\n"
    "\t\t\n"
    "\t\t</table>\n"
    "\t\n"
    "\t</body>\n"
    "\t</html>";

TEST(DebugPageTest, MatchesGoServerPage) {
  Arith arith;
  S s;
  Server server;
  Service<Arith> arith_service("Arith", &arith);
  arith_service.Method("Divide", &Arith::Divide)
      .Method("Multiply", &Arith::Multiply);
  Service<S> s_service("S", &s);
  s_service.Method("Recv", &S::Recv);
  ASSERT_THAT(server.Register(arith_service), IsOk());
  ASSERT_THAT(server.Register(s_service), IsOk());

  int fds[2];
  ASSERT_EQ(socketpair(AF_UNIX, SOCK_STREAM, 0, fds), 0);
  std::thread serve(
      [&] { server.ServeConn(std::make_unique<FdConn>(fds[0])); });
  {
    std::unique_ptr<Client> client =
        NewClient(std::make_unique<FdConn>(fds[1]));
    int64_t product = 0;
    for (int i = 0; i < 4; ++i) {
      ASSERT_THAT(client->Call("Arith.Multiply", Args{7, 8}, &product),
                  IsOk());
    }
    Quotient q;
    ASSERT_THAT(client->Call("Arith.Divide", Args{17, 5}, &q), IsOk());
    EXPECT_TRUE(IsServerError(client->Call("Arith.Divide", Args{1, 0}, &q)));
    // Unknown methods are not counted.
    EXPECT_TRUE(IsServerError(client->Call("Arith.Nope", Args{}, &q)));
    R r;
    ASSERT_THAT(client->Call("S.Recv", Empty{}, &r), IsOk());
    EXPECT_EQ(r.N, 1);
  }
  serve.join();  // the client hung up
  EXPECT_EQ(DebugPage(server), kGoPage);
}

TEST(DebugPageTest, EmptyServer) {
  Server server;
  EXPECT_EQ(DebugPage(server),
            "<html>\n\t<body>\n\t<title>Services</title>\n\t\n\t</body>\n\t</html>");
}

TEST(DebugPageTest, HTMLEscapeIsGos) {
  EXPECT_EQ(HTMLEscape("a<b>&\"'+c"), "a&lt;b&gt;&amp;&#34;&#39;&#43;c");
}

}  // namespace
}  // namespace netrpc
