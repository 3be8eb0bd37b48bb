// SPDX-License-Identifier: Apache-2.0
// The guests' view of time, as the family's PV time gives it (hv/core/pv_time.hpp): each vCPU's
// vcpu_time_info and each domain's wall clock, written from the port's timer (system time) and the
// backend's view of the guest's own counter (contract/virtualization.hpp's optional guest_counter,
// guest_counter_hz and wall_clock_ns).
//
// When: a vCPU's record is written when it is brought up (its domain started, VCPUOP_up), before it
// first runs; whenever its timer fires, before VIRQ_TIMER is raised; and at the scheduler's ticks that
// find it running, once it is a millisecond old. Not at every schedule-in: that cost the vCPU switch
// three instructions (tests/bench/icount), and bought nothing, because a record never goes wrong: between
// refreshes the guest extrapolates with its own counter, and a stale record only carries the scale's
// rounding (under a nanosecond a second). What would make one wrong (the guest's counter offset changed,
// a move to another physical CPU once there is SMP) is the backend's to report when it happens. A
// domain's wall clock is written once, when it is built.
#pragma once

#include <hv/core/domain.hpp>
#include <hv/core/pv_time.hpp>

namespace hv {

class GuestTime {
public:
  /// Reads the port's clocks' rates and the wall clock. Called once the backend is on.
  void init();
  /// Timer ticks per second.
  u64 hz() const { return hz_; }
  /// The system time (ns) of the Timer reading `ticks`.
  u64 ns(u64 ticks) const;

  /// At a tick that found `v` running, with its Timer reading: refreshes `v`'s record when it is due.
  void refresh_if_due(Vcpu& v, u64 timer_now) const {
    if (timer_now >= v.time_due) refresh(v, timer_now);
  }
  /// Writes `v`'s vcpu_time_info for the Timer reading `timer_now`.
  void refresh(Vcpu& v, u64 timer_now) const;
  /// Writes `d`'s wall clock.
  void set_wallclock(Domain& d) const;

private:
  u64 hz_ = 1;
  u64 refresh_ticks_ = 0; ///< a record is refreshed at schedule-in once it is this old
  TimeScale scale_;
  u64 wall_at_zero_ns_ = 0; ///< the wall clock at system time 0
};

} // namespace hv
