#include "bridge/grpc/generic_client.h"

#include <pthread.h>

#include <cstdlib>
#include <thread>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "grpcpp/client_context.h"
#include "grpcpp/completion_queue.h"
#include "grpcpp/support/async_unary_call.h"
#include "grpcpp/support/byte_buffer.h"
#include "grpcpp/support/slice.h"

#include "bridge/grpc/status.h"

namespace bridge {

namespace generic_client_internal {

// CallTag is what the pollers read from the completion queue.
struct CallTag {
  virtual ~CallTag() = default;
  // Finish runs on a poller thread when the call has ended, and frees it.
  virtual void Finish() = 0;
};

}  // namespace generic_client_internal

// PendingCall is what a call in flight owns; its tag on the completion queue
// is the PendingCall itself, and the poller that reads it frees it.
struct GenericClient::PendingCall final : generic_client_internal::CallTag {
  // context owns the grpc_call; reader (in the call's arena) must go first.
  grpc::ClientContext context;
  // gRPC keeps pointers to the path, the buffers and the status until the
  // call ends, so they live here rather than on Call()'s stack.
  std::string path;
  grpc::ByteBuffer request;
  grpc::ByteBuffer response;
  grpc::Status status;
  WireDone done;
  std::unique_ptr<grpc::GenericClientAsyncResponseReader> reader;

  void Finish() override;
};

namespace {

// Pollers is the process-wide completion queue every GenericClient's calls
// complete on, and the threads that drain it: a call's completion runs on
// the poller thread that read it, with no further hop (gRPC 1.51's callback
// API hands each completion to one of its "nexting" threads: about one
// context switch more per call, see tools/bench/bridge/README.md). It lives for the life of the process, so calls in
// flight outlive the GenericClient that started them, as with the callback
// API, and no client's destruction waits for its calls.
class Pollers {
 public:
  static grpc::CompletionQueue* Queue() {
    // Reachable from a static for the life of the process (not a leak).
    static Pollers* pollers = new Pollers();
    return &pollers->cq_;
  }

 private:
  Pollers() {
    // BRIDGE_GRPC_POLLERS overrides the thread count (for measurements).
    int n = 1;
    if (const char* env = std::getenv("BRIDGE_GRPC_POLLERS")) {
      int v = 0;
      if (absl::SimpleAtoi(env, &v) && v > 0 && v <= 64) n = v;
    } else {
      // One per two cores, at least one, at most 8. On a small machine more
      // only hand gRPC's poll from one waiting thread to another: more
      // wake-ups per call, measured at 1 caller with 2 cores.
      unsigned cores = std::thread::hardware_concurrency();
      n = cores >= 4 ? static_cast<int>(cores / 2) : 1;
      if (n > 8) n = 8;
    }
    for (int i = 0; i < n; ++i) {
      std::thread([this] {
        pthread_setname_np(pthread_self(), "grpc-poller");
        Run();
      }).detach();
    }
  }

  void Run() {
    void* tag = nullptr;
    bool ok = false;
    while (cq_.Next(&tag, &ok)) {
      // A unary call's Finish always completes with ok == true.
      static_cast<generic_client_internal::CallTag*>(tag)->Finish();
    }
  }

  grpc::CompletionQueue cq_;
};

// Flatten copies buffer's bytes into one string; an invalid buffer (no
// message at all) is an error, never an empty message.
absl::StatusOr<std::string> Flatten(const std::string& path,
                                    grpc::ByteBuffer* buffer) {
  grpc::Slice slice;
  if (!buffer->TrySingleSlice(&slice).ok() &&
      !buffer->DumpToSingleSlice(&slice).ok()) {
    return absl::InternalError(absl::StrCat(
        "bridge: ", path, " answered OK without a response message"));
  }
  return std::string(reinterpret_cast<const char*>(slice.begin()),
                     slice.size());
}

}  // namespace

void GenericClient::PendingCall::Finish() {
  std::unique_ptr<PendingCall> self(this);
  absl::StatusOr<std::string> result;
  if (!status.ok()) {
    result = ToAbslStatus(status);
  } else {
    result = Flatten(path, &response);
  }
  // Release the gRPC call (its stream, in the transport's combiner) before
  // done answers the caller: the caller's next request, started on another
  // thread as soon as the answer is out, then finds the transport free,
  // instead of contending for it, which makes gRPC hand the write to its
  // executor thread (a thread hop and ~15k instructions per call).
  WireDone finish = std::move(done);
  self.reset();
  finish(std::move(result));
}

GenericClient::GenericClient(std::shared_ptr<grpc::ChannelInterface> channel,
                             GenericClientOptions options)
    : options_(std::move(options)),
      stub_(std::move(channel)),
      cq_(Pollers::Queue()) {}

void GenericClient::CallWire(const std::string& path, absl::string_view request,
                             CallOptions options, WireDone done) const {
  auto call = std::make_unique<PendingCall>();
  call->path = path;
  grpc::Slice slice(request.data(), request.size());
  call->request = grpc::ByteBuffer(&slice, 1);
  call->done = std::move(done);
  if (options.deadline != absl::InfiniteFuture()) {
    call->context.set_deadline(absl::ToChronoTime(options.deadline));
  }
  for (const auto& [key, value] : options_.metadata) {
    call->context.AddMetadata(key, value);
  }
  for (const auto& [key, value] : options.metadata) {
    call->context.AddMetadata(key, value);
  }

  PendingCall* raw = call.get();
  raw->reader =
      stub_.PrepareUnaryCall(&raw->context, raw->path, raw->request, cq_);
  raw->reader->StartCall();
  // From here the poller owns the call (Finish frees it).
  raw->reader->Finish(&raw->response, &raw->status,
                      static_cast<generic_client_internal::CallTag*>(
                          call.release()));
}

}  // namespace bridge
