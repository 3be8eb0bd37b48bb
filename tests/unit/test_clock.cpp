// SPDX-License-Identifier: Apache-2.0
// Tick and nanosecond conversions that stay exact at every clock rate and tick count, and the civil date
// of a real-time clock as seconds since the epoch.
#include <hv/domains/clock.hpp>

#include <catch2/catch_test_macros.hpp>

#include <initializer_list>

namespace {

using u128 = unsigned __int128;

std::uint64_t exact(std::uint64_t a, std::uint64_t b, std::uint64_t c) {
  return static_cast<std::uint64_t>(static_cast<u128>(a) * b / c);
}

} // namespace

TEST_CASE("Clock conversions match 128-bit arithmetic at rates up to 100 GHz") {
  // A calibration gone wrong once read 22.66 GHz: the conversions overflowed above about 18.4 GHz.
  for (std::uint64_t hz : {1'000'000ull, 512'000'000ull, 2'300'000'000ull, 18'446'744'073ull, 18'446'744'074ull,
                           22'660'000'000ull, 100'000'000'000ull}) {
    for (const std::uint64_t ticks :
         std::initializer_list<std::uint64_t>{0, 1, hz - 1, hz, 123'456'789'012'345ull, ~0ull / 2, ~0ull}) {
      CAPTURE(hz, ticks);
      CHECK(hv::ns_from_ticks(ticks, hz) == ticks / hz * 1'000'000'000 + exact(ticks % hz, 1'000'000'000, hz));
    }
    for (std::uint64_t ns : {0ull, 999'999'999ull, 1'000'000'000ull, 86'400'000'000'000ull}) {
      CAPTURE(hz, ns);
      CHECK(hv::ticks_from_ns(ns, hz) == ns / 1'000'000'000 * hz + exact(ns % 1'000'000'000, hz, 1'000'000'000));
    }
  }
}

TEST_CASE("mul_div_wide: floor(a * b / c) whenever the quotient fits") {
  const std::uint64_t values[] = {1, 3, 1'000'000'007, 0xffff'ffff, 0x1'0000'0001, ~0ull / 3, ~0ull};
  for (std::uint64_t a : values)
    for (std::uint64_t b : values)
      for (std::uint64_t c : values) {
        if (static_cast<u128>(a) * b / c > ~0ull) continue;
        CAPTURE(a, b, c);
        CHECK(hv::mul_div_wide(a, b, c) == exact(a, b, c));
      }
}

TEST_CASE("Civil dates to the epoch") {
  CHECK(hv::seconds_since_epoch(1970, 1, 1, 0, 0, 1) == 1);
  CHECK(hv::seconds_since_epoch(2000, 2, 29, 12, 0, 0) == 951'825'600);
  CHECK(hv::seconds_since_epoch(2100, 3, 1, 0, 0, 0) == 4'107'542'400); // 2100 is no leap year
}
