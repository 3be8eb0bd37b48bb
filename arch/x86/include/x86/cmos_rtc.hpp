// SPDX-License-Identifier: Apache-2.0
// The PC's real-time clock in the CMOS (the MC146818's registers behind ports 0x70/0x71): the machine's
// wall clock, which guests receive as the family's wallclock in shared_info.
#pragma once

#include <hv/types.hpp>

namespace hv::x86 {

/// The clock's registers as read: seconds (0x00), minutes (0x02), hours (0x04), day of the month (0x07),
/// month (0x08), year (0x09), century (0x32, the register ACPI names for it) and status B (0x0b: bit 2
/// binary instead of BCD, bit 1 24-hour instead of 12-hour with bit 7 of the hour meaning PM).
struct CmosTime {
  u8 second, minute, hour, day, month, year, century, status_b;
};

/// Seconds since the Unix epoch (UTC, as a PC's firmware and QEMU keep the clock) of `time`, or 0 when a
/// field is out of range. A century register that reads nothing sensible means the 2000s. Pure.
u64 cmos_epoch_seconds(const CmosTime& time);

/// The clock's periodic flag at 8,192 Hz, a second crystal beside the PIT's to check a rate measured
/// against it: `periodic_start` sets the rate (status A) and the periodic interrupt enable (status B,
/// without which QEMU runs no periodic timer; the interrupt line stays masked at the PIC),
/// `periodic_flag` reads status C (which clears it) and says whether a period ended since the last read,
/// `periodic_stop` restores status A and B as they were.
inline constexpr u64 rtc_periodic_hz = 8'192;
void periodic_start();
bool periodic_flag();
void periodic_stop();

/// Reads the clock between two updates (it waits out an update in progress and reads until two reads
/// agree).
CmosTime read_cmos_time();

} // namespace hv::x86
