// Copyright netrpc-gateway authors. Licensed under the BSD-style licence of Go.
//
// File: conn.h
//
// Conn is the blocking byte stream under the Go-shaped API (Go's
// io.ReadWriteCloser / net.Conn): Client, ServeConn and the blocking codecs
// read and write through it. DialTCP connects one.
//
//   absl::StatusOr<std::unique_ptr<netrpc::Conn>> conn =
//       netrpc::DialTCP("127.0.0.1:1234");
//   if (!conn.ok()) return conn.status();
//   NETRPC_RETURN_IF_ERROR((*conn)->Write("hello"));
//
// The server's own connections (Accept, HTTP) do not use Conn: they run on
// the asynchronous I/O pool (see server.h).

#ifndef NETRPC_CONN_H_
#define NETRPC_CONN_H_

#include <atomic>
#include <cstddef>
#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace netrpc {

// Conn is a full-duplex byte stream.
//
// [thread-safe] One thread may Read while another Writes; Close and
// CloseWrite may be called from any thread and unblock a Read in progress.
class Conn {
 public:
  virtual ~Conn() = default;

  // Read reads at least one and at most `n` bytes into `buf` and returns how
  // many, blocking until some arrive. At the end of the stream it returns
  // EOFError(); after Close, "use of closed network connection".
  virtual absl::StatusOr<size_t> Read(char* buf, size_t n) = 0;

  // Write writes all of `data` or returns an error.
  virtual absl::Status Write(absl::string_view data) = 0;

  // CloseWrite half-closes the stream: the peer reads EOF, this side can
  // still Read.
  virtual absl::Status CloseWrite() = 0;

  // Close ends the stream in both directions. Pending and later Reads and
  // Writes fail. A second Close returns an error.
  virtual absl::Status Close() = 0;

  // RemoteAddr returns the peer's address, "host:port" for TCP.
  virtual std::string RemoteAddr() const = 0;
};

// TcpConn is a Conn over a connected TCP socket.
class TcpConn final : public Conn {
 public:
  // TcpConn takes ownership of the connected socket `fd`.
  explicit TcpConn(int fd);
  ~TcpConn() override;

  TcpConn(const TcpConn&) = delete;
  TcpConn& operator=(const TcpConn&) = delete;

  absl::StatusOr<size_t> Read(char* buf, size_t n) override;
  absl::Status Write(absl::string_view data) override;
  absl::Status CloseWrite() override;
  absl::Status Close() override;
  std::string RemoteAddr() const override;

  // Release gives up ownership of the socket and returns it (-1 if closed).
  // Server::ServeConn uses it to move a TCP connection onto the I/O pool.
  int Release();

 private:
  int fd_;
  // Close shuts the socket down but leaves closing the descriptor to the
  // destructor, so that a Read racing with Close never touches a reused fd.
  std::atomic<bool> closed_{false};
};

// DialTCP connects to `address` ("host:port", host a name or an IPv4/IPv6
// literal, "[::1]:80" for IPv6). Errors read as Go's:
// "dial tcp 127.0.0.1:1: connect: connection refused".
absl::StatusOr<std::unique_ptr<Conn>> DialTCP(absl::string_view address);

// SplitHostPort splits "host:port" or "[host]:port" as Go's
// net.SplitHostPort does.
absl::Status SplitHostPort(absl::string_view address, std::string* host,
                           std::string* port);

}  // namespace netrpc

#endif  // NETRPC_CONN_H_
