// Copyright netrpc-gateway authors. Licensed under the BSD-style licence of Go.

#include "netrpc/listener.h"

#include <utility>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "netrpc/conn.h"
#include "netrpc/io_internal.h"
#include "netrpc/log.h"
#include "netrpc/sync.h"

namespace netrpc {
namespace internal {
namespace {

// AcceptState is one Serve call: shared with the pending accept handler.
struct AcceptState {
  ListenerImpl* impl;
  std::function<void(asio::ip::tcp::socket)> on_conn;
  Notification done;
};

void AcceptNext(std::shared_ptr<AcceptState> state) {
  ListenerImpl* impl = state->impl;
  MutexLock lock(&impl->mu);
  if (impl->closed) {
    state->done.Notify();
    return;
  }
  // Each connection goes to the next I/O context (see IoPool).
  impl->acceptor.async_accept(
      IoPool::Default().context(),
      [state](const asio::error_code& ec, asio::ip::tcp::socket socket) {
        if (ec) {
          bool closed;
          {
            MutexLock lock(&state->impl->mu);
            closed = state->impl->closed;
          }
          // Go logs every accept error but the listener's own closing.
          if (!closed) Log(absl::StrCat("rpc.Serve: accept:", ec.message()));
          state->done.Notify();
          return;
        }
        state->on_conn(std::move(socket));
        AcceptNext(state);
      });
}

}  // namespace

void ListenerImpl::Serve(
    std::function<void(asio::ip::tcp::socket)> on_conn) {
  auto state = std::make_shared<AcceptState>();
  state->impl = this;
  state->on_conn = std::move(on_conn);
  AcceptNext(state);
  state->done.WaitForNotification();
}

void ListenerImpl::Close() {
  MutexLock lock(&mu);
  if (closed) return;
  closed = true;
  asio::error_code ignored;
  acceptor.close(ignored);
}

}  // namespace internal

Listener::Listener(std::unique_ptr<internal::ListenerImpl> impl)
    : impl_(std::move(impl)) {}

Listener::~Listener() { Close(); }

std::string Listener::Addr() const { return impl_->addr; }

void Listener::Close() { impl_->Close(); }

absl::StatusOr<std::unique_ptr<Listener>> Listen(absl::string_view network,
                                                 absl::string_view address) {
  if (network != "tcp" && network != "tcp4" && network != "tcp6") {
    return absl::InvalidArgumentError(
        absl::StrCat("listen ", network, ": unknown network ", network));
  }
  std::string host, port_text;
  absl::Status split = SplitHostPort(address, &host, &port_text);
  if (!split.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("listen ", network, " ", split.message()));
  }
  int port = 0;
  if (!port_text.empty() &&
      (!absl::SimpleAtoi(port_text, &port) || port < 0 || port > 65535)) {
    return absl::InvalidArgumentError(
        absl::StrCat("listen ", network, " ", address, ": invalid port"));
  }
  asio::error_code ec;
  asio::ip::address ip;
  if (host.empty()) {
    ip = network == "tcp4" ? asio::ip::address(asio::ip::address_v4::any())
                           : asio::ip::address(asio::ip::address_v6::any());
  } else if (host == "localhost") {
    ip = asio::ip::address_v4::loopback();
  } else {
    ip = asio::ip::make_address(host, ec);
    if (ec) {
      return absl::InvalidArgumentError(absl::StrCat(
          "listen ", network, " ", address, ": ", ec.message()));
    }
  }
  auto impl = std::make_unique<internal::ListenerImpl>(
      internal::IoPool::Default().context());
  asio::ip::tcp::endpoint endpoint(ip, static_cast<uint16_t>(port));
  {
    MutexLock lock(&impl->mu);
    asio::ip::tcp::acceptor& acceptor = impl->acceptor;
    auto fail = [&](absl::string_view op) {
      return absl::UnavailableError(absl::StrCat("listen ", network, " ",
                                                 address, ": ", op, ": ",
                                                 ec.message()));
    };
    acceptor.open(endpoint.protocol(), ec);
    if (ec) return fail("socket");
    if (ip.is_v6() && host.empty() && network == "tcp") {
      // ":port" listens on IPv4 too, as Go's dual-stack sockets.
      acceptor.set_option(asio::ip::v6_only(false), ec);
    }
    acceptor.set_option(asio::ip::tcp::acceptor::reuse_address(true), ec);
    acceptor.bind(endpoint, ec);
    if (ec) return fail("bind");
    acceptor.listen(asio::socket_base::max_listen_connections, ec);
    if (ec) return fail("listen");
    asio::ip::tcp::endpoint local = acceptor.local_endpoint(ec);
    if (ec) return fail("getsockname");
    impl->addr = local.address().is_v6()
                     ? absl::StrCat("[", local.address().to_string(),
                                    "]:", local.port())
                     : absl::StrCat(local.address().to_string(), ":",
                                    local.port());
  }
  return std::unique_ptr<Listener>(new Listener(std::move(impl)));
}

}  // namespace netrpc
