#include "bridge/netrpc_pool.h"

#include <thread>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "netrpc/errors.h"
#include "netrpc/http.h"

namespace bridge {

struct NetRpcPool::Slot {
  // Guarded by the pool's mu_.
  std::shared_ptr<netrpc::Client> client;
};

NetRpcPool::NetRpcPool(NetRpcPoolOptions options)
    : options_(std::move(options)) {
  int n = options_.connections > 0 ? options_.connections : 1;
  absl::MutexLock lock(&mu_);
  for (int i = 0; i < n; ++i) slots_.push_back(std::make_unique<Slot>());
}

NetRpcPool::~NetRpcPool() {
  std::vector<std::shared_ptr<netrpc::Client>> clients;
  {
    absl::MutexLock lock(&mu_);
    for (auto& s : slots_) {
      if (s->client) clients.push_back(std::move(s->client));
    }
  }
  for (auto& c : clients) (void)c->Close();
}

bool NetRpcPool::IsTransportError(const absl::Status& status) {
  if (status.ok() || netrpc::IsServerError(status)) return false;
  return status.code() != absl::StatusCode::kDeadlineExceeded &&
         status.code() != absl::StatusCode::kCancelled;
}

absl::StatusOr<std::shared_ptr<netrpc::Client>> NetRpcPool::Pick(
    Slot** slot) {
  absl::MutexLock lock(&mu_);
  Slot* s = slots_[next_++ % slots_.size()].get();
  *slot = s;
  // A connection that broke while idle is replaced before a call is lost
  // on it.
  if (s->client && s->client->Usable()) return s->client;
  if (s->client) Retire(std::move(s->client));
  if (absl::Now() < retry_after_) return last_dial_error_;
  // Dialing under the lock keeps concurrent calls from opening a burst of
  // connections to a server that just came back; a refused or accepted
  // connect on a LAN takes well under a millisecond.
  absl::StatusOr<std::unique_ptr<netrpc::Client>> c =
      options_.http_path.empty()
          ? netrpc::Dial("tcp", options_.address)
          : netrpc::DialHTTPPath("tcp", options_.address, options_.http_path);
  if (!c.ok()) {
    last_dial_error_ = absl::UnavailableError(
        absl::StrCat("bridge: net/rpc upstream ", options_.address,
                     " is unreachable: ", c.status().message()));
    retry_after_ = absl::Now() + options_.redial_backoff;
    return last_dial_error_;
  }
  s->client = std::shared_ptr<netrpc::Client>(std::move(*c));
  return s->client;
}

void NetRpcPool::MarkBroken(Slot* slot, const netrpc::Client* client) {
  std::shared_ptr<netrpc::Client> old;
  {
    absl::MutexLock lock(&mu_);
    if (slot->client.get() != client) return;  // already replaced
    old = std::move(slot->client);
  }
  Retire(std::move(old));
}

void NetRpcPool::Retire(std::shared_ptr<netrpc::Client> client) {
  // MarkBroken runs on the broken client's reader thread, which ~Client
  // joins: close and destroy it from another thread.
  std::thread([client = std::move(client)]() mutable {
    (void)client->Close();
    client.reset();
  }).detach();
}

void NetRpcPool::Go(absl::string_view service_method,
                    std::unique_ptr<netrpc::Body> args,
                    std::unique_ptr<netrpc::Body> reply, Done done,
                    const netrpc::CallOptions& options) {
  Slot* slot = nullptr;
  absl::StatusOr<std::shared_ptr<netrpc::Client>> client = Pick(&slot);
  if (!client.ok()) {
    done(client.status(), *reply);
    return;
  }
  (*client)->GoBody(
      service_method, std::move(args), std::move(reply),
      // netrpc's DoneFn is a std::function, which must be copyable.
      [this, slot, c = client->get(),
       done = std::make_shared<Done>(std::move(done))](netrpc::Call& call) {
        absl::Status status = call.error();
        if (IsTransportError(status)) MarkBroken(slot, c);
        (*done)(status, call.reply());
      },
      options);
}

}  // namespace bridge
