// SPDX-License-Identifier: Apache-2.0
// Conversions between the port's timer ticks (Timer::frequency_hz a second) and nanoseconds, split so
// that neither overflows for any tick count below 2^64 at rates up to about 18 GHz; and from a civil date
// to the Unix epoch, for the ports that read a real-time clock.
#pragma once

#include <hv/types.hpp>

namespace hv {

inline u64 ns_from_ticks(u64 ticks, u64 hz) { return ticks / hz * 1'000'000'000 + ticks % hz * 1'000'000'000 / hz; }

inline u64 ticks_from_ns(u64 ns, u64 hz) { return ns / 1'000'000'000 * hz + ns % 1'000'000'000 * hz / 1'000'000'000; }

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
