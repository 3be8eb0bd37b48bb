// SPDX-License-Identifier: Apache-2.0
#include "float_format.hpp"

#include <cmath>

namespace ia64sim {
namespace {

using u64 = std::uint64_t;
constexpr std::uint32_t bias = 0xffff, special = 0x1ffff;

// A memory format with `fraction` fraction bits and an exponent biased by `format_bias`, `max` its
// all-ones exponent: into the register format (volume 1, table 5-4 "Memory to Register Mapping").
FloatRegister from_ieee(bool sign, u64 exponent, u64 fraction, unsigned fraction_bits, u64 format_bias, u64 max) {
  const unsigned shift = 63 - fraction_bits;
  if (exponent == max) return {sign, special, (u64{1} << 63) | (fraction << shift)};
  if (exponent == 0 && fraction == 0) return {sign, 0, 0};
  if (exponent == 0) return {sign, static_cast<std::uint32_t>(bias - format_bias + 1), fraction << shift}; // denormal
  return {sign, static_cast<std::uint32_t>(exponent - format_bias + bias), (u64{1} << 63) | (fraction << shift)};
}

// Out of the register format into a memory format, rounding to nearest; past the range, infinity.
u64 to_ieee(const FloatRegister& in, unsigned fraction_bits, unsigned exponent_bits) {
  const u64 max = (u64{1} << exponent_bits) - 1, format_bias = max >> 1;
  const u64 sign = u64{in.sign} << (fraction_bits + exponent_bits);
  if (in.exponent == special) {
    const u64 fraction = (in.significand << 1) >> (64 - fraction_bits);
    return sign | (max << fraction_bits) | (fraction != 0 || (in.significand << 1) != 0 ? (fraction | 1) : 0);
  }
  const FloatRegister f = rounded(from_value(value_of(in)), fraction_bits + 1);
  if (f.significand == 0) return sign;
  const std::int64_t e = static_cast<std::int64_t>(f.exponent) - bias + static_cast<std::int64_t>(format_bias);
  if (e >= static_cast<std::int64_t>(max)) return sign | (max << fraction_bits);
  if (e <= 0) { // denormal: shift the significand right, rounding once more
    const unsigned shift = static_cast<unsigned>(1 - e) + (63 - fraction_bits);
    if (shift > 64) return sign;
    const long double scaled = std::ldexp(static_cast<long double>(f.significand), -static_cast<int>(shift));
    return sign | static_cast<u64>(std::nearbyint(scaled));
  }
  return sign | (static_cast<u64>(e) << fraction_bits) | ((f.significand << 1) >> (64 - fraction_bits));
}

} // namespace

FloatRegister from_single(std::uint32_t bits) {
  return from_ieee((bits >> 31) != 0, (bits >> 23) & 0xff, bits & 0x7fffff, 23, 127, 0xff);
}

FloatRegister from_double(u64 bits) {
  return from_ieee((bits >> 63) != 0, (bits >> 52) & 0x7ff, bits & ((u64{1} << 52) - 1), 52, 1023, 0x7ff);
}

FloatRegister from_extended(u64 significand, std::uint32_t sign_exponent) {
  const bool sign = (sign_exponent >> 15) != 0;
  const std::uint32_t e = sign_exponent & 0x7fff;
  if (e == 0x7fff) return {sign, special, significand};
  if (e == 0) return {sign, significand == 0 ? 0 : bias - 0x3fff + 1, significand};
  return {sign, e - 0x3fff + bias, significand};
}

std::uint32_t to_single(const FloatRegister& f) { return static_cast<std::uint32_t>(to_ieee(f, 23, 8)); }
u64 to_double(const FloatRegister& f) { return to_ieee(f, 52, 11); }

bool is_nan(const FloatRegister& f) { return f.exponent == special && (f.significand << 1) != 0; }

long double value_of(const FloatRegister& f) {
  if (f.exponent == special) {
    const long double v = (f.significand << 1) != 0 ? NAN : INFINITY;
    return f.sign ? -v : v;
  }
  const long double magnitude =
      std::ldexp(static_cast<long double>(f.significand), static_cast<int>(f.exponent) - static_cast<int>(bias) - 63);
  return f.sign ? -magnitude : magnitude;
}

FloatRegister from_value(long double v) {
  const bool sign = std::signbit(v);
  if (std::isnan(v)) return {sign, special, u64{3} << 62};
  if (std::isinf(v)) return {sign, special, u64{1} << 63};
  if (v == 0) return {sign, 0, 0};
  int e = 0;
  const long double m = std::frexp(std::fabs(v), &e); // [0.5, 1)
  return {sign, static_cast<std::uint32_t>(e - 1 + static_cast<int>(bias)), static_cast<u64>(std::ldexp(m, 64))};
}

FloatRegister rounded(const FloatRegister& in, unsigned bits) {
  if (bits >= 64 || in.exponent == special || in.significand == 0) return in;
  FloatRegister f = from_value(value_of(in)); // normalized
  const unsigned drop = 64 - bits;
  const u64 half = u64{1} << (drop - 1), kept = f.significand >> drop, rest = f.significand & ((half << 1) - 1);
  u64 result = kept;
  if (rest > half || (rest == half && (kept & 1) != 0)) ++result;
  if ((result >> bits) != 0) { // carried into a new leading bit
    result >>= 1;
    ++f.exponent;
  }
  f.significand = result << drop;
  return f;
}

} // namespace ia64sim
