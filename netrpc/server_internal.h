// Copyright netrpc-gateway authors. Licensed under the BSD-style licence of Go.
//
// File: server_internal.h
//
// The server's shared internals: the service map (Go's serviceMap), method
// dispatch, and the asynchronous connection that Accept, ServeHTTP and
// ServeConn(TcpConn) run on the I/O pool. Internal to netrpc.

#ifndef NETRPC_SERVER_INTERNAL_H_
#define NETRPC_SERVER_INTERNAL_H_

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "asio.hpp"
#include "netrpc/codec.h"
#include "netrpc/io_internal.h"
#include "netrpc/limits.h"
#include "netrpc/service.h"
#include "netrpc/sync.h"

namespace netrpc {

class ServeMux;

namespace internal {

// MethodEntry is a registered method and its call count (Go's methodType).
struct MethodEntry {
  MethodDesc desc;
  std::atomic<uint64_t> num_calls{0};
};

// ServiceEntry is a registered service (Go's service).
struct ServiceEntry {
  std::string name;
  absl::flat_hash_map<std::string, std::shared_ptr<MethodEntry>> methods;
};

// ServiceMap is one immutable generation of a server's services. Register
// and ReplaceServices publish a new map; readers keep the one they hold, so
// a call in flight keeps its MethodEntry alive (the entries are shared).
struct ServiceMap {
  absl::flat_hash_map<std::string, std::shared_ptr<const ServiceEntry>>
      services;
};

// DebugMethod and DebugService are a snapshot for /debug/rpc.
struct DebugMethod {
  std::string name, arg_type, reply_type;
  uint64_t calls = 0;
};
struct DebugService {
  std::string name;
  std::vector<DebugMethod> methods;  // sorted by name
};

// CallOwner receives the responses of the calls it starts (a connection).
class CallOwner {
 public:
  virtual ~CallOwner() = default;
  // Respond is called once per call, from the thread that finished it, with
  // the response and the reply (nullptr with response.error set).
  virtual void Respond(const Response& response, const Body* reply) = 0;
};

// ServerState is a Server's service map, options and dispatch.
//
// [thread-safe]
class ServerState {
 public:
  absl::Status Register(absl::string_view name, const ServiceDesc& service,
                        bool use_name);

  // ReplaceServices validates and builds a whole new service set, then
  // publishes it in one step; on error the old set stays.
  absl::Status ReplaceServices(
      const std::vector<std::pair<std::string, ServiceDesc>>& services);

  // services returns the current generation of the service map.
  std::shared_ptr<const ServiceMap> services() const;

  // generation changes whenever services() does (cheap to poll).
  uint64_t generation() const {
    return generation_.load(std::memory_order_acquire);
  }

  // Resolve finds the method of "Service.Method" in `map`, or returns Go's
  // error ("rpc: service/method request ill-formed: ...", "rpc: can't find
  // service ...", "rpc: can't find method ..."). The pointer lives as long
  // as `map`.
  static absl::StatusOr<const std::shared_ptr<MethodEntry>*> Resolve(
      const ServiceMap& map, absl::string_view service_method);

  // Call counts and runs `method`, then calls owner->Respond with the
  // response and the reply, or a nullptr reply and the error text. The
  // bodies live until Respond returns. The method runs on the worker pool,
  // or on the calling thread when `may_inline` and the method is marked
  // MethodDesc::inline_ok. `peer` and `protocol` must outlive the call (the
  // owner keeps them); they are what CurrentCall() reports.
  static void Call(std::shared_ptr<MethodEntry> method, const Request& request,
                   std::unique_ptr<Body> arg, std::unique_ptr<Body> reply,
                   std::shared_ptr<CallOwner> owner, absl::string_view peer,
                   absl::string_view protocol, bool may_inline);

  // Snapshot lists services and methods, sorted by name, with call counts.
  std::vector<DebugService> Snapshot();

