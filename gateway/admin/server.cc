// The one file that includes cpp-httplib: the rest of the gateway sees only
// server.h, which forward-declares httplib::Server.
#include "gateway/admin/server.h"

#include <errno.h>
#include <string.h>
#include <sys/socket.h>

#include <algorithm>
#include <atomic>
#include <exception>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"

#include "httplib.h"

namespace gateway {
namespace {

// Admin requests are tiny; a bigger body is a mistake or an attack.
constexpr size_t kMaxRequestBodyBytes = size_t{64} * 1024;

// How long Start waits for the listening thread to run.
constexpr absl::Duration kStartTimeout = absl::Seconds(10);

struct HostPort {
  std::string host;
  int port = 0;
};

absl::StatusOr<HostPort> ParseAddress(absl::string_view address) {
  auto bad = [&](absl::string_view why) {
    return absl::InvalidArgumentError(
        absl::StrCat("admin: bad address \"", address, "\": ", why,
                     "; want host:port, [ipv6]:port or :port"));
  };
  HostPort out;
  absl::string_view port;
  if (!address.empty() && address.front() == '[') {
    size_t close = address.find("]:");
    if (close == absl::string_view::npos) return bad("no \"]:\"");
    out.host = std::string(address.substr(1, close - 1));
    port = address.substr(close + 2);
  } else {
    size_t colon = address.rfind(':');
    if (colon == absl::string_view::npos) return bad("no port");
    out.host = std::string(address.substr(0, colon));
    if (out.host.find(':') != std::string::npos) {
      return bad("IPv6 hosts go in brackets");
    }
    port = address.substr(colon + 1);
  }
  // Go's ":9901" means every interface.
  if (out.host.empty()) out.host = "0.0.0.0";
  if (port.empty() || port.size() > 5 ||
      !std::all_of(port.begin(), port.end(),
                   [](char c) { return absl::ascii_isdigit(c); }) ||
      !absl::SimpleAtoi(port, &out.port) || out.port > 65535) {
    return bad("port must be a number from 0 to 65535");
  }
  return out;
}

std::string JoinHostPort(absl::string_view host, int port) {
  if (host.find(':') != absl::string_view::npos) {
    return absl::StrCat("[", host, "]:", port);
  }
  return absl::StrCat(host, ":", port);
}

// ErrnoText is strerror in Go's lower case: "address already in use".
std::string ErrnoText(int err) {
  std::string text = strerror(err);
  if (!text.empty()) text[0] = absl::ascii_tolower(text[0]);
  return text;
}

AdminResponse Text(int status, std::string body) {
  AdminResponse r;
  r.status = status;
  r.content_type = std::string(AdminServer::kTextContentType);
  r.body = std::move(body);
  return r;
}

// NotYet answers an endpoint whose content the gateway has not supplied.
AdminResponse NotYet(absl::string_view path) {
  return Text(503, absl::StrCat("admin: ", path,
                                " is not available yet; try again once the "
                                "gateway has loaded its config\n"));
}

int ReloadErrorStatus(absl::StatusCode code) {
  switch (code) {
    case absl::StatusCode::kInvalidArgument:
    case absl::StatusCode::kFailedPrecondition:
    case absl::StatusCode::kNotFound:
    case absl::StatusCode::kAlreadyExists:
    case absl::StatusCode::kOutOfRange:
      return 400;
    case absl::StatusCode::kUnavailable:
      return 503;
    default:
      return 500;
  }
}

}  // namespace

AdminServer::AdminServer(AdminOptions options, const MetricsRegistry* registry)
    : options_(std::move(options)), registry_(registry) {
  InstallDefaults();
}

AdminServer::~AdminServer() { Stop(); }

void AdminServer::InstallDefaults() {
  Handle("GET", "/", "this index",
         [this](const AdminRequest&) { return Index(); });
  Handle("GET", "/metrics", "Prometheus metrics (text format 0.0.4)",
         [this](const AdminRequest&) {
           AdminResponse r;
           r.content_type = std::string(FormatContentType());
           if (registry_ != nullptr) r.body = registry_->Text();
           return r;
         });
  Handle("GET", "/healthz", "liveness: 200 \"ok\" while the process is up",
         [](const AdminRequest&) { return Text(200, "ok\n"); });
  Handle("GET", "/readyz",
         "readiness: 200 \"ready\", or 503 and the reason (starting, "
         "draining)",
         [this](const AdminRequest&) { return Ready(); });
  Handle("GET", "/config", "the effective config",
         [](const AdminRequest&) { return NotYet("/config"); });
  Handle("GET", "/debug/rpc", "net/rpc debug page: services and call counts",
         [](const AdminRequest&) { return NotYet("/debug/rpc"); });
  Handle("GET", "/mirror", "recent differences between primary and shadow",
         [](const AdminRequest&) { return NotYet("/mirror"); });
  Handle("POST", "/reload",
         options_.allow_reload
             ? "reload the config now"
             : "reload the config now (disabled: admin.allow_reload is off)",
         [this](const AdminRequest&) { return Reload(); });
}

void AdminServer::Handle(absl::string_view method, absl::string_view path,
                         absl::string_view description, AdminHandler handler) {
  netrpc::MutexLock lock(&mu_);
  Endpoint& e = endpoints_[std::string(path)];
  e.method = std::string(method);
  // Replacing a built-in keeps its description unless a new one is given.
  if (!description.empty()) e.description = std::string(description);
  e.handler = std::move(handler);
}

void AdminServer::SetReady() {
  netrpc::MutexLock lock(&mu_);
  ready_ = true;
  not_ready_reason_.clear();
}

void AdminServer::SetNotReady(absl::string_view reason) {
  netrpc::MutexLock lock(&mu_);
  ready_ = false;
  not_ready_reason_ = std::string(reason);
}

bool AdminServer::IsReady() const {
  netrpc::MutexLock lock(&mu_);
  return ready_;
}

void AdminServer::SetConfigText(std::function<std::string()> text) {
  Handle("GET", "/config", "", [text = std::move(text)](const AdminRequest&) {
    return Text(200, text());
  });
}

void AdminServer::SetDebugRpcPage(std::function<std::string()> html) {
  Handle("GET", "/debug/rpc", "",
         [html = std::move(html)](const AdminRequest&) {
           AdminResponse r;
           r.content_type = std::string(kHtmlContentType);
           r.body = html();
           return r;
         });
}

void AdminServer::SetMirrorText(std::function<std::string()> text) {
  Handle("GET", "/mirror", "", [text = std::move(text)](const AdminRequest&) {
    return Text(200, text());
  });
}

void AdminServer::SetReloadHandler(
    std::function<absl::StatusOr<int64_t>()> reload) {
  netrpc::MutexLock lock(&mu_);
  reload_ = std::move(reload);
}

AdminResponse AdminServer::Ready() const {
  netrpc::MutexLock lock(&mu_);
  if (ready_) return Text(200, "ready\n");
  return Text(503, absl::StrCat("not ready: ", not_ready_reason_, "\n"));
}

AdminResponse AdminServer::Reload() const {
  if (!options_.allow_reload) {
    return Text(403,
                "admin: reload over HTTP is disabled; set admin.allow_reload "
                "in the config, or send the gateway SIGHUP\n");
  }
  std::function<absl::StatusOr<int64_t>()> reload;
  {
    netrpc::MutexLock lock(&mu_);
    reload = reload_;
  }
  if (!reload) return NotYet("/reload");
  absl::StatusOr<int64_t> generation;
  {
    netrpc::MutexLock lock(&reload_mu_);
    generation = reload();
  }
  if (generation.ok()) {
    return Text(200, absl::StrCat("reloaded generation ", *generation, "\n"));
  }
  const absl::Status& s = generation.status();
  return Text(
      ReloadErrorStatus(s.code()),
      absl::StrCat("reload failed: ", absl::StatusCodeToString(s.code()), ": ",
                   s.message(), "\n"));
}

AdminResponse AdminServer::Index() const {
  std::string out = "netrpc-gateway admin\n\n";
  netrpc::MutexLock lock(&mu_);
  for (const auto& [path, e] : endpoints_) {
    absl::StrAppendFormat(&out, "%-5s %-11s %s\n", e.method, path,
                          e.description);
  }
  return Text(200, std::move(out));
}

AdminResponse AdminServer::Dispatch(const AdminRequest& request) const {
  AdminHandler handler;
  {
    netrpc::MutexLock lock(&mu_);
    auto it = endpoints_.find(request.path);
    if (it == endpoints_.end()) {
      return Text(404, absl::StrCat("admin: no endpoint ", request.path,
                                    "; GET / lists them\n"));
    }
    const Endpoint& e = it->second;
    bool method_ok = request.method == e.method ||
                     (e.method == "GET" && request.method == "HEAD");
    if (!method_ok) {
      AdminResponse r =
          Text(405, absl::StrCat("admin: ", request.path, " takes ", e.method,
                                 ", not ", request.method, "\n"));
      r.headers.emplace("Allow", e.method == "GET" ? "GET, HEAD" : e.method);
      return r;
    }
    // Copied so the handler runs without mu_: it may be slow, or call
    // setters.
    handler = e.handler;
  }
  return handler(request);
}

absl::Status AdminServer::Start() {
  netrpc::MutexLock lifecycle(&lifecycle_mu_);
  if (server_ != nullptr) {
    return absl::FailedPreconditionError(absl::StrCat(
        "admin: already serving on ", address(), "; Stop() it first"));
  }
  absl::StatusOr<HostPort> hp = ParseAddress(options_.address);
  if (!hp.ok()) return hp.status();

  auto server = std::make_unique<httplib::Server>();
  size_t threads = static_cast<size_t>(std::max(1, options_.threads));
  server->new_task_queue = [threads] {
    return new httplib::ThreadPool(threads);
  };
  // SO_REUSEADDR only. httplib's default also sets SO_REUSEPORT, which lets
  // a second process bind the same port without error and take half the
  // connections: a stale gateway would then answer every other scrape.
  server->set_socket_options([](socket_t sock) {
    int yes = 1;
    setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof(yes));
  });
  int64_t io_usec = absl::ToInt64Microseconds(options_.io_timeout);
  server->set_read_timeout(io_usec / 1000000, io_usec % 1000000);
  server->set_write_timeout(io_usec / 1000000, io_usec % 1000000);
  // One request per connection: with keep-alive, a few idle clients would
  // hold every worker (and Stop would wait for them). Scrapes are seconds
  // apart, so reconnecting costs nothing. The timeout is how long a new
  // connection may stay silent before its request.
  server->set_keep_alive_max_count(1);
  server->set_keep_alive_timeout(
      std::max<time_t>(1, static_cast<time_t>(io_usec / 1000000)));
  server->set_payload_max_length(kMaxRequestBodyBytes);
  server->set_default_headers({{"Cache-Control", "no-store"}});

