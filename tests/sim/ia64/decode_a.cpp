// SPDX-License-Identifier: Apache-2.0
// The A-unit instructions, which both M and I slots hold: integer ALU (formats A1-A5), compares (A6-A8)
// and multimedia ALU (A9, A10). Volume 3, section 4.2 "A-Unit Instruction Encodings", tables 4-8 to 4-15.
#include "fields.hpp"

namespace ia64sim {
namespace {

// Opcode 8's ALU/multimedia fields: x2a 35:34, ve 33, x4 32:29, x2b 28:27.
void alu(Instruction& in) {
  const std::uint64_t s = in.bits;
  const unsigned x2a = static_cast<unsigned>(field(s, 34, 2));
  const unsigned ve = static_cast<unsigned>(field(s, 33, 1));
  const unsigned x4 = static_cast<unsigned>(field(s, 29, 4));
  const unsigned x2b = static_cast<unsigned>(field(s, 27, 2));
  const unsigned r1 = r1_field(s), r2 = r2_field(s), r3 = r3_field(s);
  Builder b{in};
  if (x2a == 2 || x2a == 3) { // A4: adds / addp4 r1 = imm14, r3
    if (ve != 0) return;
    const std::int64_t imm14 =
        sign_extend((std::uint64_t{sign_bit(s)} << 13) | (field(s, 27, 6) << 7) | field(s, 13, 7), 14);
    if (x2a == 2 && imm14 == 0)
      b.op("mov").dst(gr(r1)).src(gr(r3));
    else
      b.op(x2a == 2 ? "adds" : "addp4").dst(gr(r1)).src(imm(imm14)).src(gr(r3));
    return;
  }
  if (x2a == 0) {
    if (ve != 0) return;
    const std::int64_t imm8 = sign_extend((std::uint64_t{sign_bit(s)} << 7) | field(s, 13, 7), 8);
    static constexpr const char* logical[] = {"and", "andcm", "or", "xor"};
    switch (x4) {
    case 0: // A1
      b.op("add").dst(gr(r1)).src(gr(r2)).src(gr(r3));
      if (x2b == 1)
        b.src(imm(1));
      else if (x2b != 0)
        in.valid = false;
      return;
    case 1:
      b.op("sub").dst(gr(r1)).src(gr(r2)).src(gr(r3));
      if (x2b == 0)
        b.src(imm(1));
      else if (x2b != 1)
        in.valid = false;
      return;
    case 2:
      if (x2b == 0) b.op("addp4").dst(gr(r1)).src(gr(r2)).src(gr(r3));
      return;
    case 3: b.op(logical[x2b]).dst(gr(r1)).src(gr(r2)).src(gr(r3)); return;
    case 4: // A2
    case 6: b.op(x4 == 4 ? "shladd" : "shladdp4").dst(gr(r1)).src(gr(r2)).src(imm(x2b + 1)).src(gr(r3)); return;
    case 9: // A3
      if (x2b == 1) b.op("sub").dst(gr(r1)).src(imm(imm8)).src(gr(r3));
      return;
    case 11: b.op(logical[x2b]).dst(gr(r1)).src(imm(imm8)).src(gr(r3)); return;
    default: return;
    }
  }
  // x2a 1: multimedia ALU (A9, A10); za (bit 36) and zb (bit 33, which is ve's place) give the size.
  const unsigned za = sign_bit(s);
  const unsigned zb = ve;
  const unsigned size = za == 0 ? (zb == 0 ? 1 : 2) : (zb == 0 ? 4 : 0);
  if (size == 0) return;
  const std::string n = std::to_string(size);
  static constexpr const char* saturation[] = {"", ".sss", ".uuu", ".uus"};
  switch (x4) {
  case 0:
  case 1:
    if (size == 4 && x2b != 0) return;
    b.op((x4 == 0 ? "padd" : "psub") + n + saturation[x2b]).dst(gr(r1)).src(gr(r2)).src(gr(r3));
    return;
  case 2:
    if (size == 4 || x2b < 2) return;
    b.op("pavg" + n + (x2b == 3 ? ".raz" : "")).dst(gr(r1)).src(gr(r2)).src(gr(r3));
    return;
  case 3:
    if (size == 4 || x2b != 2) return;
    b.op("pavgsub" + n).dst(gr(r1)).src(gr(r2)).src(gr(r3));
    return;
  case 9:
    if (x2b > 1) return;
    b.op("pcmp" + n + (x2b == 0 ? ".eq" : ".gt")).dst(gr(r1)).src(gr(r2)).src(gr(r3));
    return;
  case 4:
  case 6:
    if (size != 2) return;
    b.op(x4 == 4 ? "pshladd2" : "pshradd2").dst(gr(r1)).src(gr(r2)).src(imm(x2b + 1)).src(gr(r3));
    return;
  default: return;
  }
}

// Opcodes C, D, E: compares. tb 36, x2 35:34, ta 33, c 12.
void compare(Instruction& in) {
  const std::uint64_t s = in.bits;
  const unsigned op = major_opcode(s);
  const unsigned x2 = static_cast<unsigned>(field(s, 34, 2));
  const unsigned ta = static_cast<unsigned>(field(s, 33, 1));
  const unsigned c = static_cast<unsigned>(field(s, 12, 1));
  const unsigned tb = sign_bit(s);
  const unsigned p1 = p1_field(s), p2 = p2_field(s), r2 = r2_field(s), r3 = r3_field(s);
  // Table 4-11: [opcode - C][ta][c] for the register and immediate forms...
  static constexpr const char* relation[3][2][2] = {
      {{"lt", "lt.unc"}, {"eq.and", "ne.and"}},
      {{"ltu", "ltu.unc"}, {"eq.or", "ne.or"}},
      {{"eq", "eq.unc"}, {"eq.or.andcm", "ne.or.andcm"}},
  };
  // ...and [ta][c] with tb 1 (A7: against r0), the parallel relation is in the completer's first part.
  static constexpr const char* against_zero[2][2] = {{"gt", "le"}, {"ge", "lt"}};
  static constexpr const char* parallel[3] = {".and", ".or", ".or.andcm"};
  const std::string size = (x2 & 1) != 0 ? "cmp4." : "cmp.";
  Builder b{in};
  if (x2 >= 2) { // A8: imm8 = s:imm7b, where s is tb's place
    const std::int64_t imm8 = sign_extend((std::uint64_t{tb} << 7) | field(s, 13, 7), 8);
    b.op(size + relation[op - 12][ta][c]).dst(pr(p1)).dst(pr(p2)).src(imm(imm8)).src(gr(r3));
    return;
  }
  if (tb == 0) {
    b.op(size + relation[op - 12][ta][c]).dst(pr(p1)).dst(pr(p2)).src(gr(r2)).src(gr(r3));
    return;
  }
  b.op(size + against_zero[ta][c] + parallel[op - 12]).dst(pr(p1)).dst(pr(p2)).src(gr(0)).src(gr(r3));
}

} // namespace

void decode_a(Instruction& in) {
  const std::uint64_t s = in.bits;
  switch (major_opcode(s)) {
  case 8: alu(in); return;
  case 9: { // A5: addl r1 = imm22, r3 (r3 in 0..3)
    const std::int64_t imm22 = sign_extend(
        (std::uint64_t{sign_bit(s)} << 21) | (field(s, 22, 5) << 16) | (field(s, 27, 9) << 7) | field(s, 13, 7), 22);
    const unsigned r3 = static_cast<unsigned>(field(s, 20, 2));
    Builder b{in};
    if (r3 == 0)
      b.op("mov").dst(gr(r1_field(s))).src(imm(imm22));
    else
      b.op("addl").dst(gr(r1_field(s))).src(imm(imm22)).src(gr(r3));
    return;
  }
  case 12:
  case 13:
  case 14: compare(in); return;
  default: return;
  }
}

} // namespace ia64sim
