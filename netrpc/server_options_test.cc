// Copyright netrpc-gateway authors. Licensed under the BSD-style licence of
// Go.
//
// ServerOptions (the two limits), ReplaceServices, CurrentCall and
// inline_ok methods, over real loopback connections.

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <memory>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "netrpc/client.h"
#include "netrpc/conn.h"
#include "netrpc/debug_page.h"
#include "netrpc/errors.h"
#include "netrpc/http.h"
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

// Gate blocks callers of Wait until Open.
class Gate {
 public:
  void Open() {
    MutexLock lock(&mu_);
    open_ = true;
  }
  void Wait() {
    MutexLock lock(&mu_);
    mu_.Await([this]() ABSL_NO_THREAD_SAFETY_ANALYSIS { return open_; });
  }
  void Arrive() {
    MutexLock lock(&mu_);
    ++arrived_;
  }
  void AwaitArrivals(int n) {
    MutexLock lock(&mu_);
    mu_.Await(
        [this, n]() ABSL_NO_THREAD_SAFETY_ANALYSIS { return arrived_ >= n; });
  }

 private:
  Mutex mu_;
  bool open_ ABSL_GUARDED_BY(mu_) = false;
  int arrived_ ABSL_GUARDED_BY(mu_) = 0;
};

struct Seen {
  std::string peer, protocol, service_method;
  bool set = false;
};

class Arith {
 public:
  explicit Arith(Gate* gate = nullptr) : gate_(gate) {}
  absl::Status Add(const Args& args, Reply* reply) {
    reply->C = args.A + args.B;
    return absl::OkStatus();
  }
  absl::Status Mul(const Args& args, Reply* reply) {
    reply->C = args.A * args.B;
    return absl::OkStatus();
  }
  // Block waits at the gate, then adds.
  absl::Status Block(const Args& args, Reply* reply) {
    gate_->Arrive();
    gate_->Wait();
    reply->C = args.A + args.B;
    return absl::OkStatus();
  }
  absl::Status Echo(const std::string& args, std::string* reply) {
    *reply = args;
    return absl::OkStatus();
  }
  // Who records CurrentCall().
  absl::Status Who(const Args&, Reply* reply) {
    const CallContext* call = CurrentCall();
    MutexLock lock(&mu_);
    if (call != nullptr) {
      seen_.peer = std::string(call->peer);
      seen_.protocol = std::string(call->protocol);
      seen_.service_method = std::string(call->service_method);
      seen_.set = true;
    }
    reply->C = 1;
    return absl::OkStatus();
  }
  Seen seen() {
    MutexLock lock(&mu_);
    return seen_;
  }

 private:
  Gate* gate_;
  Mutex mu_;
  Seen seen_ ABSL_GUARDED_BY(mu_);
};

Service<Arith> ArithService(Arith* arith, absl::string_view name = "Arith") {
  Service<Arith> s(name, arith);
  s.Method("Add", &Arith::Add)
      .Method("Mul", &Arith::Mul, MethodOptions{/*inline_ok=*/true})
      .Method("Block", &Arith::Block)
      .Method("Echo", &Arith::Echo)
      .Method("Who", &Arith::Who);
  return s;
}

// Serving runs `serve` on a listener of its own until destroyed.
class Serving {
 public:
  explicit Serving(std::function<void(Listener&)> serve) {
    absl::StatusOr<std::unique_ptr<Listener>> l = Listen("tcp", "127.0.0.1:0");
    EXPECT_THAT(l, IsOk());
    listener_ = std::move(*l);
    thread_ = std::thread([this, serve] { serve(*listener_); });
  }
  ~Serving() {
    listener_->Close();
    thread_.join();
  }
  std::string addr() const { return listener_->Addr(); }

 private:
  std::unique_ptr<Listener> listener_;
  std::thread thread_;
};

