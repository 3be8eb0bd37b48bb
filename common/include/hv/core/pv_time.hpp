// SPDX-License-Identifier: Apache-2.0
// The family's paravirtualized time, as the hypervisor writes it into a domain's shared_info: each vCPU's
// vcpu_time_info and the domain's wall clock.
//
// A guest reads its vCPU's record and its own cycle counter (x86 TSC, POWER timebase) and computes the
// system time (ns) as system_time + scale(counter - tsc_timestamp), where scale(t) = ((t << tsc_shift) *
// tsc_to_system_mul) >> 32 (a negative shift shifts right). The wall clock is the time of day at system
// time 0: wc_sec (+ wc_sec_hi << 32) seconds and wc_nsec ns since the Unix epoch.
//
// Both follow the family's version protocol, since a guest may read while the hypervisor writes: the
// version is made odd, the fields are written, then the version is made even again (each step ordered
// after the last); a reader that saw an odd version, or two different versions around its reads, reads
// again. Who calls: the run time (hv/domains/guest_time.hpp), with values from the port's clocks.
#pragma once

#include <hv/core/shared_info_page.hpp>

namespace hv {

/// vcpu_time_info's tsc_to_system_mul and tsc_shift.
struct TimeScale {
  u32 mul = 0;
  i8 shift = 0;
};

namespace pv_time {

/// The scale of a counter of `hz` ticks a second, as precise as the format allows (mul in [2^31, 2^32)).
/// {0, 0} for 0 Hz.
TimeScale scale_for(u64 hz);
/// What a guest computes from `ticks` of its counter: the nanoseconds they last at `scale`.
u64 scale_ticks(u64 ticks, TimeScale scale);

/// Writes vCPU `vcpu`'s vcpu_time_info: the guest's counter read `counter` at system time `system_ns`.
/// `vcpu` below limits::max_vcpus.
void write_vcpu_time(SharedInfoPage& page, u32 vcpu, u64 counter, u64 system_ns, TimeScale scale);
/// The system_time of vCPU `vcpu`'s vcpu_time_info as last written. `vcpu` below limits::max_vcpus.
u64 recorded_system_time(const SharedInfoPage& page, u32 vcpu);
/// Writes the wall clock: system time 0 was `seconds` and `nanoseconds` after the Unix epoch.
void write_wallclock(SharedInfoPage& page, u64 seconds, u32 nanoseconds);

} // namespace pv_time
} // namespace hv
