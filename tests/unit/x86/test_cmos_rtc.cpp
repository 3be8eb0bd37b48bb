// SPDX-License-Identifier: Apache-2.0
// The PC's CMOS clock read as the machine's wall clock: BCD or binary, 12- or 24-hour, the century
// register, and readings no clock could give refused.
#include <x86/cmos_rtc.hpp>

#include <catch2/catch_test_macros.hpp>

using hv::x86::cmos_epoch_seconds;
using hv::x86::CmosTime;

namespace {
constexpr std::uint8_t bcd_24h = 0x02, binary_24h = 0x06, bcd_12h = 0x00;
}

TEST_CASE("CMOS clock: BCD and binary readings of the same instant agree with the epoch") {
  // 2024-01-01 00:00:00 UTC, the -rtc base the benchmarks use: 1,704,067,200 s.
  CHECK(cmos_epoch_seconds(CmosTime{0x00, 0x00, 0x00, 0x01, 0x01, 0x24, 0x20, bcd_24h}) == 1'704'067'200);
  CHECK(cmos_epoch_seconds(CmosTime{0, 0, 0, 1, 1, 24, 20, binary_24h}) == 1'704'067'200);
  // 2026-12-02 11:45:30: 1,796,211,930 s.
  CHECK(cmos_epoch_seconds(CmosTime{0x30, 0x45, 0x11, 0x02, 0x12, 0x26, 0x20, bcd_24h}) == 1'796'211'930);
  // A leap day: 2024-02-29 23:59:59.
  CHECK(cmos_epoch_seconds(CmosTime{0x59, 0x59, 0x23, 0x29, 0x02, 0x24, 0x20, bcd_24h}) == 1'709'251'199);
}

TEST_CASE("CMOS clock: 12-hour readings, with bit 7 of the hour for PM") {
  const std::uint64_t midnight = cmos_epoch_seconds(CmosTime{0, 0, 0x00, 0x01, 0x01, 0x24, 0x20, bcd_24h});
  CHECK(cmos_epoch_seconds(CmosTime{0, 0, 0x12, 0x01, 0x01, 0x24, 0x20, bcd_12h}) == midnight);                 // 12 AM
  CHECK(cmos_epoch_seconds(CmosTime{0, 0, 0x80 | 0x12, 0x01, 0x01, 0x24, 0x20, bcd_12h}) == midnight + 43'200); // 12 PM
  CHECK(cmos_epoch_seconds(CmosTime{0, 0, 0x80 | 0x01, 0x01, 0x01, 0x24, 0x20, bcd_12h}) == midnight + 46'800); // 1 PM
}

TEST_CASE("CMOS clock: no century register means the 2000s; impossible readings give 0") {
  CHECK(cmos_epoch_seconds(CmosTime{0, 0, 0, 0x01, 0x01, 0x24, 0xff, bcd_24h}) == 1'704'067'200);
  CHECK(cmos_epoch_seconds(CmosTime{0x60, 0, 0, 0x01, 0x01, 0x24, 0x20, bcd_24h}) == 0); // second 60
  CHECK(cmos_epoch_seconds(CmosTime{0, 0, 0, 0x01, 0x13, 0x24, 0x20, bcd_24h}) == 0);    // month 13
  CHECK(cmos_epoch_seconds(CmosTime{0, 0, 0, 0x00, 0x01, 0x24, 0x20, bcd_24h}) == 0);    // day 0
  CHECK(cmos_epoch_seconds(CmosTime{0x0a, 0, 0, 0x01, 0x01, 0x24, 0x20, bcd_24h}) == 0); // not BCD
}
