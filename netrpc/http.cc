// Copyright netrpc-gateway authors. Licensed under the BSD-style licence of Go.

#include "netrpc/http.h"

#include <array>
#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/strip.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "netrpc/debug_page.h"
#include "netrpc/errors.h"
#include "netrpc/gob_codec.h"
#include "netrpc/server_internal.h"
#include "netrpc/sync.h"

namespace netrpc {
namespace {

// Go's `connected` status and the exact bytes its server writes.
constexpr absl::string_view kConnected = "200 Connected to Go RPC";
constexpr absl::string_view kConnectedResponse =
    "HTTP/1.0 200 Connected to Go RPC\n\n";

// Go's http.DefaultMaxHeaderBytes: a request head larger than this is
// refused.
constexpr size_t kMaxHeaderBytes = 1 << 20;

// HeaderEnd returns the offset just past the blank line that ends an HTTP
// head (LF or CRLF line ends), or npos.
size_t HeaderEnd(absl::string_view data) {
  for (size_t i = data.find('\n'); i != absl::string_view::npos;
       i = data.find('\n', i + 1)) {
    if (i + 1 < data.size() && data[i + 1] == '\n') return i + 2;
    if (i + 2 < data.size() && data[i + 1] == '\r' && data[i + 2] == '\n') {
      return i + 3;
    }
  }
  return absl::string_view::npos;
}

std::string HttpDate() {
  return absl::FormatTime("%a, %d %b %Y %H:%M:%S GMT", absl::Now(),
                          absl::UTCTimeZone());
}

// RequestLine is the first line of an HTTP request.
struct RequestLine {
  std::string method, path, proto;
};

bool ParseRequestLine(absl::string_view head, RequestLine* line) {
  absl::string_view first = head.substr(0, head.find('\n'));
  absl::ConsumeSuffix(&first, "\r");
  std::vector<absl::string_view> parts = absl::StrSplit(first, ' ');
  if (parts.size() != 3 || parts[0].empty() || parts[1].empty() ||
      !absl::StartsWith(parts[2], "HTTP/1.")) {
    return false;
  }
  line->method = std::string(parts[0]);
  absl::string_view target = parts[1];
  target = target.substr(0, target.find('?'));
  line->path = std::string(target);
  line->proto = std::string(parts[2]);
  return true;
}

// HttpConnection reads one request head and answers it: hijacks a CONNECT
// on an RPC path, serves the debug page or an error, then closes.
class HttpConnection : public std::enable_shared_from_this<HttpConnection> {
 public:
  HttpConnection(asio::ip::tcp::socket socket, ServeMux* mux)
      : socket_(std::move(socket)), mux_(mux) {}

  void Start() { ReadMore(); }

 private:
  void ReadMore() {
    auto self = shared_from_this();
    socket_.async_read_some(
        asio::buffer(buf_), [self](const asio::error_code& ec, size_t n) {
          self->OnRead(ec, n);
        });
  }

  void OnRead(const asio::error_code& ec, size_t n) {
    head_.append(buf_.data(), n);
    size_t end = HeaderEnd(head_);
    if (end == std::string::npos) {
      if (ec) return;  // the peer left before finishing its request
      if (head_.size() > kMaxHeaderBytes) {
        Reply("HTTP/1.1", "431 Request Header Fields Too Large",
              "text/plain; charset=utf-8", "431 Request Header Fields Too Large");
        return;
      }
      ReadMore();
      return;
    }
    RequestLine line;
    if (!ParseRequestLine(head_, &line)) {
      Reply("HTTP/1.1", "400 Bad Request", "text/plain; charset=utf-8",
            "400 Bad Request");
      return;
    }
    std::string proto = line.proto == "HTTP/1.0" ? "HTTP/1.0" : "HTTP/1.1";
    ServeMux::Route route;
    if (!mux_->Find(line.path, &route)) {
      Reply(proto, "404 Not Found", "text/plain; charset=utf-8",
            "404 page not found\n", /*nosniff=*/true);
      return;
    }
    if (route.kind == ServeMux::Route::Kind::kDebug) {
      std::string page = internal::DebugPageOf(*route.state);
      Write(absl::StrCat(proto, " 200 OK\r\nDate: ", HttpDate(),
                         "\r\nContent-Length: ", page.size(),
                         "\r\nContent-Type: text/html; charset=utf-8\r\n",
                         ConnectionHeader(proto), "\r\n",
                         line.method == "HEAD" ? "" : page));
      return;
    }
    if (line.method != "CONNECT") {
      // Go's rpc.Server.ServeHTTP: http.Error without nosniff in 1.19.
      Reply(proto, "405 Method Not Allowed", "text/plain; charset=utf-8",
            "405 must CONNECT\n");
      return;
    }
    Hijack(route.state, head_.substr(end));
  }

  std::string ConnectionHeader(absl::string_view proto) {
    return proto == "HTTP/1.1" ? "Connection: close\r\n" : "";
  }

  void Reply(absl::string_view proto, absl::string_view status,
             absl::string_view content_type, absl::string_view body,
             bool nosniff = false) {
    Write(absl::StrCat(proto, " ", status, "\r\nContent-Type: ", content_type,
                       "\r\n", nosniff ? "X-Content-Type-Options: nosniff\r\n" : "",
                       "Date: ", HttpDate(), "\r\nContent-Length: ",
                       body.size(), "\r\n", ConnectionHeader(proto), "\r\n",
                       body));
  }

