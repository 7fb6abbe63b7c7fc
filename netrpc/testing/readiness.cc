#include "netrpc/testing/readiness.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"

namespace netrpc::testing {
namespace {

// Longest pause between two connection attempts.
constexpr absl::Duration kMaxBackoff = absl::Milliseconds(50);

// SocketAddress holds a sockaddr for either family.
struct SocketAddress {
  sockaddr_storage storage = {};
  socklen_t size = 0;
};

absl::StatusOr<SocketAddress> ToSocketAddress(const HostPort& addr) {
  SocketAddress out;
  std::string host = addr.host == "localhost" ? "127.0.0.1" : addr.host;
  auto* v4 = reinterpret_cast<sockaddr_in*>(&out.storage);
  auto* v6 = reinterpret_cast<sockaddr_in6*>(&out.storage);
  if (inet_pton(AF_INET, host.c_str(), &v4->sin_addr) == 1) {
    v4->sin_family = AF_INET;
    v4->sin_port = htons(addr.port);
    out.size = sizeof(*v4);
  } else if (inet_pton(AF_INET6, host.c_str(), &v6->sin6_addr) == 1) {
    v6->sin6_family = AF_INET6;
    v6->sin6_port = htons(addr.port);
    out.size = sizeof(*v6);
  } else {
    return absl::InvalidArgumentError(
        absl::StrCat("readiness: host \"", addr.host,
                     "\" is not an IP literal or localhost"));
  }
  return out;
}

// TryConnect makes one connection attempt that gives up at deadline; it
// returns 0 on success, else the errno that explains the failure.
int TryConnect(const SocketAddress& address, absl::Time deadline) {
  int fd = socket(address.storage.ss_family,
                  SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) return errno;
  int err = 0;
  if (connect(fd, reinterpret_cast<const sockaddr*>(&address.storage),
              address.size) != 0) {
    err = errno;
    if (err == EINPROGRESS) {
      pollfd p = {fd, POLLOUT, 0};
      int64_t ms = std::max<int64_t>(
          0, absl::ToInt64Milliseconds(deadline - absl::Now()));
      int ready = poll(&p, 1, static_cast<int>(std::min<int64_t>(ms, 60000)));
      if (ready == 1) {
        socklen_t len = sizeof(err);
        getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len);
      } else {
        err = ready == 0 ? ETIMEDOUT : errno;
      }
    }
  }
  close(fd);
  return err;
}

}  // namespace

std::string HostPort::ToString() const {
  if (absl::StrContains(host, ':')) return absl::StrCat("[", host, "]:", port);
  return absl::StrCat(host, ":", port);
}

absl::StatusOr<HostPort> ParseHostPort(absl::string_view text) {
  auto bad = [text](absl::string_view why) {
    return absl::InvalidArgumentError(
        absl::StrCat("readiness: bad address \"", text, "\": ", why,
                     " (want host:port or [ipv6]:port)"));
  };
  size_t colon = text.rfind(':');
  if (colon == absl::string_view::npos) return bad("no port");
  absl::string_view host = text.substr(0, colon);
  absl::string_view port_text = text.substr(colon + 1);
  if (absl::StartsWith(host, "[")) {
    if (!absl::EndsWith(host, "]")) return bad("unclosed [");
    host = host.substr(1, host.size() - 2);
  } else if (absl::StrContains(host, ':')) {
    return bad("an IPv6 host needs brackets");
  }
  if (host.empty()) return bad("empty host");
  uint32_t port = 0;
  if (port_text.empty() ||
      !std::all_of(port_text.begin(), port_text.end(),
                   [](char c) { return absl::ascii_isdigit(c); }) ||
      !absl::SimpleAtoi(port_text, &port) || port == 0 || port > 65535) {
    return bad("port is not a number in 1..65535");
  }
  return HostPort{std::string(host), static_cast<uint16_t>(port)};
}

LineMatcher LineStartsWith(std::string prefix) {
  return [prefix = std::move(prefix)](absl::string_view line) {
    return absl::StartsWith(line, prefix);
  };
}

absl::StatusOr<HostPort> WaitForListenAddress(Subprocess& child,
                                              absl::string_view prefix,
                                              absl::Duration timeout) {
  absl::StatusOr<std::string> line = child.WaitForLine(
      Stream::kStdout, LineStartsWith(std::string(prefix)), timeout);
  if (!line.ok()) return line.status();
  absl::string_view rest = absl::StripLeadingAsciiWhitespace(
      absl::string_view(*line).substr(prefix.size()));
  rest = rest.substr(0, std::min(rest.size(), rest.find_first_of(" \t\r")));
  absl::StatusOr<HostPort> addr = ParseHostPort(rest);
  if (!addr.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat(addr.status().message(), "; in line \"", *line,
                     "\" from `", child.CommandLine(), "`"));
  }
  return addr;
}

absl::Status WaitForTcpAccept(const HostPort& addr, absl::Duration timeout) {
  absl::StatusOr<SocketAddress> address = ToSocketAddress(addr);
  if (!address.ok()) return address.status();
  const absl::Time deadline = absl::Now() + timeout;
  absl::Duration backoff = absl::Milliseconds(1);
  while (true) {
    int err = TryConnect(*address, deadline);
    if (err == 0) return absl::OkStatus();
    absl::Time now = absl::Now();
    if (now >= deadline) {
      return absl::DeadlineExceededError(absl::StrCat(
          "readiness: ", addr.ToString(), " accepted no connection within ",
          absl::FormatDuration(timeout), "; last connect: ", strerror(err)));
    }
    absl::SleepFor(std::min(backoff, deadline - now));
    backoff = std::min(backoff * 2, kMaxBackoff);
  }
}

}  // namespace netrpc::testing
