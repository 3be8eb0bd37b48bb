// Interrupt masking, idling and the cycle counter.
#include <port.hpp>

#include <ppc64/registers.hpp>
#include <ppc64/trap_backend.hpp>

namespace hv::port {
namespace {

/// mtmsrd with L=1 changes only EE and RI: nothing else of the MSR can be disturbed.
void write_msr_ee(u64 msr) { asm volatile("mtmsrd %0, 1" : : "r"(msr) : "memory"); }

/// stop with PSSCR = 0: the lightest state (level 0) with EC=0 and ESL=0, in which any pending
/// exception ends the stop, even one MSR[EE] masks, and execution goes on with the next instruction.
void stop_until_exception() {
  ppc64::write_spr<ppc64::spr::psscr>(0);
  asm volatile("stop" : : : "memory");
}

} // namespace

void Cpu::interrupts_disable() { write_msr_ee(ppc64::read_msr() & ~ppc64::msr::ee); }

void Cpu::interrupts_enable() { write_msr_ee(ppc64::read_msr() | ppc64::msr::ee); }

void Cpu::wait_for_interrupt() {
  // Check with interrupts masked, stop still masked (a pending interrupt wakes the stop without being
  // taken), then unmask so it is taken: an interrupt that arrives after the check is never slept through.
  interrupts_disable();
  const u64 before = ppc64::interrupts_handled();
  while (ppc64::interrupts_handled() == before) {
    stop_until_exception();
    interrupts_enable();
    interrupts_disable();
  }
  interrupts_enable();
}

u64 Cpu::cycles() { return ppc64::read_timebase(); }

void Cpu::halt_forever() {
  interrupts_disable();
  for (;;) stop_until_exception();
}

} // namespace hv::port
