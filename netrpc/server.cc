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

absl::Status ServerState::Register(absl::string_view name,
                                   const ServiceDesc& service, bool use_name) {
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
  auto entry = std::make_unique<ServiceEntry>();
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
    auto method = std::make_unique<MethodEntry>();
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
  MutexLock lock(&mu_);
  if (services_.contains(sname)) {
    return absl::AlreadyExistsError(
        absl::StrCat("rpc: service already defined: ", sname));
  }
  services_[sname] = std::move(entry);
  return absl::OkStatus();
}

absl::StatusOr<MethodEntry*> ServerState::Resolve(
    absl::string_view service_method) {
  size_t dot = service_method.rfind('.');
  if (dot == absl::string_view::npos) {
    return absl::InvalidArgumentError(absl::StrCat(
        "rpc: service/method request ill-formed: ", service_method));
  }
  absl::string_view service_name = service_method.substr(0, dot);
  absl::string_view method_name = service_method.substr(dot + 1);
  MutexLock lock(&mu_);
  auto service = services_.find(service_name);
  if (service == services_.end()) {
    return absl::NotFoundError(
        absl::StrCat("rpc: can't find service ", service_method));
  }
  auto method = service->second->methods.find(method_name);
  if (method == service->second->methods.end()) {
    return absl::NotFoundError(
        absl::StrCat("rpc: can't find method ", service_method));
  }
  return method->second.get();
}

namespace {

// CallState keeps one call's bodies alive until its response is written.
struct CallState {
  Response response;
  std::unique_ptr<Body> arg;
  std::unique_ptr<Body> reply;
  RespondFn respond;
};

}  // namespace

void ServerState::Call(MethodEntry* method, const Request& request,
                       std::unique_ptr<Body> arg, std::unique_ptr<Body> reply,
                       RespondFn respond) {
  auto call = std::make_shared<CallState>();
  call->response.service_method = request.service_method;
  call->response.seq = request.seq;
  call->arg = std::move(arg);
  call->reply = std::move(reply);
  call->respond = std::move(respond);
  WorkerPool::Default().Submit([method, call] {
    method->num_calls.fetch_add(1, std::memory_order_relaxed);
    method->desc.call(*call->arg, *call->reply, [call](absl::Status status) {
      // An error with an empty text is success, as in Go
      // (`if errInter != nil { errmsg = errInter.(error).Error() }`).
      if (!status.ok() && !status.message().empty()) {
        call->response.error = std::string(status.message());
        call->respond(call->response, nullptr);
      } else {
        call->respond(call->response, call->reply.get());
      }
    });
  });
}

std::vector<DebugService> ServerState::Snapshot() {
  std::vector<DebugService> out;
  MutexLock lock(&mu_);
  for (const auto& [name, service] : services_) {
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

namespace {

// ReadOutcome is what reading one request produced (Go's readRequest).
struct ReadOutcome {
  absl::Status status;      // the error to report, OK if a call is ready
  bool keep_reading = false;
  bool have_header = false;  // an error response is due
  Request request;
  internal::MethodEntry* method = nullptr;
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
  absl::StatusOr<internal::MethodEntry*> method =
      state.Resolve(out.request.service_method);
  if (!method.ok()) {
    codec.ReadRequestBody(nullptr).IgnoreError();  // as Go: errors ignored
    out.status = method.status();
    return out;
  }
  out.method = *method;
  out.arg = out.method->desc.new_arg();
  out.status = codec.ReadRequestBody(out.arg.get());
  return out;
}

// Responder serialises WriteResponse calls on one ServerCodec (Go's
// sending mutex) and counts the calls still to answer.
class Responder {
 public:
  explicit Responder(ServerCodec& codec) : codec_(codec) {}

  void Send(const Response& response, const Body* body) {
    MutexLock lock(&mu_);
    absl::Status status = codec_.WriteResponse(response, body);
    if (!status.ok()) Log(absl::StrCat("rpc: writing response: ",
                                       status.message()));
  }

  void Begin() {
    MutexLock lock(&mu_);
    ++inflight_;
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

Server::Server() : state_(std::make_shared<internal::ServerState>()) {}

Server::~Server() = default;

absl::Status Server::Register(const ServiceDesc& service) {
  return state_->Register("", service, /*use_name=*/false);
}

absl::Status Server::RegisterName(absl::string_view name,
                                  const ServiceDesc& service) {
  return state_->Register(name, service, /*use_name=*/true);
}

void Server::ServeConn(std::unique_ptr<Conn> conn) {
  ServeStream(std::move(conn), NewGobStreamServerCodec());
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
  Notification done;
  internal::ServeAsync(state_, std::move(socket), std::move(codec), "",
                       [&done] { done.Notify(); });
  done.WaitForNotification();
}

void Server::ServeCodec(std::unique_ptr<ServerCodec> codec) {
  // Shared with the calls: a call's last touch of it may come after WaitIdle
  // has let this function return.
  auto responder = std::make_shared<Responder>(*codec);
  for (;;) {
    ReadOutcome r = ReadRequest(*state_, *codec);
    if (!r.status.ok()) {
      if (!r.keep_reading) break;
      if (r.have_header) SendError(*responder, r.request, r.status);
      continue;
    }
    responder->Begin();
    std::unique_ptr<Body> reply = r.method->desc.new_reply();
    state_->Call(r.method, r.request, std::move(r.arg), std::move(reply),
                 [responder](const Response& response, const Body* body) {
                   responder->Send(response, body);
                   responder->End();
                 });
  }
  // Go: "We've seen that there are no more requests. Wait for responses to
  // be sent before closing codec."
  responder->WaitIdle();
  codec->Close().IgnoreError();
}

absl::Status Server::ServeRequest(ServerCodec& codec) {
  auto responder = std::make_shared<Responder>(codec);
  ReadOutcome r = ReadRequest(*state_, codec);
  if (!r.status.ok()) {
    if (!r.keep_reading) return r.status;
    if (r.have_header) SendError(*responder, r.request, r.status);
    return r.status;
  }
  auto done = std::make_shared<Notification>();
  std::unique_ptr<Body> reply = r.method->desc.new_reply();
  state_->Call(r.method, r.request, std::move(r.arg), std::move(reply),
               [responder, done](const Response& response, const Body* body) {
                 responder->Send(response, body);
                 done->Notify();
               });
  done->WaitForNotification();
  return absl::OkStatus();
}

void Server::Accept(Listener& listener) {
  AcceptStream(listener, [] { return NewGobStreamServerCodec(); });
}

void Server::AcceptStream(Listener& listener,
                          StreamServerCodecFactory new_codec) {
  std::shared_ptr<internal::ServerState> state = state_;
  listener.impl().Serve([state, new_codec](asio::ip::tcp::socket socket) {
    internal::ServeAsync(state, std::move(socket), new_codec(), "", nullptr);
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
