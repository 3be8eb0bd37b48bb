// SPDX-License-Identifier: Apache-2.0
#include "board.hpp"

namespace ia64sim {
namespace {

// ns16550 registers (reg-shift 0) and the bits the simulation answers with.
constexpr unsigned thr = 0, lcr = 3, lsr = 5;
constexpr std::uint8_t lcr_dlab = 0x80;
constexpr std::uint8_t lsr_thr_empty = 0x20, lsr_transmitter_empty = 0x40;

} // namespace

bool Board::uart_read(unsigned reg, std::uint64_t& value) const {
  if ((uart_[lcr] & lcr_dlab) != 0 && reg < 2)
    value = divisor_[reg];
  else if (reg == lsr)
    value = lsr_thr_empty | lsr_transmitter_empty; // always ready: the output is written at once
  else if (reg == thr)
    value = 0; // nothing is ever received
  else
    value = uart_[reg];
  return true;
}

void Board::uart_write(unsigned reg, std::uint8_t value) {
  if ((uart_[lcr] & lcr_dlab) != 0 && reg < 2) {
    divisor_[reg] = value;
    return;
  }
  if (reg == thr) {
    output_ += static_cast<char>(value);
    if (value != '\n') {
      line_ += static_cast<char>(value);
    } else {
      for (const std::string& text : marks_)
        if (line_.find(text) != std::string::npos)
          std::fprintf(stderr, "ia64-machine: mark '%s' at %llu instructions\n", text.c_str(),
                       static_cast<unsigned long long>(*instructions_));
      line_.clear();
    }
    if (console_ != nullptr) {
      std::fputc(value, console_);
      if (value == '\n') std::fflush(console_);
    }
    return;
  }
  uart_[reg] = value;
}

bool Board::read(std::uint64_t pa, unsigned size, std::uint64_t& value) {
  if (pa < ram_size_ && pa + size <= ram_size_) {
    if (!memory_.read(pa, size, value)) value = 0; // RAM never written reads as zero
    return true;
  }
  if (pa >= uart_base && pa < uart_base + 8 && size == 1)
    return uart_read(static_cast<unsigned>(pa - uart_base), value);
  if (pa >= exit_base && pa < exit_base + 8) {
    value = 0;
    return true;
  }
  return false;
}

bool Board::write(std::uint64_t pa, unsigned size, std::uint64_t value) {
  if (pa < ram_size_ && pa + size <= ram_size_) {
    memory_.write(pa, size, value);
    return true;
  }
  if (pa >= uart_base && pa < uart_base + 8 && size == 1) {
    uart_write(static_cast<unsigned>(pa - uart_base), static_cast<std::uint8_t>(value));
    return true;
  }
  if (pa == exit_base && size == 4) {
    exited_ = true;
    status_ = value & 0xff;
    return true;
  }
  return pa >= exit_base && pa < exit_base + 8; // other writes to the device are ignored
}

} // namespace ia64sim
