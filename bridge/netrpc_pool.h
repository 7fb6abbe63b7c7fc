// File: netrpc_pool.h
//
// NetRpcPool is the bridge's way out to a legacy Go net/rpc server: a few
// netrpc::Clients to one address (raw gob over TCP, or HTTP CONNECT), each
// carrying many calls at once, handed out round-robin. A client whose
// connection breaks is replaced on a later call; while the server stays
// unreachable, calls fail at once with the dial error instead of each waiting
// on a connect of its own (retry at most every `redial_backoff`).
//
//   bridge::NetRpcPool pool({.address = "127.0.0.1:1234", .connections = 2});
//   pool.Go("Arith.Multiply", std::move(args), std::move(reply),
//           [](absl::Status s, netrpc::Body& reply) { ... },
//           netrpc::CallOptions{absl::Seconds(1)});

#ifndef BRIDGE_NETRPC_POOL_H_
#define BRIDGE_NETRPC_POOL_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/functional/any_invocable.h"
#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "netrpc/client.h"

namespace bridge {

// NetRpcPoolOptions describes one net/rpc upstream.
struct NetRpcPoolOptions {
  // address is "host:port" of the Go net/rpc server.
  std::string address;
  // http_path, if not empty, connects with HTTP CONNECT to this path (Go's
  // DialHTTPPath; "/_goRPC_" for rpc.HandleHTTP). Default: raw TCP.
  std::string http_path;
  // connections is how many connections calls are spread over. Default: 2.
  int connections = 2;
  // redial_backoff is how long a failed dial is remembered before the next
  // try. Default: 1s.
  absl::Duration redial_backoff = absl::Seconds(1);
};

// NetRpcPool multiplexes calls over a few connections. [thread-safe]
class NetRpcPool {
 public:
  explicit NetRpcPool(NetRpcPoolOptions options);
  ~NetRpcPool();

  NetRpcPool(const NetRpcPool&) = delete;
  NetRpcPool& operator=(const NetRpcPool&) = delete;

  // Done receives a call's result and its reply body.
  using Done =
      absl::AnyInvocable<void(absl::Status status, netrpc::Body& reply)>;

  // Go starts a call (netrpc::Client::GoBody). done runs exactly once, with
  // the call's result; if no connection can be had it runs before Go
  // returns, with kUnavailable naming the address and the dial error.
  void Go(absl::string_view service_method, std::unique_ptr<netrpc::Body> args,
          std::unique_ptr<netrpc::Body> reply, Done done,
          const netrpc::CallOptions& options);

  // IsTransportError reports whether a call's error says the connection is
  // broken (as opposed to the server's error text or a timeout).
  static bool IsTransportError(const absl::Status& status);

  const NetRpcPoolOptions& options() const { return options_; }

 private:
  struct Slot;

  // Pick returns a live client, dialing if needed; or the dial error.
  absl::StatusOr<std::shared_ptr<netrpc::Client>> Pick(Slot** slot);
  void MarkBroken(Slot* slot, const netrpc::Client* client);
  static void Retire(std::shared_ptr<netrpc::Client> client);

  const NetRpcPoolOptions options_;
  absl::Mutex mu_;
  std::vector<std::unique_ptr<Slot>> slots_ ABSL_GUARDED_BY(mu_);
  size_t next_ ABSL_GUARDED_BY(mu_) = 0;
  absl::Status last_dial_error_ ABSL_GUARDED_BY(mu_);
  absl::Time retry_after_ ABSL_GUARDED_BY(mu_) = absl::InfinitePast();
};

}  // namespace bridge

#endif  // BRIDGE_NETRPC_POOL_H_
