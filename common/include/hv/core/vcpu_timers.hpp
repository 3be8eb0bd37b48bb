// SPDX-License-Identifier: Apache-2.0
// The family's per-vCPU timers: a single-shot timer (VCPUOP_set_singleshot_timer, set_timer_op), a
// periodic timer (VCPUOP_set_periodic_timer), and the wake-up of a blocked vCPU (a SCHEDOP_poll's timeout,
// or the next interrupt of its emulated devices when it halted). Each deadline is in system time
// (nanoseconds on the hypervisor's clock, what vcpu_time_info counts in). A single-shot or periodic
// deadline raises VIRQ_TIMER on its vCPU (which wakes it, if it waits and the VIRQ is bound); a wake-up
// wakes the vCPU that blocked, unless something woke it first.
//
// Who calls: the hypercalls (arming and stopping, on the calling domain's vCPUs) and the run time, which
// calls expire() when its clock passed next_deadline() (at its periodic tick, and when it wakes from
// idling), so a timer fires within one tick of its deadline. On several CPUs: each vCPU's timers have a
// lock of their own (VcpuTimerState::lock), so that arming a timer, which guests do all the time, takes
// no lock another vCPU needs; expire() walks every domain without the run time's core lock, one CPU at a
// time (another that finds a walk under way leaves it to that one), inside the caller's ReadSection: a
// domain destroyed meanwhile first clears its vCPUs' timers under their locks and retires its memory
// (hv/read_section.hpp), so that the walk never fires into one half torn down nor reads one freed.
#pragma once

#include <hv/abi/errno.hpp>
#include <hv/spinlock.hpp>

namespace hv {

struct Domain;
struct Vcpu;
class DomainTable;

/// A vCPU's timers (Vcpu::timers). Only VcpuTimers changes them, holding `lock`.
struct VcpuTimerState {
  static constexpr u64 none = ~u64{0};
  u64 singleshot = none; ///< when the single-shot timer fires
  u64 periodic = none;   ///< when the periodic timer fires next
  u64 period = 0;        ///< the periodic timer's period, 0 when it is stopped
  u64 wake = none;       ///< when the vCPU that blocked is woken (SCHEDOP_poll's timeout, a device's interrupt)
  u64 wake_wakeups = 0;  ///< Vcpu::wakeups when it blocked: a wake-up since makes this one moot
  /// Guards the deadlines above and the vCPU's time record (vcpu_time_info), which a timer's firing
  /// rewrites: two CPUs never write one record at once (refresh_time, and the run time's own refresh).
  SpinLock lock;
  /// Every deadline cleared (its domain stopped).
  void clear() {
    singleshot = periodic = wake = none;
    period = 0;
  }
  u64 earliest() const {
    const u64 a = singleshot < periodic ? singleshot : periodic;
    return a < wake ? a : wake;
  }
};

/// System time: nanoseconds on the hypervisor's clock. A function and a context, so that the run time
/// reads the port's timer and the tests a clock of their own.
struct SystemClock {
  u64 (*read)(const void* context) = nullptr;
  const void* context = nullptr;
  u64 now() const { return read(context); }
};

/// How the run time writes a vCPU's time record (vcpu_time_info, hv/core/pv_time.hpp) when the core asks:
/// just before its VIRQ_TIMER is raised, so that the guest's handler reads a fresh one, and when it is
/// brought up (refresh_time), so that it never runs before its record exists. May be left empty.
struct GuestTimeHook {
  void (*refresh)(void* context, Vcpu& vcpu) = nullptr;
  void* context = nullptr;
};

class VcpuTimers {
public:
  static constexpr u64 none = VcpuTimerState::none;
  /// The shortest period VCPUOP_set_periodic_timer accepts (1 ms, as the family's ABI allows).
  static constexpr u64 min_period_ns = 1'000'000;

  VcpuTimers(DomainTable& domains, SystemClock clock, GuestTimeHook hook = {})
      : domains_(domains), clock_(clock), hook_(hook) {}

  /// System time now.
  u64 now() const { return clock_.now(); }
  /// `d`'s system time now: the hypervisor's, and its offset (Domain::time_offset_ns).
  u64 now_of(const Domain& d) const;
  /// The hypervisor's system time at which `d`'s reads `guest_ns` (0 for one before the hypervisor's 0).
  static u64 from_guest(const Domain& d, u64 guest_ns);
  /// Has the run time write `v`'s time record now. Called by the hypercalls that bring a vCPU up
  /// (VCPUOP_up, and domctl's unpausedomain that starts a domain); the run time does it itself for the
  /// domains it starts.
  void refresh_time(Vcpu& v) const;

  /// VCPUOP_set_singleshot_timer: VIRQ_TIMER at `deadline` (the domain's system time), replacing the one armed. A
  /// deadline already passed fires at once, or is Err::time (and arms nothing) when `future_only`
  /// (VCPU_SSHOTTMR_future).
  Err set_singleshot(Vcpu& v, u64 deadline, bool future_only);
  void stop_singleshot(Vcpu& v);
  /// VCPUOP_set_periodic_timer: VIRQ_TIMER every `period` ns from now on. Err::inval below
  /// min_period_ns or above 2^63 - 1 ns (the family's limits).
  Err set_periodic(Vcpu& v, u64 period);
  void stop_periodic(Vcpu& v);
  /// `v` just blocked until `deadline` (SCHEDOP_poll's timeout; a halt, until its emulated devices'
  /// next interrupt): it is woken then, unless it was woken meanwhile.
  void wake_at(Vcpu& v, u64 deadline);

  /// A restored vCPU's timers (the save stream's timers record, docs/save-format.md): its single-shot
  /// timer `singleshot_in` ns from now, its periodic timer's next tick `periodic_in` ns from now, every
  /// `period` ns (none and 0: not armed). A deadline of 0 ns fires at the next expire() that finds its
  /// domain running. Err::inval for a period out of set_periodic's range, a next tick beyond one period,
  /// or one without the other; then nothing is armed.
  Err restore(Vcpu& v, u64 singleshot_in, u64 periodic_in, u64 period);

  /// No armed deadline is earlier than this (none when nothing is armed); after a timer was stopped it
  /// may be earlier than any armed one, which costs an expire() that finds nothing.
  u64 next_deadline() const { return __atomic_load_n(&next_, __ATOMIC_ACQUIRE); }
  /// Fires every timer of a running domain whose deadline is at or before `now`, and recomputes
  /// next_deadline(). A periodic timer that missed several periods fires once and goes on from `now`.
  /// Any CPU, without the core lock, inside its ReadSection; returns at once when another CPU's walk is
  /// under way (that one finds what is due, or the next tick's does).
  void expire(u64 now);
  /// Whether no timer is armed, for certain: next_deadline() read while no walk of expire() was under way
  /// (a walk lets it read none until it ends). For the run time's verdict that nothing can wake a domain.
  bool nothing_armed() const;

private:
  /// Lowers next_deadline() to `deadline` (an atomic minimum: CPUs arm at once, and expire() may be
  /// recomputing it).
  void arm(u64 deadline);
  /// `v`'s timers whose deadline passed fire; v's lock held.
  void fire(Vcpu& v, u64 now);
  void refresh_locked(Vcpu& v) const {
    if (hook_.refresh != nullptr) hook_.refresh(hook_.context, v);
  }

  DomainTable& domains_;
  SystemClock clock_;
  GuestTimeHook hook_;
  alignas(8) u64 next_ = none; // atomic: 8-aligned on 32-bit ports too
  u32 walks_ = 0;              // atomic: odd while expire() walks, so one walks at a time
};

} // namespace hv
