#include "gateway/upstream.h"

#include <atomic>
#include <fstream>
#include <sstream>
#include <thread>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "bridge/grpc/h2_client.h"
#include "gateway/config/duration.h"
#include "google/protobuf/util/message_differencer.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"
#include "grpcpp/support/channel_arguments.h"
#include "netrpc/client.h"
#include "netrpc/errors.h"
#include "netrpc/http.h"

namespace gateway {
namespace {

using UpstreamConfig = ::netrpc::config::v1::Upstream;

absl::StatusOr<std::string> ReadFile(const std::string& path,
                                     absl::string_view what) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return absl::FailedPreconditionError(
        absl::StrCat("gateway: cannot read ", what, " ", path));
  }
  std::stringstream buf;
  buf << in.rdbuf();
  return buf.str();
}

// GrpcUpstream calls through gRPC C++'s channel (GenericClient) or the lean
// HTTP/2 client (H2Client); the channel also serves reflection.
class GrpcUpstream final : public Upstream {
 public:
  GrpcUpstream(UpstreamConfig config, UpstreamOptions options,
               std::shared_ptr<grpc::Channel> channel,
               std::unique_ptr<bridge::H2Client> h2)
      : Upstream(std::move(config), options),
        channel_(std::move(channel)),
        h2_(h2.get()),
        backend_(h2 != nullptr ? std::unique_ptr<bridge::UnaryClient>(
                                     std::move(h2))
                               : std::make_unique<bridge::GenericClient>(
                                     channel_)) {}

  void Call(const bridge::BackendCall& call, Done done) override {
    backend_.Call(call, std::move(done));
  }

  std::shared_ptr<grpc::Channel> channel() const override { return channel_; }

  std::vector<std::pair<std::string, bool>> Health() const override {
    if (h2_ != nullptr) return {{config().grpc().target(), h2_->healthy()}};
    // IDLE and CONNECTING are not failures: a channel connects lazily.
    grpc_connectivity_state state = channel_->GetState(false);
    return {{config().grpc().target(),
             state != GRPC_CHANNEL_TRANSIENT_FAILURE &&
                 state != GRPC_CHANNEL_SHUTDOWN}};
  }

 private:
  std::shared_ptr<grpc::Channel> channel_;
  // h2_ is the backend's client when it is an H2Client (owned by backend_).
  const bridge::H2Client* h2_;
  bridge::GrpcBackend backend_;
};

absl::StatusOr<std::shared_ptr<Upstream>> NewGrpcUpstream(
    const UpstreamConfig& config, const UpstreamOptions& options) {
  const netrpc::config::v1::GrpcUpstream& g = config.grpc();
  grpc::ChannelArguments args;
  args.SetMaxReceiveMessageSize(options.max_message_bytes);
  args.SetMaxSendMessageSize(options.max_message_bytes);
  std::string policy = g.lb_policy().empty() ? "pick_first" : g.lb_policy();
  // The service config carries the policy and, if asked, client-side health
  // checking (grpc.health.v1 per backend; round_robin skips the unhealthy).
  std::string service_config =
      absl::StrCat(R"({"loadBalancingConfig":[{")", policy, R"(":{}}]})");
  if (g.health_check()) {
    service_config.pop_back();
    absl::StrAppend(&service_config,
                    R"(,"healthCheckConfig":{"serviceName":""}})");
  }
  args.SetServiceConfigJSON(service_config);
  std::shared_ptr<grpc::ChannelCredentials> creds;
  if (g.has_tls()) {
    grpc::SslCredentialsOptions ssl;
    if (!g.tls().ca_file().empty()) {
      absl::StatusOr<std::string> ca = ReadFile(g.tls().ca_file(), "ca_file");
      if (!ca.ok()) return ca.status();
      ssl.pem_root_certs = *ca;
    }
    if (!g.tls().cert_file().empty()) {
      absl::StatusOr<std::string> cert =
          ReadFile(g.tls().cert_file(), "cert_file");
      if (!cert.ok()) return cert.status();
      absl::StatusOr<std::string> key =
          ReadFile(g.tls().key_file(), "key_file");
      if (!key.ok()) return key.status();
      ssl.pem_cert_chain = *cert;
      ssl.pem_private_key = *key;
    }
    if (!g.tls().server_name().empty()) {
      args.SetSslTargetNameOverride(g.tls().server_name());
    }
    creds = grpc::SslCredentials(ssl);
  } else {
    creds = grpc::InsecureChannelCredentials();
  }
  std::shared_ptr<grpc::Channel> channel =
      grpc::CreateCustomChannel(g.target(), creds, args);
  if (channel == nullptr) {
    return absl::InvalidArgumentError(absl::StrCat(
        "gateway: upstream ", config.name(), ": bad target ", g.target()));
  }
  std::unique_ptr<bridge::H2Client> h2;
  if (g.client() == netrpc::config::v1::GrpcUpstream::CLIENT_H2) {
    bridge::H2ClientOptions h2_options;
    h2_options.target = g.target();
    h2_options.max_message_bytes = options.max_message_bytes;
    absl::StatusOr<std::unique_ptr<bridge::H2Client>> client =
        bridge::H2Client::Create(std::move(h2_options));
    if (!client.ok()) {
      return absl::InvalidArgumentError(absl::StrCat(
          "gateway: upstream ", config.name(), ": ", client.status().message()));
    }
    h2 = std::move(*client);
  }
  return std::make_shared<GrpcUpstream>(config, options, std::move(channel),
                                        std::move(h2));
}

