// SPDX-License-Identifier: Apache-2.0
// The system instructions (volume 3, chapter 2; volume 2 for what they do to the system state): the
// moves to and from psr, the control registers (with the interrupt controller's cr.ivr, cr.eoi, cr.irr
// and the timer's cr.itm behind them), the region registers and ar.bsp/ar.bspstore/ar.itc; rsm, ssm,
// sum, rum; rfi, bsw, cover, flushrs, loadrs; itc, itr, ptc, ptr; thash, ttag, tpa, tak; srlz; and break
// as the break instruction fault. Without a bus (ia64-run) only the register stack's instructions are
// taken here and break stays the simulator's call gate (execute_branch.cpp).
#include "core.hpp"
#include "system_registers.hpp"

namespace ia64sim {
namespace {

using u64 = std::uint64_t;

std::uint32_t rid_of(u64 rr) { return static_cast<std::uint32_t>((rr >> 8) & 0xff'ffff); }

bool is_name(const Operand& o, const char* text) {
  return o.kind == Operand::Kind::name && std::string(o.text) == text;
}

/// The translation itc and itr insert: the address and size from cr.ifa and cr.itir, the region ID from
/// the region register of cr.ifa's region (volume 2, section 4.1.1.3).
Translation insertion(const Core& core, u64 pte) {
  const u64 ifa = core.cr[cr_number::ifa], itir = core.cr[cr_number::itir];
  Translation t;
  t.valid = true;
  t.rid = rid_of(core.rr[ifa >> 61]);
  t.page_shift = static_cast<unsigned>((itir >> 2) & 0x3f);
  t.va = region_offset(ifa) & ~((u64{1} << t.page_shift) - 1);
  t.pte = pte;
  t.key = static_cast<std::uint32_t>((itir >> 8) & 0xff'ffff);
  return t;
}

/// mov from psr: bits 36:35 and 31:0, the others read as zero (volume 3, "mov" from psr).
constexpr u64 psr_readable = (u64{3} << 35) | 0xffff'ffffull;

u64 read_cr(Core& core, unsigned n) {
  switch (n) {
  case cr_number::ivr: return core.interrupts.acknowledge(core.cr[cr_number::tpr]);
  case cr_number::itm: return core.interrupts.itm();
  case cr_number::irr0:
  case cr_number::irr0 + 1:
  case cr_number::irr0 + 2:
  case cr_number::irr0 + 3: return core.interrupts.irr(n - cr_number::irr0);
  default: return core.cr[n];
  }
}

void write_cr(Core& core, unsigned n, u64 v, u64 bundle) {
  switch (n) {
  case cr_number::eoi: core.interrupts.end_of_interrupt(); return;
  case cr_number::itm: core.interrupts.set_itm(v, core.ar[ar_number::itc]); return;
  case cr_number::ivr:
  case cr_number::irr0:
  case cr_number::irr0 + 1:
  case cr_number::irr0 + 2:
  case cr_number::irr0 + 3: return; // read-only
  case cr_number::pta: core.wrote(Serialized::pta, bundle); break;
  case cr_number::iva: core.wrote(Serialized::iva, bundle, true); break;
  default: break;
  }
  core.cr[n] = v;
}

/// A write of the psr bits in `written` through rsm, ssm or mov psr.l: the bits that need serialization
/// are noted, whether or not their value changes.
void change_psr(Core& core, u64 value, u64 written, u64 bundle) {
  if ((written & (psr_bit::dt | psr_bit::rt)) != 0) core.wrote(Serialized::psr_dt, bundle);
  if ((written & psr_bit::ic) != 0) core.wrote(Serialized::psr_ic, bundle);
  core.set_psr(value);
}

bool interruption_register(unsigned n) { return n >= cr_number::ipsr && n <= cr_number::iha; }

/// The general exception's illegal operation fault (isr.code 0): what the interruption control registers
/// and itc/itr raise with psr.ic set (volume 3, "mov cr" and "itc"; volume 2, section 3.3.5).
bool illegal_operation(Effect& effect) {
  effect.interrupted = true;
  effect.interruption = Interruption{};
  effect.interruption.vector = ivt::general_exception;
  return true;
}

/// The instructions only privilege level 0 may execute (volume 3, each instruction's "privileged"
/// description): the system moves, the PSR's system mask, rfi, bsw and the TLB's insertions and purges.
bool privileged(const Instruction& in, std::string_view base) {
  if (base == "rfi" || base == "bsw" || base == "rsm" || base == "ssm" || base == "itc" || base == "itr" ||
      base == "ptc" || base == "ptr" || base == "tpa" || base == "tak")
    return true;
  if (base != "mov") return false;
  const Operand& d = in.dst[0];
  const Operand& s = in.src[0];
  if (d.kind == Operand::Kind::cr || s.kind == Operand::Kind::cr) return true;
  if (is_name(d, "psr.l") || is_name(s, "psr")) return true;
  const auto system_file = [](const Operand& o) {
    if (o.kind != Operand::Kind::indexed) return false;
    const std::string file = o.text;
    return file == "rr" || file == "pkr" || file == "dbr" || file == "ibr" || file == "pmc" || file == "msr";
  };
  return system_file(d) || system_file(s);
}

} // namespace

bool execute_system(Core& core, const Instruction& in, u64 bundle, Effect& effect) {
  const std::string& m = in.mnemonic;
  const char c = m[0];
  // Cheap refusal of the common instructions that are not ours.
  if (c != 'm' && c != 'r' && c != 's' && c != 'b' && c != 'c' && c != 'f' && c != 'l' && c != 'i' && c != 'p' &&
      c != 't')
    return false;
  const std::string_view base = base_of(m);

  // The register stack, with or without a bus.
  if (base == "cover") {
    if (!core.use(Serialized::psr_ic, effect)) return true;
    core.cover();
    return true;
  }
  if (base == "flushrs") {
    if (core.bus != nullptr) core.flush_register_stack(effect);
    return true;
  }
  if (base == "loadrs") {
    core.load_register_stack(effect);
    return true;
  }
  if (base == "mov" && in.dst[0].kind == Operand::Kind::ar) {
    const unsigned n = number(in.dst[0]);
    const u64 v = value_of(core, in.src[0]);
    if (n == ar_number::bspstore) {
      core.ar[n] = v;
      core.set_bspstore(v);
      return true;
    }
    if (n == ar_number::bsp) return true; // read-only
    if (n == ar_number::itc) {
      core.ar[n] = v;
      core.interrupts.set_itc(v);
      return true;
    }
    return false;
  }
  if (base == "mov" && in.src[0].kind == Operand::Kind::ar && in.dst[0].kind == Operand::Kind::gr) {
    const unsigned n = number(in.src[0]);
    if (n == ar_number::bsp) {
      core.set_gr(number(in.dst[0]), core.bsp());
      return true;
    }
    if (n == ar_number::bspstore) {
      core.set_gr(number(in.dst[0]), core.bspstore());
      return true;
    }
    return false;
  }
  if (base == "srlz") {
    core.serialize(has(m, "i"));
    return true;
  }
  if (core.bus == nullptr) return false;

  if ((core.psr & psr_bit::cpl) != 0 && privileged(in, base)) {
    // Volume 2, section 5.6 "General Exception": a privileged operation at privilege level 1-3, isr.code
    // 0x10.
    effect.interrupted = true;
    effect.interruption = Interruption{};
    effect.interruption.vector = ivt::general_exception;
    effect.interruption.isr = 0x10;
    return true;
  }
  if (base == "break") {
    effect.interrupted = true;
    effect.interruption = Interruption{};
    effect.interruption.vector = ivt::break_instruction;
    effect.interruption.iim = static_cast<u64>(in.src[0].value);
    return true;
  }
  if (base == "rfi") {
    core.serialize(true);
    const u64 ipsr = core.cr[cr_number::ipsr];
    core.set_psr(ipsr & ~psr_bit::ri);
    core.restore_frame(core.cr[cr_number::ifs]);
    if (!core.fill_frame(effect)) return true;
    effect.branch = true;
    effect.target = core.cr[cr_number::iip] & ~u64{15};
    effect.target_slot = static_cast<unsigned>((ipsr & psr_bit::ri) >> psr_bit::ri_shift);
    return true;
  }
  if (base == "bsw") {
    core.set_psr(has(m, "1") ? core.psr | psr_bit::bn : core.psr & ~psr_bit::bn);
    return true;
  }
  if (base == "clrrrb") return true; // no rotation is modelled: the rename bases are always 0
  if (base == "rsm" || base == "ssm" || base == "sum" || base == "rum") {
    u64 mask = static_cast<u64>(in.src[0].value) & 0xff'ffff;
    if (base[1] == 'u') mask &= 0x3f; // the user mask
    change_psr(core, base[0] == 's' ? core.psr | mask : core.psr & ~mask, mask, bundle);
    return true;
  }
  if (base == "itc" || base == "itr") {
    if (!core.use(Serialized::psr_ic, effect)) return true;
    if ((core.psr & psr_bit::ic) != 0) return illegal_operation(effect);
    const bool instruction = has(m, "i");
    const Translation t = insertion(core, core.gr(number(in.src[0])));
    if (base == "itc")
      core.tlb.insert_cache(instruction, t);
    else
      core.tlb.insert_register(instruction, static_cast<unsigned>(core.gr(number(in.dst[0]))), t);
    return true;
  }
  if (base == "ptc" || base == "ptr") {
    const u64 va = core.gr(number(in.src[0]));
    const std::uint32_t rid = rid_of(core.rr[va >> 61]);
    if (has(m, "e")) {
      core.tlb.purge_cache(0, 0, 0, true);
      return true;
    }
    const unsigned shift = static_cast<unsigned>((core.gr(number(in.src[1])) >> 2) & 0x3f);
    if (base == "ptc")
      core.tlb.purge_cache(rid, region_offset(va), shift);
    else
      core.tlb.purge_registers(has(m, "i"), rid, region_offset(va), shift);
    return true;
  }
  if (base == "thash" || base == "ttag") {
    if (!core.use(Serialized::pta, effect) || !core.use(Serialized::rr, effect)) return true;
    const u64 va = core.gr(number(in.src[0]));
    core.set_gr(number(in.dst[0]), base == "thash" ? core.thash(va) : core.ttag(va));
    return true;
  }
  if (base == "tpa") {
    u64 pa = 0;
    Interruption why;
    if (!core.translate(core.gr(number(in.src[0])), Access::read, pa, why)) {
      effect.interrupted = true;
      effect.interruption = why;
      return true;
    }
    core.set_gr(number(in.dst[0]), pa);
    return true;
  }
  if (base != "mov") return false;

  const Operand& d = in.dst[0];
  const Operand& s = in.src[0];
  if (d.kind == Operand::Kind::cr) {
    if (interruption_register(number(d)) && !core.use(Serialized::psr_ic, effect)) return true;
    if (interruption_register(number(d)) && (core.psr & psr_bit::ic) != 0) return illegal_operation(effect);
    write_cr(core, number(d), core.gr(number(s)), bundle);
    return true;
  }
  if (s.kind == Operand::Kind::cr && d.kind == Operand::Kind::gr) {
    if (interruption_register(number(s)) && !core.use(Serialized::psr_ic, effect)) return true;
    if (interruption_register(number(s)) && (core.psr & psr_bit::ic) != 0) return illegal_operation(effect);
    core.set_gr(number(d), read_cr(core, number(s)));
    return true;
  }
  if (is_name(d, "psr.l")) {
    change_psr(core, (core.psr & ~u64{0xffff'ffff}) | (core.gr(number(s)) & 0xffff'ffff), 0xffff'ffff, bundle);
    return true;
  }
  if (is_name(d, "psr.um")) {
    core.set_psr((core.psr & ~u64{0x3f}) | (core.gr(number(s)) & 0x3f));
    return true;
  }
  if (is_name(s, "psr") && d.kind == Operand::Kind::gr) {
    core.set_gr(number(d), core.psr & psr_readable);
    return true;
  }
  if (is_name(s, "psr.um") && d.kind == Operand::Kind::gr) {
    core.set_gr(number(d), core.psr & 0x3f);
    return true;
  }
  if (d.kind == Operand::Kind::indexed && std::string(d.text) == "rr") {
    core.rr[core.gr(number(d)) >> 61] = core.gr(number(s));
    core.wrote(Serialized::rr, bundle);
    return true;
  }
  if (s.kind == Operand::Kind::indexed && d.kind == Operand::Kind::gr) {
    const std::string file = s.text;
    const u64 index = core.gr(number(s));
    if (file == "rr") {
      core.set_gr(number(d), core.rr[index >> 61]);
      return true;
    }
    if (file == "cpuid") {
      // cpuid[3]: the number of CPUID registers less one in bits 7:0; the vendor and feature registers
      // read as zero.
      core.set_gr(number(d), index == 3 ? 4 : 0);
      return true;
    }
  }
  return false;
}

} // namespace ia64sim
