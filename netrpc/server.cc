// Copyright netrpc-gateway authors. Licensed under the BSD-style licence of Go.

#include "netrpc/server.h"

#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"
#include "netrpc/errors.h"
#include "netrpc/gob_codec.h"
#include "netrpc/io_internal.h"
#include "netrpc/log.h"
#include "netrpc/server_internal.h"
#include "netrpc/sync.h"

namespace netrpc {
namespace internal {

absl::StatusOr<std::shared_ptr<const ServiceEntry>> ServerState::Build(
    absl::string_view name, const ServiceDesc& service, bool use_name) {
  // The checks and texts of Go's server.register, in its order.
  std::string sname(use_name ? name : service.type_name());
  if (sname.empty()) {
    std::string text = absl::StrCat("rpc.Register: no service name for type ",
                                    service.type_name());
    Log(text);
    return absl::InvalidArgumentError(text);
  }
  if (!use_name && !service_internal::IsExported(sname)) {
    std::string text =
        absl::StrCat("rpc.Register: type ", sname, " is not exported");
    Log(text);
    return absl::InvalidArgumentError(text);
  }
  auto entry = std::make_shared<ServiceEntry>();
  entry->name = sname;
  bool pointer_would_help = false;
  for (const MethodDesc& m : service.methods()) {
    if (!m.unsuitable.empty()) {
      // Go is silent about unexported methods (not in the method set).
      if (service_internal::IsExported(m.name)) Log(m.unsuitable);
      continue;
    }
    if (m.needs_pointer) {
      pointer_would_help = true;
      continue;
    }
    auto method = std::make_shared<MethodEntry>();
    method->desc = m;
    entry->methods[m.name] = std::move(method);
  }
  if (entry->methods.empty()) {
    std::string text = absl::StrCat("rpc.Register: type ", sname,
                                     " has no exported methods of suitable type");
    if (pointer_would_help) {
      absl::StrAppend(&text, " (hint: pass a pointer to value of that type)");
    }
    Log(text);
    return absl::InvalidArgumentError(text);
  }
  return std::shared_ptr<const ServiceEntry>(std::move(entry));
}

absl::Status ServerState::Register(absl::string_view name,
                                   const ServiceDesc& service, bool use_name) {
  absl::StatusOr<std::shared_ptr<const ServiceEntry>> entry =
      Build(name, service, use_name);
  if (!entry.ok()) return entry.status();
  MutexLock lock(&mu_);
  if (services_->services.contains((*entry)->name)) {
    return absl::AlreadyExistsError(
        absl::StrCat("rpc: service already defined: ", (*entry)->name));
  }
  // Copy on write: readers keep the map they hold; entries are shared, so
  // call counts carry over.
  auto next = std::make_shared<ServiceMap>(*services_);
  next->services[(*entry)->name] = std::move(*entry);
  services_ = std::move(next);
  generation_.fetch_add(1, std::memory_order_release);
  return absl::OkStatus();
}

absl::Status ServerState::ReplaceServices(
    const std::vector<std::pair<std::string, ServiceDesc>>& services) {
  auto next = std::make_shared<ServiceMap>();
  for (const auto& [name, service] : services) {
    absl::StatusOr<std::shared_ptr<const ServiceEntry>> entry =
        Build(name, service, /*use_name=*/!name.empty());
    if (!entry.ok()) return entry.status();
    if (next->services.contains((*entry)->name)) {
      return absl::AlreadyExistsError(
          absl::StrCat("rpc: service already defined: ", (*entry)->name));
    }
    next->services[(*entry)->name] = std::move(*entry);
  }
  MutexLock lock(&mu_);
  services_ = std::move(next);
  generation_.fetch_add(1, std::memory_order_release);
  return absl::OkStatus();
}

std::shared_ptr<const ServiceMap> ServerState::services() const {
  MutexLock lock(&mu_);
  return services_;
}

absl::StatusOr<const std::shared_ptr<MethodEntry>*> ServerState::Resolve(
    const ServiceMap& map, absl::string_view service_method) {
  size_t dot = service_method.rfind('.');
  if (dot == absl::string_view::npos) {
    return absl::InvalidArgumentError(absl::StrCat(
        "rpc: service/method request ill-formed: ", service_method));
  }
  absl::string_view service_name = service_method.substr(0, dot);
  absl::string_view method_name = service_method.substr(dot + 1);
  auto service = map.services.find(service_name);
  if (service == map.services.end()) {
    return absl::NotFoundError(
        absl::StrCat("rpc: can't find service ", service_method));
  }
  auto method = service->second->methods.find(method_name);
  if (method == service->second->methods.end()) {
    return absl::NotFoundError(
        absl::StrCat("rpc: can't find method ", service_method));
  }
  return &method->second;
}

namespace {

thread_local const CallContext* current_call = nullptr;

// CallState keeps one call's bodies alive until its response is written.
// It owns itself: the `done` given to the method deletes it, so `done`
// captures one pointer (no allocation for the std::function).
struct CallState {
  std::shared_ptr<MethodEntry> method;
  Response response;
  std::unique_ptr<Body> arg;
  std::unique_ptr<Body> reply;
  std::shared_ptr<CallOwner> owner;
  CallContext context;

