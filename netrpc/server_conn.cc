// Copyright netrpc-gateway authors. Licensed under the BSD-style licence of Go.
//
// The asynchronous server connection: Go's ServeCodec loop turned inside
// out. Bytes arrive by async reads and go into the stream codec; each whole
// request is dispatched (to the worker pool, or run on the spot when its
// method is marked inline_ok); each finished call encodes its response into
// the connection's output buffer under a mutex, so that a response's header
// and body (and any type definitions before them) enter the byte stream
// together and in the order they were encoded.
//
// Writing: the thread that finishes a call sends the buffer itself with one
// non-blocking send(2) when no write is in progress; only what the socket
// does not take at once goes to an asynchronous write on the I/O thread. While
// the I/O thread is dispatching a batch of requests just read, sends are held
// back and the batch's replies leave in one send at its end. The socket is
// closed under the same mutex, so a direct send never races its close.

#include <sys/socket.h>

#include <array>
#include <cerrno>
#include <memory>
#include <optional>
#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "netrpc/errors.h"
#include "netrpc/log.h"
#include "netrpc/server_internal.h"
#include "netrpc/sync.h"

namespace netrpc {
namespace internal {
namespace {

// Go's bufio default; most requests fit, larger ones take several reads.
constexpr size_t kReadChunk = 8192;

// Reading pauses while this much output waits for a client that does not
// read its replies, or this many calls run: a pipelining client cannot make
// the server buffer without bound.
constexpr size_t kMaxPendingOutput = 16 << 20;
constexpr int kMaxInflightCalls = 10000;

std::string PeerOf(const asio::ip::tcp::socket& socket) {
  asio::error_code ec;
  asio::ip::tcp::endpoint peer = socket.remote_endpoint(ec);
  if (ec) return "";
  if (peer.address().is_v6()) {
    return absl::StrCat("[", peer.address().to_string(), "]:", peer.port());
  }
  return absl::StrCat(peer.address().to_string(), ":", peer.port());
}

class ServerConnection
    : public CallOwner,
      public std::enable_shared_from_this<ServerConnection> {
 public:
  ServerConnection(std::shared_ptr<ServerState> state,
                   asio::ip::tcp::socket socket,
                   std::unique_ptr<StreamServerCodec> codec,
                   std::function<void()> on_close, absl::string_view protocol)
      : state_(std::move(state)),
        io_(socket.get_executor()),
        socket_(std::move(socket)),
        fd_(socket_.native_handle()),
        peer_(PeerOf(socket_)),
        protocol_(protocol),
        max_calls_(state_->max_calls_per_connection()),
        codec_(std::move(codec)),
        on_close_(std::move(on_close)) {
    asio::error_code ignored;
    socket_.set_option(asio::ip::tcp::no_delay(true), ignored);
  }

  ~ServerConnection() override {
    if (on_close_) on_close_();
  }

  void Start(std::string initial) {
    auto self = shared_from_this();
    asio::post(io_, [self, initial = std::move(initial)] {
      if (!initial.empty()) self->codec_->Append(initial);
      self->Process();
    });
  }

  // Respond is CallOwner's: a call finished (any thread).
  void Respond(const Response& response, const Body* reply) override {
    bool resume = false, maybe_close = false;
    {
      MutexLock lock(&mu_);
      EncodeLocked(response, reply);
      --inflight_;
      if (!batching_) FlushOrDeferLocked();
      resume = TakeResumeLocked();
      maybe_close = reading_stopped_ && inflight_ == 0;
    }
    if (resume || maybe_close) {
      auto self = shared_from_this();
      asio::post(io_, [self, resume] {
        if (resume) {
          self->ReadMore();
        } else {
          self->MaybeClose();
        }
      });
    }
  }

 private:
  enum class ReadState { kHeader, kBody };

  // ReadMore starts one async read, unless output or calls pile up.
  void ReadMore() {
    if (reading_done_) return;
    {
      MutexLock lock(&mu_);
      if (pending_.size() + writing_size_ > kMaxPendingOutput ||
          inflight_ >= kMaxInflightCalls) {
        read_paused_ = true;
        return;
      }
    }
    auto self = shared_from_this();
    socket_.async_read_some(
        asio::buffer(read_buf_),
        asio::bind_executor(io_, [self](const asio::error_code& ec,
                                            size_t n) {
          self->OnRead(ec, n);
        }));
  }

  void OnRead(const asio::error_code& ec, size_t n) {
    if (n > 0) codec_->Append(absl::string_view(read_buf_.data(), n));
    if (ec) {
      codec_->SetEOF();  // any read error ends the input, as EOF does
      eof_ = true;
    }
    Process();
  }

  // Process dispatches every whole request buffered so far (on the I/O thread),
  // then sends the replies that are ready in one go.
  void Process() {
    // Calls answered or forwarded on the spot flush at the batch's end,
    // before this connection reads again.
    std::optional<Batch> batch;
    batch.emplace();
    {
      MutexLock lock(&mu_);
      batching_ = true;
    }
    bool stop = false;
    for (;;) {
      if (read_state_ == ReadState::kHeader) {
        request_ = Request();
        absl::Status status = codec_->ReadRequestHeader(&request_);
        if (IsNeedMoreInput(status)) break;
        if (!status.ok()) {
          // EOF, a truncated header or undecodable bytes: stop reading,
          // silently (Go logs only in debug builds); a limit is logged.
          if (status.code() == absl::StatusCode::kResourceExhausted) {
            LogLimit(status);
            state_->Limited(LimitKind::kMessageTooLarge);
          }
          stop = true;
          break;
        }
        uint64_t generation = state_->generation();
        if (services_ == nullptr || generation != generation_) {
          services_ = state_->services();
          generation_ = generation;
          last_method_ = nullptr;
        }
        if (last_method_ != nullptr &&
            request_.service_method == last_method_name_) {
          // A client usually calls one method over and over: skip the two
          // lookups (the entry is the map's, unchanged this generation).
          method_ = last_method_;
          method_error_ = absl::OkStatus();
        } else {
          absl::StatusOr<const std::shared_ptr<MethodEntry>*> method =
              ServerState::Resolve(*services_, request_.service_method);
          if (method.ok()) {
            method_ = **method;
            method_error_ = absl::OkStatus();
            last_method_ = method_;
            last_method_name_ = request_.service_method;
          } else {
            method_ = nullptr;
            method_error_ = method.status();
          }
        }
        read_state_ = ReadState::kBody;
      }
      if (method_ == nullptr) {
        absl::Status status = codec_->ReadRequestBody(nullptr);
        if (IsNeedMoreInput(status)) break;
        // The discard's own error is ignored, as Go's.
        SendError(request_, method_error_);
      } else {
        if (arg_ == nullptr) arg_ = method_->desc.new_arg();
        absl::Status status = codec_->ReadRequestBody(arg_.get());
        if (IsNeedMoreInput(status)) break;
        if (!status.ok()) {
          // Answered, as Go does; an oversized message also breaks the
          // stream, so the next header read fails and ends the connection.
          arg_ = nullptr;
          method_ = nullptr;
          if (status.code() == absl::StatusCode::kResourceExhausted) {
            state_->Limited(LimitKind::kMessageTooLarge);
          }
          SendError(request_, status);
        } else {
          Dispatch();
        }
      }
      read_state_ = ReadState::kHeader;
    }
    {
      MutexLock lock(&mu_);
      batching_ = false;
      FlushLocked();
    }
    batch.reset();
    if (stop || eof_) {  // only a codec that ignores SetEOF asks for more now
      StopReading();
      return;
    }
    ReadMore();
  }

  void LogLimit(const absl::Status& status) {
    uint64_t max = state_->max_message_bytes();
    Log(absl::StrCat("rpc: closing connection from ",
                     peer_.empty() ? "unknown peer" : peer_, " (", protocol_,
                     "): ", status.message(),
                     max > 0 ? absl::StrCat(
                                   " (ServerOptions::max_message_bytes is ",
                                   max, ")")
                             : ""));
  }

  void Dispatch() {
    {
      MutexLock lock(&mu_);
      if (max_calls_ > 0 && inflight_ >= max_calls_) {
        arg_ = nullptr;
        method_ = nullptr;
        Response response;
        response.service_method = request_.service_method;
        response.seq = request_.seq;
        response.error = TooManyCallsText(max_calls_);
        state_->Limited(LimitKind::kTooManyCalls);
        EncodeLocked(response, nullptr);
        return;
      }
      ++inflight_;
    }
    std::unique_ptr<Body> reply = method_->desc.new_reply();
    ServerState::Call(std::move(method_), request_, std::move(arg_),
                      std::move(reply), shared_from_this(), peer_, protocol_,
                      /*may_inline=*/true);
    method_ = nullptr;
  }

  void SendError(const Request& request, const absl::Status& status) {
    Response response;
    response.service_method = request.service_method;
    response.seq = request.seq;
    response.error = std::string(status.message());
    MutexLock lock(&mu_);
    EncodeLocked(response, nullptr);
    if (!batching_) FlushLocked();
  }

  // EncodeLocked appends a response to the output buffer.
  void EncodeLocked(const Response& response, const Body* body)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    if (write_failed_) return;
    size_t before = pending_.size();
    absl::Status status = codec_->WriteResponse(response, body, &pending_);
    if (status.ok()) return;
    if (pending_.size() == before) {
      // Nothing written (jsonrpc and a NaN): Go drops this reply and the
      // connection goes on.
      Log(absl::StrCat("rpc: writing response: ", status.message()));
      return;
    }
    // Go flushes what was encoded, logs, and closes the connection: the
    // client then sees "reading body unexpected EOF".
    Log(absl::StrCat("rpc: gob error encoding response: ", status.message()));
    close_after_write_ = true;
  }

