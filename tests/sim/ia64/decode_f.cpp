// SPDX-License-Identifier: Apache-2.0
// The F-unit instructions (formats F1-F16): multiply-add and its relatives (opcodes 8 to E), compares
// and classes (4, 5), and the miscellaneous groups (0, 1: reciprocal approximations, min and max,
// merges, logical operations, conversions, status-field control, nop, break). Volume 3, section 4.6
// "F-Unit Instruction Encodings", tables 4-59 to 4-68.
#include "fields.hpp"

namespace ia64sim {
namespace {

// The status field completer (sf 35:34); .s0 is the default and written as nothing.
const char* const status_fields[4] = {".s0", ".s1", ".s2", ".s3"};
std::string sf(std::uint64_t s) { return status_fields[field(s, 34, 2)]; }
unsigned f1_of(std::uint64_t s) { return r1_field(s); }
unsigned f2_of(std::uint64_t s) { return r2_field(s); }
unsigned f3_of(std::uint64_t s) { return r3_field(s); }

// Opcodes 0 and 1, x 33 clear: x6 32:27.
void misc(Instruction& in, std::uint64_t address, bool parallel) {
  const std::uint64_t s = in.bits;
  const unsigned x6 = static_cast<unsigned>(field(s, 27, 6));
  const unsigned f1 = f1_of(s), f2 = f2_of(s), f3 = f3_of(s);
  const std::string p = parallel ? "fp" : "f";
  Builder b{in};
  const auto two = [&](std::string m) { b.op(std::move(m)).dst(fr(f1)).src(fr(f2)).src(fr(f3)); };
  // The sign merges' special cases: copying (f2 = f3), absolute value and negation (f2 = f0).
  if ((x6 == 0x10 || x6 == 0x11) && (f2 == f3 || f2 == 0)) {
    if (x6 == 0x10 && f2 == 0)
      b.op(p + "abs").dst(fr(f1)).src(fr(f3));
    else if (x6 == 0x11 && f2 == 0)
      b.op(p + "negabs").dst(fr(f1)).src(fr(f3));
    else if (x6 == 0x11)
      b.op(p + "neg").dst(fr(f1)).src(fr(f3));
    else if (!parallel)
      b.op("mov").dst(fr(f1)).src(fr(f3));
    else
      two("fpmerge.s");
    return;
  }
  switch (x6) {
  case 0x10: two(p + "merge.s"); return;
  case 0x11: two(p + "merge.ns"); return;
  case 0x12: two(p + "merge.se"); return;
  case 0x14: two(p + "min" + sf(s)); return;
  case 0x15: two(p + "max" + sf(s)); return;
  case 0x16: two(p + "amin" + sf(s)); return;
  case 0x17: two(p + "amax" + sf(s)); return;
  case 0x18: b.op(p + "cvt.fx" + sf(s)).dst(fr(f1)).src(fr(f2)); return;
  case 0x19: b.op(p + "cvt.fxu" + sf(s)).dst(fr(f1)).src(fr(f2)); return;
  case 0x1a: b.op(p + "cvt.fx.trunc" + sf(s)).dst(fr(f1)).src(fr(f2)); return;
  case 0x1b: b.op(p + "cvt.fxu.trunc" + sf(s)).dst(fr(f1)).src(fr(f2)); return;
  default: break;
  }
  if (parallel) {
    static constexpr const char* relations[8] = {"eq", "lt", "le", "unord", "neq", "nlt", "nle", "ord"};
    if (x6 >= 0x30 && x6 <= 0x37) two(std::string("fpcmp.") + relations[x6 - 0x30] + sf(s));
    return;
  }
  switch (x6) {
  case 0x00: b.op("break.f").src(hex(imm21(s))); return;
  case 0x01: b.op(field(s, 26, 1) != 0 ? "hint.f" : "nop.f").src(hex(imm21(s))); return;
  case 0x04: // F12
    b.op("fsetc" + sf(s)).src(hex(field(s, 13, 7))).src(hex(field(s, 20, 7)));
    return;
  case 0x05: b.op("fclrf" + sf(s)); return;
  case 0x08: { // F14
    const std::int64_t offset = sign_extend((std::uint64_t{sign_bit(s)} << 20) | field(s, 6, 20), 21);
    b.op("fchkf" + sf(s)).src(target(address + static_cast<std::uint64_t>(offset * 16)));
    return;
  }
  case 0x1c: b.op("fcvt.xf").dst(fr(f1)).src(fr(f2)); return;
  case 0x28: two("fpack"); return;
  case 0x2c: two("fand"); return;
  case 0x2d: two("fandcm"); return;
  case 0x2e: two("for"); return;
  case 0x2f: two("fxor"); return;
  case 0x34: two("fswap"); return;
  case 0x35: two("fswap.nl"); return;
  case 0x36: two("fswap.nr"); return;
  case 0x39: two("fmix.lr"); return;
  case 0x3a: two("fmix.r"); return;
  case 0x3b: two("fmix.l"); return;
  case 0x3c: two("fsxt.r"); return;
  case 0x3d: two("fsxt.l"); return;
  default: return;
  }
}

// Opcodes 0 and 1 with x (33) set: F6 frcpa and F7 frsqrta (q, 36, chooses).
void reciprocal(Instruction& in, bool parallel) {
  const std::uint64_t s = in.bits;
  const std::string p = parallel ? "fp" : "f";
  Builder b{in};
  if (sign_bit(s) == 0) {
    b.op(p + "rcpa" + sf(s)).dst(fr(f1_of(s))).dst(pr(p2_field(s))).src(fr(f2_of(s))).src(fr(f3_of(s)));
  } else {
    b.op(p + "rsqrta" + sf(s)).dst(fr(f1_of(s))).dst(pr(p2_field(s))).src(fr(f3_of(s)));
  }
}

} // namespace

void decode_f(Instruction& in, std::uint64_t address) {
  const std::uint64_t s = in.bits;
  const unsigned op = major_opcode(s);
  const unsigned x = sign_bit(s); // F1's x (36): the single-precision or parallel variant
  const unsigned f1 = f1_of(s), f2 = f2_of(s), f3 = f3_of(s), f4 = f4_field(s);
  Builder b{in};
  switch (op) {
  case 0:
  case 1:
    if (field(s, 33, 1) != 0)
      reciprocal(in, op == 1);
    else
      misc(in, address, op == 1);
    return;
  case 4: { // F4 fcmp: ra 36, rb 33, ta 12
    static constexpr const char* relations[2][2] = {{"eq", "le"}, {"lt", "unord"}};
    std::string m = std::string("fcmp.") + relations[sign_bit(s)][field(s, 33, 1)];
    if (field(s, 12, 1) != 0) m += ".unc";
    b.op(m + sf(s)).dst(pr(p1_field(s))).dst(pr(p2_field(s))).src(fr(f2)).src(fr(f3));
    return;
  }
  case 5: { // F5 fclass: fclass9 = fclass7c (26:20) : fc2 (34:33)
    std::string m = "fclass.m";
    if (field(s, 12, 1) != 0) m += ".unc";
    b.op(m).dst(pr(p1_field(s))).dst(pr(p2_field(s))).src(fr(f2)).src(hex((field(s, 20, 7) << 2) | field(s, 33, 2)));
    return;
  }
  case 8:
  case 9:
  case 10:
  case 11:
  case 12:
  case 13: { // F1: x with the opcode gives the precision (.s, .d) or the parallel form
    static constexpr const char* bases[3] = {"ma", "ms", "nma"};
    const char* base = bases[(op - 8) / 2];
    std::string m;
    if ((op & 1) == 0)
      m = std::string("f") + base + (x != 0 ? ".s" : "");
    else
      m = x != 0 ? std::string("fp") + base : std::string("f") + base + ".d";
    // objdump's names for the special cases (volume 3, the pseudo-ops of fma, fms, fnma): a multiplier
    // of f1 adds or subtracts, an addend of f0 multiplies, and both normalize.
    const std::string precision = m.substr(m.find('.') == std::string::npos ? m.size() : m.find('.'));
    const bool parallel = (op & 1) != 0 && x != 0;
    const unsigned kind = (op - 8) / 2;
    if (kind == 0 && !parallel && f4 == 1 && f2 == 0) {
      b.op("fnorm" + precision + sf(s)).dst(fr(f1)).src(fr(f3));
    } else if (kind != 2 && !parallel && f4 == 1) {
      b.op((kind == 0 ? "fadd" : "fsub") + precision + sf(s)).dst(fr(f1)).src(fr(f3)).src(fr(f2));
    } else if (kind != 1 && f2 == 0) {
      const std::string product = kind == 0 ? "mpy" : "nmpy";
      b.op((parallel ? "fp" + product : "f" + product + precision) + sf(s)).dst(fr(f1)).src(fr(f3)).src(fr(f4));
    } else {
      b.op(m + sf(s)).dst(fr(f1)).src(fr(f3)).src(fr(f4)).src(fr(f2));
    }
    return;
  }
  case 14:
    if (x == 0) { // F3
      b.op("fselect").dst(fr(f1)).src(fr(f3)).src(fr(f4)).src(fr(f2));
    } else { // F2: x2 35:34
      static constexpr const char* kinds[4] = {"xma.l", nullptr, "xma.hu", "xma.h"};
      const char* k = kinds[field(s, 34, 2)];
      if (k == nullptr) return;
      if (f2 == 0)
        b.op(std::string("xmpy") + (k + 3)).dst(fr(f1)).src(fr(f3)).src(fr(f4));
      else
        b.op(k).dst(fr(f1)).src(fr(f3)).src(fr(f4)).src(fr(f2));
    }
    return;
  default: return;
  }
}

} // namespace ia64sim
