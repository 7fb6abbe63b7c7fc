// File: server.h
//
// AdminServer is the gateway's operator HTTP listener (cpp-httplib): metrics
// for Prometheus, liveness and readiness for the orchestrator, the effective
// config, the net/rpc debug page, mirror diffs and an opt-in reload. Every
// endpoint is a handler the gateway can replace; each has a sane default, so
// a bare server already answers /healthz, /readyz and /metrics.
//
//   gateway::MetricsRegistry registry;
//   gateway::AdminOptions options;
//   options.address = "127.0.0.1:9901";   // port 0 picks a free port
//   options.allow_reload = true;
//   gateway::AdminServer admin(options, &registry);
//   admin.SetConfigText([&] { return CurrentConfigAsYaml(); });
//   admin.SetReloadHandler([&]() -> absl::StatusOr<int64_t> {
//     return ReloadConfig();             // the new generation, or why not
//   });
//   absl::Status s = admin.Start();      // "admin: listen 127.0.0.1:9901:
//   if (!s.ok()) return s;               //  address already in use"
//   std::cout << "admin on " << admin.address() << "\n";
//   ... first config serving ...
//   admin.SetReady();
//   ... SIGTERM ...
//   admin.SetNotReady("draining");
//   admin.Stop();
//
// Endpoints (see README.md in this folder):
//
//   | method | path       | default answer                                 |
//   |--------|------------|------------------------------------------------|
//   | GET    | /          | index of the endpoints, text                   |
//   | GET    | /metrics   | registry text, format 0.0.4                    |
//   | GET    | /healthz   | 200 "ok"                                       |
//   | GET    | /readyz    | 200 "ready" or 503 "not ready: <reason>"       |
//   | GET    | /config    | SetConfigText's text; 503 until set            |
//   | GET    | /debug/rpc | SetDebugRpcPage's HTML; 503 until set          |
//   | GET    | /mirror    | SetMirrorText's text; 503 until set            |
//   | POST   | /reload    | 200 "reloaded generation N"; 400/500/503 error;|
//   |        |            | 403 unless AdminOptions::allow_reload          |
//
// GET endpoints also answer HEAD. A known path with the wrong method is 405
// with an Allow header; an unknown path is 404. Default bodies end in a
// newline.
//
// Thread-safety: [thread-safe]. Setters may be called at any time, before or
// after Start(), from any thread; a request in progress keeps the handler it
// started with. Handlers run on the server's worker threads
// (AdminOptions::threads), concurrently with each other (reloads excepted:
// the server runs one at a time), so they must be thread-safe themselves.
// Locks are netrpc::Mutex, which TSan can see (netrpc/sync.h).

#ifndef GATEWAY_ADMIN_SERVER_H_
#define GATEWAY_ADMIN_SERVER_H_

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <thread>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"

#include "gateway/metrics/registry.h"
#include "netrpc/sync.h"

namespace httplib {
class Server;
}  // namespace httplib

namespace gateway {

// AdminRequest is what a handler sees of a request.
struct AdminRequest {
  std::string method;  // "GET", "HEAD" or "POST"
  std::string path;    // without the query: "/metrics"
  // params holds the query parameters ("?limit=10"), decoded.
  std::multimap<std::string, std::string> params;
  std::string body;
};

// AdminResponse is what a handler answers.
struct AdminResponse {
  int status = 200;
  std::string content_type = "text/plain; charset=utf-8";
  std::string body;
  // headers are extra response headers (Content-Type is content_type).
  std::multimap<std::string, std::string> headers;
};

// AdminHandler answers one request. It must not throw; if it does anyway,
// the client gets a 500 and the server carries on.
using AdminHandler = std::function<AdminResponse(const AdminRequest&)>;

// AdminOptions configures an AdminServer.
struct AdminOptions {
  // address is "host:port", "[ipv6]:port", or ":port" for every IPv4
  // interface (0.0.0.0).
  // Port 0 picks a free port; address() tells which. Keep it on loopback or
  // a private network: it shows the config and can trigger a reload.
  // Default: "127.0.0.1:0".
  std::string address = "127.0.0.1:0";

  // allow_reload enables POST /reload; when false it answers 403. Default:
  // false (SIGHUP always works).
  bool allow_reload = false;

  // threads is the number of worker threads, hence of requests served at
  // once. A connection holds a thread from accept to answer (one request
  // per connection, no keep-alive). Default: 2.
  int threads = 2;

  // io_timeout bounds each read and write of a request or response, so a
  // stuck client cannot hold a worker for long. Default: 5s.
  absl::Duration io_timeout = absl::Seconds(5);
};

// AdminServer serves the admin endpoints over HTTP/1.1. [thread-safe]
class AdminServer {
 public:
  // The content types of the default endpoints.
  static constexpr absl::string_view kTextContentType =
      "text/plain; charset=utf-8";
  static constexpr absl::string_view kHtmlContentType =
      "text/html; charset=utf-8";