  void Run() {
    // `done` may delete this before `call` returns: keep the method (and so
    // the std::function being run) alive on the stack.
    std::shared_ptr<MethodEntry> m = method;
    m->num_calls.fetch_add(1, std::memory_order_relaxed);
    const CallContext* outer = current_call;
    current_call = &context;
    CallState* self = this;
    m->desc.call(*arg, *reply, [self](absl::Status status) {
      self->Finish(status);
    });
    current_call = outer;
  }

  void Finish(const absl::Status& status) {
    // `done` called from inside `call`: the context dies with this state.
    if (current_call == &context) current_call = nullptr;
    // An error with an empty text is success, as in Go
    // (`if errInter != nil { errmsg = errInter.(error).Error() }`).
    if (!status.ok() && !status.message().empty()) {
      response.error = std::string(status.message());
      owner->Respond(response, nullptr);
    } else {
      owner->Respond(response, reply.get());
    }
    delete this;
  }
};

}  // namespace

void ServerState::Call(std::shared_ptr<MethodEntry> method,
                       const Request& request, std::unique_ptr<Body> arg,
                       std::unique_ptr<Body> reply,
                       std::shared_ptr<CallOwner> owner,
                       absl::string_view peer, absl::string_view protocol,
                       bool may_inline) {
  auto* call = new CallState;
  bool run_inline = may_inline && method->desc.inline_ok;
  call->method = std::move(method);
  call->response.service_method = request.service_method;
  call->response.seq = request.seq;
  call->arg = std::move(arg);
  call->reply = std::move(reply);
  call->owner = std::move(owner);
  call->context.peer = peer;
  call->context.protocol = protocol;
  call->context.service_method = call->response.service_method;
  call->context.seq = request.seq;
  if (run_inline) {
    call->Run();
  } else {
    WorkerPool::Default().Submit([call] { call->Run(); });
  }
}

std::vector<DebugService> ServerState::Snapshot() {
  std::vector<DebugService> out;
  std::shared_ptr<const ServiceMap> map = services();
  for (const auto& [name, service] : map->services) {
    DebugService ds;
    ds.name = name;
    for (const auto& [mname, method] : service->methods) {
      ds.methods.push_back({mname, method->desc.arg_type,
                            method->desc.reply_type,
                            method->num_calls.load(std::memory_order_relaxed)});
    }
    std::sort(ds.methods.begin(), ds.methods.end(),
              [](const DebugMethod& a, const DebugMethod& b) {
                return a.name < b.name;
              });
    out.push_back(std::move(ds));
  }
  std::sort(out.begin(), out.end(),
            [](const DebugService& a, const DebugService& b) {
              return a.name < b.name;
            });
  return out;
}

}  // namespace internal

const CallContext* CurrentCall() { return internal::current_call; }

namespace {

// ReadOutcome is what reading one request produced (Go's readRequest).
struct ReadOutcome {
  absl::Status status;      // the error to report, OK if a call is ready
  bool keep_reading = false;
  bool have_header = false;  // an error response is due
  Request request;
  std::shared_ptr<internal::MethodEntry> method;
  std::unique_ptr<Body> arg;
};

ReadOutcome ReadRequest(internal::ServerState& state, ServerCodec& codec) {
  ReadOutcome out;
  out.status = codec.ReadRequestHeader(&out.request);
  if (!out.status.ok()) {
    if (!IsEOF(out.status) && !IsUnexpectedEOF(out.status)) {
      out.status = absl::Status(
          out.status.code(), absl::StrCat("rpc: server cannot decode request: ",
                                          out.status.message()));
    }
    return out;
  }
  out.keep_reading = true;
  out.have_header = true;
  std::shared_ptr<const internal::ServiceMap> services = state.services();
  absl::StatusOr<const std::shared_ptr<internal::MethodEntry>*> method =
      internal::ServerState::Resolve(*services, out.request.service_method);
  if (!method.ok()) {
    codec.ReadRequestBody(nullptr).IgnoreError();  // as Go: errors ignored
    out.status = method.status();
    return out;
  }
  out.method = **method;
  out.arg = out.method->desc.new_arg();
  out.status = codec.ReadRequestBody(out.arg.get());
  return out;
}

// Responder serialises WriteResponse calls on one ServerCodec (Go's
// sending mutex) and counts the calls still to answer.
class Responder : public internal::CallOwner {
 public:
  explicit Responder(ServerCodec& codec, std::function<void()> on_respond = {})
      : codec_(codec), on_respond_(std::move(on_respond)) {}

