// Copyright netrpc-gateway authors. Licensed under the BSD-style licence of Go.

#include "netrpc/conn.h"

#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <cstring>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "netrpc/errors.h"

namespace netrpc {
namespace {

// Go's text for I/O on a connection this side closed.
constexpr absl::string_view kClosedText = "use of closed network connection";

// ErrnoText spells an errno as Go's syscall package does (lower case).
std::string ErrnoText(int err) {
  std::string text = std::strerror(err);
  if (!text.empty()) text[0] = static_cast<char>(std::tolower(text[0]));
  return text;
}

absl::Status ErrnoStatus(absl::string_view op, int err) {
  return absl::UnavailableError(absl::StrCat(op, ": ", ErrnoText(err)));
}

std::string FormatAddr(const sockaddr_storage& ss) {
  char host[INET6_ADDRSTRLEN] = {};
  int port = 0;
  if (ss.ss_family == AF_INET) {
    const auto* in = reinterpret_cast<const sockaddr_in*>(&ss);
    inet_ntop(AF_INET, &in->sin_addr, host, sizeof(host));
    port = ntohs(in->sin_port);
    return absl::StrCat(host, ":", port);
  }
  const auto* in6 = reinterpret_cast<const sockaddr_in6*>(&ss);
  inet_ntop(AF_INET6, &in6->sin6_addr, host, sizeof(host));
  port = ntohs(in6->sin6_port);
  return absl::StrCat("[", host, "]:", port);
}

}  // namespace

TcpConn::TcpConn(int fd) : fd_(fd) {
  // Requests and replies are small and latency-bound: Go disables Nagle too.
  int one = 1;
  setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
}

TcpConn::~TcpConn() {
  if (fd_ >= 0) ::close(fd_);
}

absl::StatusOr<size_t> TcpConn::Read(char* buf, size_t n) {
  for (;;) {
    if (closed_.load()) return absl::CancelledError(kClosedText);
    ssize_t got = ::recv(fd_, buf, n, 0);
    if (got > 0) return static_cast<size_t>(got);
    if (got == 0) {
      if (closed_.load()) return absl::CancelledError(kClosedText);
      return EOFError();
    }
    if (errno == EINTR) continue;
    if (closed_.load()) return absl::CancelledError(kClosedText);
    return ErrnoStatus("read", errno);
  }
}

absl::Status TcpConn::Write(absl::string_view data) {
  while (!data.empty()) {
    if (closed_.load()) return absl::CancelledError(kClosedText);
    ssize_t put = ::send(fd_, data.data(), data.size(), MSG_NOSIGNAL);
    if (put < 0) {
      if (errno == EINTR) continue;
      if (closed_.load()) return absl::CancelledError(kClosedText);
      return ErrnoStatus("write", errno);
    }
    data.remove_prefix(static_cast<size_t>(put));
  }
  return absl::OkStatus();
}

absl::Status TcpConn::CloseWrite() {
  if (closed_.load()) return absl::CancelledError(kClosedText);
  if (::shutdown(fd_, SHUT_WR) != 0) return ErrnoStatus("shutdown", errno);
  return absl::OkStatus();
}

absl::Status TcpConn::Close() {
  if (closed_.exchange(true)) return absl::CancelledError(kClosedText);
  ::shutdown(fd_, SHUT_RDWR);
  return absl::OkStatus();
}

std::string TcpConn::RemoteAddr() const {
  sockaddr_storage ss{};
  socklen_t len = sizeof(ss);
  if (::getpeername(fd_, reinterpret_cast<sockaddr*>(&ss), &len) != 0) {
    return "";
  }
  return FormatAddr(ss);
}

int TcpConn::Release() {
  if (closed_.exchange(true)) return -1;
  int fd = fd_;
  fd_ = -1;
  return fd;
}

absl::Status SplitHostPort(absl::string_view address, std::string* host,
                           std::string* port) {
  size_t colon = address.rfind(':');
  if (colon == absl::string_view::npos) {
    return absl::InvalidArgumentError(
        absl::StrCat("address ", address, ": missing port in address"));
  }
  absl::string_view h = address.substr(0, colon);
  if (!h.empty() && h.front() == '[') {
    if (h.back() != ']') {
      return absl::InvalidArgumentError(
          absl::StrCat("address ", address, ": missing ']' in address"));
    }
    h = h.substr(1, h.size() - 2);
  }
  *host = std::string(h);
  *port = std::string(address.substr(colon + 1));
  return absl::OkStatus();
}

absl::StatusOr<std::unique_ptr<Conn>> DialTCP(absl::string_view address) {
  std::string host, port;
  absl::Status split = SplitHostPort(address, &host, &port);
  if (!split.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("dial tcp ", split.message()));
  }
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* res = nullptr;
  int rc = ::getaddrinfo(host.empty() ? nullptr : host.c_str(), port.c_str(),
                         &hints, &res);
  if (rc != 0) {
    return absl::UnavailableError(absl::StrCat("dial tcp ", address,
                                               ": lookup ", host, ": ",
                                               gai_strerror(rc)));
  }
  int last_errno = ECONNREFUSED;
  for (addrinfo* ai = res; ai != nullptr; ai = ai->ai_next) {
    int fd = ::socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC,
                      ai->ai_protocol);
    if (fd < 0) {
      last_errno = errno;
      continue;
    }
    int crc;
    do {
      crc = ::connect(fd, ai->ai_addr, ai->ai_addrlen);
    } while (crc != 0 && errno == EINTR);
    if (crc == 0) {
      ::freeaddrinfo(res);
      return std::unique_ptr<Conn>(new TcpConn(fd));
    }
    last_errno = errno;
    ::close(fd);
  }
  ::freeaddrinfo(res);
  return absl::UnavailableError(absl::StrCat(
      "dial tcp ", address, ": connect: ", ErrnoText(last_errno)));
}

}  // namespace netrpc
