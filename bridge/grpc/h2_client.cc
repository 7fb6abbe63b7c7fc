#include "bridge/grpc/h2_client.h"

#include <nghttp2/nghttp2.h>
#include <sys/socket.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "absl/time/clock.h"
#include "asio.hpp"

#include "bridge/grpc/status.h"
#include "netrpc/io_internal.h"

namespace bridge {
namespace h2_internal {
namespace {

using Result = absl::StatusOr<std::string>;

constexpr size_t kReadBuffer = 64 << 10;
// The receive window, per stream and for the connection: large enough that a
// reply never waits for a WINDOW_UPDATE (gRPC C++ grows its own to this
// order by BDP probing).
constexpr int32_t kWindow = 16 << 20;
constexpr absl::Duration kInitialBackoff = absl::Seconds(1);
constexpr absl::Duration kMaxBackoff = absl::Seconds(120);
constexpr double kBackoffMultiplier = 1.6;

// Target is what every connection of a client needs; endpoints share it.
struct Target {
  std::string host, port;
  std::string authority;  // :authority, as the target named it
  std::vector<std::pair<std::string, std::string>> metadata;
  uint64_t max_message_bytes = 0;
  absl::Duration connect_timeout;
  std::shared_ptr<std::atomic<int>> failing;
};

// GrpcTimeout is the grpc-timeout header for `left` (> 0): at most 8
// digits, rounded up; in milliseconds from a second on, so that calls with
// the same timeout send the same value and HPACK sends it as an index.
std::string GrpcTimeout(absl::Duration left) {
  constexpr int64_t kMax = 99999999;
  int64_t us = absl::ToInt64Microseconds(absl::Ceil(left, absl::Microseconds(1)));
  if (us < 1000000) return absl::StrCat(std::max<int64_t>(us, 1), "u");
  int64_t ms = (us + 999) / 1000;
  if (ms <= kMax) return absl::StrCat(ms, "m");
  int64_t s = (ms + 999) / 1000;
  if (s <= kMax) return absl::StrCat(s, "S");
  return absl::StrCat(std::min<int64_t>((s + 3599) / 3600, kMax), "H");
}

// PercentDecode undoes grpc-message's percent-encoding.
std::string PercentDecode(absl::string_view in) {
  std::string out;
  out.reserve(in.size());
  for (size_t i = 0; i < in.size(); ++i) {
    if (in[i] == '%' && i + 2 < in.size() &&
        absl::ascii_isxdigit(in[i + 1]) && absl::ascii_isxdigit(in[i + 2])) {
      out += absl::HexStringToBytes(in.substr(i + 1, 2));
      i += 2;
    } else {
      out.push_back(in[i]);
    }
  }
  return out;
}

// HttpStatusCode maps an HTTP status without grpc-status to a gRPC code
// (gRPC's doc/http-grpc-status-mapping.md).
absl::StatusCode HttpStatusCode(int http) {
  switch (http) {
    case 400:
      return absl::StatusCode::kInternal;
    case 401:
      return absl::StatusCode::kUnauthenticated;
    case 403:
      return absl::StatusCode::kPermissionDenied;
    case 404:
      return absl::StatusCode::kUnimplemented;
    case 429:
    case 502:
    case 503:
    case 504:
      return absl::StatusCode::kUnavailable;
    default:
      return absl::StatusCode::kUnknown;
  }
}

// ResetCode maps a stream reset's HTTP/2 error code to a gRPC code, as
// gRPC C++ does.
absl::StatusCode ResetCode(uint32_t error_code) {
  switch (error_code) {
    case NGHTTP2_REFUSED_STREAM:
      return absl::StatusCode::kUnavailable;
    case NGHTTP2_CANCEL:
      return absl::StatusCode::kCancelled;
    case NGHTTP2_ENHANCE_YOUR_CALM:
      return absl::StatusCode::kResourceExhausted;
    case NGHTTP2_INADEQUATE_SECURITY:
      return absl::StatusCode::kPermissionDenied;
    default:
      return absl::StatusCode::kInternal;
  }
}

absl::Duration Backoff(absl::Duration last) {
  return std::min(last * kBackoffMultiplier, kMaxBackoff);
}

}  // namespace

// H2Call is one call, from Call() to its done.
struct H2Call {
  std::string path;
  // body is the request as one gRPC message frame: flag, length, bytes.
  std::string body;
  size_t body_sent = 0;
  UnaryClient::WireDone done;
  absl::Time deadline = absl::InfiniteFuture();
  std::vector<std::pair<std::string, std::string>> metadata;
  bool retried = false;

