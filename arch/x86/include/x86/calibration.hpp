// SPDX-License-Identifier: Apache-2.0
// Checking a measured rate against a second measurement of it: the TSC's rate is measured against the
// PIT and again against the CMOS clock's periodic flag (two crystals), and taken only when the two agree.
// A measurement made while the emulator was descheduled reads a rate far off (22.66 GHz once, under
// load, from the PIT alone).
#pragma once

#include <hv/types.hpp>

namespace hv::x86 {

/// How far apart two measurements of one rate may be, in millionths of the larger.
inline constexpr u64 calibration_tolerance_ppm = 20'000; // 2%

/// Whether `a` and `b` (both non-zero) differ by at most `tolerance_ppm` millionths of the larger.
constexpr bool rates_agree(u64 a, u64 b, u64 tolerance_ppm) {
  const u64 high = a > b ? a : b, low = a > b ? b : a;
  if (low == 0) return false;
  // (high - low) / high <= ppm / 1e6, without overflow for rates up to 2^64 / 1e6 Hz (18 THz).
  return (high - low) <= high / 1'000'000 * tolerance_ppm + (high % 1'000'000) * tolerance_ppm / 1'000'000;
}

} // namespace hv::x86