  httplib::Server::Handler handler = [this](const httplib::Request& req,
                                            httplib::Response& res) {
    AdminRequest request;
    request.method = req.method;
    request.path = req.path;
    request.params.insert(req.params.begin(), req.params.end());
    request.body = req.body;
    AdminResponse response = Dispatch(request);
    res.status = response.status;
    for (const auto& [name, value] : response.headers) {
      res.set_header(name, value);
    }
    res.set_content(response.body, response.content_type);
  };
  // One catch-all per method, so every request reaches Dispatch (which
  // tells 404 from 405) after httplib has read its body.
  server->Get(".*", handler);
  server->Post(".*", handler);
  server->Put(".*", handler);
  server->Patch(".*", handler);
  server->Delete(".*", handler);
  server->Options(".*", handler);
  // A handler that throws despite AdminHandler's contract costs one 500,
  // not the process.
  server->set_exception_handler([](const httplib::Request& req,
                                   httplib::Response& res,
                                   const std::exception_ptr&) {
    res.status = 500;
    res.set_content(
        absl::StrCat("admin: the handler for ", req.path, " failed\n"),
        std::string(kTextContentType));
  });

  // httplib reports only success or failure; errno still holds bind()'s or
  // listen()'s reason, since nothing after them in httplib sets it.
  errno = 0;
  int port = hp->port;
  bool bound;
  if (port == 0) {
    port = server->bind_to_any_port(hp->host);
    bound = port > 0;
  } else {
    bound = server->bind_to_port(hp->host, port);
  }
  if (!bound) {
    int err = errno;
    std::string where =
        absl::StrCat("admin: listen ", JoinHostPort(hp->host, hp->port), ": ");
    if (err == 0) {
      return absl::UnavailableError(
          absl::StrCat(where, "cannot bind (unknown host?)"));
    }
    return absl::Status(absl::ErrnoToStatusCode(err),
                        absl::StrCat(where, ErrnoText(err)));
  }

