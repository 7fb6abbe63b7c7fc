// Copyright netrpc-gateway authors. Licensed under the BSD-style licence of Go.
//
// File: sync.h
//
// Mutex, MutexLock and Notification with absl's shape and thread-safety
// annotations, built on std::mutex and std::condition_variable.
//
// Why not absl::Mutex: Debian's libabsl is not built with ThreadSanitizer,
// so TSan cannot see absl::Mutex's happens-before edges and reports every
// access guarded by one as a race. std::mutex goes through pthread, which
// TSan intercepts; `bazel test --config=tsan` then checks the real thing.
//
//   netrpc::Mutex mu;
//   int pending ABSL_GUARDED_BY(mu) = 0;
//   {
//     netrpc::MutexLock lock(&mu);
//     mu.Await([&] { return pending == 0; });   // absl's Await(Condition)
//   }

#ifndef NETRPC_SYNC_H_
#define NETRPC_SYNC_H_

#include <chrono>
#include <condition_variable>
#include <mutex>

#include "absl/base/thread_annotations.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"

namespace netrpc {

// Mutex is a non-recursive mutex whose Await waits for a condition, like
// absl::Mutex: every Unlock wakes the waiters to re-check theirs.
//
// [thread-safe]
class ABSL_LOCKABLE Mutex {
 public:
  Mutex() = default;
  Mutex(const Mutex&) = delete;
  Mutex& operator=(const Mutex&) = delete;

  void Lock() ABSL_EXCLUSIVE_LOCK_FUNCTION() { mu_.lock(); }
  void Unlock() ABSL_UNLOCK_FUNCTION() {
    // Notify while still holding the lock: once it is released, a waiter may
    // see its condition and destroy this Mutex (a Notification on a stack).
    // Only when someone waits: most mutexes never see an Await.
    if (waiters_ > 0) cv_.notify_all();
    mu_.unlock();
  }

  // Await releases the lock until `cond()` holds, then returns with the lock
  // held. The caller must hold the lock.
  template <typename Cond>
  void Await(Cond cond) ABSL_EXCLUSIVE_LOCKS_REQUIRED(this) {
    std::unique_lock<std::mutex> lock(mu_, std::adopt_lock);
    ++waiters_;
    cv_.wait(lock, cond);
    --waiters_;
    lock.release();
  }

  // AwaitWithTimeout is Await with a limit; it returns cond() at the end.
  template <typename Cond>
  bool AwaitWithTimeout(Cond cond, absl::Duration timeout)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(this) {
    std::unique_lock<std::mutex> lock(mu_, std::adopt_lock);
    ++waiters_;
    bool ok = timeout == absl::InfiniteDuration()
                  ? (cv_.wait(lock, cond), true)
                  : cv_.wait_for(lock, absl::ToChronoNanoseconds(timeout),
                                 cond);
    --waiters_;
    lock.release();
    return ok;
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  int waiters_ = 0;  // threads in Await*, guarded by mu_
};

// MutexLock holds a Mutex for its scope.
class ABSL_SCOPED_LOCKABLE MutexLock {
 public:
  explicit MutexLock(Mutex* mu) ABSL_EXCLUSIVE_LOCK_FUNCTION(mu) : mu_(mu) {
    mu_->Lock();
  }
  ~MutexLock() ABSL_UNLOCK_FUNCTION() { mu_->Unlock(); }
  MutexLock(const MutexLock&) = delete;
  MutexLock& operator=(const MutexLock&) = delete;

 private:
  Mutex* const mu_;
};

// Notification is a one-shot event (absl::Notification). It may be
// destroyed as soon as WaitForNotification returns.
//
// [thread-safe]
class Notification {
 public:
  void Notify() {
    MutexLock lock(&mu_);
    notified_ = true;
  }
  bool HasBeenNotified() {
    MutexLock lock(&mu_);
    return notified_;
  }
  void WaitForNotification() {
    MutexLock lock(&mu_);
    mu_.Await([this]() ABSL_NO_THREAD_SAFETY_ANALYSIS { return notified_; });
  }
  bool WaitForNotificationWithTimeout(absl::Duration timeout) {
    MutexLock lock(&mu_);
    return mu_.AwaitWithTimeout(
        [this]() ABSL_NO_THREAD_SAFETY_ANALYSIS { return notified_; },
        timeout);
  }

 private:
  Mutex mu_;
  bool notified_ ABSL_GUARDED_BY(mu_) = false;
};

}  // namespace netrpc

#endif  // NETRPC_SYNC_H_
