// SPDX-License-Identifier: Apache-2.0
// The L+X instructions (formats X1-X5), which fill slots 1 and 2 of an MLX bundle: movl, long branch and
// call, and the 62-bit nop, hint and break. Volume 3, section 4.7 "X-Unit Instruction Encodings".
#include "fields.hpp"

namespace ia64sim {

void decode_x(Instruction& in, std::uint64_t address) {
  const std::uint64_t s = in.bits, l = in.immediate_l;
  Builder b{in};
  switch (major_opcode(s)) {
  case 0: { // X1 break.x, X5 nop.x / hint.x: imm62 = L:i:imm20a
    const unsigned x3 = static_cast<unsigned>(field(s, 33, 3)), x6 = static_cast<unsigned>(field(s, 27, 6));
    if (x3 != 0) return;
    const std::uint64_t imm62 = (l << 21) | (std::uint64_t{sign_bit(s)} << 20) | field(s, 6, 20);
    if (x6 == 0)
      b.op("break.x").src(hex(imm62));
    else if (x6 == 1)
      b.op(field(s, 26, 1) != 0 ? "hint.x" : "nop.x").src(hex(imm62));
    return;
  }
  case 6: { // X2 movl: imm64 = i:L:ic:imm5c:imm9d:imm7b
    if (field(s, 20, 1) != 0) return;
    const std::uint64_t imm64 = (std::uint64_t{sign_bit(s)} << 63) | (l << 22) | (field(s, 21, 1) << 21) |
                                (field(s, 22, 5) << 16) | (field(s, 27, 9) << 7) | field(s, 13, 7);
    b.op("movl").dst(gr(r1_field(s))).src(hex(imm64));
    return;
  }
  case 12:
  case 13: { // X3 brl, X4 brl.call: target = ip + (i:imm39:imm20b) * 16
    static constexpr const char* whether[4] = {".sptk", ".spnt", ".dptk", ".dpnt"};
    std::string c = whether[field(s, 33, 2)];
    c += field(s, 12, 1) != 0 ? ".many" : ".few";
    if (field(s, 35, 1) != 0) c += ".clr";
    const std::uint64_t offset = ((std::uint64_t{sign_bit(s)} << 59) | (field(l, 2, 39) << 20) | field(s, 13, 20)) << 4;
    if (major_opcode(s) == 12) {
      if (field(s, 6, 3) != 0) return;
      // As with br: unpredicated and static-taken is the plain "brl".
      if (in.qp == 0 && field(s, 33, 2) == 0)
        b.op("brl" + c.substr(5)).src(target(address + offset));
      else
        b.op("brl.cond" + c).src(target(address + offset));
    } else {
      b.op("brl.call" + c).dst(br(static_cast<unsigned>(field(s, 6, 3)))).src(target(address + offset));
    }
    return;
  }
  default: return;
  }
}

} // namespace ia64sim
