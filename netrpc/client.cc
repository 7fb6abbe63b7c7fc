// Copyright netrpc-gateway authors. Licensed under the BSD-style licence of Go.

#include "netrpc/client.h"

#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "asio.hpp"
#include "netrpc/errors.h"
#include "netrpc/gob_codec.h"
#include "netrpc/io_internal.h"
#include "netrpc/sync.h"

namespace netrpc {
namespace internal {

// ClientState is a Client's codec, pending-call table and reader loop (the
// fields of Go's rpc.Client). Calls and their timers hold it weakly.
class ClientState : public std::enable_shared_from_this<ClientState> {
 public:
  explicit ClientState(std::unique_ptr<ClientCodec> codec)
      : codec_(std::move(codec)) {}

  // Send registers and writes `call` (Go's send).
  void Send(const std::shared_ptr<netrpc::Call>& call,
            const CallOptions& options) {
    absl::Status failed;
    {
      MutexLock req_lock(&req_mu_);
      uint64_t seq = 0;
      bool shut = false;
      {
        MutexLock lock(&mu_);
        shut = shutdown_ || closing_;
        if (!shut) {
          seq = seq_++;
          pending_[seq] = call;
        }
      }
      if (shut) {
        failed = ErrShutdown();
      } else {
        Arm(call, seq, options);
        Request request;
        request.service_method = call->service_method();
        request.seq = seq;
        absl::Status status =
            codec_->WriteRequest(request, call->args_.get());
        // The request never left (or left broken): fail the call with the
        // write error verbatim, as Go does ("fake write failure").
        if (!status.ok() && Take(seq) != nullptr) failed = status;
      }
    }
    // Completion runs outside the locks: a callback may start another call.
    if (!failed.ok()) call->Complete(std::move(failed));
  }

  // Take removes and returns the pending call `seq`, or nullptr.
  std::shared_ptr<netrpc::Call> Take(uint64_t seq) {
    MutexLock lock(&mu_);
    auto it = pending_.find(seq);
    if (it == pending_.end()) return nullptr;
    std::shared_ptr<netrpc::Call> call = std::move(it->second);
    pending_.erase(it);
    return call;
  }

  // Abandon completes the pending call `seq` with `error` (a timeout or a
  // cancel). If the reader has already taken it, the reply is being
  // decoded and completes the call instead.
  void Abandon(uint64_t seq, absl::Status error) {
    std::shared_ptr<netrpc::Call> call = Take(seq);
    if (call != nullptr) call->Complete(std::move(error));
  }

  // Input is the reader loop (Go's input), run on the client's thread.
  void Input() {
    absl::Status err;
    for (;;) {
      Response response;
      err = codec_->ReadResponseHeader(&response);
      if (!err.ok()) break;
      std::shared_ptr<netrpc::Call> call = Take(response.seq);
      if (call == nullptr) {
        // No pending call: it failed to send, timed out or was canceled.
        // Read the body anyway to stay in step with the stream.
        err = codec_->ReadResponseBody(nullptr);
        if (!err.ok()) {
          err = Prefixed(err, "reading error body: ");
          break;
        }
      } else if (!response.error.empty()) {
        err = codec_->ReadResponseBody(nullptr);
        call->Complete(ServerError(response.error));
        if (!err.ok()) {
          err = Prefixed(err, "reading error body: ");
          break;
        }
      } else {
        err = codec_->ReadResponseBody(&call->reply());
        if (!err.ok()) {
          call->Complete(Prefixed(err, "reading body "));
          break;
        }
        call->Complete(absl::OkStatus());
      }
    }
    // Terminate pending calls.
    std::vector<std::shared_ptr<netrpc::Call>> pending;
    {
      MutexLock req_lock(&req_mu_);
      MutexLock lock(&mu_);
      shutdown_ = true;
      if (IsEOF(err)) err = closing_ ? ErrShutdown() : UnexpectedEOFError();
      for (auto& [seq, call] : pending_) pending.push_back(std::move(call));
      pending_.clear();
    }
    for (auto& call : pending) call->Complete(err);
  }

  bool Usable() const {
    MutexLock lock(&mu_);
    return !shutdown_ && !closing_;
  }

  absl::Status Close() {
    {
      MutexLock lock(&mu_);
      if (closing_) return ErrShutdown();
      closing_ = true;
    }
    return codec_->Close();
  }

 private:
  static absl::Status Prefixed(const absl::Status& err,
                               absl::string_view prefix) {
    return absl::Status(err.code(), absl::StrCat(prefix, err.message()));
  }

