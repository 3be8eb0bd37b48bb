// SPDX-License-Identifier: Apache-2.0
// The B-unit instructions (formats B1-B9): IP-relative and indirect branches and calls, branch predict,
// and the miscellaneous group (cover, clrrrb, rfi, bsw, epc, vmsw, break, nop). Volume 3, section 4.5
// "B-Unit Instruction Encodings", tables 4-47 to 4-56.
#include "fields.hpp"

namespace ia64sim {
namespace {

// Branch completers: whether hint (wh), prefetch hint (p) and cache deallocation hint (d).
const char* const whether_hints[4] = {".sptk", ".spnt", ".dptk", ".dpnt"};
const char* const prefetch_hints[2] = {".few", ".many"};

std::string branch_completers(std::uint64_t s) {
  std::string c = whether_hints[field(s, 33, 2)];
  c += prefetch_hints[field(s, 12, 1)];
  if (field(s, 35, 1) != 0) c += ".clr";
  return c;
}

std::uint64_t relative_target(std::uint64_t s, std::uint64_t address) {
  const std::int64_t offset = sign_extend((std::uint64_t{sign_bit(s)} << 20) | field(s, 13, 20), 21);
  return address + static_cast<std::uint64_t>(offset * 16);
}

// B7 and B6's tag: where the branch whose target is predicted is.
std::uint64_t predict_tag(std::uint64_t s, std::uint64_t address) {
  const std::int64_t offset = sign_extend((field(s, 33, 2) << 7) | field(s, 6, 7), 9);
  return address + static_cast<std::uint64_t>(offset * 16);
}

void misc(Instruction& in) { // opcode 0, x6 32:27
  const std::uint64_t s = in.bits;
  const unsigned x6 = static_cast<unsigned>(field(s, 27, 6));
  const unsigned btype = static_cast<unsigned>(field(s, 6, 3));
  Builder b{in};
  switch (x6) {
  case 0x00: b.op("break.b").src(hex(imm21(s))); return;
  case 0x02:
    in.predicated = false;
    b.op("cover");
    return;
  case 0x04:
    in.predicated = false;
    b.op("clrrrb");
    return;
  case 0x05:
    in.predicated = false;
    b.op("clrrrb.pr");
    return;
  case 0x08:
    in.predicated = false;
    b.op("rfi");
    return;
  case 0x0c:
    in.predicated = false;
    b.op("bsw.0");
    return;
  case 0x0d:
    in.predicated = false;
    b.op("bsw.1");
    return;
  case 0x10:
    in.predicated = false;
    b.op("epc");
    return;
  case 0x18:
    in.predicated = false;
    b.op("vmsw.0");
    return;
  case 0x19:
    in.predicated = false;
    b.op("vmsw.1");
    return;
  case 0x20:                                                // B4
    if (btype == 0 && in.qp == 0 && field(s, 33, 2) == 0) { // as for IP-relative branches, the plain "br"
      std::string c = prefetch_hints[field(s, 12, 1)];
      if (field(s, 35, 1) != 0) c += ".clr";
      b.op("br" + c).src(br(r2_field(s) & 7));
    } else if (btype == 0) {
      b.op("br.cond" + branch_completers(s)).src(br(r2_field(s) & 7));
    } else if (btype == 1)
      b.op("br.ia" + branch_completers(s)).src(br(r2_field(s) & 7));
    return;
  case 0x21:
    if (btype == 4) b.op("br.ret" + branch_completers(s)).src(br(r2_field(s) & 7));
    return;
  default: return;
  }
}

void predict_indirect(Instruction& in, std::uint64_t address) { // opcode 2: B7 and nop.b, hint.b
  const std::uint64_t s = in.bits;
  const unsigned x6 = static_cast<unsigned>(field(s, 27, 6));
  Builder b{in};
  if (x6 == 0x00) {
    b.op("nop.b").src(hex(imm21(s)));
    return;
  }
  if (x6 == 0x01) {
    b.op("hint.b").src(hex(imm21(s)));
    return;
  }
  if (x6 != 0x10 && x6 != 0x11) return;
  static constexpr const char* hints[4] = {".sptk", nullptr, ".dptk", nullptr};
  const char* wh = hints[field(s, 3, 2)];
  if (wh == nullptr) return;
  in.predicated = false;
  std::string m = x6 == 0x11 ? "brp.ret" : "brp";
  m += wh;
  if (field(s, 35, 1) != 0) m += ".imp";
  b.op(m).src(br(r2_field(s) & 7)).src(target(predict_tag(s, address)));
}

} // namespace

void decode_b(Instruction& in, std::uint64_t address) {
  const std::uint64_t s = in.bits;
  const unsigned btype = static_cast<unsigned>(field(s, 6, 3));
  Builder b{in};
  switch (major_opcode(s)) {
  case 0: misc(in); return;
  case 1: // B5
    if (field(s, 32, 1) == 0) return;
    b.op("br.call" + branch_completers(s)).dst(br(btype)).src(br(r2_field(s) & 7));
    return;
  case 2: predict_indirect(in, address); return;
  case 4: { // B1, B2
    static constexpr const char* types[8] = {"br.cond", nullptr,    "br.wexit", "br.wtop",
                                             nullptr,   "br.cloop", "br.cexit", "br.ctop"};
    if (types[btype] == nullptr) return;
    // The counted and modulo-scheduled loop branches do not test a qualifying predicate.
    in.predicated = btype < 5;
    // An unpredicated static-taken conditional branch is written as the plain "br".
    if (btype == 0 && in.qp == 0 && field(s, 33, 2) == 0) {
      std::string c = prefetch_hints[field(s, 12, 1)];
      if (field(s, 35, 1) != 0) c += ".clr";
      b.op("br" + c).src(target(relative_target(s, address)));
      return;
    }
    b.op(types[btype] + branch_completers(s)).src(target(relative_target(s, address)));
    return;
  }
  case 5: // B3
    b.op("br.call" + branch_completers(s)).dst(br(btype)).src(target(relative_target(s, address)));
    return;
  case 7: { // B6
    static constexpr const char* hints[4] = {".sptk", ".loop", ".dptk", ".exit"};
    in.predicated = false;
    std::string m = std::string("brp") + hints[field(s, 3, 2)];
    if (field(s, 35, 1) != 0) m += ".imp";
    b.op(m).src(target(relative_target(s, address))).src(target(predict_tag(s, address)));
    return;
  }
  default: return;
  }
}

} // namespace ia64sim
