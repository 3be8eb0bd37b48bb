// SPDX-License-Identifier: Apache-2.0
// An emulated 16550 UART, as much of one as a guest's polled console driver needs: transmit always ready,
// nothing ever received, no interrupts. Its eight registers are reached by offset from wherever the
// domain places it (I/O port 0x3f8 for a PC's COM1, a memory-mapped window elsewhere).
#pragma once

#include <hv/guest/console_line.hpp>

namespace hv {

class Uart16550 {
public:
  static constexpr u32 register_count = 8;

  explicit Uart16550(ConsoleLine& output) : output_(output) {}

  /// A guest write of `value` to register `offset` (< register_count).
  void write(u32 offset, u8 value);
  /// What a guest read of register `offset` (< register_count) returns.
  u8 read(u32 offset) const;

  /// What a guest wrote that it may read back, as the save stream carries it (docs/save-format.md).
  struct Registers {
    u8 interrupt_enable, line_control, modem_control, scratch, divisor_low, divisor_high, reserved[2];
  };
  Registers registers() const {
    return {interrupt_enable_, line_control_, modem_control_, scratch_, divisor_low_, divisor_high_, {}};
  }
  /// Takes `r` as the guest's writes would have left them: bits a write cannot set stay clear.
  void set_registers(const Registers& r);

private:
  ConsoleLine& output_;
  u8 interrupt_enable_ = 0;
  u8 line_control_ = 0;
  u8 modem_control_ = 0;
  u8 scratch_ = 0;
  u8 divisor_low_ = 1;
  u8 divisor_high_ = 0;
};

} // namespace hv
