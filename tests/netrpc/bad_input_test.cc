// Copyright netrpc-gateway authors. Licensed under the BSD-style licence of Go.
//
// Bad input on a netrpc server: garbage, truncated and oversized messages,
// bodies that do not decode, clients that vanish with calls in flight. In
// each case the connection ends or gets an error reply exactly as a Go
// server's would (wire/SPEC.md §2.4, §6), and other connections - one opened
// before the bad one and one opened after - keep being served.
//
// Raw bytes come from wire/SPEC.md's captures of real Go clients.

#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdint>
#include <memory>
#include <string>
#include <thread>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "netrpc/client.h"
#include "netrpc/codec.h"
#include "netrpc/conn.h"
#include "netrpc/errors.h"
#include "netrpc/examples/types.h"
#include "netrpc/gob_codec.h"
#include "netrpc/listener.h"
#include "netrpc/server.h"
#include "netrpc/service.h"
#include "netrpc/testing/status_matchers.h"

namespace {

using ::netrpc::examples::Args;
using ::netrpc::examples::Reply;
using ::netrpc::testing::IsOk;
using ::testing::HasSubstr;

// The Go client's first call, Call("Arith.Multiply", &Args{7, 8}, &reply),
// and the Go server's answer (wire/vectors/rpc_session_tcp.hex).
constexpr absl::string_view kRequestDef =
    "2f ff 81 03 01 01 07 52 65 71 75 65 73 74 01 ff 82 00 01 02 01 0d 53 65 "
    "72 76 69 63 65 4d 65 74 68 6f 64 01 0c 00 01 03 53 65 71 01 06 00 00 00";
constexpr absl::string_view kMultiplySeq0 =
    "13 ff 82 01 0e 41 72 69 74 68 2e 4d 75 6c 74 69 70 6c 79 00";
constexpr absl::string_view kMultiplySeq1 =
    "15 ff 82 01 0e 41 72 69 74 68 2e 4d 75 6c 74 69 70 6c 79 01 01 00";
constexpr absl::string_view kArgsDef =
    "1e ff 83 03 01 01 04 41 72 67 73 01 ff 84 00 01 02 01 01 41 01 04 00 01 "
    "01 42 01 04 00 00 00";
constexpr absl::string_view kArgs78 = "07 ff 84 01 0e 01 10 00";
constexpr absl::string_view kResponseDef =
    "3a ff 81 03 01 01 08 52 65 73 70 6f 6e 73 65 01 ff 82 00 01 03 01 0d 53 "
    "65 72 76 69 63 65 4d 65 74 68 6f 64 01 0c 00 01 03 53 65 71 01 06 00 01 "
    "05 45 72 72 6f 72 01 0c 00 00 00";
constexpr absl::string_view kResponseSeq0 =
    "13 ff 82 01 0e 41 72 69 74 68 2e 4d 75 6c 74 69 70 6c 79 00";
constexpr absl::string_view kInt56 = "03 04 00 70";

std::string Hex(absl::string_view spaced) {
  std::string hex;
  for (absl::string_view byte : absl::StrSplit(spaced, ' ', absl::SkipEmpty())) {
    absl::StrAppend(&hex, byte);
  }
  return absl::HexStringToBytes(hex);
}

class Arith {
 public:
  absl::Status Multiply(const Args& args, int64_t* reply) {
    *reply = args.A * args.B;
    return absl::OkStatus();
  }
  absl::Status SleepMilli(const Args& args, Reply* reply) {
    absl::SleepFor(absl::Milliseconds(args.A));
    reply->C = args.A;
    return absl::OkStatus();
  }
};

// RawConn is a test's own TCP socket: exact bytes out, bytes in with a
// deadline, half-close.
class RawConn {
 public:
  explicit RawConn(const std::string& addr) {
    size_t colon = addr.rfind(':');
    sockaddr_in sa{};
    sa.sin_family = AF_INET;
    sa.sin_port = htons(static_cast<uint16_t>(std::stoi(addr.substr(colon + 1))));
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    fd_ = socket(AF_INET, SOCK_STREAM, 0);
    EXPECT_EQ(connect(fd_, reinterpret_cast<sockaddr*>(&sa), sizeof(sa)), 0);
  }
  ~RawConn() { close(fd_); }

  void Send(absl::string_view bytes) {
    ASSERT_EQ(send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL),
              static_cast<ssize_t>(bytes.size()));
  }
  void CloseWrite() { shutdown(fd_, SHUT_WR); }

  // ReadUntilClosed reads until the server closes the connection; false if
  // it is still open after `timeout`.
  bool ReadUntilClosed(std::string* got, absl::Duration timeout) {
    absl::Time deadline = absl::Now() + timeout;
    for (;;) {
      int left = static_cast<int>(
          absl::ToInt64Milliseconds(deadline - absl::Now()));
      if (left <= 0) return false;
      pollfd p{fd_, POLLIN, 0};
      if (poll(&p, 1, left) <= 0) continue;
      char buf[4096];
      ssize_t n = recv(fd_, buf, sizeof(buf), 0);
      if (n <= 0) return true;  // EOF or reset: closed
      got->append(buf, static_cast<size_t>(n));
    }
  }