  // The response as it arrives.
  int http_status = 0;
  bool has_grpc_status = false;
  int grpc_status = 0;
  std::string grpc_message;
  std::string data;
  bool too_big = false;

  void Reset() {
    body_sent = 0;
    http_status = 0;
    has_grpc_status = false;
    grpc_status = 0;
    grpc_message.clear();
    data.clear();
    too_big = false;
  }

  // Outcome is the call's result once its stream has closed with
  // error_code.
  Result Outcome(uint32_t error_code, uint64_t max_bytes) {
    if (too_big) {
      return absl::ResourceExhaustedError(absl::StrCat(
          "bridge: the response of ", path, " is larger than the limit of ",
          max_bytes, " bytes"));
    }
    if (has_grpc_status) {
      absl::StatusCode code = CodeFromNumber(grpc_status);
      if (code != absl::StatusCode::kOk) {
        return absl::Status(code, PercentDecode(grpc_message));
      }
      if (data.size() < 5) {
        return absl::InternalError(absl::StrCat(
            "bridge: ", path, " answered OK without a response message"));
      }
      const auto* p = reinterpret_cast<const unsigned char*>(data.data());
      uint64_t length = (uint64_t{p[1]} << 24) | (uint64_t{p[2]} << 16) |
                        (uint64_t{p[3]} << 8) | p[4];
      if (p[0] != 0) {
        return absl::InternalError(absl::StrCat(
            "bridge: the response of ", path,
            " is compressed, though the bridge accepts no compression"));
      }
      if (length + 5 != data.size()) {
        return absl::InternalError(absl::StrCat(
            "bridge: the response of ", path,
            " is not one gRPC message (", data.size() - 5,
            " bytes, framed as ", length, ")"));
      }
      data.erase(0, 5);  // a memmove: the message is bounded by the limit
      return std::move(data);
    }
    if (error_code != NGHTTP2_NO_ERROR) {
      return absl::Status(
          ResetCode(error_code),
          absl::StrCat("stream reset by the upstream (HTTP/2 ",
                       nghttp2_http2_strerror(error_code), ")"));
    }
    if (http_status != 0 && http_status != 200) {
      return absl::Status(
          HttpStatusCode(http_status),
          absl::StrCat("the upstream answered HTTP status ", http_status,
                       " without a gRPC status"));
    }
    return absl::InternalError(absl::StrCat(
        "bridge: ", path, ": the upstream ended the call without a gRPC "
        "status"));
  }
};

class Connection;

// Endpoint is one client's side on one I/O context: the current connection
// and the reconnect back-off. Used only on its context's thread.
class Endpoint : public std::enable_shared_from_this<Endpoint> {
 public:
  Endpoint(asio::io_context& context, std::shared_ptr<const Target> target)
      : context_(context), target_(std::move(target)) {}

  asio::io_context& context() { return context_; }
  const Target& target() const { return *target_; }

  // Start sends call on the current connection, opening one if needed.
  void Start(std::unique_ptr<H2Call> call);
  // Shutdown lets the connection finish its calls, then close.
  void Shutdown();
  // Connection events.
  void Connected(Connection* conn);
  void ConnectFailed(Connection* conn, const std::string& error);
  void Detach(Connection* conn);

