// SPDX-License-Identifier: Apache-2.0
// Integer loads, stores and semaphores, and the memory-ordering, cache and register-stack instructions
// that have nothing to do while memory is a flat array without caches or a backing store (volume 3,
// chapter 2: ld, st, fetchadd, xchg, cmpxchg; mf, srlz, sync, fwb, fc, lfetch, invala, flushrs, loadrs).
// Speculation and advanced loads always succeed: ld.s and ld.a load, ld.c reloads, chk never branches,
// which gives the results the architecture promises for a program that does not fault.
#include "core.hpp"

namespace ia64sim {
namespace {

using u64 = std::uint64_t;

unsigned access_size(const std::string& base, std::size_t digit) { return static_cast<unsigned>(base[digit] - '0'); }

Outcome fault(u64 address) { return {Stop::fault, address, ""}; }

} // namespace

bool execute_memory(Core& core, const Instruction& in, Effect& effect) {
  const std::string& m = in.mnemonic;
  const std::string base = base_of(m);
  Memory& memory = core.memory();
  const auto fail = [&](u64 address) {
    effect.stop = true;
    effect.outcome = fault(address);
  };

  if ((base.size() == 3 && base[0] == 'l' && base[1] == 'd') && in.dst[0].kind == Operand::Kind::gr) {
    const unsigned r3 = number(in.src[0]);
    const u64 address = core.gr(r3);
    u64 value = 0;
    const bool speculative = has(m, "s") || has(m, "sa");
    if (!memory.read(address, access_size(base, 2), value)) {
      if (!speculative) return fail(address), true;
      value = 0; // a deferred fault would set the NaT bit, which is not modelled yet
    }
    core.set_gr(number(in.dst[0]), value);
    if (in.src_count == 2) core.set_gr(r3, address + value_of(core, in.src[1]));
    return true;
  }
  if (base.size() == 3 && base[0] == 's' && base[1] == 't' && in.src[0].kind == Operand::Kind::gr) {
    const unsigned r3 = number(in.dst[0]);
    const u64 address = core.gr(r3);
    memory.write(address, access_size(base, 2), value_of(core, in.src[0]));
    if (in.src_count == 2) core.set_gr(r3, address + value_of(core, in.src[1]));
    return true;
  }
  if (base == "fetchadd4" || base == "fetchadd8" || base == "xchg1" || base == "xchg2" || base == "xchg4" ||
      base == "xchg8" || base == "cmpxchg1" || base == "cmpxchg2" || base == "cmpxchg4" || base == "cmpxchg8") {
    const unsigned size = access_size(base, base.size() - 1);
    const u64 address = core.gr(number(in.src[0]));
    u64 old = 0;
    if (!memory.read(address, size, old)) return fail(address), true;
    const u64 operand = value_of(core, in.src[1]);
    if (base[0] == 'f')
      memory.write(address, size, old + operand);
    else if (base[0] == 'x')
      memory.write(address, size, operand);
    else if (old == (core.ar[32] & (size == 8 ? ~u64{0} : (u64{1} << (8 * size)) - 1)))
      memory.write(address, size, operand);
    core.set_gr(number(in.dst[0]), old);
    return true;
  }
  if (base == "lfetch") {
    if (in.src_count == 2 && in.src[1].kind != Operand::Kind::imm) return true; // lfetch.count has no update
    if (in.src_count == 2) core.set_gr(number(in.src[0]), core.gr(number(in.src[0])) + value_of(core, in.src[1]));
    return true;
  }
  return base == "mf" || base == "srlz" || base == "sync" || base == "fwb" || base == "fc" || base == "invala" ||
         base == "flushrs" || base == "loadrs" || base == "chk";
}

} // namespace ia64sim