// LogCapture collects log lines while alive.
class LogCapture {
 public:
  LogCapture() {
    SetLogFunction([this](absl::string_view line) {
      MutexLock lock(&mu_);
      lines_.emplace_back(line);
    });
  }
  ~LogCapture() { SetLogFunction(nullptr); }
  // WaitFor waits until a line contains `text` and returns it.
  std::string WaitFor(absl::string_view text) {
    MutexLock lock(&mu_);
    std::string found;
    mu_.Await([&]() ABSL_NO_THREAD_SAFETY_ANALYSIS {
      for (const std::string& l : lines_) {
        if (absl::StrContains(l, text)) {
          found = l;
          return true;
        }
      }
      return false;
    });
    return found;
  }

 private:
  Mutex mu_;
  std::vector<std::string> lines_ ABSL_GUARDED_BY(mu_);
};

// RawConnect connects a plain socket to `addr` ("127.0.0.1:port") and
// returns it with its local port.
int RawConnect(const std::string& addr, int* local_port = nullptr) {
  int port = 0;
  EXPECT_TRUE(absl::SimpleAtoi(addr.substr(addr.rfind(':') + 1), &port));
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in sa{};
  sa.sin_family = AF_INET;
  sa.sin_port = htons(static_cast<uint16_t>(port));
  sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  EXPECT_EQ(::connect(fd, reinterpret_cast<sockaddr*>(&sa), sizeof(sa)), 0);
  if (local_port != nullptr) {
    sockaddr_in local{};
    socklen_t len = sizeof(local);
    ::getsockname(fd, reinterpret_cast<sockaddr*>(&local), &len);
    *local_port = ntohs(local.sin_port);
  }
  return fd;
}

// ReadToEOF reads until the peer closes; returns what it read.
std::string ReadToEOF(int fd) {
  std::string out;
  char buf[4096];
  for (;;) {
    ssize_t n = ::read(fd, buf, sizeof(buf));
    if (n <= 0) return out;
    out.append(buf, static_cast<size_t>(n));
  }
}

std::unique_ptr<Client> MustDial(const std::string& addr) {
  absl::StatusOr<std::unique_ptr<Client>> c = Dial("tcp", addr);
  EXPECT_THAT(c, IsOk());
  return std::move(*c);
}

TEST(ServerOptionsTest, TooManyCallsGetAnErrorAndTheConnectionGoesOn) {
  Gate gate;
  Arith arith(&gate);
  ServerOptions options;
  options.max_concurrent_calls_per_connection = 2;
  Server server(options);
  ASSERT_THAT(server.Register(ArithService(&arith)), IsOk());
  Serving serving([&](Listener& l) { server.Accept(l); });
  std::unique_ptr<Client> client = MustDial(serving.addr());

  Reply r1, r2, r3;
  auto c1 = client->Go("Arith.Block", Args{1, 2}, &r1, nullptr);
  auto c2 = client->Go("Arith.Block", Args{3, 4}, &r2, nullptr);
  gate.AwaitArrivals(2);  // both running: the connection is at its limit
  absl::Status third = client->Call("Arith.Add", Args{5, 6}, &r3);
  EXPECT_TRUE(IsServerError(third)) << third;
  EXPECT_EQ(third.message(),
            "rpc: too many calls in flight on this connection (limit 2)");

  // Another connection has a limit of its own.
  std::unique_ptr<Client> other = MustDial(serving.addr());
  Reply r4;
  auto c4 = other->Go("Arith.Block", Args{7, 8}, &r4, nullptr);
  gate.AwaitArrivals(3);

  gate.Open();
  EXPECT_THAT(c1->Wait(), IsOk());
  EXPECT_THAT(c2->Wait(), IsOk());
  EXPECT_THAT(c4->Wait(), IsOk());
  EXPECT_EQ(r1.C, 3);
  EXPECT_EQ(r2.C, 7);
  EXPECT_EQ(r4.C, 15);
  // The connection is still usable once calls finished.
  ASSERT_THAT(client->Call("Arith.Add", Args{5, 6}, &r3), IsOk());
  EXPECT_EQ(r3.C, 11);
}