  // AdminServer prepares a server; nothing listens until Start(). registry,
  // if not null, is what GET /metrics renders and must outlive the server;
  // null serves an empty page.
  explicit AdminServer(AdminOptions options,
                       const MetricsRegistry* registry = nullptr);

  // ~AdminServer stops the server (see Stop).
  ~AdminServer();

  AdminServer(const AdminServer&) = delete;
  AdminServer& operator=(const AdminServer&) = delete;

  // Start binds options.address and serves on background threads. It
  // returns once the server accepts requests, or with an error naming the
  // address: kInvalidArgument for an address that does not parse, else the
  // code absl::ErrnoToStatusCode gives bind()'s errno ("admin: listen
  // 127.0.0.1:9901: address already in use" is kFailedPrecondition).
  // kFailedPrecondition too if already started. A stopped server may be
  // started again.
  absl::Status Start();

  // Stop closes the listener, finishes the requests in progress and joins
  // every thread the server started. A client that connected but has not
  // sent its request can delay it by up to options.io_timeout. Idempotent;
  // a no-op before Start.
  void Stop();

  // port is the bound port (useful with port 0), or 0 when not started.
  int port() const;

  // address is the bound "host:port" ("[::1]:9901" for IPv6), or "" when
  // not started.
  std::string address() const;

  // SetReady makes GET /readyz answer 200 "ready".
  void SetReady();

  // SetNotReady makes GET /readyz answer 503 "not ready: <reason>". A new
  // server is not ready, with reason "starting".
  void SetNotReady(absl::string_view reason);

  // IsReady reports what /readyz would answer.
  bool IsReady() const;

  // SetConfigText makes GET /config answer 200 with text() as text/plain
  // (textproto or YAML). Until set: 503.
  void SetConfigText(std::function<std::string()> text);

  // SetDebugRpcPage makes GET /debug/rpc answer 200 with html() as
  // text/html. Until set: 503.
  void SetDebugRpcPage(std::function<std::string()> html);

  // SetMirrorText makes GET /mirror answer 200 with text() as text/plain
  // (recent mirror diffs). Until set: 503.
  void SetMirrorText(std::function<std::string()> text);

  // SetReloadHandler gives POST /reload its action: reload the config and
  // return the generation now serving, or the reason it was refused. The
  // answer is 200 "reloaded generation N"; for an error, 400 if its code
  // says the config is at fault (kInvalidArgument, kFailedPrecondition,
  // kNotFound, kAlreadyExists, kOutOfRange), 503 for kUnavailable (say,
  // while draining), else 500, with "reload failed: <code>: <message>".
  // Reloads run one at a time. Without AdminOptions::allow_reload the
  // endpoint answers 403 whatever is set; with it but before this is set,
  // 503.
  void SetReloadHandler(std::function<absl::StatusOr<int64_t>()> reload);

  // Handle serves method ("GET" or "POST") on path with handler, replacing
  // the default for a built-in path, or adding a new endpoint that the index
  // lists with description. GET handlers also serve HEAD.
  void Handle(absl::string_view method, absl::string_view path,
              absl::string_view description, AdminHandler handler);

 private:
  struct Endpoint {
    std::string method;
    std::string description;
    AdminHandler handler;
  };

  void InstallDefaults();
  AdminResponse Dispatch(const AdminRequest& request) const;
  AdminResponse Index() const;
  AdminResponse Ready() const;
  AdminResponse Reload() const;

  const AdminOptions options_;
  const MetricsRegistry* const registry_;

  mutable netrpc::Mutex mu_;
  std::map<std::string, Endpoint> endpoints_ ABSL_GUARDED_BY(mu_);
  bool ready_ ABSL_GUARDED_BY(mu_) = false;
  std::string not_ready_reason_ ABSL_GUARDED_BY(mu_) = "starting";
  std::function<absl::StatusOr<int64_t>()> reload_ ABSL_GUARDED_BY(mu_);

  // Serialises reloads: two POSTs must not reload at once.
  mutable netrpc::Mutex reload_mu_;

  // Start and Stop hold lifecycle_mu_ throughout, so they never interleave
  // and a Stop returns only when the threads are joined.
  netrpc::Mutex lifecycle_mu_;
  std::unique_ptr<httplib::Server> server_ ABSL_GUARDED_BY(lifecycle_mu_);
  std::thread thread_ ABSL_GUARDED_BY(lifecycle_mu_);

  // The bound address has its own lock so handlers can read it while Stop
  // waits for them.
  mutable netrpc::Mutex bound_mu_;
  std::string bound_host_ ABSL_GUARDED_BY(bound_mu_);
  int bound_port_ ABSL_GUARDED_BY(bound_mu_) = 0;
};

}  // namespace gateway

#endif  // GATEWAY_ADMIN_SERVER_H_
