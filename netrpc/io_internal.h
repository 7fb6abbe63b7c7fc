// Copyright netrpc-gateway authors. Licensed under the BSD-style licence of Go.
//
// File: io_internal.h
//
// The two thread pools every Server and Client in a process share (see the
// threading model in README.md):
//
//   * IoPool: one asio::io_context run by a few threads. All socket I/O of
//     server connections, listeners and the HTTP front end happens here, as
//     asynchronous operations, so thousands of connections need no thread
//     each. Handlers on it never block.
//   * WorkerPool: runs service methods. It grows when every worker is busy
//     (a slow method must not delay other calls, as Go's goroutine per call
//     guarantees) and shrinks back when idle.
//
// Internal to netrpc: not part of the public API.

#ifndef NETRPC_IO_INTERNAL_H_
#define NETRPC_IO_INTERNAL_H_

#include <atomic>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "asio.hpp"
#include "netrpc/sync.h"

namespace netrpc {
namespace internal {

// IoPool owns a few io_contexts, each run by one thread of its own (a
// guarantee: server connections rely on it instead of strands).
// Connections are spread over them round robin; everything of one
// connection happens on its context's thread, so a busy connection costs no
// cross-thread wake-ups (a shared io_context run by several threads woke a
// second thread for nearly every completion).
//
// [thread-safe]
class IoPool {
 public:
  // Default returns the process-wide pool, started on first use: one
  // context per two hardware threads, at least 1 and at most 4. It is never
  // destroyed: connections may still be open at exit.
  static IoPool& Default();

  explicit IoPool(int threads);
  IoPool(const IoPool&) = delete;
  IoPool& operator=(const IoPool&) = delete;

  // context returns the next context, round robin.
  asio::io_context& context();

  // size is the number of contexts; context(i) is the i-th (i < size()).
  size_t size() const { return loops_.size(); }
  asio::io_context& context(size_t i) { return loops_[i]->context; }

  // current is the index of this pool's context that the calling thread
  // runs, or -1 off the pool's threads. Code on an I/O thread can so keep
  // its own work on that thread (the bridge's upstream connections do).
  int current() const;

 private:
  struct Loop {
    Loop() : context(1), work(asio::make_work_guard(context)) {}
    asio::io_context context;
    asio::executor_work_guard<asio::io_context::executor_type> work;
  };
  std::vector<std::unique_ptr<Loop>> loops_;
  std::atomic<size_t> next_{0};
};

// Batch groups the writes of one handler's work on an I/O thread: while a
// Batch is open, a connection that has output Defers its flush, so that a
// handler answering or forwarding many calls at once (the requests of one
// read; the upstream replies of one read) writes each socket once, at the
// end, not once per call, and without a post back to the event loop (which
// costs an extra epoll_wait per call).
//
// [thread-compatible] Each thread has its own; Batches nest.
class Batch {
 public:
  Batch();
  ~Batch();
  Batch(const Batch&) = delete;
  Batch& operator=(const Batch&) = delete;

  // Defer queues fn to run on this thread when its outermost open Batch
  // ends, and returns true. With no Batch open it does nothing and returns
  // false (the caller writes now).
  static bool Defer(std::function<void()> fn);
};

// WorkerPool runs submitted tasks on an elastic set of threads.
//
// [thread-safe]
class WorkerPool {
 public:
  // Default returns the process-wide pool (never destroyed).
  static WorkerPool& Default();

  // WorkerPool keeps `min_threads` threads alive and starts more, up to
  // `max_threads`, when a task arrives and none is idle. Extra threads exit
  // after `idle_seconds` without work.
  WorkerPool(int min_threads, int max_threads, int idle_seconds);
  WorkerPool(const WorkerPool&) = delete;
  WorkerPool& operator=(const WorkerPool&) = delete;

  // Submit queues `task`. Tasks beyond max_threads wait in FIFO order.
  void Submit(std::function<void()> task);

 private:
  void Run();

  const int min_threads_;
  const int max_threads_;
  const int idle_seconds_;
  // A condition variable of its own, woken once per task: netrpc::Mutex
  // wakes every waiter on every unlock, which made all idle workers race for
  // each task (a thundering herd that also kept burst threads from retiring).
  std::mutex mu_;
  std::condition_variable work_;
  // Guarded by mu_.
  std::deque<std::function<void()>> tasks_;
  int threads_ = 0;
  int idle_ = 0;
};

// ListenerImpl is a Listener's acceptor.
struct ListenerImpl {
  explicit ListenerImpl(asio::io_context& context) : acceptor(context) {}

  // Serve hands each accepted socket to `on_conn` (on an I/O thread) until
  // the listener is closed or fails; it blocks the calling thread.
  void Serve(std::function<void(asio::ip::tcp::socket)> on_conn);
  void Close();

  Mutex mu;  // serialises calls on the acceptor
  asio::ip::tcp::acceptor acceptor ABSL_GUARDED_BY(mu);
  bool closed ABSL_GUARDED_BY(mu) = false;
  std::string addr;
};

}  // namespace internal
}  // namespace netrpc

#endif  // NETRPC_IO_INTERNAL_H_
