// Copyright netrpc-gateway authors. Licensed under the BSD-style licence of Go.
//
// File: client.h
//
// Client is Go's rpc.Client: it calls methods of a net/rpc server (Go's or
// ours) over one connection, with any number of calls in flight, matched to
// their replies by sequence number.
//
//   NETRPC_ASSIGN_OR_RETURN(std::unique_ptr<netrpc::Client> client,
//                           netrpc::Dial("tcp", "127.0.0.1:1234"));
//
//   // Synchronous:
//   Args args{7, 8};
//   int64_t product = 0;
//   NETRPC_RETURN_IF_ERROR(client->Call("Arith.Multiply", args, &product));
//
//   // Asynchronous, with a completion callback and/or waiting:
//   Quotient quo;
//   std::shared_ptr<netrpc::Call> call = client->Go(
//       "Arith.Divide", args, &quo,
//       [](netrpc::Call& c) { /* c.error() is set */ });
//   absl::Status s = call->Wait();
//
//   // With a deadline (Go's net/rpc has none):
//   s = client->Call("Arith.Multiply", args, &product,
//                    netrpc::CallOptions{absl::Milliseconds(100)});
//
// Errors, as Go's (wire/SPEC.md §2.3): a method's error or the server's
// dispatch error comes back as ServerError (IsServerError, text verbatim);
// when the connection breaks every pending call fails with "unexpected EOF"
// and later calls with ErrShutdown(); a reply that cannot be decoded fails
// its call with "reading body <err>" and shuts the client down.
//
// Threading: one reader thread per Client (as Go's input goroutine).
// Completion callbacks run on that thread (or on the caller's thread when a
// call fails before it is sent, or on an I/O thread when it times out); they
// must not block.
//
// [thread-safe] All methods of Client and Call.

#ifndef NETRPC_CLIENT_H_
#define NETRPC_CLIENT_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <thread>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "netrpc/body.h"
#include "netrpc/codec.h"
#include "netrpc/conn.h"
#include "netrpc/sync.h"

namespace netrpc {

namespace internal {
class ClientState;
}  // namespace internal

// CallOptions tunes one call. Go's net/rpc has no such thing.
struct CallOptions {
  // timeout, if finite, fails the call with DeadlineError() when no reply
  // has arrived after this long; a reply arriving later is discarded.
  // Default: absl::InfiniteDuration() (wait forever, as Go).
  absl::Duration timeout = absl::InfiniteDuration();
};

// Call is one call in progress or done (Go's rpc.Call). The client creates
// it; the caller holds it through a shared_ptr.
class Call {
 public:
  // DoneFn is called exactly once when the call completes.
  using DoneFn = std::function<void(Call& call)>;

  Call(std::string service_method, std::unique_ptr<Body> args,
       std::unique_ptr<Body> reply, DoneFn done);
  Call(const Call&) = delete;
  Call& operator=(const Call&) = delete;

  // service_method is the method called, "Service.Method".
  const std::string& service_method() const { return service_method_; }

  // args is the argument. It refers to the caller's object, which the call
  // encodes before Client::Go returns: after that, args() is valid only as
  // long as the caller keeps the object.
  const Body& args() const { return *args_; }

  // reply is where the reply is decoded: the caller's object.
  Body& reply() { return *reply_; }

  // done reports whether the call has completed.
  bool done() const;

  // error is the call's result once done() (OK on success).
  absl::Status error() const;

  // Wait blocks until the call completes and returns error().
  absl::Status Wait();

  // WaitFor is Wait with a limit; it returns false if the call is still
  // pending after `timeout` (the call goes on).
  bool WaitFor(absl::Duration timeout);

  // Cancel completes a pending call with CanceledError(); its reply, if one
  // comes, is discarded. It does nothing to a completed call.
  void Cancel();

 private:
  friend class internal::ClientState;

  // Complete sets the result and runs the callback, once; false if the call
  // had already completed.
  bool Complete(absl::Status error);

  const std::string service_method_;
  const std::unique_ptr<Body> args_;
  const std::unique_ptr<Body> reply_;

  mutable Mutex mu_;
  bool done_ ABSL_GUARDED_BY(mu_) = false;
  absl::Status error_ ABSL_GUARDED_BY(mu_);
  DoneFn done_fn_ ABSL_GUARDED_BY(mu_);

  // Set once the call is registered, for Cancel and timeouts.
  std::weak_ptr<internal::ClientState> client_ ABSL_GUARDED_BY(mu_);
  uint64_t seq_ ABSL_GUARDED_BY(mu_) = 0;
  std::shared_ptr<void> timer_ ABSL_GUARDED_BY(mu_);  // an asio timer
};

// Client is an RPC client (Go's rpc.Client). See the file comment.
class Client {
 public:
  // Client takes ownership of `codec` and starts reading responses (Go's
  // NewClientWithCodec).
  explicit Client(std::unique_ptr<ClientCodec> codec);

  // ~Client closes the client and waits for its reader thread.
  ~Client();

  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;

  // Call invokes `service_method` and waits for the reply (Go's
  // Client.Call). `args` and `reply` are any gob-encodable types.
  template <typename A, typename R>
  absl::Status Call(absl::string_view service_method, const A& args,
                    R* reply, const CallOptions& options = {}) {
    return Go(service_method, args, reply, nullptr, options)->Wait();
  }

  // Go starts `service_method` and returns at once (Go's Client.Go): the
  // argument has been encoded and, unless the client is shut down, sent.
  // `done`, if set, runs when the call completes; `reply` must stay alive
  // until then.
  template <typename A, typename R>
  std::shared_ptr<netrpc::Call> Go(absl::string_view service_method,
                                   const A& args, R* reply,
                                   Call::DoneFn done = nullptr,
                                   const CallOptions& options = {}) {
    return GoBody(service_method, std::make_unique<BodyRef<const A>>(&args),
                  std::make_unique<BodyRef<R>>(reply), std::move(done),
                  options);
  }

  // GoBody is Go with type-erased bodies (dynamic values, proxies).
  std::shared_ptr<netrpc::Call> GoBody(absl::string_view service_method,
                                       std::unique_ptr<Body> args,
                                       std::unique_ptr<Body> reply,
                                       Call::DoneFn done,
                                       const CallOptions& options = {});

  // Close closes the connection (Go's Client.Close). Pending calls fail
  // with the read error; later calls with ErrShutdown(). A second Close
  // returns ErrShutdown().
  absl::Status Close();

  // Usable reports whether new calls can still be sent: false once Close was
  // called or the connection broke (calls would fail with ErrShutdown()).
  // Go has no such method; a pool uses it to replace dead connections before
  // handing them out.
  bool Usable() const;

 private:
  std::shared_ptr<internal::ClientState> state_;
  std::thread reader_;
};

// NewClient returns a Client speaking gob over `conn` (Go's NewClient).
std::unique_ptr<Client> NewClient(std::unique_ptr<Conn> conn);

// NewClientWithCodec returns a Client over `codec` (Go's
// NewClientWithCodec).
std::unique_ptr<Client> NewClientWithCodec(std::unique_ptr<ClientCodec> codec);

// Dial connects to a net/rpc server at `address` (Go's rpc.Dial). `network`
// is "tcp" ("tcp4" and "tcp6" are accepted as "tcp").
absl::StatusOr<std::unique_ptr<Client>> Dial(absl::string_view network,
                                             absl::string_view address);

}  // namespace netrpc

#endif  // NETRPC_CLIENT_H_