 private:
  asio::io_context& context_;
  const std::shared_ptr<const Target> target_;
  std::shared_ptr<Connection> conn_;
  absl::Time retry_at_ = absl::InfinitePast();
  absl::Duration backoff_ = kInitialBackoff;
  std::string last_error_;
  bool failed_ = false;
  bool shutdown_ = false;  // the client is gone
};

// Connection is one HTTP/2 connection: an nghttp2 client session over an
// asio socket. Everything runs on its endpoint's context thread. Completions
// are collected while nghttp2 is in a callback and run after it returns, so
// a done that starts the next call never re-enters nghttp2.
class Connection : public std::enable_shared_from_this<Connection> {
 public:
  explicit Connection(std::shared_ptr<Endpoint> endpoint)
      : endpoint_(std::move(endpoint)),
        socket_(endpoint_->context()),
        resolver_(endpoint_->context()),
        timer_(endpoint_->context()),
        connect_timer_(endpoint_->context()),
        in_(new uint8_t[kReadBuffer]) {
    nghttp2_session_callbacks* callbacks;
    nghttp2_session_callbacks_new(&callbacks);
    nghttp2_session_callbacks_set_on_header_callback(callbacks, &OnHeader);
    nghttp2_session_callbacks_set_on_data_chunk_recv_callback(callbacks,
                                                              &OnData);
    nghttp2_session_callbacks_set_on_stream_close_callback(callbacks,
                                                           &OnStreamClose);
    nghttp2_session_callbacks_set_on_frame_recv_callback(callbacks,
                                                         &OnFrameRecv);
    nghttp2_session_callbacks_set_on_frame_not_send_callback(callbacks,
                                                             &OnFrameNotSend);
    nghttp2_option* option;
    nghttp2_option_new(&option);
    // A client of unary calls needs no record of closed streams (kept only
    // for RFC 7540 priorities, which it does not use).
    nghttp2_option_set_no_closed_streams(option, 1);
    // grpc-go percent-encodes only bytes outside ' '..'~' in grpc-message,
    // so a status message may begin or end with a space; nghttp2 >= 1.50
    // would drop such a field silently (RFC 9113 8.2.1), gRPC C++ keeps it.
    nghttp2_option_set_no_rfc9113_leading_and_trailing_ws_validation(option,
                                                                     1);
    // The client reads only the few response fields it knows (:status,
    // grpc-status, grpc-message, content-type) and checks those itself;
    // nghttp2's validation of every header name and value, and of HTTP's
    // message rules, cost about 3% of a bridged call.
    nghttp2_option_set_no_http_messaging(option, 1);
    nghttp2_session_client_new2(&session_, callbacks, this, option);
    nghttp2_option_del(option);
    nghttp2_session_callbacks_del(callbacks);
    const nghttp2_settings_entry settings[] = {
        {NGHTTP2_SETTINGS_ENABLE_PUSH, 0},
        {NGHTTP2_SETTINGS_INITIAL_WINDOW_SIZE, kWindow},
        {NGHTTP2_SETTINGS_NO_RFC7540_PRIORITIES, 1},
    };
    nghttp2_submit_settings(session_, NGHTTP2_FLAG_NONE, settings,
                            sizeof(settings) / sizeof(settings[0]));
    nghttp2_session_set_local_window_size(session_, NGHTTP2_FLAG_NONE, 0,
                                          kWindow);
  }

  ~Connection() { nghttp2_session_del(session_); }

  // accepting is whether new calls may start here.
  bool accepting() const { return !closed_ && !draining_; }

  void Connect() {
    auto self = shared_from_this();
    const Target& t = endpoint_->target();
    // A host that drops SYNs would hold the connect for the kernel's two
    // minutes of retries; close it sooner, as gRPC does (20 s by default),
    // so that the back-off and healthy() say the upstream is unreachable.
    connect_timer_.expires_after(absl::ToChronoNanoseconds(t.connect_timeout));
    connect_timer_.async_wait([self](const asio::error_code& ec) {
      if (ec || self->connected_ || self->closed_) return;
      self->connect_timed_out_ = true;
      asio::error_code ignored;
      self->socket_.close(ignored);  // the pending connect ends, aborted
      self->resolver_.cancel();
    });
    asio::error_code ec;
    asio::ip::address ip = asio::ip::make_address(t.host, ec);
    uint32_t port = 0;
    if (!absl::SimpleAtoi(t.port, &port) || port > 65535) {
      ec = asio::error::invalid_argument;
    }
    if (!ec) {
      socket_.async_connect(
          asio::ip::tcp::endpoint(ip, static_cast<uint16_t>(port)),
                            [self](const asio::error_code& ec) {
                              self->OnConnect(ec);
                            });
      return;
    }
    resolver_.async_resolve(
        t.host, t.port,
        [self](const asio::error_code& ec,
               asio::ip::tcp::resolver::results_type results) {
          if (ec) {
            self->OnConnect(ec);
            return;
          }
          asio::async_connect(
              self->socket_, results,
              [self](const asio::error_code& ec, const asio::ip::tcp::endpoint&) {
                self->OnConnect(ec);
              });
        });
  }

