// SPDX-License-Identifier: Apache-2.0
// The timer: the timebase for time, the hypervisor decrementer (HDEC) for periodic interrupts.
#include <port.hpp>

#include <hv/firmware_tree.hpp>

#include <ppc64/registers.hpp>
#include <ppc64/smp.hpp>
#include <ppc64/trap_backend.hpp>

namespace hv::port {
namespace {

constexpr u64 power9_timebase_hz = 512'000'000; // when the device tree does not say
constexpr u64 parked = 0x7fff'ffff;             // positive in any HDEC width: no interrupt pending

u64 frequency = 0;
// Each thread's own HDEC, by cpu_index().
u64 periods[max_cpus] = {};        // timebase ticks between interrupts; 0 when stopped
u64 next_deadlines[max_cpus] = {}; // the timebase value the next tick is due at

} // namespace

bool Timer::init() {
  frequency = fdt::timebase_frequency(Machine::device_tree());
  if (frequency == 0) frequency = power9_timebase_hz;
  stop();
  return true;
}

u64 Timer::frequency_hz() { return frequency; }

u64 Timer::now() { return ppc64::read_timebase(); }

// The hypervisor decrementer (HDEC, vector 0x980, LPCR[HDICE]) at `hz`.
void Timer::start_periodic(u64 hz) {
  if (hz == 0 || hz > frequency) return;
  const u32 cpu = ppc64::cpu_index();
  const u64 period = frequency / hz;
  periods[cpu] = period;
  next_deadlines[cpu] = now() + period;
  ppc64::write_spr<ppc64::spr::hdec>(period);
  ppc64::update_lpcr(0, ppc64::lpcr::hdice);
}

void Timer::stop() {
  ppc64::update_lpcr(ppc64::lpcr::hdice, 0);
  ppc64::write_spr<ppc64::spr::hdec>(parked);
  periods[ppc64::cpu_index()] = 0;
}

} // namespace hv::port

namespace hv::ppc64 {

void acknowledge_timer_interrupt() {
  const u32 cpu = cpu_index();
  const u64 period = port::periods[cpu];
  if (period == 0) {
    write_spr<spr::hdec>(port::parked);
    return;
  }
  // Deadlines advance by whole periods so ticks do not drift with the handler's latency; after a long
  // stall the next tick is one period from now rather than a burst of late ones.
  u64& next_deadline = port::next_deadlines[cpu];
  next_deadline += period;
  const u64 t = read_timebase();
  if (static_cast<i64>(next_deadline - t) <= 0) next_deadline = t + period;
  write_spr<spr::hdec>(next_deadline - t); // positive again: the interrupt condition ends
}

} // namespace hv::ppc64
