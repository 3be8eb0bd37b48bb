// SPDX-License-Identifier: Apache-2.0
// The Timer contract on x86: the local APIC timer interrupts, the TSC is the clock. Neither announces
// its frequency, so init() measures both against the PIT's fixed one, and checks the TSC's against the
// CMOS clock's periodic flag, a second crystal (x86/calibration.hpp).
#include <hv/console.hpp>

#include <port.hpp>
#include <x86/calibration.hpp>
#include <x86/cmos_rtc.hpp>
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

/// Counts LAPIC timer and TSC ticks while the PIT counts down `pit_ticks`, and sets the rates from them;
/// in the same interval, the TSC between the first and the last flag of the CMOS clock's periodic
/// flag (8,192 Hz: 8 periods in 1 ms), which gives the TSC's rate by a second crystal at no cost in boot
/// time. Returns that rate, 0 when fewer than two flags came (no such clock, or an interval too short).
/// Each poll reads and clears the flag: a period is missed only if one pass of the loop takes longer than
/// a period (122 us), which reads the rate high and is caught by the comparison.
u64 measure(u16 pit_ticks) {
  x86::periodic_start();
  x86::pit::prepare_countdown(pit_ticks);
  x86::lapic::timer_start(0xffff'ffff, false);
  const u32 lapic_before = x86::lapic::timer_current_count();
  const u64 tsc_before = x86::rdtsc();
  x86::pit::start_countdown();
  u64 first_flag = 0, last_flag = 0;
  u32 flags = 0;
  while (!x86::pit::countdown_expired()) {
    if (!x86::periodic_flag()) continue;
    last_flag = x86::rdtsc();
    if (flags++ == 0) first_flag = last_flag;
  }
  const u32 lapic_after = x86::lapic::timer_current_count();
  const u64 tsc_after = x86::rdtsc();
  x86::lapic::timer_stop();
  x86::periodic_stop();

  lapic_timer_hz = static_cast<u64>(lapic_before - lapic_after) * x86::pit::frequency_hz / pit_ticks;
  tsc_hz = (tsc_after - tsc_before) * x86::pit::frequency_hz / pit_ticks;
  return flags < 2 ? 0 : (last_flag - first_flag) * x86::rtc_periodic_hz / (flags - 1);
}

constexpr u32 calibration_attempts = 5;

u64 difference(u64 a, u64 b) { return a > b ? a - b : b - a; }

} // namespace

// Up to five attempts, each measuring against both crystals, until the two agree; when none does (an
// emulator descheduled mid-measurement on a loaded host), the attempt where they came closest.
bool Timer::init() {
  if (!x86::lapic::present()) return false;
  x86::lapic::enable();
  measure(warm_up_ticks);
  u64 best_tsc = 0, best_lapic = 0, best_rtc = 0;
  u32 attempts = 0;
  bool agreed = false;
  while (!agreed && attempts < calibration_attempts) {
    ++attempts;
    const u64 by_rtc = measure(calibration_ticks);
    if (by_rtc == 0) continue; // no flag came in the interval: no such clock, or a stall
    agreed = x86::rates_agree(tsc_hz, by_rtc, x86::calibration_tolerance_ppm);
    if (best_rtc == 0 || difference(tsc_hz, by_rtc) < difference(best_tsc, best_rtc)) {
      best_tsc = tsc_hz;
      best_lapic = lapic_timer_hz;
      best_rtc = by_rtc;
    }
  }
  if (best_rtc == 0) {
    print("timer: TSC at {} kHz by the PIT; no CMOS clock flag to check it against\n", tsc_hz / 1000);
  } else {
    tsc_hz = best_tsc;
    lapic_timer_hz = best_lapic;
    print("timer: TSC at {} kHz by the PIT, {} kHz by the CMOS clock ({} after {} measurement{})\n", tsc_hz / 1000,
          best_rtc / 1000, agreed ? "agreed" : "closest, never within 2%", attempts, attempts == 1 ? "" : "s");
  }
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
