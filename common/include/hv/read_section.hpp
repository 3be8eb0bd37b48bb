// SPDX-License-Identifier: Apache-2.0
// A CPU's mark that it may be following a domain's p2m to a frame without the core lock, and the wait
// that lets a frame the p2m gave up be freed only once no CPU can still reach it through the old entry.
//
// The hypercalls handled without the core lock (an event sent, a timer set, a poll's port list read)
// translate guest addresses through the p2m and copy through the direct map, while a cold exit of another
// vCPU of the same domain may take that page away under the lock (XENMEM_decrease_reservation, a shared
// page put over RAM). Freed at once, the frame could belong to another domain before the copy lands in
// it. So a frame the p2m gives up is retired (FrameAllocator::retire), and the CPU that retired it, once
// it let go of the core lock, waits for every CPU that was inside its section then to leave it before it
// frees what was retired: a grace period, as read-copy-update has it, one per cold exit however many
// frames it gave up, with one counter per CPU and no lock.
//
// The counter is odd inside the section and even outside; only its own CPU writes it. enter() fences
// fully after its store, and the waiter fences after its change before it reads the counters (Dekker's
// pattern): either the reader's lookup sees the change, or the waiter sees the reader inside and waits
// until its counter moves.
#pragma once

#include <hv/types.hpp>

namespace hv {

class ReadSection {
public:
  /// Called by the CPU itself before it follows a p2m without the core lock. Sections do not nest.
  void enter() {
    __atomic_store_n(&count_, __atomic_load_n(&count_, __ATOMIC_RELAXED) + 1, __ATOMIC_RELAXED);
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
  }
  /// Called by the CPU itself once it is done with every frame it reached in the section (release: those
  /// accesses come before a waiter sees it out). A section spans no wait for the core lock, so that a
  /// grace period lasts about as long as one hypercall handled without it.
  void leave() { __atomic_store_n(&count_, __atomic_load_n(&count_, __ATOMIC_RELAXED) + 1, __ATOMIC_RELEASE); }
  /// Whether the calling CPU, this section's own, is inside it.
  bool inside() const { return (__atomic_load_n(&count_, __ATOMIC_RELAXED) & 1) != 0; }

  /// Returns once each of the `count` sections `at(i)` but `self`'s that was open when it was called has
  /// been left, calling `while_waiting()` each time round (for what other CPUs ask of the caller, which
  /// a reader may be waiting for). Called after the p2m change is made, before the old frame is freed,
  /// by a CPU outside its own section.
  template <class At, class F> static void wait_for_others(u32 count, u32 self, At&& at, F&& while_waiting) {
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    for (u32 i = 0; i < count; ++i) {
      if (i == self) continue;
      const ReadSection& other = at(i);
      const u32 seen = __atomic_load_n(&other.count_, __ATOMIC_ACQUIRE);
      if ((seen & 1) == 0) continue;
      while (__atomic_load_n(&other.count_, __ATOMIC_ACQUIRE) == seen) while_waiting();
    }
  }

private:
  u32 count_ = 0; // wraps: only whether it is odd and whether it moved matter
};

} // namespace hv
