// SPDX-License-Identifier: Apache-2.0
// The M-unit instructions (formats M1-M48): integer and floating-point loads, stores, semaphores and
// line prefetch (opcodes 4 to 7), and system and memory management (opcodes 0 and 1). Volume 3, section
// 4.4 "M-Unit Instruction Encodings", tables 4-28 to 4-45.
#include "fields.hpp"

namespace ia64sim {
namespace {

// Memory-access fields (M1-M18): m 36, x6 35:30, hint 29:28, x 27.
unsigned m_bit(std::uint64_t s) { return sign_bit(s); }
unsigned x6_memory(std::uint64_t s) { return static_cast<unsigned>(field(s, 30, 6)); }
unsigned hint_field(std::uint64_t s) { return static_cast<unsigned>(field(s, 28, 2)); }
unsigned x_bit(std::uint64_t s) { return static_cast<unsigned>(field(s, 27, 1)); }

// The locality hint: hint (29:28), widened to three bits by a bit of a register field the form leaves
// unused (bit 19 of r2 for a load without base update, bit 12 of r1 for a store or lfetch). Null: reserved.
const char* const load_hints[8] = {"", ".nt1", ".d2", ".nta", ".d4", ".d5", ".d6", ".d7"};
const char* const update_hints[4] = {"", ".nt1", nullptr, ".nta"};
const char* const store_hints[8] = {"", ".d1", ".d2", ".nta", ".d4", ".d5", ".d6", ".d7"};
const char* const store_immediate_hints[4] = {"", nullptr, nullptr, ".nta"};
const char* const prefetch_hints[8] = {"", ".nt1", ".nt2", ".nta", ".d4", ".d5", ".d6", ".d7"};

const char* load_hint(std::uint64_t s, bool update) {
  const unsigned hint = static_cast<unsigned>(field(s, 28, 2));
  return update ? update_hints[hint] : load_hints[(field(s, 19, 1) << 2) | hint];
}
const char* store_hint(std::uint64_t s, bool immediate) {
  const unsigned hint = static_cast<unsigned>(field(s, 28, 2));
  return immediate ? store_immediate_hints[hint] : store_hints[(field(s, 12, 1) << 2) | hint];
}

std::int64_t load_imm9(std::uint64_t s) {
  return sign_extend((std::uint64_t{sign_bit(s)} << 8) | (field(s, 27, 1) << 7) | field(s, 13, 7), 9);
}
std::int64_t store_imm9(std::uint64_t s) {
  return sign_extend((std::uint64_t{sign_bit(s)} << 8) | (field(s, 27, 1) << 7) | field(s, 6, 7), 9);
}

// Integer loads and stores by x6 (table 4-29): the access's name without its size, or null.
const char* integer_load(unsigned x6) {
  switch (x6 >> 2) {
  case 0x0: return "";
  case 0x1: return ".s";
  case 0x2: return ".a";
  case 0x3: return ".sa";
  case 0x4: return ".bias";
  case 0x5: return ".acq";
  case 0x8: return ".c.clr";
  case 0x9: return ".c.nc";
  case 0xa: return ".c.clr.acq";
  default: return nullptr;
  }
}

// Opcodes 4 and 5: integer memory access.
void integer_memory(Instruction& in, bool immediate_form) {
  const std::uint64_t s = in.bits;
  const unsigned x6 = x6_memory(s);
  const unsigned r1 = r1_field(s), r2 = r2_field(s), r3 = r3_field(s);
  const std::string size = std::to_string(1u << (x6 & 3));
  Builder b{in};
  if (!immediate_form && x_bit(s) == 1) { // M16-M19, M41-M43
    if (m_bit(s) != 0) return;
    const char* semaphore_hint = update_hints[hint_field(s)];
    if (semaphore_hint == nullptr && (x6 < 0x1c || x6 == 0x20 || x6 == 0x24)) return;
    if (x6 <= 0x07) {
      b.op("cmpxchg" + size + (x6 < 4 ? ".acq" : ".rel") + semaphore_hint).dst(gr(r1));
      b.src(memory(r3)).src(gr(r2)).src(ar(32));
    } else if (x6 <= 0x0b) {
      b.op("xchg" + size + semaphore_hint).dst(gr(r1)).src(memory(r3)).src(gr(r2));
    } else if (x6 == 0x12 || x6 == 0x13 || x6 == 0x16 || x6 == 0x17) {
      static constexpr int increments[4] = {16, 8, 4, 1};
      const int inc = increments[field(s, 13, 2)] * (field(s, 15, 1) != 0 ? -1 : 1);
      b.op("fetchadd" + size + (x6 < 0x14 ? ".acq" : ".rel") + semaphore_hint).dst(gr(r1));
      b.src(memory(r3)).src(imm(inc));
    } else if (x6 >= 0x1c && x6 <= 0x1f) {
      static constexpr const char* kinds[4] = {"getf.sig", "getf.exp", "getf.s", "getf.d"};
      b.op(kinds[x6 & 3]).dst(gr(r1)).src(fr(r2));
    } else if (x6 == 0x20 || x6 == 0x24) {
      b.op(std::string("cmp8xchg16") + (x6 == 0x20 ? ".acq" : ".rel") + semaphore_hint).dst(gr(r1));
      b.src(memory(r3)).src(gr(r2)).src(ar(25)).src(ar(32));
    } else if (x6 == 0x28 || x6 == 0x2c) {
      b.op(std::string("ld16") + (x6 == 0x2c ? ".acq" : "") + load_hint(s, false))
          .dst(gr(r1))
          .dst(ar(25))
          .src(memory(r3));
    } else if (x6 == 0x30 || x6 == 0x34) {
      b.op(std::string("st16") + (x6 == 0x34 ? ".rel" : "") + store_hint(s, false))
          .dst(memory(r3))
          .src(gr(r2))
          .src(ar(25));
    }
    return;
  }
  if (x6 >= 0x30) { // stores: M4, M5
    if (!immediate_form && m_bit(s) != 0) return;
    std::string m;
    if (x6 <= 0x33)
      m = "st" + size;
    else if (x6 <= 0x37)
      m = "st" + size + ".rel";
    else if (x6 == 0x3b)
      m = "st8.spill";
    else
      return;
    const char* hint = store_hint(s, immediate_form);
    if (hint == nullptr) return;
    b.op(m + hint).dst(memory(r3)).src(gr(r2));
    if (immediate_form) b.src(imm(store_imm9(s)));
    return;
  }
  std::string m;
  if (x6 == 0x1b)
    m = "ld8.fill";
  else if (const char* kind = integer_load(x6))
    m = "ld" + size + kind;
  else
    return;
  const char* hint = load_hint(s, immediate_form || m_bit(s) != 0);
  if (hint == nullptr) return;
  b.op(m + hint).dst(gr(r1)).src(memory(r3));
  if (immediate_form)
    b.src(imm(load_imm9(s)));
  else if (m_bit(s) != 0)
    b.src(gr(r2));
}

// Opcodes 6 and 7: floating-point memory access, line prefetch, setf.
void float_memory(Instruction& in, bool immediate_form) {
  const std::uint64_t s = in.bits;
  const unsigned x6 = x6_memory(s);
  const unsigned r1 = r1_field(s), r2 = r2_field(s), r3 = r3_field(s);
  static constexpr const char* sizes[4] = {"e", "8", "s", "d"};
  const char* size = sizes[x6 & 3];
  Builder b{in};
  if (!immediate_form && x_bit(s) == 1) { // M11, M12 ldfp; M18 setf
    if (x6 >= 0x1c && x6 <= 0x1f) {
      if (m_bit(s) != 0) return;
      static constexpr const char* kinds[4] = {"setf.sig", "setf.exp", "setf.s", "setf.d"};
      b.op(kinds[x6 & 3]).dst(fr(r1)).src(gr(r2));
      return;
    }
    if ((x6 & 3) == 0) return;
    const char* kind = integer_load(x6);
    if (kind == nullptr || (x6 >= 0x10 && x6 < 0x20) || x6 >= 0x28) return;
    static constexpr const char* pair_sizes[4] = {"", "8", "s", "d"};
    const char* hint = update_hints[hint_field(s)];
    if (hint == nullptr) return;
    b.op(std::string("ldfp") + pair_sizes[x6 & 3] + kind + hint).dst(fr(r1)).dst(fr(r2)).src(memory(r3));
    if (m_bit(s) != 0) b.src(imm((x6 & 3) == 2 ? 8 : 16));
    return;
  }
  if (x6 >= 0x2c && x6 <= 0x2f) { // M13-M15 lfetch
    static constexpr const char* kinds[4] = {"lfetch", "lfetch.excl", "lfetch.fault", "lfetch.fault.excl"};
    const std::string hint = prefetch_hints[(field(s, 12, 1) << 2) | hint_field(s)];
    if (!immediate_form && m_bit(s) == 0 && x6 == 0x2c && field(s, 19, 1) != 0) {
      // lfetch.count [r3], count, stride: count 11:6, stride 17:13 in lines of 64 bytes.
      b.op("lfetch.count" + hint).src(memory(r3));
      b.src(imm(static_cast<std::int64_t>(field(s, 6, 6)) + 1)).src(imm(sign_extend(field(s, 13, 5), 5) * 64));
      return;
    }
    b.op(kinds[x6 & 3] + hint).src(memory(r3));
    if (immediate_form)
      b.src(imm(load_imm9(s)));
    else if (m_bit(s) != 0)
      b.src(gr(r2));
    return;
  }
  if (x6 >= 0x30) { // M9, M10 stores
    if (!immediate_form && m_bit(s) != 0) return;
    std::string m;
    if (x6 <= 0x33)
      m = std::string("stf") + size;
    else if (x6 == 0x3b)
      m = "stf.spill";
    else
      return;
    const char* hint = store_hint(s, immediate_form);
    if (hint == nullptr) return;
    b.op(m + hint).dst(memory(r3)).src(fr(r2));
    if (immediate_form) b.src(imm(store_imm9(s)));
    return;
  }
  std::string m;
  if (x6 == 0x1b)
    m = "ldf.fill";
  else if (x6 < 0x10 || (x6 >= 0x20 && x6 < 0x28))
    m = std::string("ldf") + size + integer_load(x6);
  else
    return;
  const char* hint = load_hint(s, immediate_form || m_bit(s) != 0);
  if (hint == nullptr) return;
  b.op(m + hint).dst(fr(r1)).src(memory(r3));
  if (immediate_form)
    b.src(imm(load_imm9(s)));
  else if (m_bit(s) != 0)
    b.src(gr(r2));
}

std::uint64_t check_target(std::uint64_t s, std::uint64_t address) {
  const std::int64_t offset = sign_extend((std::uint64_t{sign_bit(s)} << 20) | field(s, 13, 20), 21);
  return address + static_cast<std::uint64_t>(offset * 16);
}

// Opcode 0: x3 35:33; with x3 0, x6 32:27 (x4 30:27, x2 32:31).
void system0(Instruction& in, std::uint64_t address) {
  const std::uint64_t s = in.bits;
  const unsigned x3 = static_cast<unsigned>(field(s, 33, 3)), x6 = static_cast<unsigned>(field(s, 27, 6));
  Builder b{in};
  switch (x3) {
  case 4: b.op("chk.a.nc").src(gr(r1_field(s))).src(target(check_target(s, address))); return;
  case 5: b.op("chk.a.clr").src(gr(r1_field(s))).src(target(check_target(s, address))); return;
  case 6: b.op("chk.a.nc").src(fr(r1_field(s))).src(target(check_target(s, address))); return;
  case 7: b.op("chk.a.clr").src(fr(r1_field(s))).src(target(check_target(s, address))); return;
  case 0: break;
  default: return;
  }
  const unsigned x4 = x6 & 0xf;
  if (x4 >= 4 && x4 <= 7) { // M44: imm24 = i:i2d:imm21a
    static constexpr const char* names[4] = {"sum", "rum", "ssm", "rsm"};
    b.op(names[x4 - 4]).src(hex((std::uint64_t{sign_bit(s)} << 23) | (field(s, 31, 2) << 21) | field(s, 6, 21)));
    return;
  }
  switch (x6) {
  case 0x00: b.op("break.m").src(hex(imm21(s))); return;
  case 0x01:
    if (field(s, 26, 1) == 0) {
      b.op("nop.m").src(hex(imm21(s)));
    } else if (field(s, 10, 2) == 0) { // the hint: i (36), 25:12 and 9:6
      b.op("hint.m").src(imm(
          static_cast<std::int64_t>((std::uint64_t{sign_bit(s)} << 18) | (field(s, 12, 14) << 4) | field(s, 6, 4))));
    } else if (field(s, 10, 2) == 1) { // mov dahr<n> = imm16: n in 25:23, the value in i, 22:12 and 9:6
      static constexpr const char* registers[8] = {"dahr0", "dahr1", "dahr2", "dahr3",
                                                   "dahr4", "dahr5", "dahr6", "dahr7"};
      const std::uint64_t value = (std::uint64_t{sign_bit(s)} << 15) | (field(s, 12, 11) << 4) | field(s, 6, 4);
      b.op("mov").dst(name(registers[field(s, 23, 3)])).src(imm(static_cast<std::int64_t>(value)));
    }
    return;
  case 0x0a:
    in.predicated = false;
    b.op("loadrs");
    return;
  case 0x0c:
    in.predicated = false;
    b.op("flushrs");
    return;
  case 0x10: b.op("invala"); return;
  case 0x12: b.op("invala.e").src(gr(r1_field(s))); return;
  case 0x13: b.op("invala.e").src(fr(r1_field(s))); return;
  case 0x20: b.op("fwb"); return;
  case 0x22: b.op("mf"); return;
  case 0x23: b.op("mf.a"); return;
  case 0x28: {
    const std::int64_t imm8 = sign_extend((std::uint64_t{sign_bit(s)} << 7) | field(s, 13, 7), 8);
    b.op("mov.m").dst(ar(r3_field(s))).src(imm(imm8));
    return;
  }
  case 0x30: b.op("srlz.d"); return;
  case 0x31: b.op("srlz.i"); return;
  case 0x33: b.op("sync.i"); return;
  default: return;
  }
}

// Opcode 1: x3 35:33; with x3 0, x6 32:27.
void system1(Instruction& in, std::uint64_t address) {
  const std::uint64_t s = in.bits;
  const unsigned x3 = static_cast<unsigned>(field(s, 33, 3)), x6 = static_cast<unsigned>(field(s, 27, 6));
  const unsigned r1 = r1_field(s), r2 = r2_field(s), r3 = r3_field(s);
  Builder b{in};
  if (x3 == 1 || x3 == 3) { // M20, M21
    const std::int64_t offset =
        sign_extend((std::uint64_t{sign_bit(s)} << 20) | (field(s, 20, 13) << 7) | field(s, 6, 7), 21);
    b.op("chk.s" + std::string(x3 == 1 ? ".m" : "")).src(x3 == 1 ? gr(r2) : fr(r2));
    b.src(target(address + static_cast<std::uint64_t>(offset * 16)));
    return;
  }
  if (x3 == 6) { // M34: alloc r1 = ar.pfs, i, l, o, r from sof, sol, sor
    const unsigned sof = static_cast<unsigned>(field(s, 13, 7)), sol = static_cast<unsigned>(field(s, 20, 7));
    const unsigned sor = static_cast<unsigned>(field(s, 27, 4));
    in.predicated = false;
    b.op("alloc").dst(gr(r1)).src(ar(64)).src(imm(sof)).src(imm(sol)).src(imm(sor << 3));
    return;
  }
  if (x3 != 0) return;
  static constexpr const char* files[8] = {"rr", "dbr", "ibr", "pkr", "pmc", "pmd", "msr", "cpuid"};
  if (x6 <= 0x06) {
    b.op("mov").dst(indexed(files[x6], r3)).src(gr(r2));
    return;
  }
  if (x6 >= 0x10 && x6 <= 0x17) {
    b.op("mov").dst(gr(r1)).src(indexed(files[x6 - 0x10], r3));
    return;
  }
  switch (x6) {
  case 0x09: b.op("ptc.l").src(gr(r3)).src(gr(r2)); return;
  case 0x0a: b.op("ptc.g").src(gr(r3)).src(gr(r2)); return;
  case 0x0b: b.op("ptc.ga").src(gr(r3)).src(gr(r2)); return;
  case 0x0c: b.op("ptr.d").src(gr(r3)).src(gr(r2)); return;
  case 0x0d: b.op("ptr.i").src(gr(r3)).src(gr(r2)); return;
  case 0x0e: b.op("itr.d").dst(indexed("dtr", r3)).src(gr(r2)); return;
  case 0x0f: b.op("itr.i").dst(indexed("itr", r3)).src(gr(r2)); return;
  case 0x18: b.op("probe.r").dst(gr(r1)).src(gr(r3)).src(imm(r2 & 3)); return;
  case 0x19: b.op("probe.w").dst(gr(r1)).src(gr(r3)).src(imm(r2 & 3)); return;
  case 0x1a: b.op("thash").dst(gr(r1)).src(gr(r3)); return;
  case 0x1b: b.op("ttag").dst(gr(r1)).src(gr(r3)); return;
  case 0x1e: b.op("tpa").dst(gr(r1)).src(gr(r3)); return;
  case 0x1f: b.op("tak").dst(gr(r1)).src(gr(r3)); return;
  case 0x20: b.op("mov").dst(gr(r1)).src(indexed("dahr", r3)); return;
  case 0x21: b.op("mov").dst(gr(r1)).src(name("psr.um")); return;
  case 0x22: b.op("mov.m").dst(gr(r1)).src(ar(r3)); return;
  case 0x24: b.op("mov").dst(gr(r1)).src(cr(r3)); return;
  case 0x25: b.op("mov").dst(gr(r1)).src(name("psr")); return;
  case 0x29: b.op("mov").dst(name("psr.um")).src(gr(r2)); return;
  case 0x2a: b.op("mov.m").dst(ar(r3)).src(gr(r2)); return;
  case 0x2c: b.op("mov").dst(cr(r3)).src(gr(r2)); return;
  case 0x2d: b.op("mov").dst(name("psr.l")).src(gr(r2)); return;
  case 0x2e: b.op("itc.d").src(gr(r2)); return;
  case 0x2f: b.op("itc.i").src(gr(r2)); return;
  case 0x30: b.op(sign_bit(s) != 0 ? "fc.i" : "fc").src(gr(r3)); return;
  case 0x31: b.op("probe.rw.fault").src(gr(r3)).src(imm(r2 & 3)); return;
  case 0x32: b.op("probe.r.fault").src(gr(r3)).src(imm(r2 & 3)); return;
  case 0x33: b.op("probe.w.fault").src(gr(r3)).src(imm(r2 & 3)); return;
  case 0x34: b.op("ptc.e").src(gr(r3)); return;
  case 0x38: b.op("probe.r").dst(gr(r1)).src(gr(r3)).src(gr(r2)); return;
  case 0x39: b.op("probe.w").dst(gr(r1)).src(gr(r3)).src(gr(r2)); return;
  default: return;
  }
}

} // namespace

void decode_m(Instruction& in, std::uint64_t address) {
  switch (major_opcode(in.bits)) {
  case 0: system0(in, address); return;
  case 1: system1(in, address); return;
  case 4: integer_memory(in, false); return;
  case 5: integer_memory(in, true); return;
  case 6: float_memory(in, false); return;
  case 7: float_memory(in, true); return;
  default: return;
  }
}

} // namespace ia64sim