  void Send(const Response& response, const Body* body) {
    MutexLock lock(&mu_);
    absl::Status status = codec_.WriteResponse(response, body);
    if (!status.ok()) Log(absl::StrCat("rpc: writing response: ",
                                       status.message()));
  }

  void Respond(const Response& response, const Body* body) override {
    Send(response, body);
    End();
    if (on_respond_) on_respond_();
  }

  // Begin counts a call about to start; false if `limit` (> 0) calls are
  // already running.
  bool Begin(int limit) {
    MutexLock lock(&mu_);
    if (limit > 0 && inflight_ >= limit) return false;
    ++inflight_;
    return true;
  }
  void End() {
    MutexLock lock(&mu_);
    --inflight_;
  }
  void WaitIdle() {
    MutexLock lock(&mu_);
    mu_.Await(
        [this]() ABSL_NO_THREAD_SAFETY_ANALYSIS { return inflight_ == 0; });
  }

 private:
  ServerCodec& codec_;
  std::function<void()> on_respond_;
  Mutex mu_;
  int inflight_ ABSL_GUARDED_BY(mu_) = 0;
};

void SendError(Responder& responder, const Request& request,
               const absl::Status& status) {
  Response response;
  response.service_method = request.service_method;
  response.seq = request.seq;
  response.error = std::string(status.message());
  responder.Send(response, nullptr);
}

}  // namespace

namespace internal {

std::string TooManyCallsText(int limit) {
  return absl::StrCat("rpc: too many calls in flight on this connection (limit ",
                      limit, ")");
}

std::unique_ptr<StreamServerCodec> NewGobCodecFor(const ServerState& state) {
  GobCodecOptions options;
  if (uint64_t max = state.max_message_bytes(); max > 0) {
    options.max_message_bytes = max;
  }
  return NewGobStreamServerCodec(options);
}

}  // namespace internal

Server::Server() : state_(std::make_shared<internal::ServerState>()) {}

Server::Server(const ServerOptions& options) : Server() { SetOptions(options); }

Server::~Server() = default;

void Server::SetOptions(const ServerOptions& options) {
  state_->SetOptions(options.max_message_bytes,
                     options.max_concurrent_calls_per_connection,
                     options.on_limit, options.on_connection);
}

ServerOptions Server::options() const {
  ServerOptions o;
  o.max_message_bytes = state_->max_message_bytes();
  o.max_concurrent_calls_per_connection = state_->max_calls_per_connection();
  o.on_limit = state_->on_limit();
  if (auto c = state_->on_connection(); c != nullptr) o.on_connection = *c;
  return o;
}

absl::Status Server::Register(const ServiceDesc& service) {
  return state_->Register("", service, /*use_name=*/false);
}

absl::Status Server::RegisterName(absl::string_view name,
                                  const ServiceDesc& service) {
  return state_->Register(name, service, /*use_name=*/true);
}

absl::Status Server::ReplaceServices(
    const std::vector<std::pair<std::string, ServiceDesc>>& services) {
  return state_->ReplaceServices(services);
}

void Server::ServeConn(std::unique_ptr<Conn> conn) {
  ServeStream(std::move(conn), internal::NewGobCodecFor(*state_));
}

void Server::ServeStream(std::unique_ptr<Conn> conn,
                         std::unique_ptr<StreamServerCodec> codec) {
  auto* tcp = dynamic_cast<TcpConn*>(conn.get());
  if (tcp == nullptr) {
    ServeCodec(NewServerCodec(std::move(conn), std::move(codec)));
    return;
  }
  // A TCP connection moves onto the I/O pool; the caller only waits, as
  // Go's ServeConn blocks.
  int fd = tcp->Release();
  if (fd < 0) return;  // already closed
  sockaddr_storage local{};
  socklen_t len = sizeof(local);
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&local), &len);
  asio::ip::tcp::socket socket(internal::IoPool::Default().context());
  asio::error_code ec;
  socket.assign(local.ss_family == AF_INET6 ? asio::ip::tcp::v6()
                                            : asio::ip::tcp::v4(),
                fd, ec);
  if (ec) {
    ::close(fd);
    return;
  }
  absl::string_view protocol = codec->Protocol();
  Notification done;
  internal::ServeAsync(state_, std::move(socket), std::move(codec), "",
                       [&done] { done.Notify(); }, protocol);
  done.WaitForNotification();
}

