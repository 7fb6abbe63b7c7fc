// File: gateway.h
//
// Gateway is the running gateway: the listeners and admin listener of a
// config file, and its current generation (schemas, mapping, routes,
// upstreams), which Reload replaces without dropping calls in flight.
//
//   NETRPC_ASSIGN_OR_RETURN(gateway::config::LoadedConfig config,
//                           gateway::config::LoadAndValidate("gateway.yaml"));
//   NETRPC_ASSIGN_OR_RETURN(std::unique_ptr<gateway::Gateway> gw,
//                           gateway::Gateway::Start(std::move(config)));
//   ...                          // SIGHUP: gw->ReloadFile();
//   gw->Drain(absl::Seconds(10));  // SIGTERM
//
// Every net/rpc-speaking listener shares one netrpc::Server (so /debug/rpc
// counts all calls, as Go's does) and every gRPC-speaking one one gRPC
// server; a listener of protocol ANY hands each connection to the right one
// by its first bytes.

#ifndef GATEWAY_GATEWAY_H_
#define GATEWAY_GATEWAY_H_

#include <atomic>
#include <memory>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "gateway/config/load.h"

namespace gateway {

// Gateway serves one config. [thread-safe]
class Gateway {
 public:
  // Start builds the first generation from config (already validated),
  // opens every listener and the admin listener, and starts serving. It
  // fails, with nothing left open, if a schema cannot be loaded, the
  // mapping does not fit the schemas (a routed method missing, a type that
  // does not map), or a port cannot be bound; errors name the file and
  // field.
  static absl::StatusOr<std::unique_ptr<Gateway>> Start(
      config::LoadedConfig config);

  // Check does what Start does short of serving: loads the schemas
  // (descriptor sets, and reflection from running upstreams), builds the
  // mapping (a routed method missing from the schema, a type that does not
  // map), and binds and releases every listener's and the admin's address
  // (a port in use). `gateway --validate` runs it.
  static absl::Status Check(config::LoadedConfig config);

  // ~Gateway stops at once (see Drain for a graceful stop).
  ~Gateway();

  Gateway(const Gateway&) = delete;
  Gateway& operator=(const Gateway&) = delete;

  // Reload makes next the config for calls that start from now on, if it
  // is valid, loads, and keeps listeners and admin as they are; otherwise
  // the current config keeps serving and the error says why. Upstreams
  // whose config is unchanged keep their connections.
  absl::Status Reload(config::LoadedConfig next);

  // ReloadFile reads the config file again (LoadAndValidate) and Reloads.
  absl::Status ReloadFile();

  // Drain stops taking connections and calls (readyz turns 503; calls
  // arriving on open connections get UNAVAILABLE "gateway: shutting
  // down"), waits for the calls in flight until grace has passed, then
  // stops. It returns whether every call finished in time.
  bool Drain(absl::Duration grace);

  // Addresses lists each listener's name and bound "host:port" (the port
  // picked when the config said 0), in config order.
  std::vector<std::pair<std::string, std::string>> Addresses() const;

  // AdminAddress is the admin listener's bound address, or "" if none.
  std::string AdminAddress() const;

  // generation counts successful loads: 1 after Start.
  int64_t generation() const;

  // drain_timeout is the current config's drain_timeout.
  absl::Duration drain_timeout() const;

 private:
  struct Impl;
  explicit Gateway(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace gateway

#endif  // GATEWAY_GATEWAY_H_
