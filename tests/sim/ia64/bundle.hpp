// SPDX-License-Identifier: Apache-2.0
// An IA-64 bundle: 128 bits holding a 5-bit template and three 41-bit instruction slots (Intel Itanium
// Architecture Software Developer's Manual, volume 1, section 3.3 "Instruction Encoding Overview";
// volume 3, section 4.1 "Format Summary", table 4-5 "Template Field Encoding and Instruction Slot
// Mapping").
#pragma once

#include <array>
#include <cstdint>

namespace ia64sim {

/// The execution unit a slot's instruction is decoded for. An L+X instruction fills slots 1 and 2.
enum class Unit : std::uint8_t { m, i, f, b, lx };

struct Template {
  /// False for the eight reserved template values (06, 07, 14, 15, 1A, 1B, 1E, 1F).
  bool valid;
  /// Each slot's unit; slot 2 of an MLX bundle is the X half of its L+X instruction (Unit::lx in slot 1).
  std::array<Unit, 3> units;
  /// A stop follows slot n: the end of an instruction group.
  std::array<bool, 3> stop_after;
};

/// What template value `t` (0..31) means.
const Template& template_info(unsigned t);

struct Bundle {
  std::uint64_t low;  // bytes 0..7 (the bundle is little-endian in memory)
  std::uint64_t high; // bytes 8..15

  static Bundle from_bytes(const std::uint8_t* bytes);
  unsigned template_field() const { return static_cast<unsigned>(low & 0x1f); }
  /// The 41 bits of slot n (0..2): bits 5..45, 46..86 and 87..127 of the bundle.
  std::uint64_t slot(unsigned n) const;
};

} // namespace ia64sim
