#include "netrpc/testing/readiness.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

#include "netrpc/testing/status_matchers.h"
#include "netrpc/testing/subprocess.h"

namespace {

using ::netrpc::testing::HostPort;
using ::netrpc::testing::IsOk;
using ::netrpc::testing::ParseHostPort;
using ::netrpc::testing::StatusIs;
using ::netrpc::testing::Subprocess;
using ::netrpc::testing::SubprocessOptions;
using ::netrpc::testing::WaitForListenAddress;
using ::netrpc::testing::WaitForTcpAccept;
using ::testing::HasSubstr;

constexpr absl::Duration kLong = absl::Seconds(30);

// BoundSocket binds 127.0.0.1:0 and reports the port; it listens only if
// asked, so that a test can also have a port that refuses connections.
class BoundSocket {
 public:
  explicit BoundSocket(bool listen_now) {
    fd_ = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in addr = {};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof(addr);
    if (bind(fd_, reinterpret_cast<sockaddr*>(&addr), len) == 0 &&
        getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &len) == 0) {
      port_ = ntohs(addr.sin_port);
    }
    if (listen_now) listen(fd_, 16);
  }
  ~BoundSocket() { close(fd_); }

  uint16_t port() const { return port_; }

 private:
  int fd_ = -1;
  uint16_t port_ = 0;
};

TEST(ParseHostPortTest, AcceptsGoForms) {
  absl::StatusOr<HostPort> v4 = ParseHostPort("127.0.0.1:4321");
  ASSERT_THAT(v4, IsOk());
  EXPECT_EQ(v4->host, "127.0.0.1");
  EXPECT_EQ(v4->port, 4321);
  EXPECT_EQ(v4->ToString(), "127.0.0.1:4321");

  absl::StatusOr<HostPort> v6 = ParseHostPort("[::1]:65535");
  ASSERT_THAT(v6, IsOk());
  EXPECT_EQ(v6->host, "::1");
  EXPECT_EQ(v6->port, 65535);
  EXPECT_EQ(v6->ToString(), "[::1]:65535");
}

TEST(ParseHostPortTest, RejectsMalformedAddresses) {
  for (const char* bad :
       {"", "127.0.0.1", "127.0.0.1:", ":80", "host:0", "host:65536", "host:8x",
        "host:-1", "::1:80", "[::1:80", "[]:80"}) {
    EXPECT_THAT(ParseHostPort(bad), StatusIs(absl::StatusCode::kInvalidArgument,
                                             HasSubstr("bad address")))
        << bad;
  }
}

TEST(WaitForTcpAcceptTest, SucceedsOnAListeningPort) {
  BoundSocket listener(/*listen_now=*/true);
  ASSERT_NE(listener.port(), 0);
  EXPECT_THAT(WaitForTcpAccept({"127.0.0.1", listener.port()}, kLong), IsOk());
  EXPECT_THAT(WaitForTcpAccept({"localhost", listener.port()}, kLong), IsOk());
}

TEST(WaitForTcpAcceptTest, TimesOutOnARefusingPort) {
  // Bound but not listening: connections are refused, and the port stays
  // ours, so no other test can start listening on it meanwhile.
  BoundSocket bound(/*listen_now=*/false);
  ASSERT_NE(bound.port(), 0);
  absl::Time start = absl::Now();
  EXPECT_THAT(
      WaitForTcpAccept({"127.0.0.1", bound.port()}, absl::Milliseconds(200)),
      StatusIs(absl::StatusCode::kDeadlineExceeded,
               HasSubstr("Connection refused")));
  absl::Duration took = absl::Now() - start;
  EXPECT_GE(took, absl::Milliseconds(200));
  EXPECT_LT(took, absl::Seconds(10));
}

TEST(WaitForTcpAcceptTest, RejectsHostNames) {
  EXPECT_THAT(WaitForTcpAccept({"example.com", 80}, kLong),
              StatusIs(absl::StatusCode::kInvalidArgument));
}

std::unique_ptr<Subprocess> StartShell(const std::string& script) {
  SubprocessOptions options;
  options.argv = {"/bin/sh", "-c", script};
  absl::StatusOr<std::unique_ptr<Subprocess>> child =
      Subprocess::Start(options);
  EXPECT_THAT(child, IsOk());
  return child.ok() ? std::move(*child) : nullptr;
}

TEST(WaitForListenAddressTest, ParsesTheAnnouncedAddress) {
  std::unique_ptr<Subprocess> child = StartShell(
      "echo starting; echo 'listening on 127.0.0.1:4242 (gob)'; exec sleep 60");
  ASSERT_NE(child, nullptr);
  absl::StatusOr<HostPort> addr =
      WaitForListenAddress(*child, "listening on ", kLong);
  ASSERT_THAT(addr, IsOk());
  EXPECT_EQ(addr->ToString(), "127.0.0.1:4242");
}

TEST(WaitForListenAddressTest, ReportsAnUnparsableAddress) {
  std::unique_ptr<Subprocess> child =
      StartShell("echo 'listening on nowhere'; exec sleep 60");
  ASSERT_NE(child, nullptr);
  EXPECT_THAT(WaitForListenAddress(*child, "listening on ", kLong),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("listening on nowhere")));
}

TEST(WaitForListenAddressTest, FailsFastWhenTheChildDies) {
  std::unique_ptr<Subprocess> child =
      StartShell("echo 'bind: address already in use' >&2; exit 1");
  ASSERT_NE(child, nullptr);
  absl::Time start = absl::Now();
  EXPECT_THAT(WaitForListenAddress(*child, "listening on ", kLong),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       HasSubstr("address already in use")));
  EXPECT_LT(absl::Now() - start, absl::Seconds(10));
}

}  // namespace