  // Options (see ServerOptions in server.h); read when a connection starts.
  using ConnectionFn = std::function<void(absl::string_view, bool)>;
  void SetOptions(uint64_t max_message_bytes, int max_calls,
                  std::function<void(LimitKind)> on_limit,
                  ConnectionFn on_connection) {
    max_message_bytes_.store(max_message_bytes, std::memory_order_relaxed);
    max_calls_.store(max_calls, std::memory_order_relaxed);
    MutexLock lock(&mu_);
    on_limit_ = std::make_shared<const std::function<void(LimitKind)>>(
        std::move(on_limit));
    on_connection_ =
        std::make_shared<const ConnectionFn>(std::move(on_connection));
  }
  // on_connection returns ServerOptions::on_connection (may be empty).
  std::shared_ptr<const ConnectionFn> on_connection() const {
    MutexLock lock(&mu_);
    return on_connection_;
  }
  std::function<void(LimitKind)> on_limit() const {
    MutexLock lock(&mu_);
    return on_limit_ != nullptr ? *on_limit_ : nullptr;
  }
  // Limited reports a refused request to ServerOptions::on_limit.
  void Limited(LimitKind kind) {
    std::shared_ptr<const std::function<void(LimitKind)>> f;
    {
      MutexLock lock(&mu_);
      f = on_limit_;
    }
    if (f != nullptr && *f) (*f)(kind);
  }
  uint64_t max_message_bytes() const {
    return max_message_bytes_.load(std::memory_order_relaxed);
  }
  int max_calls_per_connection() const {
    return max_calls_.load(std::memory_order_relaxed);
  }

 private:
  // Build checks `service` by Go's rules and makes its entry.
  static absl::StatusOr<std::shared_ptr<const ServiceEntry>> Build(
      absl::string_view name, const ServiceDesc& service, bool use_name);

  mutable Mutex mu_;
  std::shared_ptr<const ServiceMap> services_ ABSL_GUARDED_BY(mu_) =
      std::make_shared<ServiceMap>();
  std::atomic<uint64_t> generation_{0};
  std::atomic<uint64_t> max_message_bytes_{0};
  std::atomic<int> max_calls_{0};
  std::shared_ptr<const std::function<void(LimitKind)>> on_limit_
      ABSL_GUARDED_BY(mu_);
  std::shared_ptr<const ConnectionFn> on_connection_ ABSL_GUARDED_BY(mu_);
};

// DebugPageOf renders the /debug/rpc page of `state` (see debug_page.h).
std::string DebugPageOf(ServerState& state);

// Protocol names, as CallContext::protocol reports them.
inline constexpr absl::string_view kProtocolNetRPC = "netrpc";
inline constexpr absl::string_view kProtocolNetRPCHTTP = "netrpc_http";
inline constexpr absl::string_view kProtocolJSONRPC = "jsonrpc";

// TooManyCallsText is the error a request beyond
// ServerOptions::max_concurrent_calls_per_connection gets.
std::string TooManyCallsText(int limit);

// NewGobCodecFor returns the gob server codec for a connection of `state`
// (its max_message_bytes applied).
std::unique_ptr<StreamServerCodec> NewGobCodecFor(const ServerState& state);

// ServeAsync serves `socket` with `codec` on the I/O pool. `initial` holds
// bytes already read from the socket (past an HTTP CONNECT). `protocol`
// names the protocol for CurrentCall() and log lines. `on_close` runs
// once, after the socket is closed.
void ServeAsync(std::shared_ptr<ServerState> state,
                asio::ip::tcp::socket socket,
                std::unique_ptr<StreamServerCodec> codec,
                std::string initial, std::function<void()> on_close,
                absl::string_view protocol = kProtocolNetRPC);

// ServeHTTPConnection serves HTTP on one accepted socket, routing by `mux`,
// as ServeHTTP does for each connection (defined in http.cc, in
// //netrpc:http).
void ServeHTTPConnection(asio::ip::tcp::socket socket, ServeMux* mux);

}  // namespace internal
}  // namespace netrpc

#endif  // NETRPC_SERVER_INTERNAL_H_