// NetRpcUpstream spreads calls round-robin over the healthy addresses of a
// Go net/rpc service, each with a pool of its own.
class NetRpcUpstream final
    : public Upstream,
      public std::enable_shared_from_this<NetRpcUpstream> {
 public:
  NetRpcUpstream(UpstreamConfig config, UpstreamOptions options,
                 GatewayMetrics* metrics)
      : Upstream(std::move(config), options), metrics_(metrics) {
    const netrpc::config::v1::NetRpcUpstream& n = this->config().netrpc();
    for (const std::string& address : n.addresses()) {
      auto a = std::make_unique<Address>();
      bridge::NetRpcPoolOptions pool;
      pool.address = address;
      pool.http_path = n.http_path();
      if (n.connections() > 0) pool.connections = n.connections();
      if (n.has_redial_backoff()) {
        pool.redial_backoff = config::ToAbsl(n.redial_backoff());
      }
      a->address = address;
      a->pool = std::make_unique<bridge::NetRpcPool>(std::move(pool));
      if (metrics_ != nullptr) {
        a->gauge = metrics_->UpstreamHealthy(name(), address);
        a->gauge->Set(1);
      }
      addresses_.push_back(std::move(a));
    }
    interval_ = n.has_health_check_interval()
                    ? config::ToAbsl(n.health_check_interval())
                    : absl::Seconds(5);
    checker_ = std::thread([this] { CheckLoop(); });
  }

  ~NetRpcUpstream() override {
    {
      absl::MutexLock lock(&mu_);
      stop_ = true;
    }
    checker_.join();
  }

  void Call(const bridge::BackendCall& call, Done done) override {
    Address* a = Pick();
    bridge::NetRpcBackend::Start(
        call, *a->pool,
        [self = shared_from_this(), a, done = std::move(done)](
            absl::StatusOr<std::string> result) mutable {
          if (!result.ok() &&
              result.status().code() == absl::StatusCode::kUnavailable) {
            self->MarkDown(a);
          }
          done(std::move(result));
        });
  }

  std::vector<std::pair<std::string, bool>> Health() const override {
    std::vector<std::pair<std::string, bool>> out;
    for (const auto& a : addresses_) out.emplace_back(a->address, a->healthy);
    return out;
  }

 private:
  struct Address {
    std::string address;
    std::unique_ptr<bridge::NetRpcPool> pool;
    std::atomic<bool> healthy{true};
    Gauge* gauge = nullptr;
  };

  // Pick returns the next healthy address; if none is, the next one all the
  // same (its pool fails fast while the server stays down, and a stale
  // check must not black out a service that is back).
  Address* Pick() {
    size_t n = addresses_.size();
    size_t start = next_.fetch_add(1, std::memory_order_relaxed);
    for (size_t i = 0; i < n; ++i) {
      Address* a = addresses_[(start + i) % n].get();
      if (a->healthy.load(std::memory_order_relaxed)) return a;
    }
    return addresses_[start % n].get();
  }

  void SetHealthy(Address* a, bool healthy) {
    a->healthy.store(healthy, std::memory_order_relaxed);
    if (a->gauge != nullptr) a->gauge->Set(healthy ? 1 : 0);
  }

  void MarkDown(Address* a) {
    SetHealthy(a, false);
    absl::MutexLock lock(&mu_);
    recheck_ = true;  // look again soon rather than in a whole interval
  }

  // Check dials the address (and calls the check method, if any).
  bool Check(const Address& a) const {
    const netrpc::config::v1::NetRpcUpstream& n = config().netrpc();
    absl::StatusOr<std::unique_ptr<netrpc::Client>> client =
        n.http_path().empty()
            ? netrpc::Dial("tcp", a.address)
            : netrpc::DialHTTPPath("tcp", a.address, n.http_path());
    if (!client.ok()) return false;
    if (n.health_check_method().empty()) return true;
    int64_t reply = 0;
    absl::Status s = (*client)->Call(
        n.health_check_method(), int64_t{0}, &reply,
        netrpc::CallOptions{std::min(interval_, absl::Seconds(5))});
    // The method's own error (even about the argument) means it is there.
    return s.ok() || netrpc::IsServerError(s);
  }

  void CheckLoop() {
    absl::Duration wait = absl::ZeroDuration();  // check once at start
    for (;;) {
      {
        absl::MutexLock lock(&mu_);
        auto woken = [this] { return stop_ || recheck_; };
        mu_.AwaitWithTimeout(absl::Condition(&woken), wait);
        if (stop_) return;
        // A recheck right after a failure would only see the same refusal:
        // wait a little, at most the interval.
        recheck_ = false;
      }
      bool all_up = true;
      for (const auto& a : addresses_) {
        bool up = Check(*a);
        SetHealthy(a.get(), up);
        all_up = all_up && up;
      }
      // Down addresses are looked at more often than up ones.
      wait = all_up ? interval_ : std::min(interval_, absl::Seconds(1));
    }
  }

  GatewayMetrics* const metrics_;
  std::vector<std::unique_ptr<Address>> addresses_;
  std::atomic<size_t> next_{0};
  absl::Duration interval_;
  absl::Mutex mu_;
  bool stop_ ABSL_GUARDED_BY(mu_) = false;
  bool recheck_ ABSL_GUARDED_BY(mu_) = false;
  std::thread checker_;
};

}  // namespace

absl::StatusOr<std::shared_ptr<Upstream>> Upstream::Create(
    const netrpc::config::v1::Upstream& config, const UpstreamOptions& options,
    GatewayMetrics* metrics) {
  switch (config.kind_case()) {
    case netrpc::config::v1::Upstream::kGrpc:
      return NewGrpcUpstream(config, options);
    case netrpc::config::v1::Upstream::kNetrpc:
      if (config.netrpc().addresses().empty()) {
        return absl::InvalidArgumentError(absl::StrCat(
            "gateway: upstream ", config.name(), " has no addresses"));
      }
      return std::make_shared<NetRpcUpstream>(config, options, metrics);
    default:
      return absl::InvalidArgumentError(
          absl::StrCat("gateway: upstream ", config.name(),
                       " is neither grpc nor netrpc"));
  }
}

bool Upstream::SameConfig(const netrpc::config::v1::Upstream& config,
                          const UpstreamOptions& options) const {
  return options.max_message_bytes == options_.max_message_bytes &&
         google::protobuf::util::MessageDifferencer::Equals(config, config_);
}

}  // namespace gateway
