#include "gateway/gateway.h"

#include <algorithm>
#include <deque>
#include <limits>
#include <tuple>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "bridge/grpc/generic_server.h"
#include "bridge/grpc_to_netrpc.h"
#include "bridge/mapping.h"
#include "bridge/netrpc_to_grpc.h"
#include "bridge/schema/descriptor_set_source.h"
#include "bridge/schema/reflection_source.h"
#include "bridge/schema/schema.h"
#include "gateway/admin/server.h"
#include "gateway/config/defaults.h"
#include "gateway/config/duration.h"
#include "gateway/config/reload.h"
#include "gateway/config/validate.h"
#include "gateway/log.h"
#include "gateway/metrics/gateway_metrics.h"
#include "gateway/metrics/registry.h"
#include "gateway/mirror.h"
#include "gateway/router.h"
#include "gateway/upstream.h"
#include "google/protobuf/text_format.h"
#include "netrpc/any.h"
#include "netrpc/debug_page.h"
#include "netrpc/http.h"
#include "netrpc/jsonrpc/server_codec.h"
#include "netrpc/listener.h"
#include "netrpc/server.h"

namespace gateway {
namespace {

using GatewayConfig = ::netrpc::config::v1::Gateway;
using ::netrpc::config::v1::Listener;

// Generation is everything one config version serves with.
struct Generation {
  int64_t number = 0;
  config::LoadedConfig config;
  std::shared_ptr<const bridge::Schema> schema;
  std::shared_ptr<const bridge::Mapping> mapping;
  std::shared_ptr<Router> router;
  absl::flat_hash_map<std::string, std::shared_ptr<Upstream>> upstreams;
  // handler answers the gRPC calls decoded with schema.
  std::unique_ptr<bridge::GrpcToNetRpc> grpc_handler;
};

// ListenerIndex is the config index of the k-th GRPC listener.
int ListenerIndex(const GatewayConfig& c, size_t k) {
  size_t seen = 0;
  for (int i = 0; i < c.listeners_size(); ++i) {
    if (c.listeners(i).protocol() != Listener::GRPC) continue;
    if (seen++ == k) return i;
  }
  return 0;
}

UpstreamOptions UpstreamOptionsOf(const GatewayConfig& g) {
  UpstreamOptions o;
  o.max_message_bytes = static_cast<int>(std::min<int64_t>(
      g.limits().max_message_bytes(), std::numeric_limits<int>::max()));
  return o;
}

netrpc::ServerOptions ServerOptionsOf(const GatewayConfig& g,
                                      GatewayMetrics* metrics) {
  netrpc::ServerOptions o;
  o.on_connection = [metrics](absl::string_view protocol, bool opened) {
    ConnectionMetrics* c = metrics->Connections(protocol);
    if (opened) {
      c->ConnectionOpened();
    } else {
      c->ConnectionClosed();
    }
  };
  o.on_limit = [metrics](netrpc::LimitKind kind) {
    metrics
        ->Rejected(kind == netrpc::LimitKind::kMessageTooLarge
                       ? RejectReason::kMessageTooLarge
                       : RejectReason::kConnectionConcurrency)
        ->Increment();
  };
  o.max_message_bytes = static_cast<uint64_t>(g.limits().max_message_bytes());
  o.max_concurrent_calls_per_connection =
      g.limits().max_concurrent_calls_per_connection();
  return o;
}

// GrpcHandler answers gRPC calls with the generation whose schema decoded
// them, so a call that raced a reload still meets the descriptors it was
// decoded with.
class GrpcHandler final : public bridge::UnaryHandler {
 public:
  void Add(std::shared_ptr<const Generation> g) {
    absl::MutexLock lock(&mu_);
    generations_.push_front(std::move(g));
    // Calls decode with the schema current when they arrive, so the newest
    // few generations cover every call that can still be dispatched.
    if (generations_.size() > 3) generations_.pop_back();
  }

  void Handle(const bridge::ServerCall& call, Done done) override {
    std::shared_ptr<const Generation> g;
    {
      absl::MutexLock lock(&mu_);
      for (const auto& candidate : generations_) {
        if (candidate->schema == call.schema) {
          g = candidate;
          break;
        }
      }
    }
    if (g == nullptr) {
      done(absl::UnavailableError(
          "gateway: the config changed while the call arrived; retry"));
      return;
    }
    g->grpc_handler->Handle(call, std::move(done));
  }

