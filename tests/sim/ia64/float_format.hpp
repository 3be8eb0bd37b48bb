// SPDX-License-Identifier: Apache-2.0
// Conversions between the floating-point register format (volume 1, section 5.1) and the memory formats
// (single, double, double-extended; volume 1, section 5.1.2), and the arithmetic engine: the host's
// x87 long double, whose 64-bit significand is the register format's. Results are rounded to the
// precision an instruction asks for (24, 53 or 64 bits) after the long double operation, so a result
// that needs both roundings can differ in its last place from the architecture's single rounding, and
// the register format's wider exponent range is not kept: both are the known limits until the core is
// checked against an independent oracle (issue 16, stage 3).
#pragma once

#include "core.hpp"

#include <cstdint>

namespace ia64sim {

FloatRegister from_single(std::uint32_t bits);
FloatRegister from_double(std::uint64_t bits);
FloatRegister from_extended(std::uint64_t significand, std::uint32_t sign_exponent);
std::uint32_t to_single(const FloatRegister& f);
std::uint64_t to_double(const FloatRegister& f);

long double value_of(const FloatRegister& f);
FloatRegister from_value(long double v);
/// `f` rounded to nearest (ties to even) at `bits` significant bits.
FloatRegister rounded(const FloatRegister& f, unsigned bits);

bool is_nan(const FloatRegister& f);

} // namespace ia64sim
