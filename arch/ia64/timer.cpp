// SPDX-License-Identifier: Apache-2.0
// The IA-64 timer: ar.itc counts, cr.itm matches it, cr.itv says which vector fires.
#include <ia64/internal.hpp>

#include <hv/firmware_tree.hpp>

namespace hv::ia64 {
namespace {

u64 timer_hz = 0;
u64 timer_period = 0; // ITC ticks between interrupts; 0 when stopped

/// The next match for cr.itm, one period after the last, or after now when the last is long past.
u64 next_deadline(u64 last, u64 now, u64 period) {
  const u64 next = last + period;
  return static_cast<i64>(next - now) > 0 ? next : now + period;
}

} // namespace

void rearm_timer() {
  if (timer_period != 0) write_itm(next_deadline(read_itm(), read_itc(), timer_period));
}

} // namespace hv::ia64

namespace hv::port {
using namespace hv::ia64;

bool Timer::init() {
  // ar.itc counts at the rate the board's CPU node gives: calibrating it would need SAL_FREQ_BASE and
  // PAL_FREQ_RATIOS, and the port calls neither.
  timer_hz = fdt::timebase_frequency(hv_ia64_board_dtb);
  timer_period = 0;
  write_itv(encode_itv(timer_vector, true));
  return timer_hz != 0;
}

u64 Timer::frequency_hz() { return timer_hz; }
u64 Timer::now() { return read_itc(); }

void Timer::start_periodic(u64 hz) {
  timer_period = hz != 0 && hz <= timer_hz ? timer_hz / hz : 1;
  write_itm(read_itc() + timer_period);
  write_itv(encode_itv(timer_vector, false));
}

void Timer::stop() {
  write_itv(encode_itv(timer_vector, true));
  timer_period = 0;
}

} // namespace hv::port