TEST(ServerOptionsTest, TooManyCallsOnServeCodec) {
  Gate gate;
  Arith arith(&gate);
  std::atomic<int> limited{0};
  ServerOptions options;
  options.max_concurrent_calls_per_connection = 1;
  options.on_limit = [&](LimitKind kind) {
    if (kind == LimitKind::kTooManyCalls) ++limited;
  };
  Server server(options);
  ASSERT_THAT(server.Register(ArithService(&arith)), IsOk());
  // ServeConn over a Conn that is not a TcpConn goes through ServeCodec.
  int fds[2];
  ASSERT_EQ(::socketpair(AF_UNIX, SOCK_STREAM, 0, fds), 0);
  // A TcpConn over a Unix socket still is a TcpConn; wrap it so that
  // ServeConn takes the blocking path.
  class Wrapped : public Conn {
   public:
    explicit Wrapped(int fd) : inner_(fd) {}
    absl::StatusOr<size_t> Read(char* b, size_t n) override {
      return inner_.Read(b, n);
    }
    absl::Status Write(absl::string_view d) override { return inner_.Write(d); }
    absl::Status CloseWrite() override { return inner_.CloseWrite(); }
    absl::Status Close() override { return inner_.Close(); }
    std::string RemoteAddr() const override { return "pipe"; }

   private:
    TcpConn inner_;
  };
  std::thread serve(
      [&] { server.ServeConn(std::make_unique<Wrapped>(fds[0])); });
  std::unique_ptr<Client> client =
      NewClient(std::make_unique<TcpConn>(fds[1]));
  Reply r1, r2;
  auto c1 = client->Go("Arith.Block", Args{1, 2}, &r1, nullptr);
  gate.AwaitArrivals(1);
  absl::Status second = client->Call("Arith.Add", Args{1, 1}, &r2);
  EXPECT_EQ(second.message(),
            "rpc: too many calls in flight on this connection (limit 1)");
  EXPECT_EQ(limited.load(), 1);  // on_limit was told, before the reply
  gate.Open();
  EXPECT_THAT(c1->Wait(), IsOk());
  client->Close().IgnoreError();
  serve.join();
}

TEST(ServerOptionsTest, OversizedGobHeaderClosesOnlyThatConnection) {
  LogCapture log;
  Arith arith;
  ServerOptions options;
  options.max_message_bytes = 1024;
  Server server(options);
  ASSERT_THAT(server.Register(ArithService(&arith)), IsOk());
  Serving serving([&](Listener& l) { server.Accept(l); });
  std::unique_ptr<Client> good = MustDial(serving.addr());
  Reply reply;
  ASSERT_THAT(good->Call("Arith.Add", Args{1, 2}, &reply), IsOk());

  // A length prefix announcing 1 GiB (gob: byte count 0xFC, then 4 bytes):
  // refused before any of it is buffered.
  int local_port = 0;
  int fd = RawConnect(serving.addr(), &local_port);
  const char prefix[] = {'\xFC', '\x40', '\x00', '\x00', '\x00'};
  ASSERT_EQ(::write(fd, prefix, sizeof(prefix)), 5);
  EXPECT_EQ(ReadToEOF(fd), "");  // closed, no response
  ::close(fd);
  std::string line = log.WaitFor("ServerOptions::max_message_bytes is 1024");
  EXPECT_THAT(line, HasSubstr(absl::StrCat("rpc: closing connection from "
                                           "127.0.0.1:",
                                           local_port, " (netrpc): ")));
  EXPECT_THAT(line, HasSubstr("gob: message of 1073741824 bytes exceeds"));

  // The other connection is unaffected.
  ASSERT_THAT(good->Call("Arith.Add", Args{3, 4}, &reply), IsOk());
  EXPECT_EQ(reply.C, 7);
}

