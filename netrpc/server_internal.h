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
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "asio.hpp"
#include "netrpc/codec.h"
#include "netrpc/io_internal.h"
#include "netrpc/service.h"
#include "netrpc/sync.h"

namespace netrpc {
namespace internal {

// MethodEntry is a registered method and its call count (Go's methodType).
struct MethodEntry {
  MethodDesc desc;
  std::atomic<uint64_t> num_calls{0};
};

// ServiceEntry is a registered service (Go's service).
struct ServiceEntry {
  std::string name;
  absl::flat_hash_map<std::string, std::unique_ptr<MethodEntry>> methods;
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

// Reply is what a finished call hands back: the response header fields and,
// on success, the reply body.
using RespondFn =
    std::function<void(const Response& response, const Body* reply)>;

// ServerState is a Server's service map and dispatch.
//
// [thread-safe]
class ServerState {
 public:
  absl::Status Register(absl::string_view name, const ServiceDesc& service,
                        bool use_name);

  // Resolve finds the method of "Service.Method", or returns Go's error
  // ("rpc: service/method request ill-formed: ...", "rpc: can't find
  // service ...", "rpc: can't find method ...").
  absl::StatusOr<MethodEntry*> Resolve(absl::string_view service_method);

  // Call counts and runs `method` on the worker pool, then calls `respond`
  // (on the worker) with the response and the reply, or a nullptr reply and
  // the error text. The bodies live until `respond` returns.
  void Call(MethodEntry* method, const Request& request,
            std::unique_ptr<Body> arg, std::unique_ptr<Body> reply,
            RespondFn respond);

  // Snapshot lists services and methods, sorted by name, with call counts.
  std::vector<DebugService> Snapshot();

 private:
  Mutex mu_;
  // Services are never removed, so MethodEntry pointers stay valid as long
  // as the state lives; connections hold a shared_ptr to it.
  absl::flat_hash_map<std::string, std::unique_ptr<ServiceEntry>> services_
      ABSL_GUARDED_BY(mu_);
};

// DebugPageOf renders the /debug/rpc page of `state` (see debug_page.h).
std::string DebugPageOf(ServerState& state);

// ServeAsync serves `socket` with `codec` on the I/O pool. `initial` holds
// bytes already read from the socket (past an HTTP CONNECT). `on_close` runs
// once, after the socket is closed.
void ServeAsync(std::shared_ptr<ServerState> state,
                asio::ip::tcp::socket socket,
                std::unique_ptr<StreamServerCodec> codec,
                std::string initial, std::function<void()> on_close);

}  // namespace internal
}  // namespace netrpc

#endif  // NETRPC_SERVER_INTERNAL_H_
