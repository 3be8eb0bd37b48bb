// SPDX-License-Identifier: Apache-2.0
// The 64-bit division helpers a compiler calls on i386, where no instruction divides 64 by 64 bits
// (the names and signatures are the runtime-library ABI that Clang and GCC share). The hypervisor links
// no runtime library, and it divides 64-bit values rarely (formatting numbers, timer arithmetic), so
// plain shift-and-subtract is enough.
#include <hv/types.hpp>

namespace {

struct QuotientRemainder {
  hv::u64 quotient;
  hv::u64 remainder;
};

QuotientRemainder divide(hv::u64 dividend, hv::u64 divisor) {
  if (divisor == 0) __builtin_trap(); // what the division instruction would do: a fault, reported as such
  hv::u64 quotient = 0;
  hv::u64 remainder = 0;
  for (int bit = 63; bit >= 0; --bit) {
    remainder = (remainder << 1) | ((dividend >> bit) & 1);
    if (remainder >= divisor) {
      remainder -= divisor;
      quotient |= hv::u64{1} << bit;
    }
  }
  return {quotient, remainder};
}

hv::u64 magnitude(hv::i64 value) { return value < 0 ? 0 - static_cast<hv::u64>(value) : static_cast<hv::u64>(value); }

hv::i64 with_sign(hv::u64 value, bool negative) {
  return negative ? static_cast<hv::i64>(0 - value) : static_cast<hv::i64>(value);
}

} // namespace

extern "C" {

hv::u64 __udivdi3(hv::u64 a, hv::u64 b) { return divide(a, b).quotient; }
hv::u64 __umoddi3(hv::u64 a, hv::u64 b) { return divide(a, b).remainder; }
// Truncating division, as in C: the remainder takes the dividend's sign.
hv::i64 __divdi3(hv::i64 a, hv::i64 b) {
  return with_sign(divide(magnitude(a), magnitude(b)).quotient, (a < 0) != (b < 0));
}
hv::i64 __moddi3(hv::i64 a, hv::i64 b) { return with_sign(divide(magnitude(a), magnitude(b)).remainder, a < 0); }
}