  // Submit starts call on this connection (queued until it is connected).
  void Submit(std::unique_ptr<H2Call> call) {
    std::string timeout;
    if (call->deadline != absl::InfiniteFuture()) {
      absl::Duration left = call->deadline - absl::Now();
      if (left <= absl::ZeroDuration()) {
        Done(std::move(call), absl::DeadlineExceededError("Deadline Exceeded"));
        RunCompleted();
        return;
      }
      timeout = GrpcTimeout(left);
    }
    const Target& t = endpoint_->target();
    std::vector<nghttp2_nv> headers;
    headers.reserve(8 + t.metadata.size() + call->metadata.size());
    auto add = [&headers](absl::string_view name, absl::string_view value,
                          uint8_t flags) {
      headers.push_back(nghttp2_nv{
          reinterpret_cast<uint8_t*>(const_cast<char*>(name.data())),
          reinterpret_cast<uint8_t*>(const_cast<char*>(value.data())),
          name.size(), value.size(), flags});
    };
    // Constants and the endpoint's strings outlive the frame; the call's may
    // not (a call can end before its HEADERS leave), so nghttp2 copies them.
    constexpr uint8_t kStatic =
        NGHTTP2_NV_FLAG_NO_COPY_NAME | NGHTTP2_NV_FLAG_NO_COPY_VALUE;
    constexpr uint8_t kCopyValue = NGHTTP2_NV_FLAG_NO_COPY_NAME;
    add(":method", "POST", kStatic);
    add(":scheme", "http", kStatic);
    add(":path", call->path, kCopyValue);
    add(":authority", t.authority, kStatic);
    add("content-type", "application/grpc", kStatic);
    add("te", "trailers", kStatic);
    add("user-agent", "netrpc-gateway-h2", kStatic);
    if (!timeout.empty()) add("grpc-timeout", timeout, kCopyValue);
    for (const auto& [key, value] : t.metadata) add(key, value, kStatic);
    for (const auto& [key, value] : call->metadata) {
      add(key, value, NGHTTP2_NV_FLAG_NONE);
    }
    nghttp2_data_provider body;
    body.source.ptr = nullptr;
    body.read_callback = &ReadBody;
    int32_t id = nghttp2_submit_request(session_, nullptr, headers.data(),
                                        headers.size(), &body, nullptr);
    if (id < 0) {
      // Stream IDs ran out: this connection takes no more calls.
      draining_ = true;
      endpoint_->Detach(this);
      Retry(std::move(call), nghttp2_strerror(id));
      RunCompleted();
      return;
    }
    if (call->deadline < timer_at_) ArmTimer(call->deadline);
    streams_.emplace(id, std::move(call));
    // The calls started by one handler (a batch of net/rpc requests) leave
    // in one write, at the end of its Batch, or else of the handler.
    if (handling_ == 0 && !flush_posted_ && !closed_) {
      flush_posted_ = true;
      auto self = shared_from_this();
      auto flush = [self] {
        self->flush_posted_ = false;
        self->Flush();
        self->RunCompleted();
      };
      if (!netrpc::internal::Batch::Defer(flush)) {
        asio::post(endpoint_->context(), std::move(flush));
      }
    }
  }

  // Drain takes no new calls and closes when the last one ends.
  void Drain() {
    draining_ = true;
    MaybeClose();
  }

 private:
  H2Call* Find(int32_t id) {
    auto it = streams_.find(id);
    return it == streams_.end() ? nullptr : it->second.get();
  }

  std::unique_ptr<H2Call> Take(int32_t id) {
    auto it = streams_.find(id);
    if (it == streams_.end()) return nullptr;
    std::unique_ptr<H2Call> call = std::move(it->second);
    streams_.erase(it);
    return call;
  }

  void Done(std::unique_ptr<H2Call> call, Result result) {
    completed_.emplace_back(std::move(call), std::move(result));
  }

  // Retry sends call once more, as a new stream (on this connection if it
  // still takes calls, else on a new one): the server never started it.
  void Retry(std::unique_ptr<H2Call> call, absl::string_view why) {
    if (call->retried) {
      Done(std::move(call),
           absl::UnavailableError(absl::StrCat(
               "the upstream at ", endpoint_->target().authority,
               " refused the call twice: ", why)));
      return;
    }
    call->retried = true;
    call->Reset();
    retries_.push_back(std::move(call));
  }

  // RunCompleted runs the dones and retries collected so far. Outside any
  // nghttp2 callback only.
  void RunCompleted() {
    while (!completed_.empty() || !retries_.empty()) {
      auto completed = std::move(completed_);
      completed_.clear();
      auto retries = std::move(retries_);
      retries_.clear();
      for (auto& [call, result] : completed) {
        UnaryClient::WireDone done = std::move(call->done);
        call.reset();
        done(std::move(result));
      }
      for (auto& call : retries) endpoint_->Start(std::move(call));
    }
    MaybeClose();
  }

  void OnConnect(const asio::error_code& ec) {
    if (closed_) return;
    if (ec || connect_timed_out_) {
      const Target& t = endpoint_->target();
      std::string error = absl::StrCat(
          "failed to connect to ", t.authority, ": ",
          connect_timed_out_
              ? absl::StrCat("no answer within ",
                             absl::FormatDuration(t.connect_timeout))
              : ec.message());
      endpoint_->ConnectFailed(this, error);
      Fail(error);
      RunCompleted();
      return;
    }
    connect_timer_.cancel();
    asio::error_code ignored;
    socket_.set_option(asio::ip::tcp::no_delay(true), ignored);
    connected_ = true;
    endpoint_->Connected(this);
    Read();
    Flush();
    RunCompleted();
  }

