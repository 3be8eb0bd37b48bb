// SPDX-License-Identifier: Apache-2.0
// The lock common code takes where physical CPUs really share something (the domain table, the frame
// allocator, an event channel's send path, the console's lines): a ticket lock over the compiler's
// atomic builtins, which every port's compiler turns into its own atomics (x86's lock xadd, POWER's
// lwarx/stwcx., IA-64's fetchadd), so that a port owes nothing for it.
//
// Why a ticket lock: CPUs get it in the order they asked, so none starves behind the others, and it is
// two words with no port code. Rules that keep it deadlock-free:
//  - trap handlers (hv::handle_trap) take no lock: a lock is held with interrupts masked or not, and an
//    interrupt on the holder's CPU must never spin on it;
//  - locks nest only in the order their owners' headers say (today: two run queues, in CPU order, by an
//    idle CPU taking work, hv/core/credit_scheduler.hpp; the console's, innermost);
//  - no lock is held while a guest runs or while a CPU waits for an interrupt.
#pragma once

#include <hv/types.hpp>

namespace hv {

class SpinLock {
public:
  SpinLock() = default;
  SpinLock(const SpinLock&) = delete;
  SpinLock& operator=(const SpinLock&) = delete;

  /// Waits until it is this caller's turn. Acquire: what the last holder wrote before unlock() is seen.
  void lock() {
    const u32 ticket = __atomic_fetch_add(&next_, 1u, __ATOMIC_RELAXED);
    while (__atomic_load_n(&serving_, __ATOMIC_ACQUIRE) != ticket) {
    }
  }
  /// The same, calling `while_waiting()` each time round while it waits (for what other CPUs ask of this
  /// one, which the holder may be waiting for).
  template <class F> void lock(F&& while_waiting) {
    const u32 ticket = __atomic_fetch_add(&next_, 1u, __ATOMIC_RELAXED);
    while (__atomic_load_n(&serving_, __ATOMIC_ACQUIRE) != ticket) while_waiting();
  }
  /// Takes the lock when nobody holds or waits for it; false, changing nothing, otherwise.
  bool try_lock() {
    const u32 serving = __atomic_load_n(&serving_, __ATOMIC_RELAXED);
    u32 expected = serving;
    return __atomic_compare_exchange_n(&next_, &expected, serving + 1, false, __ATOMIC_ACQUIRE, __ATOMIC_RELAXED);
  }
  /// Hands it to the next waiter. Release: what the holder wrote is seen by the next one. Only the holder
  /// calls it.
  void unlock() { __atomic_store_n(&serving_, __atomic_load_n(&serving_, __ATOMIC_RELAXED) + 1, __ATOMIC_RELEASE); }
  /// Whether someone holds it (for checks; stale as soon as it is read).
  bool held() const {
    return __atomic_load_n(&next_, __ATOMIC_RELAXED) != __atomic_load_n(&serving_, __ATOMIC_RELAXED);
  }

private:
  u32 next_ = 0;    ///< the ticket the next caller draws
  u32 serving_ = 0; ///< the ticket whose holder has the lock
};

/// Holds `lock` for its scope.
class LockGuard {
public:
  explicit LockGuard(SpinLock& lock) : lock_(lock) { lock_.lock(); }
  ~LockGuard() { lock_.unlock(); }
  LockGuard(const LockGuard&) = delete;
  LockGuard& operator=(const LockGuard&) = delete;

private:
  SpinLock& lock_;
};

} // namespace hv
