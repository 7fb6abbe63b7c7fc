// File: readiness.h
//
// Readiness checks for servers a test starts: wait until the child announces
// its address, or until an address accepts TCP connections. Both poll with a
// short backoff under a hard deadline; neither sleeps for a guessed time.
//
// A server under test listens on 127.0.0.1:0 and prints the port it got:
//
//   absl::StatusOr<HostPort> addr =
//       WaitForListenAddress(*server, "listening on ", absl::Seconds(10));
//   ASSERT_THAT(addr, IsOk());
//   ASSERT_THAT(WaitForTcpAccept(*addr, absl::Seconds(10)), IsOk());
//   ... connect to addr->ToString() ...

#ifndef NETRPC_TESTING_READINESS_H_
#define NETRPC_TESTING_READINESS_H_

#include <cstdint>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"

#include "netrpc/testing/subprocess.h"

namespace netrpc::testing {

// HostPort is a network address as "host:port" text has it.
struct HostPort {
  std::string host;  // IPv4 or IPv6 literal (no brackets), or "localhost"
  uint16_t port = 0;

  // ToString gives "127.0.0.1:80" or "[::1]:80".
  std::string ToString() const;
};

// ParseHostPort parses "host:port" or "[ipv6]:port" (Go's net.JoinHostPort
// forms). The port must be a decimal number in 1..65535.
absl::StatusOr<HostPort> ParseHostPort(absl::string_view text);

// LineStartsWith matches lines that begin with prefix.
LineMatcher LineStartsWith(std::string prefix);

// WaitForListenAddress waits until the child prints a stdout line that starts
// with prefix, and parses the text after the prefix (up to the first
// whitespace) as a HostPort. It fails fast if the child's stdout ends first.
absl::StatusOr<HostPort> WaitForListenAddress(Subprocess& child,
                                              absl::string_view prefix,
                                              absl::Duration timeout);

// WaitForTcpAccept connects to addr until a connection succeeds (then closes
// it) or timeout passes; the error then names the last connect() failure.
// Only "localhost" and IP literals are accepted as hosts: tests never resolve
// names.
absl::Status WaitForTcpAccept(const HostPort& addr, absl::Duration timeout);

}  // namespace netrpc::testing

#endif  // NETRPC_TESTING_READINESS_H_
