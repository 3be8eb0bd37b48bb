// SPDX-License-Identifier: Apache-2.0
// Conversions between the port's timer ticks (Timer::frequency_hz a second) and nanoseconds, split so
// that neither overflows for any tick count below 2^64 at any rate (above about 18 GHz through a slower
// 128-bit product); and from a civil date to the Unix epoch, for the ports that read a real-time clock.
#pragma once

#include <hv/types.hpp>

namespace hv {

/// floor(a * b / c) for any a, b and c > 0 whose quotient fits in 64 bits: the product in 128 bits from
/// 32-bit halves, divided a bit at a time. Slow (some 200 instructions), but right for any clock rate; the
/// conversions below use it only where their one-division forms would overflow.
constexpr u64 mul_div_wide(u64 a, u64 b, u64 c) {
  const u64 a_lo = a & 0xffff'ffff, a_hi = a >> 32, b_lo = b & 0xffff'ffff, b_hi = b >> 32;
  const u64 lo_lo = a_lo * b_lo, hi_lo = a_hi * b_lo, lo_hi = a_lo * b_hi, hi_hi = a_hi * b_hi;
  const u64 middle = (lo_lo >> 32) + (hi_lo & 0xffff'ffff) + (lo_hi & 0xffff'ffff);
  const u64 high = hi_hi + (hi_lo >> 32) + (lo_hi >> 32) + (middle >> 32);
  const u64 low = (middle << 32) | (lo_lo & 0xffff'ffff);
  u64 quotient = 0, remainder = 0;
  for (int bit = 127; bit >= 0; --bit) {
    const bool top = (remainder >> 63) != 0;
    remainder = remainder << 1 | ((bit >= 64 ? high >> (bit - 64) : low >> bit) & 1);
    if (top || remainder >= c) {
      remainder -= c;
      if (bit < 64) quotient |= u64{1} << bit;
    }
  }
  return quotient;
}

/// The largest rate at which the one-division forms below cannot overflow: (hz - 1) * 10^9 < 2^64.
inline constexpr u64 max_exact_hz = ~u64{0} / 1'000'000'000;

inline u64 ns_from_ticks(u64 ticks, u64 hz) {
  const u64 rest = ticks % hz;
  return ticks / hz * 1'000'000'000 +
         (hz <= max_exact_hz ? rest * 1'000'000'000 / hz : mul_div_wide(rest, 1'000'000'000, hz));
}

inline u64 ticks_from_ns(u64 ns, u64 hz) {
  const u64 rest = ns % 1'000'000'000;
  return ns / 1'000'000'000 * hz +
         (hz <= max_exact_hz ? rest * hz / 1'000'000'000 : mul_div_wide(rest, hz, 1'000'000'000));
}
static_assert(mul_div_wide(~u64{0}, ~u64{0}, ~u64{0}) == ~u64{0});
static_assert(mul_div_wide(25'000'000'000, 1'000'000'000, 30'000'000'000) == 833'333'333);

/// Seconds since 1970-01-01 00:00:00 UTC of a proleptic Gregorian date and time (year 1970 or later,
/// month 1-12, day 1-31), counted as days since the epoch: whole 400-year eras of 146,097 days, then the
/// day of the era from a year that starts in March, so that the leap day falls last.
constexpr u64 seconds_since_epoch(u32 year, u32 month, u32 day, u32 hour, u32 minute, u32 second) {
  const u32 march_year = month <= 2 ? year - 1 : year;
  const u32 era = march_year / 400, year_of_era = march_year % 400;
  const u32 month_from_march = month > 2 ? month - 3 : month + 9;
  const u32 day_of_year = (153 * month_from_march + 2) / 5 + day - 1;
  const u32 day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
  const u64 days = u64{era} * 146'097 + day_of_era - 719'468; // 719,468: 0000-03-01 to 1970-01-01
  return ((days * 24 + hour) * 60 + minute) * 60 + second;
}
static_assert(seconds_since_epoch(1970, 1, 1, 0, 0, 0) == 0);
static_assert(seconds_since_epoch(2000, 3, 1, 0, 0, 0) == 951'868'800);
static_assert(seconds_since_epoch(2024, 1, 1, 0, 0, 0) == 1'704'067'200);

} // namespace hv
