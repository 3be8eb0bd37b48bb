// SPDX-License-Identifier: Apache-2.0
// The IA-64 CPU basics: psr.i, a wait without PAL, and ar.itc.
#include <ia64/internal.hpp>

namespace hv::port {
using namespace hv::ia64;

// Itanium 2 and later share the architecture the port is written to; there is no other IA-64 CPU to
// tell apart.
bool Cpu::supported(const char*&) { return true; }

// One CPU until the port runs in its simulator with more (docs/smp.md).
u32 Cpu::index() { return 0; }

void Cpu::interrupts_disable() { asm volatile("rsm %0 ;; srlz.d ;;" ::"i"(psr::i) : "memory"); }
void Cpu::interrupts_enable() { asm volatile("ssm %0 ;; srlz.d ;;" ::"i"(psr::i) : "memory"); }

void Cpu::wait_for_interrupt() {
  // IA-64 has no wait instruction outside PAL (PAL_HALT_LIGHT); the port makes no PAL calls, so it
  // spins. The count is read before interrupts are unmasked: an interrupt taken at any point after that
  // ends the wait, so none is lost.
  const u64 seen = interrupts_taken;
  interrupts_enable();
  while (interrupts_taken == seen) asm volatile("hint @pause" ::: "memory");
}

// ssm psr.i with srlz.d makes a pending interrupt visible before the next instruction group.
void Cpu::take_pending_interrupts() {
  interrupts_enable();
  interrupts_disable();
}

u64 Cpu::cycles() { return read_itc(); }

void Cpu::halt_forever() {
  interrupts_disable();
  for (;;) asm volatile("hint @pause" ::: "memory");
}

} // namespace hv::port
