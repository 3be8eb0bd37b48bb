// SPDX-License-Identifier: Apache-2.0
// The guests' PV time from the port's clocks. See hv/domains/guest_time.hpp.
#include <hv/domains/clock.hpp>
#include <hv/domains/guest_time.hpp>

#include <port.hpp>

namespace hv {
namespace {

using V = port::Virtualization;

constexpr u64 refresh_ms = 1;

} // namespace

void GuestTime::init() {
  hz_ = port::Timer::frequency_hz();
  if (hz_ == 0) hz_ = 1; // no timer: the run time stops before any guest runs
  refresh_ticks_ = hz_ * refresh_ms / 1000;
  scale_ = pv_time::scale_for(guest_counter_hz<V, port::Timer>());
  const u64 now = port::Timer::now();
  const u64 wall = wall_clock_ns<V>(now);
  const u64 system = ns(now);
  wall_at_zero_ns_ = wall > system ? wall - system : 0;
}

u64 GuestTime::ns(u64 ticks) const { return ns_from_ticks(ticks, hz_); }

void GuestTime::refresh(Vcpu& v, u64 timer_now) const {
  pv_time::write_vcpu_time(v.domain->shared_info, v.id, guest_counter<V, port::Timer>(v.arch, timer_now),
                           ns(timer_now) + v.domain->time_offset_ns, scale_);
  v.time_due = timer_now + refresh_ticks_;
}

void GuestTime::set_wallclock(Domain& d) const {
  // Its system time 0 was that much earlier than the hypervisor's.
  const u64 at_zero = wall_at_zero_ns_ > d.time_offset_ns ? wall_at_zero_ns_ - d.time_offset_ns : 0;
  pv_time::write_wallclock(d.shared_info, at_zero / 1'000'000'000, static_cast<u32>(at_zero % 1'000'000'000));
}

} // namespace hv
