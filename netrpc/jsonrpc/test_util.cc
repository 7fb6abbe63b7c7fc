// Copyright netrpc-gateway authors. Licensed under the BSD-style licence of Go.

#include "netrpc/jsonrpc/test_util.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"

namespace netrpc::jsonrpc::test {

absl::StatusOr<RawConn> RawConn::Dial(absl::string_view address) {
  size_t colon = address.rfind(':');
  int port = 0;
  if (colon == absl::string_view::npos ||
      !absl::SimpleAtoi(address.substr(colon + 1), &port)) {
    return absl::InvalidArgumentError(absl::StrCat("bad address ", address));
  }
  sockaddr_in sa{};
  sa.sin_family = AF_INET;
  sa.sin_port = htons(static_cast<uint16_t>(port));
  if (inet_pton(AF_INET, std::string(address.substr(0, colon)).c_str(),
                &sa.sin_addr) != 1) {
    return absl::InvalidArgumentError(absl::StrCat("bad host in ", address));
  }
  RawConn conn(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
  if (conn.fd_ < 0 ||
      ::connect(conn.fd_, reinterpret_cast<sockaddr*>(&sa), sizeof(sa)) != 0) {
    return absl::UnavailableError(
        absl::StrCat("connect ", address, ": ", std::strerror(errno)));
  }
  return conn;
}

absl::StatusOr<std::pair<RawConn, RawConn>> RawConn::Pair() {
  int fds[2];
  if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds) != 0) {
    return absl::InternalError(
        absl::StrCat("socketpair: ", std::strerror(errno)));
  }
  return std::make_pair(RawConn(fds[0]), RawConn(fds[1]));
}

RawConn& RawConn::operator=(RawConn&& other) noexcept {
  if (this != &other) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = std::exchange(other.fd_, -1);
    buffered_ = std::move(other.buffered_);
  }
  return *this;
}

RawConn::~RawConn() {
  if (fd_ >= 0) ::close(fd_);
}

absl::Status RawConn::Write(absl::string_view data) {
  while (!data.empty()) {
    ssize_t n = ::send(fd_, data.data(), data.size(), MSG_NOSIGNAL);
    if (n < 0) {
      if (errno == EINTR) continue;
      return absl::UnavailableError(
          absl::StrCat("write: ", std::strerror(errno)));
    }
    data.remove_prefix(static_cast<size_t>(n));
  }
  return absl::OkStatus();
}

void RawConn::CloseWrite() { ::shutdown(fd_, SHUT_WR); }

absl::StatusOr<bool> RawConn::ReadSome(absl::Time deadline) {
  for (;;) {
    absl::Duration left = deadline - absl::Now();
    if (left <= absl::ZeroDuration()) {
      return absl::DeadlineExceededError(
          absl::StrCat("no data or EOF in time; have \"", buffered_, "\""));
    }
    pollfd p{fd_, POLLIN, 0};
    int r =
        ::poll(&p, 1, static_cast<int>(absl::ToInt64Milliseconds(left)) + 1);
    if (r < 0 && errno == EINTR) continue;
    if (r <= 0) continue;  // timeout: the loop reports it
    char buf[4096];
    ssize_t n = ::read(fd_, buf, sizeof(buf));
    if (n < 0) {
      if (errno == EINTR) continue;
      if (errno == ECONNRESET) return false;
      return absl::UnavailableError(
          absl::StrCat("read: ", std::strerror(errno)));
    }
    if (n == 0) return false;
    buffered_.append(buf, static_cast<size_t>(n));
    return true;
  }
}

absl::StatusOr<std::string> RawConn::ReadAll(absl::Duration timeout) {
  absl::Time deadline = absl::Now() + timeout;
  for (;;) {
    absl::StatusOr<bool> more = ReadSome(deadline);
    if (!more.ok()) return more.status();
    if (!*more) return std::exchange(buffered_, "");
  }
}

absl::StatusOr<std::string> RawConn::ReadLine(absl::Duration timeout) {
  absl::Time deadline = absl::Now() + timeout;
  for (;;) {
    size_t nl = buffered_.find('\n');
    if (nl != std::string::npos) {
      std::string line = buffered_.substr(0, nl + 1);
      buffered_.erase(0, nl + 1);
      return line;
    }
    absl::StatusOr<bool> more = ReadSome(deadline);
    if (!more.ok()) return more.status();
    if (!*more) {
      return absl::OutOfRangeError(
          absl::StrCat("EOF before a line; have \"", buffered_, "\""));
    }
  }
}

absl::StatusOr<RawListener> RawListener::Listen() {
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in sa{};
  sa.sin_family = AF_INET;
  sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof(sa);
  if (fd < 0 || ::bind(fd, reinterpret_cast<sockaddr*>(&sa), len) != 0 ||
      ::listen(fd, 16) != 0 ||
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&sa), &len) != 0) {
    absl::Status err =
        absl::UnavailableError(absl::StrCat("listen: ", std::strerror(errno)));
    if (fd >= 0) ::close(fd);
    return err;
  }
  return RawListener(fd, absl::StrCat("127.0.0.1:", ntohs(sa.sin_port)));
}

RawListener::~RawListener() {
  if (fd_ >= 0) ::close(fd_);
}

absl::StatusOr<RawConn> RawListener::Accept(absl::Duration timeout) {
  pollfd p{fd_, POLLIN, 0};
  int r;
  do {
    r = ::poll(&p, 1, static_cast<int>(absl::ToInt64Milliseconds(timeout)));
  } while (r < 0 && errno == EINTR);
  if (r == 0) return absl::DeadlineExceededError("no connection in time");
  int fd = ::accept4(fd_, nullptr, nullptr, SOCK_CLOEXEC);
  if (fd < 0) {
    return absl::UnavailableError(
        absl::StrCat("accept: ", std::strerror(errno)));
  }
  return RawConn(fd);
}

}  // namespace netrpc::jsonrpc::test