 private:
  absl::Mutex mu_;
  std::deque<std::shared_ptr<const Generation>> generations_
      ABSL_GUARDED_BY(mu_);
};

}  // namespace

struct Gateway::Impl {
  // Metrics first: everything below holds handles into the registry.
  MetricsRegistry registry;
  std::unique_ptr<GatewayMetrics> metrics;
  MirrorLog mirror_log;
  std::atomic<int64_t> in_flight{0};
  std::atomic<bool> draining{false};

  netrpc::Server server;  // every net/rpc-speaking listener's
  GrpcHandler grpc_handler;
  std::unique_ptr<bridge::GenericServer> grpc;  // null if no gRPC listener

  struct Open {
    std::string name;
    Listener::Protocol protocol;
    std::unique_ptr<netrpc::Listener> listener;  // null for GRPC
    std::unique_ptr<netrpc::ServeMux> mux;
    std::string address;
    std::thread thread;
  };
  std::vector<Open> listeners;
  std::unique_ptr<AdminServer> admin;

  absl::Mutex reload_mu;  // one reload at a time
  mutable absl::Mutex mu;
  std::shared_ptr<const Generation> current ABSL_GUARDED_BY(mu);
  // Upstreams dropped by a reload, freed once no call holds them (on the
  // reload thread, never on one of their own callback threads).
  std::vector<std::shared_ptr<Upstream>> retired ABSL_GUARDED_BY(mu);

