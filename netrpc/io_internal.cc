// Copyright netrpc-gateway authors. Licensed under the BSD-style licence of Go.

#include "netrpc/io_internal.h"

#include <chrono>

#include <algorithm>
#include <thread>
#include <utility>

#include "absl/time/time.h"
#include "netrpc/sync.h"

namespace netrpc {
namespace internal {
namespace {

// The pool and context index the calling thread runs (see IoPool::current).
thread_local const IoPool* t_pool = nullptr;
thread_local int t_loop = -1;

// This thread's open Batches and what they deferred.
thread_local int t_batch_depth = 0;
thread_local std::vector<std::function<void()>> t_deferred;
// t_running holds the deferred work being run, while new work queues in
// t_deferred.
thread_local std::vector<std::function<void()>> t_running;

int HardwareThreads() {
  return std::max(1, static_cast<int>(std::thread::hardware_concurrency()));
}

}  // namespace

IoPool& IoPool::Default() {
  // Asynchronous I/O needs few threads; fewer threads than cores leaves the
  // rest to the worker pool and the process's other work.
  static IoPool* pool = new IoPool(std::clamp(HardwareThreads() / 2, 1, 4));
  return *pool;
}

IoPool::IoPool(int threads) {
  for (int i = 0; i < threads; ++i) {
    loops_.push_back(std::make_unique<Loop>());
    asio::io_context* context = &loops_.back()->context;
    std::thread([this, context, i] {
      t_pool = this;
      t_loop = i;
      context->run();
    }).detach();
  }
}

asio::io_context& IoPool::context() {
  size_t i = next_.fetch_add(1, std::memory_order_relaxed) % loops_.size();
  return loops_[i]->context;
}

Batch::Batch() { ++t_batch_depth; }

Batch::~Batch() {
  if (t_batch_depth > 1) {
    --t_batch_depth;
    return;
  }
  // Deferred work may defer more (a flush that completes a call): run until
  // none is left, still inside the batch.
  // The two vectors keep their capacity from batch to batch: no allocation
  // per batch once warm.
  while (!t_deferred.empty()) {
    t_running.swap(t_deferred);
    for (std::function<void()>& fn : t_running) fn();
    t_running.clear();
  }
  t_batch_depth = 0;
}

bool Batch::Defer(std::function<void()> fn) {
  if (t_batch_depth == 0) return false;
  t_deferred.push_back(std::move(fn));
  return true;
}

int IoPool::current() const { return t_pool == this ? t_loop : -1; }

WorkerPool& WorkerPool::Default() {
  static WorkerPool* pool =
      new WorkerPool(HardwareThreads(), /*max_threads=*/1024,
                     /*idle_seconds=*/10);
  return *pool;
}

WorkerPool::WorkerPool(int min_threads, int max_threads, int idle_seconds)
    : min_threads_(min_threads),
      max_threads_(max_threads),
      idle_seconds_(idle_seconds) {}

void WorkerPool::Submit(std::function<void()> task) {
  bool spawn = false;
  {
    std::lock_guard<std::mutex> lock(mu_);
    tasks_.push_back(std::move(task));
    // A queued task would wait behind busy (perhaps sleeping) methods: give
    // it a thread of its own, as Go gives every call a goroutine.
    if (idle_ < static_cast<int>(tasks_.size()) && threads_ < max_threads_) {
      ++threads_;
      ++idle_;
      spawn = true;
    }
  }
  if (spawn) {
    std::thread([this] { Run(); }).detach();
  } else {
    work_.notify_one();
  }
}

void WorkerPool::Run() {
  std::unique_lock<std::mutex> lock(mu_);
  for (;;) {
    bool woke = work_.wait_for(lock, std::chrono::seconds(idle_seconds_),
                               [this] { return !tasks_.empty(); });
    if (!woke && threads_ > min_threads_) {
      --idle_;
      --threads_;
      return;
    }
    if (!woke) continue;
    std::function<void()> task = std::move(tasks_.front());
    tasks_.pop_front();
    --idle_;
    lock.unlock();
    task();
    task = nullptr;  // destroy captures before taking the lock again
    lock.lock();
    ++idle_;
  }
}

}  // namespace internal
}  // namespace netrpc
