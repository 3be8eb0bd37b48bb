// The floating-point unit as integer code uses it (volume 3, chapter 2: setf.sig, getf.sig, xma, and
// ldf8, stf8, ldf.fill, stf.spill, fmerge.s): GCC multiplies integers in the floating-point registers'
// significands. Floating-point arithmetic proper is not modelled yet.
#include "core.hpp"

namespace ia64sim {
namespace {

using u64 = std::uint64_t;

FloatRegister integer(u64 value) { return FloatRegister{false, integer_exponent, value}; }

} // namespace

bool execute_float(Core& core, const Instruction& in, Effect& effect) {
  const std::string& m = in.mnemonic;
  const std::string base = base_of(m);
  const auto f = [&](unsigned i) -> const FloatRegister& { return core.fr[number(in.src[i])]; };
  const auto set = [&](const FloatRegister& v) {
    const unsigned n = number(in.dst[0]);
    if (n > 1) core.fr[n] = v;
  };
  Memory& memory = core.memory();

  if (m == "setf.sig") {
    set(integer(core.gr(number(in.src[0]))));
  } else if (m == "getf.sig") {
    core.set_gr(number(in.dst[0]), f(0).significand);
  } else if (base == "xma" || base == "xmpy") { // f1 = f3 * f4 + f2, on the significands as integers
    const u64 a = f(0).significand, b = f(1).significand, c = base == "xma" ? f(2).significand : 0;
    u64 result = 0;
    if (has(m, "l") || has(m, "lu")) {
      result = a * b + c;
    } else if (has(m, "hu")) {
      result = static_cast<u64>((static_cast<unsigned __int128>(a) * b + c) >> 64);
    } else {
      const __int128 product = static_cast<__int128>(static_cast<std::int64_t>(a)) * static_cast<std::int64_t>(b) +
                               static_cast<std::int64_t>(c);
      result = static_cast<u64>(static_cast<unsigned __int128>(product) >> 64);
    }
    set(integer(result));
  } else if (m == "mov" && in.dst[0].kind == Operand::Kind::fr) { // fmerge.s f1 = f3, f3
    set(f(0));
  } else if ((m.rfind("ldf8", 0) == 0 || m.rfind("ldf.fill", 0) == 0) && in.dst_count == 1) {
    const unsigned r3 = number(in.src[0]);
    const u64 address = core.gr(r3);
    u64 low = 0, high = 0;
    const bool fill = base == "ldf";
    if (!memory.read(address, 8, low) || (fill && !memory.read(address + 8, 8, high))) {
      effect.stop = true;
      effect.outcome = Outcome{Stop::fault, address, ""};
      return true;
    }
    // The spill format: the significand, then the sign and exponent in bits 17:0 of the next doubleword.
    set(fill ? FloatRegister{((high >> 17) & 1) != 0, static_cast<std::uint32_t>(high & 0x1ffff), low} : integer(low));
    if (in.src_count == 2) core.set_gr(r3, address + value_of(core, in.src[1]));
  } else if ((m.rfind("stf8", 0) == 0 || m.rfind("stf.spill", 0) == 0) && in.src[0].kind == Operand::Kind::fr) {
    const unsigned r3 = number(in.dst[0]);
    const u64 address = core.gr(r3);
    const FloatRegister& v = f(0);
    memory.write(address, 8, v.significand);
    if (base == "stf") memory.write(address + 8, 8, (u64{v.sign} << 17) | v.exponent);
    if (in.src_count == 2) core.set_gr(r3, address + value_of(core, in.src[1]));
  } else {
    return false;
  }
  return true;
}

} // namespace ia64sim