TEST(ServerOptionsTest, OversizedGobBodyIsAnsweredThenTheConnectionCloses) {
  LogCapture log;
  Arith arith;
  std::atomic<int> too_large{0};
  ServerOptions options;
  options.max_message_bytes = 1024;
  options.on_limit = [&](LimitKind kind) {
    if (kind == LimitKind::kMessageTooLarge) ++too_large;
  };
  Server server(options);
  ASSERT_THAT(server.Register(ArithService(&arith)), IsOk());
  Serving serving([&](Listener& l) { server.Accept(l); });
  std::unique_ptr<Client> client = MustDial(serving.addr());
  std::string small(100, 'x'), reply;
  ASSERT_THAT(client->Call("Arith.Echo", small, &reply), IsOk());
  EXPECT_EQ(reply, small);
  absl::Status big = client->Call("Arith.Echo", std::string(4000, 'y'), &reply);
  EXPECT_TRUE(IsServerError(big)) << big;
  EXPECT_THAT(big.message(), HasSubstr("exceeds"));
  EXPECT_GE(too_large.load(), 1);  // counted before the error reply went out
  log.WaitFor("ServerOptions::max_message_bytes is 1024");
  // The connection is gone now.
  absl::Status after = client->Call("Arith.Echo", small, &reply);
  EXPECT_FALSE(after.ok());
}

TEST(ServerOptionsTest, ZeroKeepsTheCodecDefault) {
  Arith arith;
  Server server;
  EXPECT_EQ(server.options().max_message_bytes, 0u);
  EXPECT_EQ(server.options().max_concurrent_calls_per_connection, 0);
  ASSERT_THAT(server.Register(ArithService(&arith)), IsOk());
  Serving serving([&](Listener& l) { server.Accept(l); });
  std::unique_ptr<Client> client = MustDial(serving.addr());
  std::string big(1 << 20, 'z'), reply;
  ASSERT_THAT(client->Call("Arith.Echo", big, &reply), IsOk());
  EXPECT_EQ(reply, big);
}

TEST(ReplaceServicesTest, SwapsTheWholeSetAtomically) {
  Gate gate;
  Arith old_arith(&gate), new_arith;
  Server server;
  ASSERT_THAT(server.Register(ArithService(&old_arith)), IsOk());
  Serving serving([&](Listener& l) { server.Accept(l); });
  std::unique_ptr<Client> client = MustDial(serving.addr());
  Reply reply;
  ASSERT_THAT(client->Call("Arith.Add", Args{1, 2}, &reply), IsOk());

  // A call in flight on the old set.
  Reply blocked;
  auto in_flight = client->Go("Arith.Block", Args{10, 20}, &blocked, nullptr);
  gate.AwaitArrivals(1);

  // A bad set changes nothing.
  std::vector<std::pair<std::string, ServiceDesc>> bad;
  bad.emplace_back("", ArithService(&new_arith, "lower"));
  absl::Status s = server.ReplaceServices(bad);
  EXPECT_EQ(s.message(), "rpc.Register: type lower is not exported");
  std::vector<std::pair<std::string, ServiceDesc>> twice;
  twice.emplace_back("Calc", ArithService(&new_arith));
  twice.emplace_back("Calc", ArithService(&new_arith));
  EXPECT_EQ(server.ReplaceServices(twice).message(),
            "rpc: service already defined: Calc");
  ASSERT_THAT(client->Call("Arith.Add", Args{1, 2}, &reply), IsOk());

  std::vector<std::pair<std::string, ServiceDesc>> next;
  next.emplace_back("Calc", ArithService(&new_arith));
  next.emplace_back("", ArithService(&new_arith, "Arith2"));
  ASSERT_THAT(server.ReplaceServices(next), IsOk());

  // The same connection now resolves against the new set.
  absl::Status gone = client->Call("Arith.Add", Args{1, 2}, &reply);
  EXPECT_EQ(gone.message(), "rpc: can't find service Arith.Add");
  ASSERT_THAT(client->Call("Calc.Add", Args{2, 3}, &reply), IsOk());
  EXPECT_EQ(reply.C, 5);
  ASSERT_THAT(client->Call("Arith2.Mul", Args{2, 3}, &reply), IsOk());
  EXPECT_EQ(reply.C, 6);

  // The old call finishes on the method it started on.
  gate.Open();
  ASSERT_THAT(in_flight->Wait(), IsOk());
  EXPECT_EQ(blocked.C, 30);

  std::string page = DebugPage(server);
  EXPECT_THAT(page, HasSubstr("Calc"));
  EXPECT_THAT(page, HasSubstr("Arith2"));
  EXPECT_THAT(page, ::testing::Not(HasSubstr("Service Arith\n")));

  // Register still adds to the current set.
  ASSERT_THAT(server.Register(ArithService(&new_arith)), IsOk());
  ASSERT_THAT(client->Call("Arith.Add", Args{4, 4}, &reply), IsOk());
  EXPECT_EQ(reply.C, 8);
}