  void Write(std::string bytes) {
    out_ = std::move(bytes);
    auto self = shared_from_this();
    asio::async_write(socket_, asio::buffer(out_),
                      [self](const asio::error_code&, size_t) {
                        asio::error_code ignored;
                        self->socket_.shutdown(
                            asio::ip::tcp::socket::shutdown_both, ignored);
                        self->socket_.close(ignored);
                      });
  }

  void Hijack(std::shared_ptr<internal::ServerState> state,
              std::string initial) {
    out_ = std::string(kConnectedResponse);
    auto self = shared_from_this();
    asio::async_write(
        socket_, asio::buffer(out_),
        [self, state = std::move(state), initial = std::move(initial)](
            const asio::error_code& ec, size_t) mutable {
          if (ec) return;
          std::unique_ptr<StreamServerCodec> codec =
              internal::NewGobCodecFor(*state);
          internal::ServeAsync(std::move(state), std::move(self->socket_),
                               std::move(codec), std::move(initial), nullptr,
                               internal::kProtocolNetRPCHTTP);
        });
  }

  asio::ip::tcp::socket socket_;
  ServeMux* mux_;
  std::array<char, 4096> buf_;
  std::string head_;
  std::string out_;
};

}  // namespace

absl::Status ServeMux::HandleRPC(absl::string_view rpc_path,
                                 absl::string_view debug_path,
                                 const Server& server) {
  MutexLock lock(&mu_);
  for (absl::string_view path : {rpc_path, debug_path}) {
    if (routes_.contains(path)) {
      return absl::AlreadyExistsError(
          absl::StrCat("http: multiple registrations for ", path));
    }
  }
  routes_[rpc_path] = Route{Route::Kind::kRPC, server.state()};
  routes_[debug_path] = Route{Route::Kind::kDebug, server.state()};
  return absl::OkStatus();
}

bool ServeMux::Find(absl::string_view path, Route* route) const {
  MutexLock lock(&mu_);
  auto it = routes_.find(path);
  if (it == routes_.end()) return false;
  *route = it->second;
  return true;
}

absl::Status Server::HandleHTTP(absl::string_view rpc_path,
                                absl::string_view debug_path, ServeMux* mux) {
  if (mux == nullptr) mux = &DefaultServeMux();
  return mux->HandleRPC(rpc_path, debug_path, *this);
}

absl::Status HandleHTTP() {
  return DefaultServer().HandleHTTP(kDefaultRPCPath, kDefaultDebugPath);
}

ServeMux& DefaultServeMux() {
  static ServeMux* mux = new ServeMux;  // never destroyed, as Go's
  return *mux;
}

void ServeHTTP(Listener& listener, ServeMux* mux) {
  if (mux == nullptr) mux = &DefaultServeMux();
  listener.impl().Serve([mux](asio::ip::tcp::socket socket) {
    internal::ServeHTTPConnection(std::move(socket), mux);
  });
}

namespace internal {

void ServeHTTPConnection(asio::ip::tcp::socket socket, ServeMux* mux) {
  std::make_shared<HttpConnection>(std::move(socket), mux)->Start();
}

}  // namespace internal

absl::StatusOr<std::unique_ptr<Client>> DialHTTP(absl::string_view network,
                                                 absl::string_view address) {
  return DialHTTPPath(network, address, kDefaultRPCPath);
}

absl::StatusOr<std::unique_ptr<Client>> DialHTTPPath(
    absl::string_view network, absl::string_view address,
    absl::string_view path) {
  if (network != "tcp" && network != "tcp4" && network != "tcp6") {
    return absl::InvalidArgumentError(
        absl::StrCat("dial ", network, ": unknown network ", network));
  }
  absl::StatusOr<std::unique_ptr<Conn>> dialed = DialTCP(address);
  if (!dialed.ok()) return dialed.status();
  std::unique_ptr<Conn> conn = std::move(*dialed);
  auto fail = [&](absl::string_view why) {
    conn->Close().IgnoreError();
    return absl::UnavailableError(
        absl::StrCat("dial-http ", network, " ", address, ": ", why));
  };
  absl::Status sent = conn->Write(absl::StrCat("CONNECT ", path, " HTTP/1.0\n\n"));
  if (!sent.ok()) return fail(sent.message());
  // Read the response head; bytes past it already belong to the gob stream.
  std::string head;
  size_t end;
  while ((end = HeaderEnd(head)) == std::string::npos) {
    if (head.size() > kMaxHeaderBytes) return fail("malformed HTTP response");
    char buf[1024];
    absl::StatusOr<size_t> n = conn->Read(buf, sizeof(buf));
    if (!n.ok()) {
      return fail(IsEOF(n.status()) ? (head.empty() ? "EOF" : "unexpected EOF")
                                    : n.status().message());
    }
    head.append(buf, *n);
  }
  absl::string_view status_line = absl::string_view(head).substr(0, head.find('\n'));
  absl::ConsumeSuffix(&status_line, "\r");
  size_t space = status_line.find(' ');
  if (!absl::StartsWith(status_line, "HTTP/") || space == absl::string_view::npos) {
    return fail(absl::StrCat("malformed HTTP response \"", status_line, "\""));
  }
  absl::string_view status = status_line.substr(space + 1);
  if (status != kConnected) {
    return fail(absl::StrCat("unexpected HTTP response: ", status));
  }
  std::string initial = head.substr(end);
  return NewClientWithCodec(NewClientCodec(
      std::move(conn), NewGobStreamClientCodec(), initial));
}

}  // namespace netrpc
