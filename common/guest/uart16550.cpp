// SPDX-License-Identifier: Apache-2.0
#include <hv/guest/uart16550.hpp>

namespace hv {
namespace {

// Register offsets; 0 and 1 are the divisor latch while the line control's DLAB bit is set.
constexpr u32 reg_data = 0;
constexpr u32 reg_interrupt_enable = 1;
constexpr u32 reg_interrupt_id = 2; // reads; writes are the FIFO control, which nothing here needs
constexpr u32 reg_line_control = 3;
constexpr u32 reg_modem_control = 4;
constexpr u32 reg_line_status = 5;
constexpr u32 reg_modem_status = 6;
constexpr u32 reg_scratch = 7;

constexpr u8 line_control_dlab = 0x80;
constexpr u8 interrupt_id_none_pending = 0x01;
constexpr u8 line_status_transmitter_idle = 0x60; // holding register and shift register empty
constexpr u8 modem_status_lines_up = 0xb0;        // carrier, data set ready, clear to send
constexpr u8 interrupt_enable_bits = 0x0f;
constexpr u8 modem_control_bits = 0x1f;

} // namespace

void Uart16550::write(u32 offset, u8 value) {
  const bool dlab = (line_control_ & line_control_dlab) != 0;
  switch (offset) {
  case reg_data:
    if (dlab)
      divisor_low_ = value;
    else
      output_.put(static_cast<char>(value));
    break;
  case reg_interrupt_enable:
    if (dlab)
      divisor_high_ = value;
    else
      interrupt_enable_ = value & interrupt_enable_bits;
    break;
  case reg_line_control: line_control_ = value; break;
  case reg_modem_control: modem_control_ = value & modem_control_bits; break;
  case reg_scratch: scratch_ = value; break;
  default: break; // FIFO control, and the read-only status registers
  }
}

void Uart16550::set_registers(const Registers& r) {
  interrupt_enable_ = r.interrupt_enable & interrupt_enable_bits;
  line_control_ = r.line_control;
  modem_control_ = r.modem_control & modem_control_bits;
  scratch_ = r.scratch;
  divisor_low_ = r.divisor_low;
  divisor_high_ = r.divisor_high;
}

u8 Uart16550::read(u32 offset) const {
  const bool dlab = (line_control_ & line_control_dlab) != 0;
  switch (offset) {
  case reg_data: return dlab ? divisor_low_ : 0; // nothing is ever received
  case reg_interrupt_enable: return dlab ? divisor_high_ : interrupt_enable_;
  case reg_interrupt_id: return interrupt_id_none_pending;
  case reg_line_control: return line_control_;
  case reg_modem_control: return modem_control_;
  case reg_line_status: return line_status_transmitter_idle;
  case reg_modem_status: return modem_status_lines_up;
  case reg_scratch: return scratch_;
  default: return 0xff;
  }
}

} // namespace hv
