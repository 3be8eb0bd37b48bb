// SPDX-License-Identifier: Apache-2.0
// Which unit's decoder a slot goes to (volume 3, section 4.1: the template gives each slot's unit, and on
// the M and I units major opcodes 8 to 14 are the A-unit's, shared by both).
#include "fields.hpp"

namespace ia64sim {

Instruction decode(const Bundle& bundle, unsigned slot, std::uint64_t address) {
  const Template& t = template_info(bundle.template_field());
  Instruction in;
  in.unit = t.units[slot];
  in.bits = bundle.slot(slot);
  if (!t.valid) return in;
  if (in.unit == Unit::lx) {
    if (slot == 2) {
      in.valid = true; // the X half: decoded with slot 1
      return in;
    }
    in.immediate_l = in.bits;
    in.bits = bundle.slot(2);
  }
  in.qp = qp_field(in.bits);
  const unsigned op = major_opcode(in.bits);
  switch (in.unit) {
  case Unit::m:
    if (op >= 8 && op <= 14)
      decode_a(in);
    else
      decode_m(in, address);
    break;
  case Unit::i:
    if (op >= 8 && op <= 14)
      decode_a(in);
    else
      decode_i(in, address);
    break;
  case Unit::f: decode_f(in, address); break;
  case Unit::b: decode_b(in, address); break;
  case Unit::lx: decode_x(in, address); break;
  }
  return in;
}

} // namespace ia64sim