  // ReadAtLeast reads until `n` bytes have come; false on timeout or close.
  bool ReadAtLeast(size_t n, std::string* got, absl::Duration timeout) {
    absl::Time deadline = absl::Now() + timeout;
    while (got->size() < n) {
      int left = static_cast<int>(
          absl::ToInt64Milliseconds(deadline - absl::Now()));
      if (left <= 0) return false;
      pollfd p{fd_, POLLIN, 0};
      if (poll(&p, 1, left) <= 0) continue;
      char buf[4096];
      ssize_t r = recv(fd_, buf, sizeof(buf), 0);
      if (r <= 0) return false;
      got->append(buf, static_cast<size_t>(r));
    }
    return true;
  }

 private:
  int fd_ = -1;
};

class BadInputTest : public ::testing::Test {
 protected:
  void SetUp() override {
    netrpc::Service<Arith> service("Arith", &arith_);
    service.Method("Multiply", &Arith::Multiply)
        .Method("SleepMilli", &Arith::SleepMilli);
    ASSERT_THAT(server_.Register(service), IsOk());
    absl::StatusOr<std::unique_ptr<netrpc::Listener>> l =
        netrpc::Listen("tcp", "127.0.0.1:0");
    ASSERT_THAT(l, IsOk());
    listener_ = std::move(*l);
    addr_ = listener_->Addr();
    accept_ = std::thread([this] { server_.Accept(*listener_); });
    absl::StatusOr<std::unique_ptr<netrpc::Client>> c =
        netrpc::Dial("tcp", addr_);
    ASSERT_THAT(c, IsOk());
    before_ = std::move(*c);
    ExpectHealthy(*before_);
  }

  void TearDown() override {
    // The connection opened before the bad one still works, and so does a
    // new one.
    ExpectHealthy(*before_);
    absl::StatusOr<std::unique_ptr<netrpc::Client>> after =
        netrpc::Dial("tcp", addr_);
    ASSERT_THAT(after, IsOk());
    ExpectHealthy(**after);
    listener_->Close();
    accept_.join();
  }

  static void ExpectHealthy(netrpc::Client& client) {
    int64_t product = 0;
    ASSERT_THAT(client.Call("Arith.Multiply", Args{6, 7}, &product), IsOk());
    EXPECT_EQ(product, 42);
  }

  // ExpectSilentClose sends `bytes` (then half-closes if asked) and expects
  // the server to close the connection without sending anything.
  void ExpectSilentClose(absl::string_view bytes, bool half_close) {
    RawConn conn(addr_);
    conn.Send(bytes);
    if (half_close) conn.CloseWrite();
    std::string got;
    EXPECT_TRUE(conn.ReadUntilClosed(&got, absl::Seconds(10)));
    EXPECT_EQ(got, "");
  }

  Arith arith_;
  netrpc::Server server_;
  std::unique_ptr<netrpc::Listener> listener_;
  std::string addr_;
  std::thread accept_;
  std::unique_ptr<netrpc::Client> before_;
};

// The Go client's bytes get the Go server's bytes back, exactly.
TEST_F(BadInputTest, ReplayOfGoClientGetsGoServerBytes) {
  RawConn conn(addr_);
  conn.Send(Hex(absl::StrCat(kRequestDef, " ", kMultiplySeq0, " ", kArgsDef,
                             " ", kArgs78)));
  std::string want = Hex(absl::StrCat(kResponseDef, " ", kResponseSeq0, " ",
                                      kInt56));
  std::string got;
  ASSERT_TRUE(conn.ReadAtLeast(want.size(), &got, absl::Seconds(10)));
  EXPECT_EQ(absl::BytesToHexString(got), absl::BytesToHexString(want));
}

TEST_F(BadInputTest, GarbageBytes) {
  // 'x' announces a 120-byte message whose type id (60) is undefined: Go's
  // server stops reading and closes without a word.
  ExpectSilentClose(std::string(200, 'x'), /*half_close=*/false);
}

TEST_F(BadInputTest, ShortGarbageThenHalfClose) {
  // Too short for the length its first byte announces: both Go and we wait
  // for the rest, until the client's EOF.
  ExpectSilentClose("this is not gob\n", /*half_close=*/true);
}

TEST_F(BadInputTest, HttpTextOnGobPort) {
  ExpectSilentClose(
      "GET /_goRPC_ HTTP/1.1\r\nHost: localhost\r\nUser-Agent: test\r\n"
      "Accept: */*\r\nAccept-Encoding: gzip\r\nConnection: close\r\n\r\n",
      /*half_close=*/false);
}

TEST_F(BadInputTest, TruncatedHeader) {
  std::string def = Hex(kRequestDef);
  ExpectSilentClose(def.substr(0, 20), /*half_close=*/true);
}

