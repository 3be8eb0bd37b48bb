// SPDX-License-Identifier: Apache-2.0
// Entering the IVT (volume 2, section 5.5 "Interruption Handling"), the banked registers (section 3.3.7
// "Banked General Registers") and strict mode's serialization checks (section 3.2 "Serialization").
#include "core.hpp"
#include "system_registers.hpp"

#include <cstdio>

namespace ia64sim {
namespace {

using u64 = std::uint64_t;

/// The PSR bits an interruption keeps (volume 2, table 3-2, "interruption state"): the translation
/// modes, the floating-point partitions' enables and modified bits, machine-check masking. The others
/// are cleared (ic, i, bn, cpl, ri among them), be and pp come from cr.dcr.
constexpr u64 kept_on_interruption =
    psr_bit::it | psr_bit::dt | psr_bit::rt | psr_bit::dfl | psr_bit::dfh | psr_bit::mfl | psr_bit::mfh | psr_bit::mc;

const char* const serialized_names[] = {"psr.dt/rt", "psr.ic", "a region register", "cr.pta", "cr.iva"};

} // namespace

void Core::set_psr(u64 value) {
  if (((psr ^ value) & psr_bit::bn) != 0)
    for (unsigned i = 0; i < 16; ++i) std::swap(static_[16 + i], other_bank_[i]);
  psr = value;
}

void Core::deliver(const Interruption& why, u64 bundle, unsigned at_slot) {
  if ((psr & psr_bit::ic) != 0) {
    cr[cr_number::ipsr] = (psr & ~psr_bit::ri) | (u64{at_slot} << psr_bit::ri_shift);
    cr[cr_number::iip] = bundle;
    cr[cr_number::iipa] = bundle;
    cr[cr_number::isr] = why.isr | (u64{at_slot} << isr_bit::ei_shift);
    cr[cr_number::ifs] = 0; // ifs.v clear: the interrupted frame stays current
    if (why.translation) {
      cr[cr_number::ifa] = why.ifa;
      cr[cr_number::itir] = why.itir;
      cr[cr_number::iha] = why.iha;
    }
    if (why.vector == ivt::break_instruction) cr[cr_number::iim] = why.iim;
  }
  const u64 dcr = cr[cr_number::dcr];
  set_psr((psr & kept_on_interruption) | ((dcr & 2) != 0 ? psr_bit::be : 0) | ((dcr & 1) != 0 ? psr_bit::pp : 0));
  ip = (cr[cr_number::iva] & ~u64{0x7fff}) + why.vector;
  slot = 0;
}

void Core::wrote(Serialized resource, u64 bundle, bool instruction) {
  Pending& p = unserialized_[static_cast<unsigned>(resource)];
  p.data = !instruction;
  p.instruction = instruction;
  p.at = bundle;
}

void Core::serialize(bool instruction) {
  for (Pending& p : unserialized_)
    if (instruction || p.data) p = Pending{};
}

bool Core::use(Serialized resource, Effect& effect) {
  const Pending& p = unserialized_[static_cast<unsigned>(resource)];
  if (!strict || (!p.data && !p.instruction)) return true;
  char text[200];
  std::snprintf(text, sizeof text, "strict: %s written at %#llx is used before a %s",
                serialized_names[static_cast<unsigned>(resource)], static_cast<unsigned long long>(p.at),
                p.instruction ? "srlz.i" : "srlz.d");
  effect.stop = true;
  effect.outcome = Outcome{Stop::machine, 0, text};
  return false;
}

} // namespace ia64sim