  void Read() {
    auto self = shared_from_this();
    socket_.async_read_some(
        asio::buffer(in_.get(), kReadBuffer),
        [self](const asio::error_code& ec, size_t n) { self->OnRead(ec, n); });
  }

  void OnRead(const asio::error_code& ec, size_t n) {
    if (closed_) return;
    if (ec) {
      Fail(ec == asio::error::eof
               ? absl::StrCat("the upstream at ", endpoint_->target().authority,
                              " closed the connection")
               : absl::StrCat("connection to ", endpoint_->target().authority,
                              " broken: ", ec.message()));
      RunCompleted();
      return;
    }
    {
      // The replies this read completes are written to their callers when
      // the batch ends (each caller's connection once), before this
      // connection reads again.
      netrpc::internal::Batch batch;
      ++handling_;
      ssize_t used = nghttp2_session_mem_recv(session_, in_.get(), n);
      --handling_;
      if (used < 0) {
        Fail(absl::StrCat("HTTP/2 error from ", endpoint_->target().authority,
                          ": ", nghttp2_strerror(static_cast<int>(used))));
        RunCompleted();
        return;
      }
      ++handling_;
      RunCompleted();
      --handling_;
      Flush();
    }
    if (!closed_) Read();
    RunCompleted();
  }

  // Flush sends what nghttp2 has queued: directly when the socket takes it,
  // else by an asynchronous write.
  void Flush() {
    if (closed_ || !connected_ || writing_) return;
    for (;;) {
      const uint8_t* data = nullptr;
      ssize_t n = nghttp2_session_mem_send(session_, &data);
      if (n < 0) {
        Fail(absl::StrCat("HTTP/2 error towards ",
                          endpoint_->target().authority, ": ",
                          nghttp2_strerror(static_cast<int>(n))));
        return;
      }
      if (n == 0) break;
      out_.append(reinterpret_cast<const char*>(data), static_cast<size_t>(n));
    }
    if (!out_.empty()) {
      ssize_t sent = ::send(socket_.native_handle(), out_.data(), out_.size(),
                            MSG_NOSIGNAL | MSG_DONTWAIT);
      if (sent < 0 && errno != EAGAIN && errno != EWOULDBLOCK &&
          errno != EINTR) {
        Fail(absl::StrCat("connection to ", endpoint_->target().authority,
                          " broken: ", std::strerror(errno)));
        return;
      }
      if (sent > 0) out_.erase(0, static_cast<size_t>(sent));
    }
    if (out_.empty()) {
      // The last frames may have ended the session (nghttp2 answers a
      // protocol error with GOAWAY): fail its calls now, not at the peer's
      // close or their deadline.
      if (!nghttp2_session_want_read(session_) &&
          !nghttp2_session_want_write(session_)) {
        Fail(absl::StrCat("the HTTP/2 session with ",
                          endpoint_->target().authority, " ended"));
      }
      return;
    }
    writing_ = true;
    auto self = shared_from_this();
    asio::async_write(socket_, asio::buffer(out_),
                      [self](const asio::error_code& ec, size_t) {
                        self->writing_ = false;
                        if (self->closed_) return;
                        if (ec) {
                          self->Fail(absl::StrCat(
                              "connection to ",
                              self->endpoint_->target().authority,
                              " broken: ", ec.message()));
                        } else {
                          self->out_.clear();
                          self->Flush();
                        }
                        self->RunCompleted();
                      });
  }

  // Fail ends every call with UNAVAILABLE and closes the connection.
  void Fail(const std::string& why) {
    if (closed_) return;
    closed_ = true;
    draining_ = true;
    endpoint_->Detach(this);
    for (auto& [id, call] : streams_) {
      Done(std::move(call), absl::UnavailableError(why));
    }
    streams_.clear();
    Close();
  }

  void Close() {
    closed_ = true;
    asio::error_code ignored;
    socket_.close(ignored);
    resolver_.cancel();
    timer_.cancel();
    connect_timer_.cancel();
  }

