// Copyright netrpc-gateway authors. Licensed under the BSD-style licence of Go.
//
// File: test_util.h
//
// Raw socket helpers for the jsonrpc tests, which talk to servers and
// clients byte for byte, the way the SPEC's captures were made: write a
// request, half-close, read everything until the peer closes. Every read has
// a deadline, so a peer that never answers fails the test instead of hanging
// it. Testonly.
//
//   absl::StatusOr<RawConn> c = RawConn::Dial(listener->Addr());
//   ASSERT_THAT(c->Write(R"({"method":"Arith.Add","params":[{}],"id":1})"),
//               IsOk());
//   c->CloseWrite();
//   absl::StatusOr<std::string> reply = c->ReadAll(absl::Seconds(10));

#ifndef NETRPC_JSONRPC_TEST_UTIL_H_
#define NETRPC_JSONRPC_TEST_UTIL_H_

#include <string>
#include <utility>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"

namespace netrpc::jsonrpc::test {

// RawConn is one end of a stream socket, closed on destruction.
class RawConn {
 public:
  // Dial connects to "host:port" (an IPv4 literal).
  static absl::StatusOr<RawConn> Dial(absl::string_view address);

  // Pair returns the two ends of a socketpair.
  static absl::StatusOr<std::pair<RawConn, RawConn>> Pair();

  explicit RawConn(int fd) : fd_(fd) {}
  RawConn(RawConn&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}
  RawConn& operator=(RawConn&& other) noexcept;
  ~RawConn();

  // Release gives up the descriptor.
  int Release() { return std::exchange(fd_, -1); }

  absl::Status Write(absl::string_view data);
  void CloseWrite();

  // ReadAll reads until the peer closes.
  absl::StatusOr<std::string> ReadAll(absl::Duration timeout);

  // ReadLine reads up to and including the next '\n' (buffering the rest).
  absl::StatusOr<std::string> ReadLine(absl::Duration timeout);

 private:
  // ReadSome appends what one read gives; false at end of stream.
  absl::StatusOr<bool> ReadSome(absl::Time deadline);

  int fd_;
  std::string buffered_;
};

// RawListener is a listening TCP socket on 127.0.0.1, closed on
// destruction: a fake server's.
class RawListener {
 public:
  // Listen listens on 127.0.0.1 on a port the system picks.
  static absl::StatusOr<RawListener> Listen();

  RawListener(RawListener&& other) noexcept
      : fd_(std::exchange(other.fd_, -1)), addr_(std::move(other.addr_)) {}
  RawListener& operator=(RawListener&&) = delete;
  ~RawListener();

  // Addr is "127.0.0.1:PORT".
  const std::string& Addr() const { return addr_; }

  // Accept waits for one connection.
  absl::StatusOr<RawConn> Accept(absl::Duration timeout);

 private:
  RawListener(int fd, std::string addr) : fd_(fd), addr_(std::move(addr)) {}

  int fd_;
  std::string addr_;
};

}  // namespace netrpc::jsonrpc::test

#endif  // NETRPC_JSONRPC_TEST_UTIL_H_