  absl::StatusOr<std::shared_ptr<Generation>> Build(
      config::LoadedConfig config, const Generation* previous);
  absl::Status Install(std::shared_ptr<Generation> g);
  absl::Status OpenListeners();
  absl::Status StartAdmin();
  void CloseListeners();
  // UpstreamHealth lists (upstream, address, usable) for the current
  // generation, updating the gRPC upstreams' health gauges on the way.
  std::vector<std::tuple<std::string, std::string, bool>> UpstreamHealth();
};

std::vector<std::tuple<std::string, std::string, bool>>
Gateway::Impl::UpstreamHealth() {
  std::shared_ptr<const Generation> g;
  {
    absl::MutexLock lock(&mu);
    g = current;
  }
  std::vector<std::tuple<std::string, std::string, bool>> out;
  for (const netrpc::config::v1::Upstream& u : g->config.gateway.upstreams()) {
    const std::shared_ptr<Upstream>& up = g->upstreams.at(u.name());
    for (const auto& [address, healthy] : up->Health()) {
      if (up->channel() != nullptr) {
        metrics->UpstreamHealthy(u.name(), address)->Set(healthy ? 1 : 0);
      }
      out.emplace_back(u.name(), address, healthy);
    }
  }
  return out;
}

absl::StatusOr<std::shared_ptr<Generation>> Gateway::Impl::Build(
    config::LoadedConfig loaded, const Generation* previous) {
  auto g = std::make_shared<Generation>();
  g->config = std::move(loaded);
  const GatewayConfig& c = g->config.gateway;
  const config::LoadedConfig& where = g->config;

  // Upstreams: keep those whose config did not change.
  UpstreamOptions upstream_options = UpstreamOptionsOf(c);
  for (int i = 0; i < c.upstreams_size(); ++i) {
    const netrpc::config::v1::Upstream& u = c.upstreams(i);
    if (previous != nullptr) {
      auto old = previous->upstreams.find(u.name());
      if (old != previous->upstreams.end() &&
          old->second->SameConfig(u, upstream_options)) {
        g->upstreams[u.name()] = old->second;
        continue;
      }
    }
    absl::StatusOr<std::shared_ptr<Upstream>> up =
        Upstream::Create(u, upstream_options, metrics.get());
    if (!up.ok()) {
      return where.Error(absl::StrCat("upstreams[", i, "]"),
                         up.status().message());
    }
    g->upstreams[u.name()] = *std::move(up);
  }

  // Schemas, in order.
  std::vector<std::unique_ptr<bridge::SchemaSource>> sources;
  for (const netrpc::config::v1::SchemaSource& s : c.schemas()) {
    if (s.has_reflection()) {
      auto up = g->upstreams.find(s.reflection());
      std::shared_ptr<grpc::Channel> channel =
          up == g->upstreams.end() ? nullptr : up->second->channel();
      if (channel == nullptr) {
        return where.Error("schemas", absl::StrCat("reflection: ",
                                                   s.reflection(),
                                                   " is not a gRPC upstream"));
      }
      sources.push_back(std::make_unique<bridge::ReflectionSource>(
          up->second->config().grpc().target(), channel));
    } else {
      sources.push_back(std::make_unique<bridge::DescriptorSetSource>(
          s.descriptor_set()));
    }
  }
  std::vector<bridge::SchemaSource*> raw;
  for (const auto& s : sources) raw.push_back(s.get());
  absl::StatusOr<std::shared_ptr<const bridge::Schema>> schema =
      bridge::Schema::Build(raw);
  if (!schema.ok()) return where.Error("schemas", schema.status().message());
  g->schema = *std::move(schema);

  absl::StatusOr<std::shared_ptr<const bridge::Mapping>> mapping =
      bridge::Mapping::Build(config::BridgeConfigOf(c), g->schema);
  if (!mapping.ok()) return config::CiteBridgeError(where, mapping.status());
  g->mapping = *std::move(mapping);

  absl::flat_hash_map<std::string, RouteTarget> targets;
  for (const netrpc::config::v1::Route& r : c.routes()) {
    RouteTarget t;
    if (r.split_size() > 0) {
      for (const auto& arm : r.split()) {
        t.arms.emplace_back(g->upstreams.at(arm.upstream()), arm.weight());
      }
    } else {
      t.arms.emplace_back(g->upstreams.at(r.upstream()), 1);
    }
    if (!r.shadow().empty()) t.shadow = g->upstreams.at(r.shadow());
    t.sample_percent =
        r.mirror_sample_percent() == 0 ? 100 : r.mirror_sample_percent();
    t.max_concurrent_calls = r.max_concurrent_calls();
    targets[r.service()] = std::move(t);
  }
  RouterEnv env;
  env.metrics = metrics.get();
  env.mirror_log = &mirror_log;
  env.in_flight = &in_flight;
  env.draining = &draining;
  env.max_concurrent_calls = c.limits().max_concurrent_calls();
  g->router = std::make_shared<Router>(g->mapping, std::move(targets), env);
  g->grpc_handler =
      std::make_unique<bridge::GrpcToNetRpc>(g->mapping, g->router);
  return g;
}

absl::Status Gateway::Impl::Install(std::shared_ptr<Generation> g) {
  std::vector<std::pair<std::string, netrpc::ServiceDesc>> services;
  for (netrpc::ServiceDesc& s : bridge::NetRpcServices(g->mapping, g->router)) {
    std::string name = s.type_name();
    services.emplace_back(std::move(name), std::move(s));
  }
  absl::Status s = server.ReplaceServices(services);
  if (!s.ok()) return g->config.Error("routes", s.message());
  server.SetOptions(ServerOptionsOf(g->config.gateway, metrics.get()));
  grpc_handler.Add(g);
  if (grpc != nullptr) {
    grpc->SetSchema(g->schema);
    grpc->SetMaxReceiveMessageBytes(UpstreamOptionsOf(g->config.gateway).max_message_bytes);
  }

  std::vector<std::shared_ptr<Upstream>> dropped;
  {
    absl::MutexLock lock(&mu);
    if (current != nullptr) {
      for (const auto& [name, up] : current->upstreams) {
        auto next = g->upstreams.find(name);
        if (next != g->upstreams.end() && next->second == up) continue;
        retired.push_back(up);
        // Stop exporting the health of addresses that left the config (the
        // ones still there belong to the new upstream of the same name).
        for (const auto& [address, healthy] : up->Health()) {
          bool kept = false;
          if (next != g->upstreams.end()) {
            for (const auto& [a, h] : next->second->Health()) {
              kept = kept || a == address;
            }
          }
          if (!kept) metrics->ForgetUpstreamAddress(name, address);
        }
      }
    }
    current = std::move(g);
    // Free retired upstreams nobody uses any more (here, not on a callback
    // thread of theirs).
    auto unused = std::partition(
        retired.begin(), retired.end(),
        [](const std::shared_ptr<Upstream>& u) { return u.use_count() > 1; });
    dropped.assign(std::make_move_iterator(unused),
                   std::make_move_iterator(retired.end()));
    retired.erase(unused, retired.end());
    metrics->ReloadSucceeded(current->number);
  }
  dropped.clear();
  return absl::OkStatus();
}

absl::Status Gateway::Impl::OpenListeners() {
  const config::LoadedConfig& where = current->config;
  const GatewayConfig& c = where.gateway;
  std::vector<std::string> grpc_addresses;
  std::vector<size_t> grpc_listeners;
  for (int i = 0; i < c.listeners_size(); ++i) {
    const Listener& l = c.listeners(i);
    Open open;
    open.name = l.name();
    open.protocol = l.protocol();
    if (l.protocol() == Listener::GRPC) {
      grpc_addresses.push_back(l.address());
      grpc_listeners.push_back(listeners.size());
      listeners.push_back(std::move(open));
      continue;
    }
    absl::StatusOr<std::unique_ptr<netrpc::Listener>> lis =
        netrpc::Listen("tcp", l.address());
    if (!lis.ok()) {
      return where.Error(absl::StrCat("listeners[", i, "].address"),
                         lis.status().message());
    }
    open.listener = *std::move(lis);
    open.address = open.listener->Addr();
    if (l.protocol() == Listener::NETRPC_HTTP ||
        l.protocol() == Listener::ANY) {
      open.mux = std::make_unique<netrpc::ServeMux>();
      absl::Status s = open.mux->HandleRPC(l.rpc_path(), l.debug_path(), server);
      if (!s.ok()) {
        return where.Error(absl::StrCat("listeners[", i, "]"), s.message());
      }
    }
    listeners.push_back(std::move(open));
  }
  bool any = std::any_of(listeners.begin(), listeners.end(), [](const Open& o) {
    return o.protocol == Listener::ANY;
  });
  if (!grpc_addresses.empty() || any) {
    bridge::GenericServerOptions options;
    options.address = grpc_addresses.empty() ? "" : grpc_addresses[0];
    options.more_addresses.assign(grpc_addresses.begin() + (grpc_addresses.empty() ? 0 : 1),
                                  grpc_addresses.end());
    options.max_receive_message_bytes =
        UpstreamOptionsOf(c).max_message_bytes;
    options.max_concurrent_streams =
        c.limits().max_concurrent_calls_per_connection();
    absl::StatusOr<std::unique_ptr<bridge::GenericServer>> started =
        bridge::GenericServer::Start(options, current->schema, &grpc_handler);
    if (!started.ok()) {
      // The error names the address that failed: cite its listener.
      for (size_t k = 0; k < grpc_listeners.size(); ++k) {
        if (absl::StrContains(started.status().message(),
                              absl::StrCat(" ", grpc_addresses[k], " "))) {
          return where.Error(
              absl::StrCat("listeners[", ListenerIndex(c, k),
                           "].address"),
              started.status().message());
        }
      }
      return where.Error("listeners", started.status().message());
    }
    grpc = *std::move(started);
    for (size_t k = 0; k < grpc_listeners.size(); ++k) {
      Open& open = listeners[grpc_listeners[k]];
      const std::string& configured = grpc_addresses[k];
      open.address = absl::StrCat(
          configured.substr(0, configured.rfind(':')), ":", grpc->ports()[k]);
    }
  }
  for (Open& open : listeners) {
    netrpc::Listener* lis = open.listener.get();
    switch (open.protocol) {
      case Listener::NETRPC:
        open.thread = std::thread([this, lis] { server.Accept(*lis); });
        break;
      case Listener::NETRPC_HTTP:
        open.thread = std::thread(
            [lis, mux = open.mux.get()] { netrpc::ServeHTTP(*lis, mux); });
        break;
      case Listener::JSONRPC:
        open.thread = std::thread(
            [this, lis] { netrpc::jsonrpc::Accept(server, *lis); });
        break;
      case Listener::ANY: {
        netrpc::AnyOptions any_options;
        any_options.gob = &server;
        any_options.jsonrpc = &server;
        any_options.http = open.mux.get();
        bridge::GenericServer* g = grpc.get();
        any_options.grpc = [g](int fd) { g->AddConnection(fd); };
        open.thread = std::thread(
            [lis, any_options] { netrpc::ServeAny(*lis, any_options); });
        break;
      }
      default:
        break;
    }
  }
  return absl::OkStatus();
}

absl::Status Gateway::Impl::StartAdmin() {
  const GatewayConfig& c = current->config.gateway;
  if (!c.has_admin()) return absl::OkStatus();
  AdminOptions options;
  options.address = c.admin().address();
  options.allow_reload = c.admin().allow_reload();
  admin = std::make_unique<AdminServer>(options, &registry);
  admin->SetConfigText([this] {
    std::shared_ptr<const Generation> g;
    {
      absl::MutexLock lock(&mu);
      g = current;
    }
    std::string text;
    google::protobuf::TextFormat::PrintToString(g->config.gateway, &text);
    return absl::StrCat("# generation ", g->number, " from ", g->config.file,
                        " (defaults applied)\n", text);
  });
  admin->SetDebugRpcPage([this] { return netrpc::DebugPage(server); });
  admin->SetMirrorText([this] { return mirror_log.Text(); });
  admin->Handle("GET", "/upstreams",
                "each upstream address and whether it is usable",
                [this](const AdminRequest&) {
                  AdminResponse r;
                  for (const auto& [name, address, up] : UpstreamHealth()) {
                    absl::StrAppend(&r.body, name, " ", address, " ",
                                    up ? "up" : "down", "\n");
                  }
                  return r;
                });
  // gRPC channels track their own health; read it at scrape time.
  admin->Handle("GET", "/metrics", "Prometheus metrics",
                [this](const AdminRequest&) {
                  (void)UpstreamHealth();
                  AdminResponse r;
                  r.content_type = std::string(FormatContentType());
                  r.body = registry.Text();
                  return r;
                });
  absl::Status s = admin->Start();
  if (!s.ok()) return current->config.Error("admin.address", s.message());
  return absl::OkStatus();
}

void Gateway::Impl::CloseListeners() {
  for (Open& open : listeners) {
    if (open.listener != nullptr) open.listener->Close();
  }
  for (Open& open : listeners) {
    if (open.thread.joinable()) open.thread.join();
  }
}

Gateway::Gateway(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

absl::StatusOr<std::unique_ptr<Gateway>> Gateway::Start(
    config::LoadedConfig config) {
  config::ApplyDefaults(&config.gateway);
  auto impl = std::make_unique<Impl>();
  absl::StatusOr<std::unique_ptr<GatewayMetrics>> metrics =
      GatewayMetrics::Create(&impl->registry);
  if (!metrics.ok()) return metrics.status();
  impl->metrics = *std::move(metrics);

  absl::StatusOr<std::shared_ptr<Generation>> g =
      impl->Build(std::move(config), nullptr);
  if (!g.ok()) return g.status();
  (*g)->number = 1;
  absl::Status s = impl->Install(*std::move(g));
  std::unique_ptr<Gateway> gateway(new Gateway(std::move(impl)));
  Impl& i = *gateway->impl_;
  if (s.ok()) s = i.OpenListeners();
  if (s.ok()) s = i.StartAdmin();
  if (!s.ok()) return s;  // ~Gateway closes what opened
  if (i.admin != nullptr) {
    i.admin->SetReloadHandler([gw = gateway.get()]() -> absl::StatusOr<int64_t> {
      absl::Status s = gw->ReloadFile();
      if (!s.ok()) return s;
      return gw->generation();
    });
    i.admin->SetReady();
  }
  for (const auto& [name, address] : gateway->Addresses()) {
    Log(LogLevel::kInfo, "listening", {{"listener", name}, {"address", address}});
  }
  return gateway;
}

absl::Status Gateway::Check(config::LoadedConfig config) {
  config::ApplyDefaults(&config.gateway);
  Impl impl;
  absl::StatusOr<std::unique_ptr<GatewayMetrics>> metrics =
      GatewayMetrics::Create(&impl.registry);
  if (!metrics.ok()) return metrics.status();
  impl.metrics = *std::move(metrics);
  absl::StatusOr<std::shared_ptr<Generation>> g =
      impl.Build(config, nullptr);
  if (!g.ok()) return g.status();
  const GatewayConfig& c = config.gateway;
  std::vector<std::pair<std::string, std::string>> addresses;
  for (int i = 0; i < c.listeners_size(); ++i) {
    addresses.emplace_back(absl::StrCat("listeners[", i, "].address"),
                           c.listeners(i).address());
  }
  if (c.has_admin()) addresses.emplace_back("admin.address", c.admin().address());
  for (const auto& [path, address] : addresses) {
    if (absl::EndsWith(address, ":0")) continue;  // any free port will do
    absl::StatusOr<std::unique_ptr<netrpc::Listener>> lis =
        netrpc::Listen("tcp", address);
    if (!lis.ok()) return config.Error(path, lis.status().message());
    (*lis)->Close();
  }
  return absl::OkStatus();
}

Gateway::~Gateway() {
  if (impl_->admin != nullptr) impl_->admin->Stop();
  impl_->CloseListeners();
  if (impl_->grpc != nullptr) impl_->grpc->Shutdown(absl::Now());
}

absl::Status Gateway::Reload(config::LoadedConfig next) {
  absl::MutexLock reload_lock(&impl_->reload_mu);
  if (impl_->draining) {
    return absl::UnavailableError("gateway: draining; reload refused");
  }
  config::ApplyDefaults(&next.gateway);
  std::shared_ptr<const Generation> previous;
  {
    absl::MutexLock lock(&impl_->mu);
    previous = impl_->current;
  }
  absl::Status s =
      config::ReloadCompatible(previous->config.gateway, next.gateway);
  absl::StatusOr<std::shared_ptr<Generation>> g =
      s.ok() ? impl_->Build(std::move(next), previous.get())
             : absl::StatusOr<std::shared_ptr<Generation>>(s);
  if (g.ok()) {
    (*g)->number = previous->number + 1;
    s = impl_->Install(*g);
  } else {
    s = g.status();
  }
  if (!s.ok()) {
    impl_->metrics->ReloadFailed();
    Log(LogLevel::kError, "reload refused; the old config keeps serving",
        {{"error", s.message()}});
    return s;
  }
  Log(LogLevel::kInfo, "reloaded",
      {{"generation", absl::StrCat((*g)->number)}, {"file", (*g)->config.file}});
  return absl::OkStatus();
}

absl::Status Gateway::ReloadFile() {
  std::string file;
  {
    absl::MutexLock lock(&impl_->mu);
    file = impl_->current->config.file;
  }
  absl::StatusOr<config::LoadedConfig> next = config::LoadAndValidate(file);
  if (!next.ok()) {
    impl_->metrics->ReloadFailed();
    Log(LogLevel::kError, "reload refused; the old config keeps serving",
        {{"error", next.status().message()}});
    return next.status();
  }
  return Reload(*std::move(next));
}

bool Gateway::Drain(absl::Duration grace) {
  absl::Time deadline = absl::Now() + grace;
  Impl& i = *impl_;
  i.draining = true;
  if (i.admin != nullptr) i.admin->SetNotReady("draining");
  Log(LogLevel::kInfo, "draining",
      {{"in_flight", absl::StrCat(i.in_flight.load())},
       {"grace", absl::FormatDuration(grace)}});
  i.CloseListeners();
  // gRPC finishes its own calls in flight (up to the deadline) meanwhile.
  std::thread grpc_stop([&i, deadline] {
    if (i.grpc != nullptr) i.grpc->Shutdown(deadline);
  });
  while (i.in_flight.load() > 0 && absl::Now() < deadline) {
    absl::SleepFor(absl::Milliseconds(5));
  }
  grpc_stop.join();
  int64_t left = i.in_flight.load();
  Log(left == 0 ? LogLevel::kInfo : LogLevel::kWarn, "drained",
      {{"calls_abandoned", absl::StrCat(left)}});
  if (i.admin != nullptr) i.admin->Stop();
  return left == 0;
}

std::vector<std::pair<std::string, std::string>> Gateway::Addresses() const {
  std::vector<std::pair<std::string, std::string>> out;
  for (const Impl::Open& open : impl_->listeners) {
    out.emplace_back(open.name, open.address);
  }
  return out;
}

std::string Gateway::AdminAddress() const {
  return impl_->admin == nullptr ? "" : impl_->admin->address();
}

int64_t Gateway::generation() const {
  absl::MutexLock lock(&impl_->mu);
  return impl_->current->number;
}

}  // namespace gateway

namespace gateway {

absl::Duration Gateway::drain_timeout() const {
  absl::MutexLock lock(&impl_->mu);
  return config::ToAbsl(impl_->current->config.gateway.drain_timeout());
}

}  // namespace gateway
