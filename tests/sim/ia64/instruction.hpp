// SPDX-License-Identifier: Apache-2.0
// One decoded IA-64 instruction: its mnemonic with completers, qualifying predicate and operands, as
// the manual writes them (volume 3, chapter 2 "Instruction Reference": "(qp) mnemonic dsts = srcs").
// The decoders (decode_*.cpp) fill it from a slot's bits; the disassembler (disassemble.cpp) prints it;
// execution will read the same fields.
#pragma once

#include "bundle.hpp"

#include <array>
#include <cstdint>
#include <string>

namespace ia64sim {

struct Operand {
  enum class Kind : std::uint8_t {
    gr,      // general register r<n>
    fr,      // floating-point register f<n>
    pr,      // predicate register p<n>
    br,      // branch register b<n>
    ar,      // application register (by number)
    cr,      // control register (by number)
    imm,     // immediate, printed signed decimal
    hex,     // immediate, printed as 0x<hex>
    memory,  // [r<n>]
    indexed, // a register file indexed by r<n>: rr[r3], itr[r2], cpuid[r3], ...
    name,    // a fixed name: psr, psr.l, psr.um, pr, pr.rot, ip, @rev, ...
    target,  // a branch or check target: an absolute address, printed in hex
  };
  Kind kind = Kind::imm;
  std::int64_t value = 0;
  const char* text = nullptr; // the name (Kind::name) or the register file (Kind::indexed)
};

struct Instruction {
  /// The slot's 41 bits (for an L+X instruction, slot 2's; `immediate_l` holds slot 1's).
  std::uint64_t bits = 0;
  std::uint64_t immediate_l = 0;
  Unit unit = Unit::m;
  /// False when the bits encode no instruction (a reserved opcode or field value).
  bool valid = false;
  unsigned qp = 0;
  /// False for the instructions that take no qualifying predicate (alloc, cover, clrrrb, bsw, brp): their
  /// qp bits are ignored.
  bool predicated = true;
  std::string mnemonic;
  std::array<Operand, 2> dst{};
  std::array<Operand, 6> src{};
  unsigned dst_count = 0;
  unsigned src_count = 0;
};

/// Decodes the instruction in one slot of the bundle at `address` (targets are absolute). For an MLX
/// bundle, slot 1 yields the L+X instruction and slot 2 nothing (valid and empty mnemonic).
Instruction decode(const Bundle& bundle, unsigned slot, std::uint64_t address);

} // namespace ia64sim
