// SPDX-License-Identifier: Apache-2.0
// Integer loads, stores and semaphores through the core's translation (Core::read, Core::write), and the
// memory-ordering and cache instructions that have nothing to do while memory has no caches (volume 3,
// chapter 2: ld, st, fetchadd, xchg, cmpxchg; mf, sync, fwb, fc, lfetch, invala).
// Speculation and advanced loads always succeed: ld.s and ld.a load, ld.c reloads, chk never branches,
// which gives the results the architecture promises for a program that does not fault.
#include "core.hpp"

namespace ia64sim {
namespace {

using u64 = std::uint64_t;

unsigned access_size(std::string_view base, std::size_t digit) { return static_cast<unsigned>(base[digit] - '0'); }

} // namespace

bool execute_memory(Core& core, const Instruction& in, Effect& effect) {
  const std::string& m = in.mnemonic;
  const std::string_view base = base_of(m);

  if ((base.size() == 3 && base[0] == 'l' && base[1] == 'd') && in.dst[0].kind == Operand::Kind::gr) {
    const unsigned r3 = number(in.src[0]);
    const u64 address = core.gr(r3);
    u64 value = 0;
    const bool speculative = has(m, "s") || has(m, "sa");
    if (!core.read(address, access_size(base, 2), value, effect)) {
      if (!speculative) return true;
      effect = Effect{}; // a deferred fault would set the NaT bit, which is not modelled yet
      value = 0;
    }
    core.set_gr(number(in.dst[0]), value);
    if (in.src_count == 2) core.set_gr(r3, address + value_of(core, in.src[1]));
    return true;
  }
  if (base.size() == 3 && base[0] == 's' && base[1] == 't' && in.src[0].kind == Operand::Kind::gr) {
    const unsigned r3 = number(in.dst[0]);
    const u64 address = core.gr(r3);
    if (!core.write(address, access_size(base, 2), value_of(core, in.src[0]), effect)) return true;
    if (in.src_count == 2) core.set_gr(r3, address + value_of(core, in.src[1]));
    return true;
  }
  if (base == "fetchadd4" || base == "fetchadd8" || base == "xchg1" || base == "xchg2" || base == "xchg4" ||
      base == "xchg8" || base == "cmpxchg1" || base == "cmpxchg2" || base == "cmpxchg4" || base == "cmpxchg8") {
    const unsigned size = access_size(base, base.size() - 1);
    const u64 address = core.gr(number(in.src[0]));
    u64 old = 0;
    if (!core.read(address, size, old, effect)) return true;
    const u64 operand = value_of(core, in.src[1]);
    bool written = true;
    if (base[0] == 'f')
      written = core.write(address, size, old + operand, effect);
    else if (base[0] == 'x')
      written = core.write(address, size, operand, effect);
    else if (old == (core.ar[32] & (size == 8 ? ~u64{0} : (u64{1} << (8 * size)) - 1)))
      written = core.write(address, size, operand, effect);
    if (!written) return true;
    core.set_gr(number(in.dst[0]), old);
    return true;
  }
  if (base == "lfetch") {
    if (in.src_count == 2 && in.src[1].kind != Operand::Kind::imm) return true; // lfetch.count has no update
    if (in.src_count == 2) core.set_gr(number(in.src[0]), core.gr(number(in.src[0])) + value_of(core, in.src[1]));
    return true;
  }
  return base == "mf" || base == "sync" || base == "fwb" || base == "fc" || base == "invala" || base == "chk";
}

} // namespace ia64sim