  // The listening loop runs on thread_; Stop() needs it to be running
  // (httplib's stop() does nothing before that), so wait for it here.
  auto returned = std::make_shared<std::atomic<bool>>(false);
  httplib::Server* raw = server.get();
  thread_ = std::thread([raw, returned] {
    raw->listen_after_bind();
    returned->store(true);
  });
  absl::Time deadline = absl::Now() + kStartTimeout;
  while (!raw->is_running() && !returned->load() && absl::Now() < deadline) {
    absl::SleepFor(absl::Milliseconds(1));
  }
  if (!raw->is_running()) {
    // Either the loop already gave up or it never started: make sure it
    // ends, then report.
    while (!returned->load()) {
      raw->stop();
      absl::SleepFor(absl::Milliseconds(1));
    }
    thread_.join();
    return absl::InternalError(absl::StrCat("admin: listen ",
                                            JoinHostPort(hp->host, port),
                                            ": the accept loop did not start"));
  }
  server_ = std::move(server);
  netrpc::MutexLock lock(&bound_mu_);
  bound_host_ = hp->host;
  bound_port_ = port;
  return absl::OkStatus();
}

void AdminServer::Stop() {
  netrpc::MutexLock lifecycle(&lifecycle_mu_);
  if (server_ == nullptr) return;
  {
    netrpc::MutexLock lock(&bound_mu_);
    bound_host_.clear();
    bound_port_ = 0;
  }
  // Closes the listening socket; the loop then drains its worker pool, which
  // finishes the requests in progress, and returns. Handlers still running
  // may call port() and address(): those take bound_mu_, not lifecycle_mu_.
  server_->stop();
  thread_.join();
  server_.reset();
}

int AdminServer::port() const {
  netrpc::MutexLock lock(&bound_mu_);
  return bound_port_;
}

std::string AdminServer::address() const {
  netrpc::MutexLock lock(&bound_mu_);
  if (bound_port_ == 0) return "";
  return JoinHostPort(bound_host_, bound_port_);
}

}  // namespace gateway