  // FlushOrDeferLocked flushes now, or at the end of this thread's open
  // Batch (once, however many replies join it meanwhile).
  void FlushOrDeferLocked() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    if (flush_deferred_) return;
    auto self = shared_from_this();
    if (Batch::Defer([self] {
          MutexLock lock(&self->mu_);
          self->flush_deferred_ = false;
          self->FlushLocked();
        })) {
      flush_deferred_ = true;
      return;
    }
    FlushLocked();
  }

  // FlushLocked sends the output buffer from this thread if no write is in
  // progress, handing what the socket does not take to the I/O thread.
  void FlushLocked() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    if (writing_ || socket_closed_ || pending_.empty()) return;
    if (write_failed_) {
      pending_.clear();
      return;
    }
    ssize_t n;
    do {
      n = ::send(fd_, pending_.data(), pending_.size(),
                 MSG_DONTWAIT | MSG_NOSIGNAL);
    } while (n < 0 && errno == EINTR);
    auto self = shared_from_this();
    if (n == static_cast<ssize_t>(pending_.size())) {
      pending_.clear();
      if (close_after_write_) {
        write_failed_ = true;
        asio::post(io_, [self] { self->CloseSocket(); });
      }
      return;
    }
    if (n >= 0 || errno == EAGAIN || errno == EWOULDBLOCK) {
      if (n > 0) pending_.erase(0, static_cast<size_t>(n));
      writing_ = true;
      asio::post(io_, [self] { self->WriteNext(); });
      return;
    }
    // The client is gone: drop what is left.
    write_failed_ = true;
    pending_.clear();
    asio::post(io_, [self] { self->CloseSocket(); });
  }

