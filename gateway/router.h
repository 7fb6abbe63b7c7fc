// File: router.h
//
// Router is the gateway's Backend for one config generation: for each call
// it finds the route's upstream (or draws one from a weighted split), applies
// the gateway's and the route's concurrency limits, counts the call in
// /metrics, logs it if it fails, and copies it to the route's shadow
// upstream when mirroring (mirror.h). Both front ends (net/rpc and gRPC
// listeners) call it.
//
//   auto router = std::make_shared<gateway::Router>(mapping, routes, env);
//   server.ReplaceServices(... bridge::NetRpcServices(mapping, router) ...);
//
// A reload builds a new Router; calls in flight finish on the old one.

#ifndef GATEWAY_ROUTER_H_
#define GATEWAY_ROUTER_H_

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "bridge/backend.h"
#include "gateway/metrics/gateway_metrics.h"
#include "gateway/mirror.h"
#include "gateway/upstream.h"

namespace gateway {

// RouteTarget is where one net/rpc service's calls go.
struct RouteTarget {
  // arms are the upstreams calls go to, with their weights; one arm with
  // any weight for a plain route.
  std::vector<std::pair<std::shared_ptr<Upstream>, uint32_t>> arms;
  // shadow, if set, gets a copy of sample_percent of the calls.
  std::shared_ptr<Upstream> shadow;
  int sample_percent = 100;
  // max_concurrent_calls bounds the route's calls in flight; 0: no bound.
  int max_concurrent_calls = 0;
};

// RouterEnv is what every generation's Router shares with the gateway.
struct RouterEnv {
  GatewayMetrics* metrics = nullptr;  // may be null (tests)
  MirrorLog* mirror_log = nullptr;    // may be null
  // in_flight counts the gateway's calls in flight, across generations
  // (drain waits for it to reach zero).
  std::atomic<int64_t>* in_flight = nullptr;
  // max_concurrent_calls bounds *in_flight; 0: no bound.
  int64_t max_concurrent_calls = 0;
  // draining, once true, turns new calls away (UNAVAILABLE).
  const std::atomic<bool>* draining = nullptr;
};

// Router routes calls of one Mapping. [thread-safe]
class Router final : public bridge::Backend {
 public:
  // targets is keyed by net/rpc service name, one per route of mapping.
  Router(std::shared_ptr<const bridge::Mapping> mapping,
         absl::flat_hash_map<std::string, RouteTarget> targets, RouterEnv env);

  void Call(const bridge::BackendCall& call, Done done) override;

 private:
  // Arm is one upstream of a method, with its metric handles per caller
  // protocol.
  struct Arm {
    std::shared_ptr<Upstream> upstream;
    uint32_t weight = 0;
    // By protocol: netrpc, netrpc_http, jsonrpc, grpc.
    RouteMetrics* metrics[4] = {};
  };
  struct Method {
    std::vector<Arm> arms;
    uint64_t total_weight = 0;
    std::shared_ptr<Upstream> shadow;
    int sample_percent = 100;
    int max_concurrent_calls = 0;
    // Shared by the methods of one route.
    std::shared_ptr<std::atomic<int>> route_in_flight;
  };

  const Arm& PickArm(const Method& m) const;

  const std::shared_ptr<const bridge::Mapping> mapping_;
  const RouterEnv env_;
  absl::flat_hash_map<const bridge::Route*, Method> methods_;
};

}  // namespace gateway

#endif  // GATEWAY_ROUTER_H_
