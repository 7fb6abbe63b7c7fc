// Copyright netrpc-gateway authors. Licensed under the BSD-style licence of
// Go.

#include "netrpc/any.h"

#include <fcntl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <chrono>
#include <memory>
#include <string>
#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "netrpc/io_internal.h"
#include "netrpc/jsonrpc/server_codec.h"
#include "netrpc/log.h"
#include "netrpc/server_internal.h"

namespace netrpc {
namespace {

constexpr absl::string_view kHttp2Preface = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n";

// The request methods of RFC 9110 and PATCH, each with its space.
constexpr absl::string_view kHttpMethods[] = {
    "GET ",     "HEAD ",    "POST ",  "PUT ",   "DELETE ",
    "CONNECT ", "OPTIONS ", "TRACE ", "PATCH ",
};

// How many bytes a peek looks at: enough for the preface and any method,
// and for some leading whitespace before a JSON object.
constexpr size_t kPeekBytes = 256;

bool IsJsonSpace(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

// Shared is what every sniffed connection of one ServeAny needs.
struct Shared {
  std::shared_ptr<internal::ServerState> gob;
  std::shared_ptr<internal::ServerState> jsonrpc;
  ServeMux* http = nullptr;
  std::function<void(int)> grpc;
  absl::Duration timeout;
};

std::shared_ptr<const Shared> SharedOf(const AnyOptions& options) {
  auto shared = std::make_shared<Shared>();
  if (options.gob != nullptr) shared->gob = options.gob->state();
  if (options.jsonrpc != nullptr) shared->jsonrpc = options.jsonrpc->state();
  shared->http = options.http;
  shared->grpc = options.grpc;
  shared->timeout = options.first_bytes_timeout;
  return shared;
}

std::string PeerOf(const asio::ip::tcp::socket& socket) {
  asio::error_code ec;
  asio::ip::tcp::endpoint peer = socket.remote_endpoint(ec);
  if (ec) return "unknown peer";
  if (peer.address().is_v6()) {
    return absl::StrCat("[", peer.address().to_string(), "]:", peer.port());
  }
  return absl::StrCat(peer.address().to_string(), ":", peer.port());
}

// Sniffer peeks at one connection's first bytes, then hands it over.
class Sniffer : public std::enable_shared_from_this<Sniffer> {
 public:
  Sniffer(asio::ip::tcp::socket socket, std::shared_ptr<const Shared> shared)
      : strand_(asio::make_strand(socket.get_executor())),
        socket_(std::move(socket)),
        deadline_(strand_),
        poll_(strand_),
        shared_(std::move(shared)) {}

  // StartAs skips sniffing: the connection is served as `protocol`.
  void StartAs(AnyProtocol protocol) {
    auto self = shared_from_this();
    asio::post(strand_, [self, protocol] { self->HandOff(protocol); });
  }

  void Start() {
    auto self = shared_from_this();
    asio::post(strand_, [self] {
      self->deadline_.expires_after(
          absl::ToChronoNanoseconds(self->shared_->timeout));
      self->deadline_.async_wait([self](const asio::error_code& ec) {
        if (!ec) self->OnTimeout();
      });
      self->WaitReadable();
    });
  }

 private:
  void WaitReadable() {
    auto self = shared_from_this();
    socket_.async_wait(
        asio::ip::tcp::socket::wait_read,
        asio::bind_executor(strand_, [self](const asio::error_code& ec) {
          if (self->done_) return;
          if (ec) {
            self->Close("");
            return;
          }
          self->Peek();
        }));
  }

  void Peek() {
    std::array<char, kPeekBytes> buf;
    ssize_t n;
    do {
      n = ::recv(socket_.native_handle(), buf.data(), buf.size(),
                 MSG_PEEK | MSG_DONTWAIT);
    } while (n < 0 && errno == EINTR);
    if (n == 0) {  // the client left without a word
      Close("");
      return;
    }
    if (n < 0) {
      if (errno == EAGAIN || errno == EWOULDBLOCK) {
        WaitReadable();
      } else {
        Close("");
      }
      return;
    }
    AnyProtocol protocol =
        SniffProtocol(absl::string_view(buf.data(), static_cast<size_t>(n)));
    if (protocol == AnyProtocol::kNeedMore) {
      // A partial token. The bytes stay queued, so readiness would fire at
      // once: poll again shortly, backing off, until the deadline.
      backoff_ = std::min(backoff_ * 2, std::chrono::milliseconds(50));
      poll_.expires_after(backoff_);
      auto self = shared_from_this();
      poll_.async_wait([self](const asio::error_code& ec) {
        if (!ec && !self->done_) self->Peek();
      });
      return;
    }
    HandOff(protocol);
  }

  void OnTimeout() {
    if (done_) return;
    Close(absl::StrCat("no protocol recognised within ",
                       absl::FormatDuration(shared_->timeout)));
  }

  void HandOff(AnyProtocol protocol) {
    done_ = true;
    deadline_.cancel();
    poll_.cancel();
    switch (protocol) {
      case AnyProtocol::kGrpc: {
        if (!shared_->grpc) {
          Close("no gRPC handler (AnyOptions::grpc)");
          return;
        }
        asio::error_code ec;
        int fd = socket_.release(ec);
        if (ec || fd < 0) return;
        int flags = ::fcntl(fd, F_GETFL, 0);
        if (flags >= 0) ::fcntl(fd, F_SETFL, flags | O_NONBLOCK);
        shared_->grpc(fd);
        return;
      }
      case AnyProtocol::kHttp:
        if (shared_->http == nullptr) {
          Close("no HTTP handler (AnyOptions::http)");
          return;
        }
        internal::ServeHTTPConnection(std::move(socket_), shared_->http);
        return;
      case AnyProtocol::kJsonRpc: {
        if (shared_->jsonrpc == nullptr) {
          Close("no jsonrpc server (AnyOptions::jsonrpc)");
          return;
        }
        jsonrpc::CodecOptions options;
        if (uint64_t max = shared_->jsonrpc->max_message_bytes(); max > 0) {
          options.max_message_bytes = max;
        }
        internal::ServeAsync(shared_->jsonrpc, std::move(socket_),
                             jsonrpc::NewStreamServerCodec(options), "",
                             nullptr, internal::kProtocolJSONRPC);
        return;
      }
      case AnyProtocol::kGob:
        if (shared_->gob == nullptr) {
          Close("no net/rpc gob server (AnyOptions::gob)");
          return;
        }
        internal::ServeAsync(shared_->gob, std::move(socket_),
                             internal::NewGobCodecFor(*shared_->gob), "",
                             nullptr, internal::kProtocolNetRPC);
        return;
      case AnyProtocol::kNeedMore:
        return;
    }
  }

  // Close ends the connection; a non-empty `why` is logged.
  void Close(absl::string_view why) {
    done_ = true;
    if (!why.empty()) {
      Log(absl::StrCat("rpc.ServeAny: closing connection from ",
                       PeerOf(socket_), ": ", why));
    }
    deadline_.cancel();
    poll_.cancel();
    asio::error_code ignored;
    socket_.shutdown(asio::ip::tcp::socket::shutdown_both, ignored);
    socket_.close(ignored);
  }

  asio::strand<asio::any_io_executor> strand_;
  asio::ip::tcp::socket socket_;
  asio::steady_timer deadline_;
  asio::steady_timer poll_;
  std::shared_ptr<const Shared> shared_;
  std::chrono::milliseconds backoff_{1};  // doubled before first use
  bool done_ = false;
};

}  // namespace

AnyProtocol SniffProtocol(absl::string_view data) {
  if (data.empty()) return AnyProtocol::kNeedMore;
  bool need_more = false;
  if (absl::StartsWith(data, kHttp2Preface)) return AnyProtocol::kGrpc;
  if (absl::StartsWith(kHttp2Preface, data)) need_more = true;
  for (absl::string_view method : kHttpMethods) {
    if (absl::StartsWith(data, method)) return AnyProtocol::kHttp;
    if (absl::StartsWith(method, data)) need_more = true;
  }
  if (need_more) return AnyProtocol::kNeedMore;
  size_t i = 0;
  while (i < data.size() && IsJsonSpace(data[i])) ++i;
  if (i == data.size()) {
    // Only whitespace so far: JSON may follow. A full peek of it can only
    // be JSON (or garbage the jsonrpc codec will refuse).
    return data.size() >= kPeekBytes ? AnyProtocol::kJsonRpc
                                     : AnyProtocol::kNeedMore;
  }
  if (data[i] == '{') return AnyProtocol::kJsonRpc;
  return AnyProtocol::kGob;
}

void ServeAny(Listener& listener, const AnyOptions& options) {
  std::shared_ptr<const Shared> shared = SharedOf(options);
  listener.impl().Serve([shared](asio::ip::tcp::socket socket) {
    std::make_shared<Sniffer>(std::move(socket), shared)->Start();
  });
}

namespace {

// SocketOf adopts an accepted fd on the I/O pool (closing it on failure).
bool SocketOf(int fd, asio::ip::tcp::socket* socket) {
  sockaddr_storage local{};
  socklen_t len = sizeof(local);
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&local), &len);
  asio::error_code ec;
  socket->assign(local.ss_family == AF_INET6 ? asio::ip::tcp::v6()
                                             : asio::ip::tcp::v4(),
                 fd, ec);
  if (ec) {
    ::close(fd);
    return false;
  }
  return true;
}

}  // namespace

void ServeAnyConn(int fd, const AnyOptions& options) {
  asio::ip::tcp::socket socket(internal::IoPool::Default().context());
  if (!SocketOf(fd, &socket)) return;
  std::make_shared<Sniffer>(std::move(socket), SharedOf(options))->Start();
}

void ServeConnAs(int fd, AnyProtocol protocol, const AnyOptions& options) {
  asio::ip::tcp::socket socket(internal::IoPool::Default().context());
  if (!SocketOf(fd, &socket)) return;
  if (protocol == AnyProtocol::kNeedMore) {
    std::make_shared<Sniffer>(std::move(socket), SharedOf(options))->Start();
    return;
  }
  std::make_shared<Sniffer>(std::move(socket), SharedOf(options))
      ->StartAs(protocol);
}

}  // namespace netrpc
