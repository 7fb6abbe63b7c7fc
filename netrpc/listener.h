// Copyright netrpc-gateway authors. Licensed under the BSD-style licence of Go.
//
// File: listener.h
//
// Listener is a listening TCP socket (Go's net.Listener) on the shared I/O
// pool. Server::Accept and ServeHTTP serve one; closing it stops them.
//
//   absl::StatusOr<std::unique_ptr<netrpc::Listener>> lis =
//       netrpc::Listen("tcp", "127.0.0.1:0");
//   if (!lis.ok()) return lis.status();
//   std::cout << "listening tcp " << (*lis)->Addr() << std::endl;
//   std::thread serve([&] { netrpc::Accept(**lis); });
//   ...
//   (*lis)->Close();   // Accept returns
//   serve.join();

#ifndef NETRPC_LISTENER_H_
#define NETRPC_LISTENER_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace netrpc {

namespace internal {
struct ListenerImpl;
}  // namespace internal

// Listener is a TCP listening socket.
//
// [thread-safe] Close may be called from any thread, also while a server
// accepts on the listener.
class Listener {
 public:
  ~Listener();
  Listener(const Listener&) = delete;
  Listener& operator=(const Listener&) = delete;

  // Addr returns the address the socket is bound to, "127.0.0.1:PORT" or
  // "[::1]:PORT": with port 0 in Listen, the port the system chose.
  std::string Addr() const;

  // Close stops accepting; connections already accepted stay open. Calling
  // it again does nothing.
  void Close();

  internal::ListenerImpl& impl() { return *impl_; }

 private:
  friend absl::StatusOr<std::unique_ptr<Listener>> Listen(
      absl::string_view network, absl::string_view address);
  explicit Listener(std::unique_ptr<internal::ListenerImpl> impl);

  std::unique_ptr<internal::ListenerImpl> impl_;
};

// Listen opens a listening socket. `network` is "tcp", "tcp4" or "tcp6";
// `address` is "host:port" (an empty host listens on all interfaces; port 0
// picks a free port).
absl::StatusOr<std::unique_ptr<Listener>> Listen(absl::string_view network,
                                                 absl::string_view address);

}  // namespace netrpc

#endif  // NETRPC_LISTENER_H_