  // MaybeClose closes a draining connection with no call left.
  void MaybeClose() {
    if (closed_ || !draining_ || !streams_.empty() || writing_) return;
    if (connected_) {
      nghttp2_session_terminate_session(session_, NGHTTP2_NO_ERROR);
      const uint8_t* data = nullptr;
      ssize_t n;
      while ((n = nghttp2_session_mem_send(session_, &data)) > 0) {
        ::send(socket_.native_handle(), data, static_cast<size_t>(n),
               MSG_NOSIGNAL | MSG_DONTWAIT);
      }
    }
    endpoint_->Detach(this);
    Close();
  }

  void ArmTimer(absl::Time deadline) {
    timer_at_ = deadline;
    timer_.expires_after(absl::ToChronoNanoseconds(
        std::max(deadline - absl::Now(), absl::ZeroDuration())));
    auto self = shared_from_this();
    timer_.async_wait([self](const asio::error_code& ec) {
      if (ec || self->closed_) return;
      self->OnTimer();
    });
  }

  // OnTimer ends the calls past their deadline, as gRPC does: the server is
  // told with RST_STREAM CANCEL and the caller gets DEADLINE_EXCEEDED.
  void OnTimer() {
    absl::Time now = absl::Now();
    absl::Time next = absl::InfiniteFuture();
    std::vector<int32_t> expired;
    for (const auto& [id, call] : streams_) {
      if (call->deadline <= now) {
        expired.push_back(id);
      } else {
        next = std::min(next, call->deadline);
      }
    }
    for (int32_t id : expired) {
      nghttp2_submit_rst_stream(session_, NGHTTP2_FLAG_NONE, id,
                                NGHTTP2_CANCEL);
      Done(Take(id), absl::DeadlineExceededError("Deadline Exceeded"));
    }
    timer_at_ = absl::InfiniteFuture();
    if (next != absl::InfiniteFuture()) ArmTimer(next);
    Flush();
    RunCompleted();
  }

  static Connection* Self(void* user_data) {
    return static_cast<Connection*>(user_data);
  }

  static ssize_t ReadBody(nghttp2_session*, int32_t id, uint8_t* buf,
                          size_t length, uint32_t* flags, nghttp2_data_source*,
                          void* user_data) {
    H2Call* call = Self(user_data)->Find(id);
    if (call == nullptr) return NGHTTP2_ERR_TEMPORAL_CALLBACK_FAILURE;
    size_t n = std::min(length, call->body.size() - call->body_sent);
    std::memcpy(buf, call->body.data() + call->body_sent, n);
    call->body_sent += n;
    if (call->body_sent == call->body.size()) *flags |= NGHTTP2_DATA_FLAG_EOF;
    return static_cast<ssize_t>(n);
  }

  static int OnHeader(nghttp2_session*, const nghttp2_frame* frame,
                      const uint8_t* name, size_t namelen,
                      const uint8_t* value, size_t valuelen, uint8_t,
                      void* user_data) {
    if (frame->hd.type != NGHTTP2_HEADERS) return 0;
    H2Call* call = Self(user_data)->Find(frame->hd.stream_id);
    if (call == nullptr) return 0;
    absl::string_view n(reinterpret_cast<const char*>(name), namelen);
    absl::string_view v(reinterpret_cast<const char*>(value), valuelen);
    if (n == ":status") {
      if (!absl::SimpleAtoi(v, &call->http_status)) call->http_status = 0;
    } else if (n == "grpc-status") {
      call->has_grpc_status = absl::SimpleAtoi(v, &call->grpc_status);
      if (!call->has_grpc_status) {
        call->has_grpc_status = true;
        call->grpc_status = static_cast<int>(absl::StatusCode::kUnknown);
      }
    } else if (n == "grpc-message") {
      call->grpc_message.assign(v.data(), v.size());
    }
    return 0;
  }

  static int OnData(nghttp2_session* session, uint8_t, int32_t id,
                    const uint8_t* data, size_t len, void* user_data) {
    Connection* self = Self(user_data);
    H2Call* call = self->Find(id);
    if (call == nullptr || call->too_big) return 0;
    if (call->data.size() + len > self->endpoint_->target().max_message_bytes + 5) {
      call->too_big = true;
      call->data.clear();
      nghttp2_submit_rst_stream(session, NGHTTP2_FLAG_NONE, id,
                                NGHTTP2_CANCEL);
      return 0;
    }
    call->data.append(reinterpret_cast<const char*>(data), len);
    return 0;
  }

