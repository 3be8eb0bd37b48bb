// SPDX-License-Identifier: Apache-2.0
// The floating-point unit (volume 3, chapter 2): loads, stores, setf and getf of every format; the
// integer uses of the significands (xma, fselect, the logical operations); fma and its relatives and
// conversions through float_format.hpp's engine; frcpa and frsqrta as exact reciprocals (an approximation
// more accurate than the architecture's, which GCC's division and square-root sequences refine alike);
// fcmp; the sign merges. Status flags and exceptions are not modelled.
#include "float_format.hpp"

#include <cmath>

namespace ia64sim {
namespace {

using u64 = std::uint64_t;

FloatRegister integer(u64 value) { return FloatRegister{false, integer_exponent, value}; }

// The precision of an arithmetic result: .s and .d name it, otherwise the status field's, which the
// software conventions' ar.fpsr sets to 64 bits in all four.
unsigned precision(const std::string& m) {
  if (has(m, "s")) return 24;
  if (has(m, "d")) return 53;
  return 64;
}

bool load_float(Core& core, const Instruction& in, std::string_view base, Effect& effect) {
  const bool pair = base.rfind("ldfp", 0) == 0;
  const unsigned r3 = number(in.src[0]);
  const u64 address = core.gr(r3);
  const char kind = base == "ldf" ? 'f' : base.back(); // ldf.fill, ldfs, ldfd, ldfe, ldf8, ldfps ...
  const unsigned size = kind == 's' ? 4 : kind == 'e' ? 10 : kind == 'f' ? 16 : 8;
  FloatRegister values[2];
  for (unsigned i = 0; i < (pair ? 2u : 1u); ++i) {
    const u64 at = address + i * size;
    u64 low = 0, high = 0;
    if (!core.read(at, size >= 8 ? 8 : size, low, effect) || (size > 8 && !core.read(at + 8, size - 8, high, effect))) {
      if (has(in.mnemonic, "s") || has(in.mnemonic, "sa")) effect = Effect{}; // deferred: NaTVal, unmodelled
      return true;
    }
    switch (kind) {
    case 's': values[i] = from_single(static_cast<std::uint32_t>(low)); break;
    case 'd': values[i] = from_double(low); break;
    case 'e': values[i] = from_extended(low, static_cast<std::uint32_t>(high)); break;
    case 'f':
      values[i] = FloatRegister{((high >> 17) & 1) != 0, static_cast<std::uint32_t>(high & 0x1ffff), low};
      break;
    default: values[i] = integer(low); break;
    }
  }
  for (unsigned i = 0; i < (pair ? 2u : 1u); ++i)
    if (number(in.dst[i]) > 1) core.fr[number(in.dst[i])] = values[i];
  if (in.src_count == 2) core.set_gr(r3, address + value_of(core, in.src[1]));
  return true;
}

void store_float(Core& core, const Instruction& in, std::string_view base, Effect& effect) {
  const auto write = [&](u64 at, unsigned size, u64 value) { return core.write(at, size, value, effect); };
  const unsigned r3 = number(in.dst[0]);
  const u64 address = core.gr(r3);
  const FloatRegister& v = core.fr[number(in.src[0])];
  bool written = false;
  if (base == "stfs")
    written = write(address, 4, to_single(v));
  else if (base == "stfd")
    written = write(address, 8, to_double(v));
  else if (base == "stf8")
    written = write(address, 8, v.significand);
  else if (base == "stfe") {
    const FloatRegister n = from_value(value_of(v));
    const std::uint32_t e = n.exponent == 0 ? 0 : n.exponent == 0x1ffff ? 0x7fff : n.exponent - 0xffff + 0x3fff;
    written = write(address, 8, n.significand) && write(address + 8, 2, (u64{n.sign} << 15) | (e & 0x7fff));
  } else { // stf.spill
    written = write(address, 8, v.significand) && write(address + 8, 8, (u64{v.sign} << 17) | v.exponent);
  }
  if (!written) return;
  if (in.src_count == 2) core.set_gr(r3, address + value_of(core, in.src[1]));
}

} // namespace

bool execute_float(Core& core, const Instruction& in, Effect& effect) {
  const std::string& m = in.mnemonic;
  const std::string_view base = base_of(m);
  const auto f = [&](unsigned i) -> const FloatRegister& { return core.fr[number(in.src[i])]; };
  const auto v = [&](unsigned i) { return value_of(f(i)); };
  const auto set = [&](const FloatRegister& r) {
    const unsigned n = number(in.dst[0]);
    if (n > 1) core.fr[n] = r;
  };
  const auto arithmetic = [&](long double r) { set(rounded(from_value(r), precision(m))); };

  if (base.rfind("ldf", 0) == 0) return load_float(core, in, base, effect);
  if (base.rfind("stf", 0) == 0 && in.src[0].kind == Operand::Kind::fr) {
    store_float(core, in, base, effect);
    return true;
  }
  if (base == "setf") {
    const u64 r = core.gr(number(in.src[0]));
    if (has(m, "sig"))
      set(integer(r));
    else if (has(m, "exp"))
      set(FloatRegister{((r >> 17) & 1) != 0, static_cast<std::uint32_t>(r & 0x1ffff), u64{1} << 63});
    else if (has(m, "s"))
      set(from_single(static_cast<std::uint32_t>(r)));
    else
      set(from_double(r));
  } else if (base == "getf") {
    const FloatRegister& x = f(0);
    u64 r = 0;
    if (has(m, "sig"))
      r = x.significand;
    else if (has(m, "exp"))
      r = (u64{x.sign} << 17) | x.exponent;
    else if (has(m, "s"))
      r = to_single(x);
    else
      r = to_double(x);
    core.set_gr(number(in.dst[0]), r);
  } else if (base == "xma" || base == "xmpy") { // on the significands as integers
    const u64 a = f(0).significand, b = f(1).significand, c = base == "xma" ? f(2).significand : 0;
    u64 r = 0;
    if (has(m, "l") || has(m, "lu"))
      r = a * b + c;
    else if (has(m, "hu"))
      r = static_cast<u64>((static_cast<unsigned __int128>(a) * b + c) >> 64);
    else
      r = static_cast<u64>(static_cast<unsigned __int128>(static_cast<__int128>(static_cast<std::int64_t>(a)) *
                                                              static_cast<std::int64_t>(b) +
                                                          static_cast<std::int64_t>(c)) >>
                           64);
    set(integer(r));
  } else if (base == "fselect") { // f1 = (f3 & f2) | (f4 & ~f2)
    set(integer((f(0).significand & f(2).significand) | (f(1).significand & ~f(2).significand)));
  } else if (base == "fand" || base == "fandcm" || base == "for" || base == "fxor") {
    const u64 a = f(0).significand, b = f(1).significand;
    set(integer(base == "fand" ? a & b : base == "fandcm" ? a & ~b : base == "for" ? a | b : a ^ b));
  } else if (base == "fma" || base == "fms" || base == "fnma") { // f1 = f3 * f4 +- f2
    const long double product = base == "fnma" ? -v(0) : v(0);
    arithmetic(std::fma(product, v(1), base == "fms" ? -v(2) : v(2)));
  } else if (base == "fmpy" || base == "fnmpy") {
    arithmetic(base == "fnmpy" ? -(v(0) * v(1)) : v(0) * v(1));
  } else if (base == "fadd" || base == "fsub") {
    arithmetic(base == "fadd" ? v(0) + v(1) : v(0) - v(1));
  } else if (base == "fnorm") {
    arithmetic(v(0));
  } else if (m.rfind("fcvt.xf", 0) == 0) { // the significand as a signed integer
    set(from_value(static_cast<long double>(static_cast<std::int64_t>(f(0).significand))));
  } else if (m.rfind("fcvt.fx", 0) == 0) {
    const long double x = v(0);
    const long double r = has(m, "trunc") ? std::trunc(x) : std::nearbyint(x);
    const bool is_unsigned = has(m, "fxu");
    const bool fits = std::isfinite(r) && (is_unsigned ? r >= 0 && r < 0x1p64L : r >= -0x1p63L && r < 0x1p63L);
    set(integer(!fits         ? u64{1} << 63
                : is_unsigned ? static_cast<u64>(r)
                              : static_cast<u64>(static_cast<std::int64_t>(r))));
  } else if (base == "frcpa" || base == "frsqrta") {
    const long double b = base == "frcpa" ? v(1) : v(0);
    const bool special = base == "frcpa" ? !std::isnormal(v(0)) && v(0) != 0 : false;
    if (base == "frcpa") {
      const bool ok = std::isnormal(b) && std::isfinite(v(0)) && !special;
      set(rounded(from_value(ok ? 1.0L / b : v(0) / b), 64));
      core.pr[number(in.dst[1])] = ok;
    } else {
      const bool ok = std::isnormal(b) && b > 0;
      set(rounded(from_value(ok ? 1.0L / std::sqrt(b) : std::sqrt(b)), 64));
      core.pr[number(in.dst[1])] = ok;
    }
  } else if (base == "fcmp") {
    const long double a = v(0), b = v(1);
    bool r = false;
    if (has(m, "eq"))
      r = a == b;
    else if (has(m, "lt"))
      r = a < b;
    else if (has(m, "le"))
      r = a <= b;
    else
      r = std::isnan(a) || std::isnan(b); // unord
    const unsigned p1 = number(in.dst[0]), p2 = number(in.dst[1]);
    if (p1 != 0) core.pr[p1] = r;
    if (p2 != 0) core.pr[p2] = !r;
  } else if (m == "mov" && in.dst[0].kind == Operand::Kind::fr) {
    set(f(0));
  } else if (base == "fabs" || base == "fneg" || base == "fnegabs") {
    FloatRegister r = f(0);
    r.sign = base == "fneg" ? !r.sign : base == "fnegabs";
    set(r);
  } else if (m == "fmerge.s" || m == "fmerge.ns") {
    FloatRegister r = f(1);
    r.sign = m == "fmerge.s" ? f(0).sign : !f(0).sign;
    set(r);
  } else if (m == "fmerge.se") {
    set(FloatRegister{f(0).sign, f(0).exponent, f(1).significand});
  } else if (base == "fclrf" || base == "fsetc" || base == "fchkf") {
    // status flags are not modelled: nothing to clear, set or find raised
  } else {
    return false;
  }
  return true;
}

} // namespace ia64sim
