#include "gateway/router.h"

#include <random>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "bridge/grpc/status.h"
#include "gateway/log.h"

namespace gateway {
namespace {

constexpr absl::string_view kProtocols[] = {"netrpc", "netrpc_http",
                                            "jsonrpc", "grpc"};

int ProtocolIndex(absl::string_view protocol) {
  for (int i = 0; i < 4; ++i) {
    if (kProtocols[i] == protocol) return i;
  }
  return 0;
}

uint64_t Random(uint64_t n) {
  thread_local std::minstd_rand rng(std::random_device{}());
  return std::uniform_int_distribution<uint64_t>(0, n - 1)(rng);
}

}  // namespace

Router::Router(std::shared_ptr<const bridge::Mapping> mapping,
               absl::flat_hash_map<std::string, RouteTarget> targets,
               RouterEnv env)
    : mapping_(std::move(mapping)), env_(env) {
  absl::flat_hash_map<std::string, std::shared_ptr<std::atomic<int>>> counts;
  for (const bridge::Route& route : mapping_->routes().routes()) {
    auto t = targets.find(route.netrpc_service);
    if (t == targets.end()) continue;
    Method& m = methods_[&route];
    for (const auto& [upstream, weight] : t->second.arms) {
      Arm arm;
      arm.upstream = upstream;
      arm.weight = weight;
      if (env_.metrics != nullptr) {
        for (int p = 0; p < 4; ++p) {
          arm.metrics[p] = env_.metrics->Route(
              kProtocols[p], route.netrpc_name(), upstream->name());
        }
      }
      m.total_weight += weight;
      m.arms.push_back(std::move(arm));
    }
    m.shadow = t->second.shadow;
    m.sample_percent = t->second.sample_percent;
    m.max_concurrent_calls = t->second.max_concurrent_calls;
    auto& count = counts[route.netrpc_service];
    if (count == nullptr) count = std::make_shared<std::atomic<int>>(0);
    m.route_in_flight = count;
  }
}

const Router::Arm& Router::PickArm(const Method& m) const {
  if (m.arms.size() == 1 || m.total_weight == 0) return m.arms[0];
  uint64_t x = Random(m.total_weight);
  for (const Arm& arm : m.arms) {
    if (x < arm.weight) return arm;
    x -= arm.weight;
  }
  return m.arms.back();
}

void Router::Call(const bridge::BackendCall& call, Done done) {
  auto it = methods_.find(call.route);
  if (it == methods_.end() || it->second.arms.empty()) {
    done(absl::UnimplementedError(absl::StrCat(
        "gateway: ", call.route->netrpc_name(), " has no route")));
    return;
  }
  if (env_.draining != nullptr && env_.draining->load()) {
    done(absl::UnavailableError(
        "gateway: shutting down; retry on another replica"));
    return;
  }
  const Method& m = it->second;
  const Arm& arm = PickArm(m);
  RouteMetrics* metrics = arm.metrics[ProtocolIndex(call.protocol)];

  // Limits: the gateway's, then the route's. Excess fails at once.
  if (env_.in_flight != nullptr) {
    int64_t before = env_.in_flight->fetch_add(1);
    if (env_.max_concurrent_calls > 0 && before >= env_.max_concurrent_calls) {
      env_.in_flight->fetch_sub(1);
      if (env_.metrics != nullptr) {
        env_.metrics->Rejected(RejectReason::kGatewayConcurrency)->Increment();
      }
      done(absl::ResourceExhaustedError(absl::StrCat(
          "gateway: too many calls in flight (limit ",
          env_.max_concurrent_calls, "); retry later")));
      return;
    }
  }
  int before_route = m.route_in_flight->fetch_add(1);
  if (m.max_concurrent_calls > 0 && before_route >= m.max_concurrent_calls) {
    m.route_in_flight->fetch_sub(1);
    if (env_.in_flight != nullptr) env_.in_flight->fetch_sub(1);
    if (env_.metrics != nullptr) {
      env_.metrics->Rejected(RejectReason::kRouteConcurrency)->Increment();
    }
    done(absl::ResourceExhaustedError(absl::StrCat(
        "gateway: too many calls in flight for ", call.route->netrpc_service,
        " (limit ", m.max_concurrent_calls, "); retry later")));
    return;
  }

  std::shared_ptr<Mirror> mirror;
  if (m.shadow != nullptr &&
      (m.sample_percent >= 100 ||
       static_cast<int>(Random(100)) < m.sample_percent)) {
    mirror = Mirror::Start(call, m.shadow, metrics, env_.mirror_log);
  }

  if (metrics != nullptr) metrics->CallStarted();
  absl::Time start = absl::Now();
  arm.upstream->Call(
      call,
      [this_keep = mapping_, metrics, mirror = std::move(mirror),
       route = call.route,
       // Only a failed call's log line reads these; skip the copy when that
       // line is off.
       peer = LogEnabled(LogLevel::kWarn) ? std::string(call.peer) : "",
       protocol = ProtocolIndex(call.protocol), in_flight = env_.in_flight,
       route_in_flight = m.route_in_flight, upstream = arm.upstream,
       start, done = std::move(done)](
          absl::StatusOr<std::string> result) mutable {
        absl::StatusCode code = result.status().code();
        if (metrics != nullptr) metrics->CallFinished(code, absl::Now() - start);
        if (mirror != nullptr) mirror->PrimaryDone(result);
        if (!result.ok() && LogEnabled(LogLevel::kWarn)) {
          Log(LogLevel::kWarn, "call failed",
              {{"route", route->netrpc_name()},
               {"protocol", kProtocols[protocol]},
               {"peer", peer},
               {"upstream", upstream->name()},
               {"code", GrpcCodeName(code)},
               {"error", result.status().message()}});
        }
        route_in_flight->fetch_sub(1);
        // Last: drain may end the process once this reaches zero.
        std::atomic<int64_t>* counter = in_flight;
        done(std::move(result));
        if (counter != nullptr) counter->fetch_sub(1);
      });
}

}  // namespace gateway