  static int OnStreamClose(nghttp2_session*, int32_t id, uint32_t error_code,
                           void* user_data) {
    Connection* self = Self(user_data);
    std::unique_ptr<H2Call> call = self->Take(id);
    if (call == nullptr) return 0;
    // Refused (or above a GOAWAY's last stream): never started, so safe to
    // send again.
    if (error_code == NGHTTP2_REFUSED_STREAM && !call->has_grpc_status &&
        call->http_status == 0) {
      self->Retry(std::move(call), "stream refused");
      return 0;
    }
    Result result =
        call->Outcome(error_code, self->endpoint_->target().max_message_bytes);
    self->Done(std::move(call), std::move(result));
    return 0;
  }

  static int OnFrameRecv(nghttp2_session*, const nghttp2_frame* frame,
                         void* user_data) {
    if (frame->hd.type == NGHTTP2_GOAWAY) {
      // Calls above the last stream ID close as refused (and are retried);
      // new calls go to a new connection.
      Connection* self = Self(user_data);
      self->draining_ = true;
      self->endpoint_->Detach(self);
    }
    return 0;
  }

  static int OnFrameNotSend(nghttp2_session*, const nghttp2_frame* frame,
                            int lib_error, void* user_data) {
    if (frame->hd.type != NGHTTP2_HEADERS) return 0;
    Connection* self = Self(user_data);
    std::unique_ptr<H2Call> call = self->Take(frame->hd.stream_id);
    if (call == nullptr) return 0;
    self->draining_ = true;
    self->endpoint_->Detach(self);
    self->Retry(std::move(call), nghttp2_strerror(lib_error));
    return 0;
  }

  const std::shared_ptr<Endpoint> endpoint_;
  asio::ip::tcp::socket socket_;
  asio::ip::tcp::resolver resolver_;
  asio::steady_timer timer_;
  absl::Time timer_at_ = absl::InfiniteFuture();
  asio::steady_timer connect_timer_;
  std::unique_ptr<uint8_t[]> in_;
  nghttp2_session* session_ = nullptr;
  absl::flat_hash_map<int32_t, std::unique_ptr<H2Call>> streams_;
  std::vector<std::pair<std::unique_ptr<H2Call>, Result>> completed_;
  std::vector<std::unique_ptr<H2Call>> retries_;
  std::string out_;
  // handling_ > 0 while a read is being processed (its end flushes).
  int handling_ = 0;
  bool connected_ = false;
  bool connect_timed_out_ = false;
  bool closed_ = false;
  bool draining_ = false;
  bool writing_ = false;
  bool flush_posted_ = false;
};

void Endpoint::Start(std::unique_ptr<H2Call> call) {
  if (conn_ != nullptr && !conn_->accepting()) conn_.reset();
  if (conn_ == nullptr) {
    if (absl::Now() < retry_at_) {
      UnaryClient::WireDone done = std::move(call->done);
      call.reset();
      done(absl::UnavailableError(last_error_));
      return;
    }
    conn_ = std::make_shared<Connection>(shared_from_this());
    conn_->Connect();
  }
  // Submit may detach conn_ (and so drop this reference): hold it.
  std::shared_ptr<Connection> conn = conn_;
  conn->Submit(std::move(call));
  // A retry after the client is gone: this connection closes when done.
  if (shutdown_) Shutdown();
}

void Endpoint::Shutdown() {
  shutdown_ = true;
  if (conn_ == nullptr) return;
  std::shared_ptr<Connection> conn = std::move(conn_);
  conn->Drain();
}

void Endpoint::Connected(Connection* conn) {
  if (conn_.get() != conn) return;
  backoff_ = kInitialBackoff;
  retry_at_ = absl::InfinitePast();
  if (failed_) {
    failed_ = false;
    target_->failing->fetch_sub(1);
  }
}

void Endpoint::ConnectFailed(Connection* conn, const std::string& error) {
  if (conn_.get() != conn) return;
  retry_at_ = absl::Now() + backoff_;
  backoff_ = Backoff(backoff_);
  last_error_ = error;
  if (!failed_) {
    failed_ = true;
    target_->failing->fetch_add(1);
  }
}

void Endpoint::Detach(Connection* conn) {
  if (conn_.get() == conn) conn_.reset();
}

}  // namespace h2_internal

namespace {

// SplitTarget parses a target into host and port; false if unsupported.
bool SplitTarget(absl::string_view target, std::string* host,
                 std::string* port) {
  if (absl::ConsumePrefix(&target, "dns:///")) {
  } else if (absl::ConsumePrefix(&target, "ipv4:") ||
             absl::ConsumePrefix(&target, "ipv6:")) {
    if (absl::StrContains(target, ',')) return false;
  } else if (absl::StrContains(target, ":/")) {
    return false;  // another scheme (unix:, xds:, ...)
  }
  size_t colon = target.rfind(':');
  if (colon == absl::string_view::npos || colon + 1 == target.size()) {
    return false;
  }
  absl::string_view h = target.substr(0, colon);
  absl::string_view p = target.substr(colon + 1);
  uint32_t number;
  if (p.size() > 5 || !std::all_of(p.begin(), p.end(), absl::ascii_isdigit) ||
      !absl::SimpleAtoi(p, &number) || number > 65535) {
    return false;
  }
  if (absl::ConsumePrefix(&h, "[")) {
    if (!absl::ConsumeSuffix(&h, "]")) return false;
  } else if (absl::StrContains(h, ':')) {
    return false;
  }
  if (h.empty()) return false;
  *host = std::string(h);
  *port = std::string(p);
  return true;
}

// EncodeBinaryValues base64-encodes the values of "-bin" keys, as gRPC
// sends them. Keys are already lower case (UnaryClient's contract; the
// gateway's config validation enforces it), so they are not rewritten per
// call.
void EncodeBinaryValues(
    std::vector<std::pair<std::string, std::string>>* metadata) {
  for (auto& [key, value] : *metadata) {
    if (absl::EndsWith(key, "-bin")) value = absl::Base64Escape(value);
  }
}

}  // namespace

bool H2Client::SupportsTarget(absl::string_view target) {
  std::string host, port;
  return SplitTarget(target, &host, &port);
}

absl::StatusOr<std::unique_ptr<H2Client>> H2Client::Create(
    H2ClientOptions options) {
  std::string host, port;
  if (!SplitTarget(options.target, &host, &port)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "bridge: the HTTP/2 client takes a target \"host:port\" (or "
        "dns:///, ipv4:, ipv6: with one address), not \"",
        options.target, "\""));
  }
  return std::unique_ptr<H2Client>(
      new H2Client(std::move(options), std::move(host), std::move(port)));
}

