// SPDX-License-Identifier: Apache-2.0
// What every unit's decoder shares: reading bit fields of a slot and building an Instruction.
#pragma once

#include "instruction.hpp"

#include <cstdint>

namespace ia64sim {

/// Bits [low, low + width) of `v`.
constexpr std::uint64_t field(std::uint64_t v, unsigned low, unsigned width) {
  return (v >> low) & ((std::uint64_t{1} << width) - 1);
}

/// `v` of `width` bits, sign-extended.
constexpr std::int64_t sign_extend(std::uint64_t v, unsigned width) {
  const std::uint64_t sign = std::uint64_t{1} << (width - 1);
  return static_cast<std::int64_t>((v ^ sign) - sign);
}

// Fields in the positions most formats share (volume 3, section 4.1).
constexpr unsigned major_opcode(std::uint64_t s) { return static_cast<unsigned>(field(s, 37, 4)); }
constexpr unsigned qp_field(std::uint64_t s) { return static_cast<unsigned>(field(s, 0, 6)); }
constexpr unsigned r1_field(std::uint64_t s) { return static_cast<unsigned>(field(s, 6, 7)); }
constexpr unsigned r2_field(std::uint64_t s) { return static_cast<unsigned>(field(s, 13, 7)); }
constexpr unsigned r3_field(std::uint64_t s) { return static_cast<unsigned>(field(s, 20, 7)); }
constexpr unsigned f4_field(std::uint64_t s) { return static_cast<unsigned>(field(s, 27, 7)); }
constexpr unsigned p1_field(std::uint64_t s) { return static_cast<unsigned>(field(s, 6, 6)); }
constexpr unsigned p2_field(std::uint64_t s) { return static_cast<unsigned>(field(s, 27, 6)); }
constexpr unsigned sign_bit(std::uint64_t s) { return static_cast<unsigned>(field(s, 36, 1)); }
/// The 21-bit immediate of break and nop on every unit: i (36) and imm20a (25:6).
constexpr std::uint64_t imm21(std::uint64_t s) { return (std::uint64_t{sign_bit(s)} << 20) | field(s, 6, 20); }

inline Operand gr(unsigned n) { return {Operand::Kind::gr, n, nullptr}; }
inline Operand fr(unsigned n) { return {Operand::Kind::fr, n, nullptr}; }
inline Operand pr(unsigned n) { return {Operand::Kind::pr, n, nullptr}; }
inline Operand br(unsigned n) { return {Operand::Kind::br, n, nullptr}; }
inline Operand ar(unsigned n) { return {Operand::Kind::ar, n, nullptr}; }
inline Operand cr(unsigned n) { return {Operand::Kind::cr, n, nullptr}; }
inline Operand imm(std::int64_t v) { return {Operand::Kind::imm, v, nullptr}; }
inline Operand hex(std::uint64_t v) { return {Operand::Kind::hex, static_cast<std::int64_t>(v), nullptr}; }
inline Operand memory(unsigned n) { return {Operand::Kind::memory, n, nullptr}; }
inline Operand indexed(const char* file, unsigned n) { return {Operand::Kind::indexed, n, file}; }
inline Operand name(const char* text) { return {Operand::Kind::name, 0, text}; }
inline Operand target(std::uint64_t address) {
  return {Operand::Kind::target, static_cast<std::int64_t>(address), nullptr};
}

/// Fills `in` as a valid instruction: `mnemonic dsts = srcs`.
struct Builder {
  Instruction& in;
  Builder& op(std::string mnemonic) {
    in.valid = true;
    in.mnemonic = std::move(mnemonic);
    return *this;
  }
  Builder& dst(Operand o) {
    in.dst[in.dst_count++] = o;
    return *this;
  }
  Builder& src(Operand o) {
    in.src[in.src_count++] = o;
    return *this;
  }
};

// Each unit's decoder: fills `in` (whose bits, unit and qp are set) or leaves it invalid. `address` is
// the bundle's, for IP-relative targets.
void decode_a(Instruction& in);
void decode_i(Instruction& in, std::uint64_t address);
void decode_m(Instruction& in, std::uint64_t address);
void decode_b(Instruction& in, std::uint64_t address);
void decode_f(Instruction& in, std::uint64_t address);
void decode_x(Instruction& in, std::uint64_t address);

} // namespace ia64sim