void Server::ServeCodec(std::unique_ptr<ServerCodec> codec) {
  // Shared with the calls: a call's last touch of it may come after WaitIdle
  // has let this function return.
  auto responder = std::make_shared<Responder>(*codec);
  const int limit = state_->max_calls_per_connection();
  for (;;) {
    ReadOutcome r = ReadRequest(*state_, *codec);
    if (!r.status.ok()) {
      if (!r.keep_reading) break;
      if (r.have_header) SendError(*responder, r.request, r.status);
      continue;
    }
    if (!responder->Begin(limit)) {
      state_->Limited(LimitKind::kTooManyCalls);
      SendError(*responder, r.request,
                absl::ResourceExhaustedError(internal::TooManyCallsText(limit)));
      continue;
    }
    std::unique_ptr<Body> reply = r.method->desc.new_reply();
    internal::ServerState::Call(std::move(r.method), r.request,
                                std::move(r.arg), std::move(reply), responder,
                                "", internal::kProtocolNetRPC,
                                /*may_inline=*/false);
  }
  // Go: "We've seen that there are no more requests. Wait for responses to
  // be sent before closing codec."
  responder->WaitIdle();
  codec->Close().IgnoreError();
}

absl::Status Server::ServeRequest(ServerCodec& codec) {
  auto done = std::make_shared<Notification>();
  auto responder =
      std::make_shared<Responder>(codec, [done] { done->Notify(); });
  ReadOutcome r = ReadRequest(*state_, codec);
  if (!r.status.ok()) {
    if (!r.keep_reading) return r.status;
    if (r.have_header) SendError(*responder, r.request, r.status);
    return r.status;
  }
  responder->Begin(0);
  std::unique_ptr<Body> reply = r.method->desc.new_reply();
  internal::ServerState::Call(std::move(r.method), r.request, std::move(r.arg),
                              std::move(reply), responder, "",
                              internal::kProtocolNetRPC, /*may_inline=*/false);
  done->WaitForNotification();
  return absl::OkStatus();
}

void Server::Accept(Listener& listener) {
  std::shared_ptr<internal::ServerState> state = state_;
  listener.impl().Serve([state](asio::ip::tcp::socket socket) {
    internal::ServeAsync(state, std::move(socket),
                         internal::NewGobCodecFor(*state), "", nullptr);
  });
}

void Server::AcceptStream(Listener& listener,
                          StreamServerCodecFactory new_codec) {
  std::shared_ptr<internal::ServerState> state = state_;
  listener.impl().Serve([state, new_codec](asio::ip::tcp::socket socket) {
    std::unique_ptr<StreamServerCodec> codec = new_codec();
    absl::string_view protocol = codec->Protocol();
    internal::ServeAsync(state, std::move(socket), std::move(codec), "",
                         nullptr, protocol);
  });
}

Server& DefaultServer() {
  static Server* server = new Server;  // never destroyed, as Go's
  return *server;
}

absl::Status Register(const ServiceDesc& service) {
  return DefaultServer().Register(service);
}

absl::Status RegisterName(absl::string_view name, const ServiceDesc& service) {
  return DefaultServer().RegisterName(name, service);
}

void ServeConn(std::unique_ptr<Conn> conn) {
  DefaultServer().ServeConn(std::move(conn));
}

void ServeCodec(std::unique_ptr<ServerCodec> codec) {
  DefaultServer().ServeCodec(std::move(codec));
}

absl::Status ServeRequest(ServerCodec& codec) {
  return DefaultServer().ServeRequest(codec);
}

void Accept(Listener& listener) { DefaultServer().Accept(listener); }

}  // namespace netrpc