H2Client::H2Client(H2ClientOptions options, std::string host,
                   std::string port)
    : options_(std::move(options)),
      failing_(std::make_shared<std::atomic<int>>(0)) {
  auto target = std::make_shared<h2_internal::Target>();
  target->authority = absl::StrCat(
      absl::StrContains(host, ':') ? absl::StrCat("[", host, "]") : host, ":",
      port);
  target->host = std::move(host);
  target->port = std::move(port);
  target->metadata = options_.call.metadata;
  EncodeBinaryValues(&target->metadata);
  target->max_message_bytes = options_.max_message_bytes;
  target->connect_timeout = options_.connect_timeout;
  target->failing = failing_;
  netrpc::internal::IoPool& pool = netrpc::internal::IoPool::Default();
  for (size_t i = 0; i < pool.size(); ++i) {
    endpoints_.push_back(
        std::make_shared<h2_internal::Endpoint>(pool.context(i), target));
  }
}

H2Client::~H2Client() {
  for (auto& endpoint : endpoints_) {
    asio::post(endpoint->context(), [endpoint] { endpoint->Shutdown(); });
  }
}

bool H2Client::healthy() const { return failing_->load() == 0; }

void H2Client::CallWire(const std::string& path, absl::string_view request,
                        CallOptions options, WireDone done) const {
  size_t size = request.size();
  if (size > options_.max_message_bytes) {
    done(absl::ResourceExhaustedError(absl::StrCat(
        "bridge: the request to ", path, " is ", size,
        " bytes, over the limit of ", options_.max_message_bytes)));
    return;
  }
  auto call = std::make_unique<h2_internal::H2Call>();
  call->path = path;
  const char prefix[5] = {0, static_cast<char>(size >> 24),
                          static_cast<char>(size >> 16),
                          static_cast<char>(size >> 8), static_cast<char>(size)};
  call->body.reserve(5 + size);  // no zero-fill before the copy
  call->body.append(prefix, 5);
  call->body.append(request.data(), size);
  call->done = std::move(done);
  call->deadline = options.deadline;
  call->metadata = std::move(options.metadata);
  EncodeBinaryValues(&call->metadata);

  int current = netrpc::internal::IoPool::Default().current();
  if (current >= 0 && static_cast<size_t>(current) < endpoints_.size()) {
    endpoints_[current]->Start(std::move(call));
    return;
  }
  std::shared_ptr<h2_internal::Endpoint> endpoint =
      endpoints_[next_.fetch_add(1, std::memory_order_relaxed) %
                 endpoints_.size()];
  asio::post(endpoint->context(),
             [endpoint, call = std::move(call)]() mutable {
               endpoint->Start(std::move(call));
             });
}

}  // namespace bridge
