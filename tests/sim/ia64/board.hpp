// SPDX-License-Identifier: Apache-2.0
// The simulated board (boards/ia64-generic.dts): RAM from physical 0, an ns16550 UART at 0xF8030000 and
// the exit device at 0xF8040000 (docs/ia64-simulator.md). It is the core's bus in system mode.
#pragma once

#include "core.hpp"
#include "memory.hpp"

#include <cstdio>
#include <string>
#include <vector>

namespace ia64sim {

class Board final : public Bus {
public:
  static constexpr std::uint64_t uart_base = 0xF803'0000, exit_base = 0xF804'0000;

  /// `ram_size` bytes of RAM at physical 0, held by `memory` (pages never written read as zero);
  /// the UART's output goes to `console` as it is written.
  Board(Memory& memory, std::uint64_t ram_size, std::FILE* console)
      : memory_(memory), ram_size_(ram_size), console_(console) {}

  bool read(std::uint64_t pa, unsigned size, std::uint64_t& value) override;
  bool write(std::uint64_t pa, unsigned size, std::uint64_t value) override;
  bool stopped(std::uint64_t& status) const override {
    status = status_;
    return exited_;
  }
  /// Everything the UART was given, for tests.
  const std::string& console_output() const { return output_; }
  /// When a console line containing `text` is complete, standard error gets "ia64-machine: mark 'text'
  /// at N instructions", N read from `instructions` (the figures of docs/performance.md).
  void mark(std::string text, const std::uint64_t* instructions) {
    marks_.push_back(std::move(text));
    instructions_ = instructions;
  }

private:
  bool uart_read(unsigned reg, std::uint64_t& value) const;
  void uart_write(unsigned reg, std::uint8_t value);

  Memory& memory_;
  std::uint64_t ram_size_;
  std::FILE* console_;
  std::string output_;
  std::string line_; // the console line being written
  std::vector<std::string> marks_;
  const std::uint64_t* instructions_ = nullptr;
  std::uint8_t uart_[8] = {};
  std::uint8_t divisor_[2] = {};
  bool exited_ = false;
  std::uint64_t status_ = 0;
};

} // namespace ia64sim
