// Copyright netrpc-gateway authors. Licensed under the BSD-style licence of Go.
//
// The asynchronous server connection: Go's ServeCodec loop turned inside
// out. Bytes arrive by async reads and go into the stream codec; each whole
// request is dispatched to the worker pool; each finished call encodes its
// response into the connection's output buffer, which one async write at a
// time drains. Socket operations run on the connection's strand; the output
// buffer and the codec's write side are guarded by a mutex, so that a
// response's header and body (and any type definitions before them) enter
// the byte stream together and in the order they were encoded.

#include <array>
#include <memory>
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

class ServerConnection
    : public std::enable_shared_from_this<ServerConnection> {
 public:
  ServerConnection(std::shared_ptr<ServerState> state,
                   asio::ip::tcp::socket socket,
                   std::unique_ptr<StreamServerCodec> codec,
                   std::function<void()> on_close)
      : state_(std::move(state)),
        strand_(asio::make_strand(socket.get_executor())),
        socket_(std::move(socket)),
        codec_(std::move(codec)),
        on_close_(std::move(on_close)) {
    asio::error_code ignored;
    socket_.set_option(asio::ip::tcp::no_delay(true), ignored);
  }

  ~ServerConnection() {
    if (on_close_) on_close_();
  }

  void Start(std::string initial) {
    auto self = shared_from_this();
    asio::post(strand_, [self, initial = std::move(initial)] {
      if (!initial.empty()) self->codec_->Append(initial);
      self->Process();
    });
  }

 private:
  enum class ReadState { kHeader, kBody };

  // ReadMore starts one async read, unless output or calls pile up.
  void ReadMore() {
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
        asio::bind_executor(strand_, [self](const asio::error_code& ec,
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

  // Process dispatches every whole request buffered so far (on the strand).
  void Process() {
    for (;;) {
      if (read_state_ == ReadState::kHeader) {
        request_ = Request();
        absl::Status status = codec_->ReadRequestHeader(&request_);
        if (IsNeedMoreInput(status)) break;
        if (!status.ok()) {
          // EOF, a truncated header or undecodable bytes: stop reading,
          // silently (Go logs only in debug builds).
          StopReading();
          return;
        }
        absl::StatusOr<MethodEntry*> method =
            state_->Resolve(request_.service_method);
        method_ = method.ok() ? *method : nullptr;
        method_error_ = method.status();
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
          arg_ = nullptr;
          SendError(request_, status);
        } else {
          Dispatch();
        }
      }
      read_state_ = ReadState::kHeader;
    }
    if (eof_) {  // only a codec that ignores SetEOF asks for more now
      StopReading();
      return;
    }
    ReadMore();
  }

  void Dispatch() {
    {
      MutexLock lock(&mu_);
      ++inflight_;
    }
    auto self = shared_from_this();
    state_->Call(method_, request_, std::move(arg_), method_->desc.new_reply(),
                 [self](const Response& response, const Body* reply) {
                   self->Send(response, reply);
                   self->EndCall();
                 });
  }

  void SendError(const Request& request, const absl::Status& status) {
    Response response;
    response.service_method = request.service_method;
    response.seq = request.seq;
    response.error = std::string(status.message());
    Send(response, nullptr);
  }

  // Send encodes a response into the output buffer and starts a write.
  void Send(const Response& response, const Body* body) {
    MutexLock lock(&mu_);
    if (write_failed_) return;
    absl::Status status = codec_->WriteResponse(response, body, &pending_);
    if (!status.ok()) {
      // Go flushes what was encoded, logs, and closes the connection: the
      // client then sees "reading body unexpected EOF".
      Log(absl::StrCat("rpc: gob error encoding response: ",
                       status.message()));
      close_after_write_ = true;
    }
    StartWriteLocked();
  }

  void StartWriteLocked() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    if (writing_ || pending_.empty()) return;
    writing_ = true;
    auto self = shared_from_this();
    asio::post(strand_, [self] { self->WriteNext(); });
  }

  // WriteNext writes everything buffered so far in one go (on the strand).
  void WriteNext() {
    {
      MutexLock lock(&mu_);
      writing_buf_.swap(pending_);
      pending_.clear();
      writing_size_ = writing_buf_.size();
    }
    auto self = shared_from_this();
    asio::async_write(
        socket_, asio::buffer(writing_buf_),
        asio::bind_executor(strand_, [self](const asio::error_code& ec,
                                            size_t) { self->OnWrite(ec); }));
  }

  void OnWrite(const asio::error_code& ec) {
    bool resume_reading = false;
    {
      MutexLock lock(&mu_);
      writing_buf_.clear();
      writing_size_ = 0;
      if (ec || close_after_write_) {
        // The client is gone (or the stream is corrupt): drop what is left.
        write_failed_ = true;
        pending_.clear();
        writing_ = false;
      } else if (!pending_.empty()) {
        auto self = shared_from_this();
        asio::post(strand_, [self] { self->WriteNext(); });
        return;
      } else {
        writing_ = false;
        resume_reading = read_paused_;
        read_paused_ = false;
      }
    }
    if (write_failed_locked()) {
      CloseSocket();
      return;
    }
    if (resume_reading && !reading_done_) {
      ReadMore();
      return;
    }
    MaybeClose();
  }

  bool write_failed_locked() {
    MutexLock lock(&mu_);
    return write_failed_;
  }

  void EndCall() {
    bool resume_reading = false;
    {
      MutexLock lock(&mu_);
      --inflight_;
      if (read_paused_ && inflight_ < kMaxInflightCalls &&
          pending_.size() + writing_size_ <= kMaxPendingOutput) {
        read_paused_ = false;
        resume_reading = true;
      }
    }
    auto self = shared_from_this();
    asio::post(strand_, [self, resume_reading] {
      if (resume_reading && !self->reading_done_) {
        self->ReadMore();
      } else {
        self->MaybeClose();
      }
    });
  }

  void StopReading() {
    reading_done_ = true;
    MaybeClose();
  }

  // MaybeClose closes the socket once reading has stopped, every call has
  // replied and the replies are written (on the strand).
  void MaybeClose() {
    if (!reading_done_) return;
    {
      MutexLock lock(&mu_);
      if (inflight_ > 0 || writing_ || !pending_.empty()) return;
    }
    CloseSocket();
  }

  void CloseSocket() {
    if (closed_) return;
    closed_ = true;
    reading_done_ = true;
    asio::error_code ignored;
    socket_.shutdown(asio::ip::tcp::socket::shutdown_both, ignored);
    socket_.close(ignored);
  }

  const std::shared_ptr<ServerState> state_;
  asio::strand<asio::any_io_executor> strand_;

  // Strand only.
  asio::ip::tcp::socket socket_;
  std::array<char, kReadChunk> read_buf_;
  ReadState read_state_ = ReadState::kHeader;
  Request request_;
  MethodEntry* method_ = nullptr;
  absl::Status method_error_;
  std::unique_ptr<Body> arg_;
  bool eof_ = false;
  bool reading_done_ = false;
  bool closed_ = false;
  // The bytes of the write in flight: swapped in under mu_, read by the
  // write, cleared on the strand when it completes.
  std::string writing_buf_;

  // The codec's read side is used on the strand only, its write side under
  // mu_ (see StreamServerCodec's protocol).
  std::unique_ptr<StreamServerCodec> codec_;

  Mutex mu_;
  std::string pending_ ABSL_GUARDED_BY(mu_);
  bool writing_ ABSL_GUARDED_BY(mu_) = false;
  size_t writing_size_ ABSL_GUARDED_BY(mu_) = 0;
  bool write_failed_ ABSL_GUARDED_BY(mu_) = false;
  bool close_after_write_ ABSL_GUARDED_BY(mu_) = false;
  bool read_paused_ ABSL_GUARDED_BY(mu_) = false;
  int inflight_ ABSL_GUARDED_BY(mu_) = 0;

  std::function<void()> on_close_;
};

}  // namespace

void ServeAsync(std::shared_ptr<ServerState> state,
                asio::ip::tcp::socket socket,
                std::unique_ptr<StreamServerCodec> codec, std::string initial,
                std::function<void()> on_close) {
  auto conn = std::make_shared<ServerConnection>(
      std::move(state), std::move(socket), std::move(codec),
      std::move(on_close));
  conn->Start(std::move(initial));
}

}  // namespace internal
}  // namespace netrpc