TEST_F(BadInputTest, HeaderThenEOFGetsEOFError) {
  // Go answers a header whose body never comes with Error "EOF", then
  // closes.
  RawConn conn(addr_);
  conn.Send(Hex(absl::StrCat(kRequestDef, " ", kMultiplySeq0)));
  conn.CloseWrite();
  std::string got;
  ASSERT_TRUE(conn.ReadUntilClosed(&got, absl::Seconds(10)));
  std::unique_ptr<netrpc::StreamClientCodec> codec =
      netrpc::NewGobStreamClientCodec();
  codec->Append(got);
  codec->SetEOF();
  netrpc::Response response;
  ASSERT_THAT(codec->ReadResponseHeader(&response), IsOk());
  EXPECT_EQ(response.service_method, "Arith.Multiply");
  EXPECT_EQ(response.error, "EOF");
}

TEST_F(BadInputTest, HugeLengthPrefixBeyondGosLimit) {
  // 2^63-1: Go's "invalid message length".
  ExpectSilentClose(Hex("f8 7f ff ff ff ff ff ff ff"), /*half_close=*/false);
}

TEST_F(BadInputTest, LengthPrefixBeyondOurLimitClosesAtOnce) {
  // 1 GiB is legal for Go but beyond our 64 MiB limit: the server closes
  // without waiting for (or buffering) the announced bytes.
  ExpectSilentClose(Hex("fc 40 00 00 00 ff 81"), /*half_close=*/false);
}

TEST_F(BadInputTest, UndecodableBodyGetsErrorAndConnectionGoesOn) {
  RawConn conn(addr_);
  // Seq 0: a body whose type id was never defined. The message is consumed
  // whole, so the stream stays in step (as Go's).
  conn.Send(Hex(absl::StrCat(kRequestDef, " ", kMultiplySeq0, " 03 ff 90 00")));
  // Seq 1: a good call on the same connection.
  conn.Send(Hex(absl::StrCat(kMultiplySeq1, " ", kArgsDef, " ", kArgs78)));
  conn.CloseWrite();
  std::string got;
  ASSERT_TRUE(conn.ReadUntilClosed(&got, absl::Seconds(10)));
  std::unique_ptr<netrpc::StreamClientCodec> codec =
      netrpc::NewGobStreamClientCodec();
  codec->Append(got);
  codec->SetEOF();
  bool saw_error = false, saw_product = false;
  for (int i = 0; i < 2; ++i) {
    netrpc::Response response;
    ASSERT_THAT(codec->ReadResponseHeader(&response), IsOk());
    if (response.seq == 0) {
      EXPECT_THAT(response.error, HasSubstr("gob: "));
      ASSERT_THAT(codec->ReadResponseBody(nullptr), IsOk());
      saw_error = true;
    } else {
      EXPECT_EQ(response.error, "");
      int64_t product = 0;
      netrpc::BodyRef<int64_t> body(&product);
      ASSERT_THAT(codec->ReadResponseBody(&body), IsOk());
      EXPECT_EQ(product, 56);
      saw_product = true;
    }
  }
  EXPECT_TRUE(saw_error);
  EXPECT_TRUE(saw_product);
}

TEST_F(BadInputTest, BodyOfWrongTypeThroughClient) {
  // Go's server_test "Bad type": an argument of another struct type.
  Reply reply;
  absl::Status s = before_->Call("Arith.Multiply", Reply{3}, &reply);
  EXPECT_TRUE(netrpc::IsServerError(s)) << s;
  // Go's decoder text, verbatim.
  EXPECT_EQ(s.message(),
            "gob: type mismatch: no fields matched compiling decoder for Args");
}

TEST_F(BadInputTest, NonStructBodyForStructArgument) {
  Reply reply;
  absl::Status s = before_->Call("Arith.Multiply", std::string("x"), &reply);
  EXPECT_TRUE(netrpc::IsServerError(s)) << s;
  EXPECT_EQ(s.message(),
            "gob: type mismatch in decoder: want struct type rpc.Args; got "
            "non-struct");
}

TEST_F(BadInputTest, HalfCloseStillGetsPendingReply) {
  absl::StatusOr<std::unique_ptr<netrpc::Conn>> conn = netrpc::DialTCP(addr_);
  ASSERT_THAT(conn, IsOk());
  netrpc::Conn* raw = conn->get();
  std::unique_ptr<netrpc::Client> client = netrpc::NewClient(std::move(*conn));
  Reply reply;
  std::shared_ptr<netrpc::Call> call =
      client->Go("Arith.SleepMilli", Args{100, 0}, &reply);
  ASSERT_THAT(raw->CloseWrite(), IsOk());
  ASSERT_THAT(call->Wait(), IsOk());
  EXPECT_EQ(reply.C, 100);
}

TEST_F(BadInputTest, ClientVanishesWithCallsInFlight) {
  for (int round = 0; round < 5; ++round) {
    absl::StatusOr<std::unique_ptr<netrpc::Client>> client =
        netrpc::Dial("tcp", addr_);
    ASSERT_THAT(client, IsOk());
    Reply replies[8];
    for (Reply& r : replies) {
      (*client)->Go("Arith.SleepMilli", Args{50, 0}, &r);
    }
    client->reset();  // closes the socket before any reply
  }
  // Let the server's replies hit the closed sockets.
  absl::SleepFor(absl::Milliseconds(200));
}

}  // namespace
