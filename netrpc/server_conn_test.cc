// Copyright netrpc-gateway authors. Licensed under the BSD-style licence of
// Go.
//
// The server's asynchronous connections over real sockets: thousands of
// connections on a few threads, ServeConn of a TcpConn, Accept on a closed
// listener (wire/SPEC.md §5 item 29).

#include <dirent.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/escaping.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "netrpc/client.h"
#include "netrpc/conn.h"
#include "netrpc/listener.h"
#include "netrpc/server.h"
#include "netrpc/service.h"
#include "netrpc/test_types.h"
#include "netrpc/testing/status_matchers.h"

namespace netrpc {
namespace {

using ::netrpc::testing::IsOk;
using test_types::Args;

class Arith {
 public:
  absl::Status Multiply(const Args& a, int64_t* reply) {
    *reply = a.A * a.B;
    return absl::OkStatus();
  }
};

Service<Arith> ArithService(Arith* arith) {
  Service<Arith> s("Arith", arith);
  s.Method("Multiply", &Arith::Multiply);
  return s;
}

// A Go client's first call, Arith.Multiply(7, 8), and the size of the Go
// server's answer (wire/vectors/rpc_session_tcp.hex).
const std::string& GoFirstCall() {
  static const std::string* bytes = new std::string(absl::HexStringToBytes(
      "2fff81030101075265717565737401ff82000102010d536572766963654d6574686f"
      "64010c000103536571010600000013ff82010e41726974682e4d756c7469706c7900"
      "1eff83030101044172677301ff840001020101410104000101420104000000"
      "07ff84010e011000"));
  return *bytes;
}
constexpr size_t kGoFirstReplySize = (1 + 0x3a) + (1 + 0x13) + 4;

int ThreadCount() {
  int n = 0;
  DIR* dir = opendir("/proc/self/task");
  if (dir == nullptr) return -1;
  while (dirent* e = readdir(dir)) {
    if (e->d_name[0] != '.') ++n;
  }
  closedir(dir);
  return n;
}

bool ReadExactly(Conn& conn, size_t n, std::string* got) {
  char buf[4096];
  while (got->size() < n) {
    absl::StatusOr<size_t> r =
        conn.Read(buf, std::min(sizeof(buf), n - got->size()));
    if (!r.ok()) return false;
    got->append(buf, *r);
  }
  return true;
}

TEST(ServerConnTest, ThousandsOfConnectionsOnFewThreads) {
  Arith arith;
  Server server;
  ASSERT_THAT(server.Register(ArithService(&arith)), IsOk());
  absl::StatusOr<std::unique_ptr<Listener>> lis = Listen("tcp", "127.0.0.1:0");
  ASSERT_THAT(lis, IsOk());
  std::thread accept([&] { server.Accept(**lis); });

  constexpr int kConns = 2000;
  std::vector<std::unique_ptr<Conn>> conns;
  for (int i = 0; i < kConns; ++i) {
    absl::StatusOr<std::unique_ptr<Conn>> c = DialTCP((*lis)->Addr());
    ASSERT_THAT(c, IsOk()) << i;
    ASSERT_THAT((*c)->Write(GoFirstCall()), IsOk());
    conns.push_back(std::move(*c));
  }
  for (int i = 0; i < kConns; ++i) {
    std::string got;
    ASSERT_TRUE(ReadExactly(*conns[i], kGoFirstReplySize, &got)) << i;
    EXPECT_EQ(absl::BytesToHexString(got.substr(got.size() - 4)), "03040070");
  }
  // Every connection is open and has been served; the server holds no
  // thread per connection (I/O pool + workers + this test's threads).
  int threads = ThreadCount();
  EXPECT_GT(threads, 0);
  EXPECT_LT(threads, 200) << "threads with " << kConns << " connections";

  conns.clear();
  (*lis)->Close();
  accept.join();
}

TEST(ServerConnTest, ServeConnOfTcpConnBlocksUntilHangUp) {
  Arith arith;
  Server server;
  ASSERT_THAT(server.Register(ArithService(&arith)), IsOk());
  int lfd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in sa{};
  sa.sin_family = AF_INET;
  sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(bind(lfd, reinterpret_cast<sockaddr*>(&sa), sizeof(sa)), 0);
  ASSERT_EQ(listen(lfd, 1), 0);
  socklen_t len = sizeof(sa);
  getsockname(lfd, reinterpret_cast<sockaddr*>(&sa), &len);
  std::string addr = "127.0.0.1:" + std::to_string(ntohs(sa.sin_port));

  std::atomic<bool> returned{false};
  std::thread serve([&] {
    int fd = accept(lfd, nullptr, nullptr);
    server.ServeConn(std::make_unique<TcpConn>(fd));
    returned = true;
  });
  {
    absl::StatusOr<std::unique_ptr<Client>> client = Dial("tcp", addr);
    ASSERT_THAT(client, IsOk());
    int64_t product = 0;
    ASSERT_THAT((*client)->Call("Arith.Multiply", Args{3, 4}, &product),
                IsOk());
    EXPECT_EQ(product, 12);
    EXPECT_FALSE(returned.load());
  }
  serve.join();  // returns once the client has hung up
  EXPECT_TRUE(returned.load());
  close(lfd);
}

TEST(ServerConnTest, AcceptOnClosedListenerReturns) {
  Server server;
  absl::StatusOr<std::unique_ptr<Listener>> lis = Listen("tcp", "127.0.0.1:0");
  ASSERT_THAT(lis, IsOk());
  (*lis)->Close();
  server.Accept(**lis);  // returns at once
}

TEST(ServerConnTest, ListenErrors) {
  EXPECT_THAT(Listen("udp", "127.0.0.1:0").status(),
              ::netrpc::testing::StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(Listen("tcp", "127.0.0.1").status(),
              ::netrpc::testing::StatusIs(absl::StatusCode::kInvalidArgument));
}

}  // namespace
}  // namespace netrpc
