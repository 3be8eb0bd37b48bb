// SPDX-License-Identifier: Apache-2.0
// The CMOS real-time clock (x86/cmos_rtc.hpp). Register numbers and formats are the MC146818's, as every
// PC and QEMU's mc146818rtc keep them.
#include <hv/domains/clock.hpp>
#include <x86/cmos_rtc.hpp>
#include <x86/io.hpp>

namespace hv::x86 {
namespace {

constexpr u16 index_port = 0x70, data_port = 0x71;
constexpr u8 nmi_disabled = 0x80; // kept set while the index is written, as firmware leaves it
constexpr u8 reg_status_a = 0x0a, update_in_progress = 0x80;
constexpr u8 status_b_binary = 1u << 2, status_b_24_hour = 1u << 1;
constexpr u8 hour_pm = 0x80;

u8 cmos(u8 reg) {
  outb(index_port, nmi_disabled | reg);
  return inb(data_port);
}

CmosTime read_once() {
  while ((cmos(reg_status_a) & update_in_progress) != 0) {
  }
  return CmosTime{cmos(0x00), cmos(0x02), cmos(0x04), cmos(0x07), cmos(0x08), cmos(0x09), cmos(0x32), cmos(0x0b)};
}

bool same(const CmosTime& a, const CmosTime& b) {
  return a.second == b.second && a.minute == b.minute && a.hour == b.hour && a.day == b.day && a.month == b.month &&
         a.year == b.year && a.century == b.century;
}

// A field in the clock's encoding; ~0 for a BCD digit above 9.
u32 decode(u8 value, bool binary) {
  if (binary) return value;
  if ((value & 0xf) > 9 || (value >> 4) > 9) return ~u32{0};
  return (value >> 4) * 10u + (value & 0xfu);
}

} // namespace

u64 cmos_epoch_seconds(const CmosTime& t) {
  const bool binary = (t.status_b & status_b_binary) != 0;
  u32 hour = decode(static_cast<u8>(t.hour & ~hour_pm), binary);
  if ((t.status_b & status_b_24_hour) == 0 && hour <= 12) hour = hour % 12 + ((t.hour & hour_pm) != 0 ? 12 : 0);
  const u32 second = decode(t.second, binary), minute = decode(t.minute, binary);
  const u32 day = decode(t.day, binary), month = decode(t.month, binary), year = decode(t.year, binary);
  u32 century = decode(t.century, binary);
  if (century < 19 || century > 99) century = 20;
  if (second > 59 || minute > 59 || hour > 23 || day < 1 || day > 31 || month < 1 || month > 12 || year > 99) return 0;
  return seconds_since_epoch(century * 100 + year, month, day, hour, minute, second);
}

namespace {

constexpr u8 reg_status_b = 0x0b, reg_status_c = 0x0c;
constexpr u8 rate_mask = 0x0f, rate_8192_hz = 3;  // period = 2^(rate - 1) / 32,768 Hz
constexpr u8 periodic_interrupt_enable = 1u << 6; // status B
constexpr u8 periodic_flag_bit = 1u << 6;         // status C
u8 saved_a = 0, saved_b = 0;

void write_cmos(u8 reg, u8 value) {
  outb(index_port, nmi_disabled | reg);
  outb(data_port, value);
}

} // namespace

void periodic_start() {
  saved_a = cmos(reg_status_a);
  saved_b = cmos(reg_status_b);
  write_cmos(reg_status_a, static_cast<u8>((saved_a & ~rate_mask & ~update_in_progress) | rate_8192_hz));
  write_cmos(reg_status_b, saved_b | periodic_interrupt_enable);
  cmos(reg_status_c);
}

bool periodic_flag() { return (cmos(reg_status_c) & periodic_flag_bit) != 0; }

void periodic_stop() {
  write_cmos(reg_status_b, saved_b);
  write_cmos(reg_status_a, static_cast<u8>(saved_a & ~update_in_progress));
  cmos(reg_status_c); // the interrupt condition ends
}

CmosTime read_cmos_time() {
  CmosTime last = read_once();
  for (;;) {
    const CmosTime again = read_once();
    if (same(last, again)) return again;
    last = again;
  }
}

} // namespace hv::x86
