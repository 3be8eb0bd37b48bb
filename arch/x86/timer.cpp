// SPDX-License-Identifier: Apache-2.0
// The Timer contract on x86: the local APIC timer interrupts, the TSC is the clock. Neither announces
// its frequency, so init() measures both against the PIT's fixed one.
#include <port.hpp>
#include <x86/instructions.hpp>
#include <x86/lapic.hpp>
#include <x86/pit.hpp>

namespace hv::port {
namespace {

// 1 ms: the PIT's 1,193 ticks give the rates to 0.1%, and the few instructions of reading overhead do not
// matter; every millisecond here is a million instructions of boot under -icount.
constexpr u16 calibration_ticks = 1'193;
// A first, short pass over the same code: under an emulator the measuring loop is translated the first
// time it runs, inside the interval, which made a 1 ms measurement read the TSC some 2.5% fast.
constexpr u16 warm_up_ticks = 60;

u64 tsc_hz = 0;
u64 lapic_timer_hz = 0;

/// Counts LAPIC timer and TSC ticks while the PIT counts down `pit_ticks`, and sets the rates from them.
void measure(u16 pit_ticks) {
  x86::pit::prepare_countdown(pit_ticks);
  x86::lapic::timer_start(0xffff'ffff, false);
  const u32 lapic_before = x86::lapic::timer_current_count();
  const u64 tsc_before = x86::rdtsc();
  x86::pit::start_countdown();
  while (!x86::pit::countdown_expired()) {
  }
  const u32 lapic_after = x86::lapic::timer_current_count();
  const u64 tsc_after = x86::rdtsc();
  x86::lapic::timer_stop();

  lapic_timer_hz = static_cast<u64>(lapic_before - lapic_after) * x86::pit::frequency_hz / pit_ticks;
  tsc_hz = (tsc_after - tsc_before) * x86::pit::frequency_hz / pit_ticks;
}

} // namespace

bool Timer::init() {
  if (!x86::lapic::present()) return false;
  x86::lapic::enable();
  measure(warm_up_ticks);
  measure(calibration_ticks);
  return lapic_timer_hz != 0 && tsc_hz != 0;
}

u64 Timer::frequency_hz() { return tsc_hz; }

u64 Timer::now() { return x86::rdtsc(); }

void Timer::start_periodic(u64 hz) {
  u64 count = hz != 0 ? lapic_timer_hz / hz : 0;
  if (count == 0) count = 1;
  if (count > 0xffff'ffff) count = 0xffff'ffff;
  x86::lapic::timer_start(static_cast<u32>(count), true);
}

void Timer::stop() { x86::lapic::timer_stop(); }

} // namespace hv::port