  // TakeResumeLocked reports (once) that paused reading may resume.
  bool TakeResumeLocked() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    if (!read_paused_ || reading_stopped_ || inflight_ >= kMaxInflightCalls ||
        pending_.size() + writing_size_ > kMaxPendingOutput) {
      return false;
    }
    read_paused_ = false;
    return true;
  }

  // WriteNext writes everything buffered so far in one go (on the I/O thread).
  void WriteNext() {
    {
      MutexLock lock(&mu_);
      if (socket_closed_) return;
      writing_buf_.swap(pending_);
      pending_.clear();
      writing_size_ = writing_buf_.size();
    }
    auto self = shared_from_this();
    asio::async_write(
        socket_, asio::buffer(writing_buf_),
        asio::bind_executor(io_, [self](const asio::error_code& ec,
                                            size_t) { self->OnWrite(ec); }));
  }

  void OnWrite(const asio::error_code& ec) {
    bool resume = false, failed = false;
    {
      MutexLock lock(&mu_);
      writing_buf_.clear();
      writing_size_ = 0;
      if (ec || close_after_write_) {
        // The client is gone (or the stream is corrupt): drop what is left.
        write_failed_ = true;
        failed = true;
        pending_.clear();
        writing_ = false;
      } else if (!pending_.empty()) {
        // Stay the writer: more replies came while this write ran.
      } else {
        writing_ = false;
        resume = TakeResumeLocked();
      }
    }
    if (failed) {
      CloseSocket();
      return;
    }
    if (writing_locked()) {
      WriteNext();
      return;
    }
    if (resume) {
      ReadMore();
      return;
    }
    MaybeClose();
  }

  bool writing_locked() {
    MutexLock lock(&mu_);
    return writing_;
  }

  void StopReading() {
    reading_done_ = true;
    {
      MutexLock lock(&mu_);
      reading_stopped_ = true;
    }
    MaybeClose();
  }

  // MaybeClose closes the socket once reading has stopped, every call has
  // replied and the replies are written (on the I/O thread).
  void MaybeClose() {
    if (!reading_done_) return;
    {
      MutexLock lock(&mu_);
      if (inflight_ > 0 || writing_ || !pending_.empty()) return;
    }
    CloseSocket();
  }

  // CloseSocket closes the socket (on the I/O thread), under mu_ so that no
  // direct send can use the descriptor after it is closed.
  void CloseSocket() {
    reading_done_ = true;
    MutexLock lock(&mu_);
    if (socket_closed_) return;
    socket_closed_ = true;
    reading_stopped_ = true;
    asio::error_code ignored;
    socket_.shutdown(asio::ip::tcp::socket::shutdown_both, ignored);
    socket_.close(ignored);
  }

  const std::shared_ptr<ServerState> state_;
  // io_ is the socket's I/O context, which one thread runs (IoPool): the
  // connection's handlers are serialised without a strand.
  asio::any_io_executor io_;

  // I/O thread only.
  asio::ip::tcp::socket socket_;
  const int fd_;
  const std::string peer_;
  const std::string protocol_;
  const int max_calls_;
  std::array<char, kReadChunk> read_buf_;
  ReadState read_state_ = ReadState::kHeader;
  Request request_;
  std::shared_ptr<const ServiceMap> services_;
  uint64_t generation_ = 0;
  // The method the last request resolved to in services_, and its name.
  std::shared_ptr<MethodEntry> last_method_;
  std::string last_method_name_;
  std::shared_ptr<MethodEntry> method_;
  absl::Status method_error_;
  std::unique_ptr<Body> arg_;
  bool eof_ = false;
  bool reading_done_ = false;
  // The bytes of the write in flight: swapped in under mu_, read by the
  // write, cleared when it completes.
  std::string writing_buf_;

  // The codec's read side is used on the I/O thread only, its write side under
  // mu_ (see StreamServerCodec's protocol).
  std::unique_ptr<StreamServerCodec> codec_;

  Mutex mu_;
  std::string pending_ ABSL_GUARDED_BY(mu_);
  bool writing_ ABSL_GUARDED_BY(mu_) = false;  // an async write owns output
  bool batching_ ABSL_GUARDED_BY(mu_) = false;  // Process runs: hold sends
  bool flush_deferred_ ABSL_GUARDED_BY(mu_) = false;  // a Batch will flush
  size_t writing_size_ ABSL_GUARDED_BY(mu_) = 0;
  bool write_failed_ ABSL_GUARDED_BY(mu_) = false;
  bool close_after_write_ ABSL_GUARDED_BY(mu_) = false;
  bool read_paused_ ABSL_GUARDED_BY(mu_) = false;
  bool reading_stopped_ ABSL_GUARDED_BY(mu_) = false;
  bool socket_closed_ ABSL_GUARDED_BY(mu_) = false;
  int inflight_ ABSL_GUARDED_BY(mu_) = 0;

  std::function<void()> on_close_;
};

}  // namespace

void ServeAsync(std::shared_ptr<ServerState> state,
                asio::ip::tcp::socket socket,
                std::unique_ptr<StreamServerCodec> codec, std::string initial,
                std::function<void()> on_close, absl::string_view protocol) {
  // The same hook reports the open and, through on_close, the close (the
  // options may change in between).
  if (std::shared_ptr<const ServerState::ConnectionFn> hook =
          state->on_connection();
      hook != nullptr && *hook) {
    std::string name(protocol.empty() ? codec->Protocol() : protocol);
    (*hook)(name, true);
    on_close = [hook, name, on_close = std::move(on_close)] {
      if (on_close) on_close();
      (*hook)(name, false);
    };
  }
  auto conn = std::make_shared<ServerConnection>(
      std::move(state), std::move(socket), std::move(codec),
      std::move(on_close), protocol);
  conn->Start(std::move(initial));
}

}  // namespace internal
}  // namespace netrpc