  // Arm records the call's registration and starts its timer, if any.
  void Arm(const std::shared_ptr<netrpc::Call>& call, uint64_t seq,
           const CallOptions& options) {
    MutexLock lock(&call->mu_);
    call->client_ = weak_from_this();
    call->seq_ = seq;
    if (options.timeout == absl::InfiniteDuration() || call->done_) return;
    auto timer = std::make_shared<asio::steady_timer>(
        IoPool::Default().context(), absl::ToChronoNanoseconds(options.timeout));
    std::weak_ptr<ClientState> weak = weak_from_this();
    absl::Duration timeout = options.timeout;
    // The handler finds the call by seq: it holds neither the call nor the
    // client alive until the timer expires.
    timer->async_wait([weak, seq, timeout](const asio::error_code& ec) {
      if (ec) return;  // canceled: the call completed
      std::shared_ptr<ClientState> state = weak.lock();
      if (state != nullptr) state->Abandon(seq, DeadlineError(timeout));
    });
    call->timer_ = std::move(timer);
  }

  const std::unique_ptr<ClientCodec> codec_;
  Mutex req_mu_;  // serialises requests (Go's reqMutex)
  mutable Mutex mu_;
  uint64_t seq_ ABSL_GUARDED_BY(mu_) = 0;
  absl::flat_hash_map<uint64_t, std::shared_ptr<netrpc::Call>> pending_
      ABSL_GUARDED_BY(mu_);
  bool closing_ ABSL_GUARDED_BY(mu_) = false;   // user called Close
  bool shutdown_ ABSL_GUARDED_BY(mu_) = false;  // reader has stopped
};

}  // namespace internal

Call::Call(std::string service_method, std::unique_ptr<Body> args,
           std::unique_ptr<Body> reply, DoneFn done)
    : service_method_(std::move(service_method)),
      args_(std::move(args)),
      reply_(std::move(reply)),
      done_fn_(std::move(done)) {}

bool Call::done() const {
  MutexLock lock(&mu_);
  return done_;
}

absl::Status Call::error() const {
  MutexLock lock(&mu_);
  return error_;
}

absl::Status Call::Wait() {
  MutexLock lock(&mu_);
  mu_.Await([this]() ABSL_NO_THREAD_SAFETY_ANALYSIS { return done_; });
  return error_;
}

bool Call::WaitFor(absl::Duration timeout) {
  MutexLock lock(&mu_);
  return mu_.AwaitWithTimeout(
      [this]() ABSL_NO_THREAD_SAFETY_ANALYSIS { return done_; }, timeout);
}

void Call::Cancel() {
  std::shared_ptr<internal::ClientState> client;
  uint64_t seq;
  {
    MutexLock lock(&mu_);
    if (done_) return;
    client = client_.lock();
    seq = seq_;
  }
  if (client != nullptr) client->Abandon(seq, CanceledError());
}

bool Call::Complete(absl::Status error) {
  DoneFn fn;
  std::shared_ptr<void> timer;
  {
    MutexLock lock(&mu_);
    if (done_) return false;
    done_ = true;
    error_ = std::move(error);
    fn = std::move(done_fn_);
    timer = std::move(timer_);
  }
  if (timer != nullptr) {
    // Cancelling from here races with nothing: the timer's only other user
    // is its own handler, which touches the ClientState, not the timer.
    static_cast<asio::steady_timer*>(timer.get())->cancel();
  }
  if (fn) fn(*this);
  return true;
}

Client::Client(std::unique_ptr<ClientCodec> codec)
    : state_(std::make_shared<internal::ClientState>(std::move(codec))) {
  reader_ = std::thread([state = state_] { state->Input(); });
}

Client::~Client() {
  Close().IgnoreError();
  if (reader_.get_id() == std::this_thread::get_id()) {
    // Destroyed from a completion callback: the reader cannot join itself.
    reader_.detach();
  } else {
    reader_.join();
  }
}

std::shared_ptr<Call> Client::GoBody(absl::string_view service_method,
                                     std::unique_ptr<Body> args,
                                     std::unique_ptr<Body> reply,
                                     Call::DoneFn done,
                                     const CallOptions& options) {
  auto call = std::make_shared<netrpc::Call>(
      std::string(service_method), std::move(args), std::move(reply),
      std::move(done));
  state_->Send(call, options);
  return call;
}

absl::Status Client::Close() { return state_->Close(); }

bool Client::Usable() const { return state_->Usable(); }

std::unique_ptr<Client> NewClient(std::unique_ptr<Conn> conn) {
  return NewClientWithCodec(NewGobClientCodec(std::move(conn)));
}

std::unique_ptr<Client> NewClientWithCodec(
    std::unique_ptr<ClientCodec> codec) {
  return std::make_unique<Client>(std::move(codec));
}

absl::StatusOr<std::unique_ptr<Client>> Dial(absl::string_view network,
                                             absl::string_view address) {
  if (network != "tcp" && network != "tcp4" && network != "tcp6") {
    return absl::InvalidArgumentError(
        absl::StrCat("dial ", network, ": unknown network ", network));
  }
  absl::StatusOr<std::unique_ptr<Conn>> conn = DialTCP(address);
  if (!conn.ok()) return conn.status();
  return NewClient(std::move(*conn));
}

}  // namespace netrpc
