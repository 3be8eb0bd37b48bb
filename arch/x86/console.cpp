// SPDX-License-Identifier: Apache-2.0
// The early console: the 16550 UART on COM1, polled. QEMU's -serial stdio is this UART.
#include <port.hpp>
#include <x86/io.hpp>

namespace hv::port {
namespace {

constexpr u16 com1 = 0x3f8;
// Register offsets from the base port.
constexpr u16 reg_data = 0;             // transmit holding; the divisor's low byte while DLAB is set
constexpr u16 reg_interrupt_enable = 1; // the divisor's high byte while DLAB is set
constexpr u16 reg_fifo_control = 2;
constexpr u16 reg_line_control = 3;
constexpr u16 reg_modem_control = 4;
constexpr u16 reg_line_status = 5;

constexpr u8 line_control_divisor_latch = 0x80;
constexpr u8 line_control_8n1 = 0x03;
constexpr u8 fifo_enable_and_clear = 0x07;
constexpr u8 modem_dtr_rts = 0x03;
constexpr u8 line_status_transmit_empty = 0x20;
constexpr u16 divisor_115200 = 1; // of the 1.8432 MHz / 16 clock

void put(char c) {
  while ((x86::inb(com1 + reg_line_status) & line_status_transmit_empty) == 0) {
  }
  x86::outb(com1 + reg_data, static_cast<u8>(c));
}

} // namespace

void Console::init() {
  x86::outb(com1 + reg_interrupt_enable, 0); // polled: the UART never interrupts
  x86::outb(com1 + reg_line_control, line_control_divisor_latch);
  x86::outb(com1 + reg_data, divisor_115200 & 0xff);
  x86::outb(com1 + reg_interrupt_enable, divisor_115200 >> 8);
  x86::outb(com1 + reg_line_control, line_control_8n1);
  x86::outb(com1 + reg_fifo_control, fifo_enable_and_clear);
  x86::outb(com1 + reg_modem_control, modem_dtr_rts);
}

void Console::write(const char* text, usize length) {
  for (usize i = 0; i < length; ++i) {
    if (text[i] == '\n') put('\r'); // a terminal on a serial line needs the carriage return
    put(text[i]);
  }
}

} // namespace hv::port
