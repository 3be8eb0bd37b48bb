// SPDX-License-Identifier: Apache-2.0
// The floating-point arithmetic checked against an independent oracle: GNU MPFR (Debian's libmpfr-dev),
// which rounds correctly at any precision. Random operands in the register format go through the
// simulator's fma, fms and fnma (execute_float.cpp) and through mpfr_fma at the instruction's precision,
// rounding to nearest. At 64 bits (the precision of the status fields GCC's integer division and
// multiply sequences use: fma.s1, fnma.s1) every result must agree: the hypervisor's divisions depend on
// it. At 24 and 53 bits (.s, .d) the simulator rounds twice (to the host's 64-bit long double, then to
// the instruction's precision): the agreement is printed, and must stay above a floor.
#include "core.hpp"

#include <catch2/catch_test_macros.hpp>
#include <mpfr.h>

#include <cstdio>
#include <random>

namespace {

using namespace ia64sim;
using u64 = std::uint64_t;
constexpr std::uint32_t bias = 0xffff;

FloatRegister random_operand(std::mt19937_64& random) {
  // Exponents within +-60 of 1.0, so that no result leaves the host's long double range.
  const auto exponent = static_cast<std::uint32_t>(bias - 60 + static_cast<std::uint32_t>(random() % 121));
  return FloatRegister{(random() & 1) != 0, exponent, random() | (u64{1} << 63)};
}

void to_mpfr(mpfr_t out, const FloatRegister& f) {
  mpfr_set_ui_2exp(out, 0, 0, MPFR_RNDN);
  mpfr_set_uj_2exp(out, f.significand, static_cast<int>(f.exponent) - static_cast<int>(bias) - 63, MPFR_RNDN);
  if (f.sign) mpfr_neg(out, out, MPFR_RNDN);
}

FloatRegister from_mpfr(const mpfr_t in) {
  if (mpfr_zero_p(in)) return FloatRegister{mpfr_signbit(in) != 0, 0, 0};
  mpfr_t magnitude;
  mpfr_init2(magnitude, 64);
  mpfr_abs(magnitude, in, MPFR_RNDN);
  const long exponent = mpfr_get_exp(magnitude); // value = 0.m * 2^exponent
  mpfr_mul_2si(magnitude, magnitude, 64 - exponent, MPFR_RNDN);
  const u64 significand = mpfr_get_uj(magnitude, MPFR_RNDN);
  mpfr_clear(magnitude);
  return FloatRegister{mpfr_signbit(in) != 0, static_cast<std::uint32_t>(exponent - 1 + static_cast<long>(bias)),
                       significand};
}

Operand fr(unsigned n) { return Operand{Operand::Kind::fr, n, nullptr}; }

/// The share of `count` random (a, b, c) for which `mnemonic` (f6 = f7 * f8 + f9, or its fms and fnma
/// forms) gives MPFR's result at `precision` bits.
double agreement(const char* mnemonic, unsigned precision, unsigned count) {
  std::mt19937_64 random(16);
  Memory memory;
  Core core(memory);
  Instruction in;
  in.valid = true;
  in.mnemonic = mnemonic;
  in.dst[0] = fr(6);
  in.dst_count = 1;
  in.src[0] = fr(7);
  in.src[1] = fr(8);
  in.src[2] = fr(9);
  in.src_count = 3;
  const std::string base(base_of(in.mnemonic));
  mpfr_t a, b, c, r;
  mpfr_inits2(64, a, b, c, static_cast<mpfr_ptr>(nullptr));
  mpfr_init2(r, precision);
  unsigned agreeing = 0;
  for (unsigned i = 0; i < count; ++i) {
    core.fr[7] = random_operand(random);
    core.fr[8] = random_operand(random);
    core.fr[9] = random_operand(random);
    Effect effect;
    REQUIRE(execute_float(core, in, effect));
    to_mpfr(a, core.fr[7]);
    to_mpfr(b, core.fr[8]);
    to_mpfr(c, core.fr[9]);
    if (base == "fnma") mpfr_neg(a, a, MPFR_RNDN);
    if (base == "fms") mpfr_neg(c, c, MPFR_RNDN);
    mpfr_fma(r, a, b, c, MPFR_RNDN);
    const FloatRegister want = from_mpfr(r);
    const FloatRegister& got = core.fr[6];
    if (got.sign == want.sign && got.exponent == want.exponent && got.significand == want.significand) ++agreeing;
  }
  mpfr_clears(a, b, c, r, static_cast<mpfr_ptr>(nullptr));
  const double share = 100.0 * agreeing / count;
  std::printf("float oracle: %s at %u bits: %u of %u agree with MPFR (%.3f%%)\n", mnemonic, precision, agreeing, count,
              share);
  return share;
}

} // namespace

TEST_CASE("fma, fms and fnma at 64 bits agree with MPFR on every random operand") {
  CHECK(agreement("fma.s1", 64, 20000) == 100.0);
  CHECK(agreement("fms.s1", 64, 20000) == 100.0);
  CHECK(agreement("fnma.s1", 64, 20000) == 100.0);
}

TEST_CASE("fma at 53 and 24 bits: the double rounding's disagreement stays rare") {
  CHECK(agreement("fma.d.s0", 53, 20000) >= 99.0);
  CHECK(agreement("fma.s.s0", 24, 20000) >= 99.0);
}
