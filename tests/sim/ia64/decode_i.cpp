// SPDX-License-Identifier: Apache-2.0
// The I-unit instructions (formats I1-I30): multimedia multiply, shift and mix (opcode 7), deposit
// (opcode 4), shift, extract and test bit (opcode 5), and the miscellaneous group (opcode 0: moves to
// and from branch, application and predicate registers, sign and zero extension, chk.s.i, nop, break).
// Volume 3, section 4.3 "I-Unit Instruction Encodings", tables 4-16 to 4-26.
#include "fields.hpp"

namespace ia64sim {
namespace {

// Opcode 7: za 36, x2a 35:34, zb 33, ve 32, x2c 31:30, x2b 29:28.
void multimedia(Instruction& in) {
  const std::uint64_t s = in.bits;
  if (field(s, 32, 1) != 0) return;
  const unsigned za = sign_bit(s), x2a = static_cast<unsigned>(field(s, 34, 2));
  const unsigned zb = static_cast<unsigned>(field(s, 33, 1));
  const unsigned x2c = static_cast<unsigned>(field(s, 30, 2)), x2b = static_cast<unsigned>(field(s, 28, 2));
  const unsigned r1 = r1_field(s), r2 = r2_field(s), r3 = r3_field(s);
  Builder b{in};
  const auto key = [](unsigned a, unsigned x2a_, unsigned bz, unsigned c, unsigned x2b_) {
    return (a << 7) | (x2a_ << 5) | (bz << 4) | (c << 2) | x2b_;
  };
  if (za == 0 && x2a == 0 && zb == 1 && (x2b == 1 || x2b == 3)) { // I1: the count is in x2c's place
    static constexpr int counts[] = {0, 7, 15, 16};
    b.op(x2b == 3 ? "pmpyshr2" : "pmpyshr2.u").dst(gr(r1)).src(gr(r2)).src(gr(r3)).src(imm(counts[x2c]));
    return;
  }
  struct Form {
    unsigned key;
    const char* mnemonic;
    char format; // '2' r1=r2,r3  '5' r1=r3,r2  '6' r1=r3,count5  '8' r1=r2,count5  '9' r1=r3  'm' mux1  'h' mux2
  };
  static constexpr Form forms[] = {
      {key(0, 0, 1, 0, 2), "pshr2", '5'},     {key(0, 0, 1, 0, 0), "pshr2.u", '5'},
      {key(1, 0, 0, 0, 2), "pshr4", '5'},     {key(1, 0, 0, 0, 0), "pshr4.u", '5'},
      {key(1, 0, 1, 0, 2), "shr", '5'},       {key(1, 0, 1, 0, 0), "shr.u", '5'},
      {key(0, 0, 1, 1, 0), "pshl2", '2'},     {key(1, 0, 0, 1, 0), "pshl4", '2'},
      {key(1, 0, 1, 1, 0), "shl", '2'},       {key(0, 1, 1, 0, 3), "pshr2", '6'},
      {key(0, 1, 1, 0, 1), "pshr2.u", '6'},   {key(1, 1, 0, 0, 3), "pshr4", '6'},
      {key(1, 1, 0, 0, 1), "pshr4.u", '6'},   {key(0, 1, 1, 2, 1), "popcnt", '9'},
      {key(0, 1, 1, 3, 1), "clz", '9'},       {key(0, 2, 1, 3, 1), "pmpy2.r", '2'},
      {key(0, 2, 1, 3, 3), "pmpy2.l", '2'},   {key(0, 2, 0, 2, 0), "mix1.r", '2'},
      {key(0, 2, 1, 2, 0), "mix2.r", '2'},    {key(1, 2, 0, 2, 0), "mix4.r", '2'},
      {key(0, 2, 0, 2, 2), "mix1.l", '2'},    {key(0, 2, 1, 2, 2), "mix2.l", '2'},
      {key(1, 2, 0, 2, 2), "mix4.l", '2'},    {key(0, 2, 1, 0, 0), "pack2.uss", '2'},
      {key(0, 2, 1, 0, 2), "pack2.sss", '2'}, {key(1, 2, 0, 0, 2), "pack4.sss", '2'},
      {key(0, 2, 0, 1, 0), "unpack1.h", '2'}, {key(0, 2, 1, 1, 0), "unpack2.h", '2'},
      {key(1, 2, 0, 1, 0), "unpack4.h", '2'}, {key(0, 2, 0, 1, 2), "unpack1.l", '2'},
      {key(0, 2, 1, 1, 2), "unpack2.l", '2'}, {key(1, 2, 0, 1, 2), "unpack4.l", '2'},
      {key(0, 2, 0, 0, 1), "pmin1.u", '2'},   {key(0, 2, 0, 1, 1), "pmax1.u", '2'},
      {key(0, 2, 1, 0, 3), "pmin2", '2'},     {key(0, 2, 1, 1, 3), "pmax2", '2'},
      {key(0, 2, 0, 2, 3), "psad1", '2'},     {key(0, 3, 0, 2, 2), "mux1", 'm'},
      {key(0, 3, 1, 2, 2), "mux2", 'h'},      {key(0, 3, 1, 1, 1), "pshl2", '8'},
      {key(1, 3, 0, 1, 1), "pshl4", '8'},     {key(1, 0, 0, 3, 1), "mpy4", '2'},
      {key(1, 0, 0, 3, 3), "mpyshl4", '2'},
  };
  const unsigned k = key(za, x2a, zb, x2c, x2b);
  for (const Form& f : forms) {
    if (f.key != k) continue;
    b.op(f.mnemonic).dst(gr(r1));
    switch (f.format) {
    case '2': b.src(gr(r2)).src(gr(r3)); break;
    case '5': b.src(gr(r3)).src(gr(r2)); break;
    case '6': b.src(gr(r3)).src(imm(static_cast<std::int64_t>(field(s, 14, 5)))); break;
    case '8': b.src(gr(r2)).src(imm(31 - static_cast<std::int64_t>(field(s, 20, 5)))); break;
    case '9': b.src(gr(r3)); break;
    case 'm': {
      static constexpr const char* permutations[16] = {"@brcst", nullptr, nullptr, nullptr, nullptr, nullptr,
                                                       nullptr,  nullptr, "@mix",  "@shuf", "@alt",  "@rev"};
      const char* p = permutations[field(s, 20, 4)];
      b.src(gr(r2));
      if (p == nullptr)
        b.src(hex(field(s, 20, 4)));
      else
        b.src(name(p));
      break;
    }
    case 'h': b.src(gr(r2)).src(hex(field(s, 20, 8))); break;
    }
    return;
  }
}

// Opcode 5: x2 35:34, x 33.
void shift_test(Instruction& in) {
  const std::uint64_t s = in.bits;
  const unsigned x2 = static_cast<unsigned>(field(s, 34, 2)), x = static_cast<unsigned>(field(s, 33, 1));
  const unsigned r1 = r1_field(s), r2 = r2_field(s), r3 = r3_field(s);
  Builder b{in};
  if (x2 == 0) { // I16 tbit, I17 tnat, I30 tf: bit 36 .and, bit 33 .or, both .or.andcm; c (12) .unc or .nz
    const unsigned and_bit = sign_bit(s), c = static_cast<unsigned>(field(s, 12, 1));
    static constexpr const char* completers[2][2][2] = {
        {{".z", ".z.unc"}, {".z.or", ".nz.or"}},
        {{".z.and", ".nz.and"}, {".z.or.andcm", ".nz.or.andcm"}},
    };
    const std::string completer = completers[and_bit][x][c];
    const unsigned p1 = p1_field(s), p2 = p2_field(s);
    if (field(s, 13, 1) == 0) {
      b.op("tbit" + completer).dst(pr(p1)).dst(pr(p2)).src(gr(r3)).src(imm(static_cast<std::int64_t>(field(s, 14, 6))));
    } else if (field(s, 19, 1) == 0) {
      b.op("tnat" + completer).dst(pr(p1)).dst(pr(p2)).src(gr(r3));
    } else {
      b.op("tf" + completer).dst(pr(p1)).dst(pr(p2)).src(imm(32 + static_cast<std::int64_t>(field(s, 14, 5))));
    }
    return;
  }
  const unsigned len = static_cast<unsigned>(field(s, 27, 6)) + 1;
  if (x2 == 1 && x == 0) { // I11 extr; extr with pos + len = 64 is the shift right
    const unsigned pos = static_cast<unsigned>(field(s, 14, 6));
    const bool is_signed = field(s, 13, 1) != 0;
    if (pos + len == 64)
      b.op(is_signed ? "shr" : "shr.u").dst(gr(r1)).src(gr(r3)).src(imm(pos));
    else
      b.op(is_signed ? "extr" : "extr.u").dst(gr(r1)).src(gr(r3)).src(imm(pos)).src(imm(len));
    return;
  }
  if (x2 == 1 && x == 1) { // I12, I13 dep.z; dep.z with pos + len = 64 is the shift left
    const unsigned pos = 63 - static_cast<unsigned>(field(s, 20, 6));
    if (field(s, 26, 1) == 0) {
      if (pos + len == 64)
        b.op("shl").dst(gr(r1)).src(gr(r2)).src(imm(pos));
      else
        b.op("dep.z").dst(gr(r1)).src(gr(r2)).src(imm(pos)).src(imm(len));
    } else {
      const std::int64_t imm8 = sign_extend((std::uint64_t{sign_bit(s)} << 7) | field(s, 13, 7), 8);
      b.op("dep.z").dst(gr(r1)).src(imm(imm8)).src(imm(pos)).src(imm(len));
    }
    return;
  }
  if (x2 == 3 && x == 0) { // I10
    b.op("shrp").dst(gr(r1)).src(gr(r2)).src(gr(r3)).src(imm(static_cast<std::int64_t>(field(s, 27, 6))));
    return;
  }
  if (x2 == 3 && x == 1) { // I14: dep r1 = imm1, r3, pos, len
    const unsigned pos = 63 - static_cast<unsigned>(field(s, 14, 6));
    b.op("dep").dst(gr(r1)).src(imm(sign_bit(s) != 0 ? -1 : 0)).src(gr(r3)).src(imm(pos)).src(imm(len));
  }
}

const char* const branch_hints[4] = {".sptk", "", ".dptk", nullptr};

// Opcode 0: x3 35:33, x6 32:27.
void misc(Instruction& in, std::uint64_t address) {
  const std::uint64_t s = in.bits;
  const unsigned x3 = static_cast<unsigned>(field(s, 33, 3)), x6 = static_cast<unsigned>(field(s, 27, 6));
  const unsigned r1 = r1_field(s), r2 = r2_field(s), r3 = r3_field(s);
  Builder b{in};
  switch (x3) {
  case 1: { // I20 chk.s.i
    const std::int64_t offset =
        sign_extend((std::uint64_t{sign_bit(s)} << 20) | (field(s, 20, 13) << 7) | field(s, 6, 7), 21);
    b.op("chk.s.i").src(gr(r2)).src(target(address + static_cast<std::uint64_t>(offset * 16)));
    return;
  }
  case 2: { // I24 mov pr.rot = imm44
    const std::int64_t imm44 = sign_extend((std::uint64_t{sign_bit(s)} << 43) | (field(s, 6, 27) << 16), 44);
    b.op("mov").dst(name("pr.rot")).src(hex(static_cast<std::uint64_t>(imm44)));
    return;
  }
  case 3: { // I23 mov pr = r2, mask17
    const std::int64_t mask =
        sign_extend((std::uint64_t{sign_bit(s)} << 16) | (field(s, 24, 8) << 8) | (field(s, 6, 7) << 1), 17);
    b.op("mov").dst(name("pr")).src(gr(r2)).src(hex(static_cast<std::uint64_t>(mask)));
    return;
  }
  case 7: { // I21 mov b1 = r2 with hints
    const unsigned wh = static_cast<unsigned>(field(s, 20, 2));
    if (branch_hints[wh] == nullptr) return;
    std::string m = field(s, 22, 1) != 0 ? "mov.ret" : "mov";
    m += branch_hints[wh];
    if (field(s, 23, 1) != 0) m += ".imp";
    b.op(m).dst(br(static_cast<unsigned>(field(s, 6, 3)))).src(gr(r2));
    const std::int64_t tag = sign_extend(field(s, 24, 9), 9);
    if (wh != 1 || field(s, 23, 1) != 0 || field(s, 22, 1) != 0)
      b.src(target(address + static_cast<std::uint64_t>(tag * 16)));
    return;
  }
  case 0: break;
  default: return;
  }
  switch (x6) {
  case 0x00: b.op("break.i").src(hex(imm21(s))); return;
  case 0x01: b.op(field(s, 26, 1) != 0 ? "hint.i" : "nop.i").src(hex(imm21(s))); return;
  case 0x0a: { // I27
    const std::int64_t imm8 = sign_extend((std::uint64_t{sign_bit(s)} << 7) | field(s, 13, 7), 8);
    b.op("mov.i").dst(ar(r3)).src(imm(imm8));
    return;
  }
  case 0x10: b.op("zxt1").dst(gr(r1)).src(gr(r3)); return;
  case 0x11: b.op("zxt2").dst(gr(r1)).src(gr(r3)); return;
  case 0x12: b.op("zxt4").dst(gr(r1)).src(gr(r3)); return;
  case 0x14: b.op("sxt1").dst(gr(r1)).src(gr(r3)); return;
  case 0x15: b.op("sxt2").dst(gr(r1)).src(gr(r3)); return;
  case 0x16: b.op("sxt4").dst(gr(r1)).src(gr(r3)); return;
  case 0x18: b.op("czx1.l").dst(gr(r1)).src(gr(r3)); return;
  case 0x19: b.op("czx2.l").dst(gr(r1)).src(gr(r3)); return;
  case 0x1c: b.op("czx1.r").dst(gr(r1)).src(gr(r3)); return;
  case 0x1d: b.op("czx2.r").dst(gr(r1)).src(gr(r3)); return;
  case 0x2a: b.op("mov.i").dst(ar(r3)).src(gr(r2)); return;   // I26
  case 0x30: b.op("mov").dst(gr(r1)).src(name("ip")); return; // I25
  case 0x31: b.op("mov").dst(gr(r1)).src(br(r2 & 7)); return; // I22
  case 0x32: b.op("mov.i").dst(gr(r1)).src(ar(r3)); return;   // I28
  case 0x33: b.op("mov").dst(gr(r1)).src(name("pr")); return; // I25
  default: return;
  }
}

} // namespace

void decode_i(Instruction& in, std::uint64_t address) {
  const std::uint64_t s = in.bits;
  switch (major_opcode(s)) {
  case 0: misc(in, address); return;
  case 4: { // I15: dep r1 = r2, r3, pos6, len4
    const unsigned pos = 63 - static_cast<unsigned>(field(s, 31, 6));
    const unsigned len = static_cast<unsigned>(field(s, 27, 4)) + 1;
    Builder{in}.op("dep").dst(gr(r1_field(s))).src(gr(r2_field(s))).src(gr(r3_field(s))).src(imm(pos)).src(imm(len));
    return;
  }
  case 5: shift_test(in); return;
  case 7: multimedia(in); return;
  default: return;
  }
}

} // namespace ia64sim
