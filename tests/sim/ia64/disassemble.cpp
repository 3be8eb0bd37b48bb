// SPDX-License-Identifier: Apache-2.0
#include "disassemble.hpp"

#include <cstdio>

namespace ia64sim {
namespace {

// Application register names (volume 1, section 3.1.8, table 3-3); the others are written ar<n>.
const char* ar_name(unsigned n) {
  switch (n) {
  case 0: return "ar.k0";
  case 1: return "ar.k1";
  case 2: return "ar.k2";
  case 3: return "ar.k3";
  case 4: return "ar.k4";
  case 5: return "ar.k5";
  case 6: return "ar.k6";
  case 7: return "ar.k7";
  case 16: return "ar.rsc";
  case 17: return "ar.bsp";
  case 18: return "ar.bspstore";
  case 19: return "ar.rnat";
  case 21: return "ar.fcr";
  case 24: return "ar.eflag";
  case 25: return "ar.csd";
  case 26: return "ar.ssd";
  case 27: return "ar.cflg";
  case 28: return "ar.fsr";
  case 29: return "ar.fir";
  case 30: return "ar.fdr";
  case 32: return "ar.ccv";
  case 36: return "ar.unat";
  case 40: return "ar.fpsr";
  case 44: return "ar.itc";
  case 45: return "ar.ruc";
  case 64: return "ar.pfs";
  case 65: return "ar.lc";
  case 66: return "ar.ec";
  default: return nullptr;
  }
}

// Control register names (volume 2, section 3.3, table 3-3); the others are written cr<n>.
const char* cr_name(unsigned n) {
  switch (n) {
  case 0: return "cr.dcr";
  case 1: return "cr.itm";
  case 2: return "cr.iva";
  case 8: return "cr.pta";
  case 16: return "cr.ipsr";
  case 17: return "cr.isr";
  case 19: return "cr.iip";
  case 20: return "cr.ifa";
  case 21: return "cr.itir";
  case 22: return "cr.iipa";
  case 23: return "cr.ifs";
  case 24: return "cr.iim";
  case 25: return "cr.iha";
  case 26: return "cr.iib0";
  case 27: return "cr.iib1";
  case 64: return "cr.lid";
  case 65: return "cr.ivr";
  case 66: return "cr.tpr";
  case 67: return "cr.eoi";
  case 68: return "cr.irr0";
  case 69: return "cr.irr1";
  case 70: return "cr.irr2";
  case 71: return "cr.irr3";
  case 72: return "cr.itv";
  case 73: return "cr.pmv";
  case 74: return "cr.cmcv";
  case 80: return "cr.lrr0";
  case 81: return "cr.lrr1";
  default: return nullptr;
  }
}

std::string format(const char* f, unsigned long long v) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, f, v);
  return buffer;
}

std::string operand_text(const Operand& o) {
  const auto n = static_cast<unsigned>(o.value);
  switch (o.kind) {
  case Operand::Kind::gr: return "r" + std::to_string(n);
  case Operand::Kind::fr: return "f" + std::to_string(n);
  case Operand::Kind::pr: return "p" + std::to_string(n);
  case Operand::Kind::br: return "b" + std::to_string(n);
  case Operand::Kind::ar: {
    const char* name = ar_name(n);
    return name != nullptr ? name : "ar" + std::to_string(n);
  }
  case Operand::Kind::cr: {
    const char* name = cr_name(n);
    return name != nullptr ? name : "cr" + std::to_string(n);
  }
  case Operand::Kind::imm: return std::to_string(o.value);
  case Operand::Kind::hex: return format("0x%llx", static_cast<unsigned long long>(o.value));
  case Operand::Kind::memory: return "[r" + std::to_string(n) + "]";
  case Operand::Kind::indexed: return std::string(o.text) + "[r" + std::to_string(n) + "]";
  case Operand::Kind::name: return o.text;
  case Operand::Kind::target: return format("0x%llx", static_cast<unsigned long long>(o.value));
  }
  return {};
}

} // namespace

std::string instruction_text(const Instruction& in) {
  if (!in.valid) {
    // objdump writes the slot as its high and low 32 bits, the low ones zero-padded.
    char buffer[40];
    std::snprintf(buffer, sizeof buffer, "data8 0x%llx%08llx", static_cast<unsigned long long>(in.bits >> 32),
                  static_cast<unsigned long long>(in.bits & 0xffffffff));
    return buffer;
  }
  std::string text = in.mnemonic;
  if (in.dst_count + in.src_count == 0) return text;
  text += ' ';
  for (unsigned i = 0; i < in.dst_count; ++i) text += (i != 0 ? "," : "") + operand_text(in.dst[i]);
  if (in.dst_count != 0) text += '=';
  for (unsigned i = 0; i < in.src_count; ++i) text += (i != 0 ? "," : "") + operand_text(in.src[i]);
  return text;
}

std::vector<Line> disassemble_bundle(const Bundle& bundle, std::uint64_t address) {
  static constexpr char unit_letters[] = {'M', 'I', 'F', 'B', 'L'};
  const unsigned t = bundle.template_field();
  const Template& info = template_info(t);
  std::string name;
  if (!info.valid) {
    name = format("[-%llx-]", t >> 1);
  } else {
    name = "[";
    for (unsigned i = 0; i < 3; ++i)
      name += info.units[i] == Unit::lx ? (i == 1 ? 'L' : 'X') : unit_letters[static_cast<int>(info.units[i])];
    name += "]";
  }
  std::vector<Line> lines;
  for (unsigned slot = 0; slot < 3; ++slot) {
    const Instruction in = decode(bundle, slot, address);
    const bool x_half = info.valid && info.units[slot] == Unit::lx && slot == 2;
    if (x_half) continue;
    std::string text = slot == 0 ? name + " " : "      ";
    text += in.valid && in.predicated && in.qp != 0 ? format("(p%02llu) ", in.qp) : "      ";
    text += instruction_text(in);
    const bool stop = info.stop_after[slot] || (info.valid && info.units[slot] == Unit::lx && info.stop_after[2]);
    if (stop && in.valid) text += ";;";
    lines.push_back({address + slot * 6, text});
  }
  return lines;
}

} // namespace ia64sim