TEST(CallContextTest, PeerAndProtocolDuringTheCall) {
  EXPECT_EQ(CurrentCall(), nullptr);
  Arith arith;
  Server server;
  ASSERT_THAT(server.Register(ArithService(&arith)), IsOk());
  Serving tcp([&](Listener& l) { server.Accept(l); });

  int local_port = 0;
  int fd = RawConnect(tcp.addr(), &local_port);
  std::unique_ptr<Client> client =
      NewClient(std::make_unique<TcpConn>(fd));
  Reply reply;
  ASSERT_THAT(client->Call("Arith.Who", Args{}, &reply), IsOk());
  Seen seen = arith.seen();
  ASSERT_TRUE(seen.set);
  EXPECT_EQ(seen.peer, absl::StrCat("127.0.0.1:", local_port));
  EXPECT_EQ(seen.protocol, "netrpc");
  EXPECT_EQ(seen.service_method, "Arith.Who");

  ServeMux mux;
  ASSERT_THAT(server.HandleHTTP(kDefaultRPCPath, kDefaultDebugPath, &mux),
              IsOk());
  Serving http([&](Listener& l) { ServeHTTP(l, &mux); });
  absl::StatusOr<std::unique_ptr<Client>> hc = DialHTTP("tcp", http.addr());
  ASSERT_THAT(hc, IsOk());
  ASSERT_THAT((*hc)->Call("Arith.Who", Args{}, &reply), IsOk());
  seen = arith.seen();
  EXPECT_EQ(seen.protocol, "netrpc_http");
  EXPECT_TRUE(absl::StartsWith(seen.peer, "127.0.0.1:")) << seen.peer;
}

TEST(InlineMethodTest, InlineCallsAnswerWhileSlowCallsRun) {
  Gate gate;
  Arith arith(&gate);
  Server server;
  ASSERT_THAT(server.Register(ArithService(&arith)), IsOk());
  Serving serving([&](Listener& l) { server.Accept(l); });
  std::unique_ptr<Client> client = MustDial(serving.addr());
  Reply blocked;
  auto slow = client->Go("Arith.Block", Args{1, 1}, &blocked, nullptr);
  gate.AwaitArrivals(1);
  // Mul is inline_ok: many of them, pipelined, all answered correctly while
  // Block still waits.
  std::vector<std::shared_ptr<Call>> calls;
  std::vector<Reply> replies(500);
  for (int i = 0; i < 500; ++i) {
    calls.push_back(client->Go("Arith.Mul", Args{i, 3}, &replies[i], nullptr));
  }
  for (int i = 0; i < 500; ++i) {
    ASSERT_THAT(calls[i]->Wait(), IsOk());
    EXPECT_EQ(replies[i].C, i * 3);
  }
  gate.Open();
  ASSERT_THAT(slow->Wait(), IsOk());
  EXPECT_EQ(blocked.C, 2);
}

}  // namespace
}  // namespace netrpc
