// SPDX-License-Identifier: Apache-2.0
// Two measurements of the TSC's rate, against the PIT and the CMOS clock: when they count as one.
#include <x86/calibration.hpp>

#include <catch2/catch_test_macros.hpp>

using hv::x86::calibration_tolerance_ppm;
using hv::x86::rates_agree;

TEST_CASE("calibration: rates within 2% of each other agree, a stalled measurement does not") {
  CHECK(rates_agree(2'893'000'000, 2'891'000'000, calibration_tolerance_ppm));
  CHECK(rates_agree(1'000'000'000, 980'000'000, calibration_tolerance_ppm));
  CHECK_FALSE(rates_agree(1'000'000'000, 979'000'000, calibration_tolerance_ppm));
  CHECK_FALSE(rates_agree(22'660'000'000, 2'893'000'000, calibration_tolerance_ppm)); // seen once, under load
  CHECK_FALSE(rates_agree(0, 2'893'000'000, calibration_tolerance_ppm));
  CHECK(rates_agree(~std::uint64_t{0}, ~std::uint64_t{0} - 1, calibration_tolerance_ppm)); // no overflow
}
