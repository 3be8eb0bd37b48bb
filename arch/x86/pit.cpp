// SPDX-License-Identifier: Apache-2.0
#include <x86/io.hpp>
#include <x86/pit.hpp>

namespace hv::x86::pit {
namespace {

constexpr u16 channel2_data = 0x42;
constexpr u16 mode_command = 0x43;
// Channel 2, low byte then high byte, mode 0 (interrupt on terminal count: the output goes high when the
// count reaches zero and stays high), binary.
constexpr u8 channel2_lobyte_hibyte_mode0 = 0xb0;

// Port 0x61 (the "system control port B"): bit 0 gates channel 2, bit 1 connects it to the speaker,
// bit 5 reads channel 2's output.
constexpr u16 system_control = 0x61;
constexpr u8 channel2_gate = 0x01;
constexpr u8 speaker_enable = 0x02;
constexpr u8 channel2_output = 0x20;

u8 pending_high_byte = 0;

} // namespace

void prepare_countdown(u16 ticks) {
  // Gate open before the count is written: in mode 0 the countdown then starts with the last byte.
  outb(system_control, static_cast<u8>((inb(system_control) & ~speaker_enable) | channel2_gate));
  outb(mode_command, channel2_lobyte_hibyte_mode0);
  outb(channel2_data, static_cast<u8>(ticks & 0xff));
  pending_high_byte = static_cast<u8>(ticks >> 8);
}

void start_countdown() { outb(channel2_data, pending_high_byte); }

bool countdown_expired() { return (inb(system_control) & channel2_output) != 0; }

void wait_us(u32 us) {
  // 16-bit counts: at most about 54 ms a countdown.
  constexpr u32 longest_us = 50'000;
  while (us != 0) {
    const u32 step = us < longest_us ? us : longest_us;
    prepare_countdown(static_cast<u16>(u64{step} * frequency_hz / 1'000'000 + 1));
    start_countdown();
    while (!countdown_expired()) {
    }
    us -= step;
  }
}

} // namespace hv::x86::pit
