// SPDX-License-Identifier: Apache-2.0
// The Traps contract on x86 and the meaning of each vector to common code, the same in both modes.
#include <port.hpp>
#include <x86/instructions.hpp>
#include <x86/lapic.hpp>
#include <x86/pic.hpp>
#include <x86/traps.hpp>

namespace hv::x86 {

void dispatch_trap(u32 vector, u64 pc) {
  TrapInfo trap{TrapKind::other, vector, pc, 0};
  switch (vector) {
  case vector_breakpoint:
    trap.kind = TrapKind::breakpoint;
    trap.pc = pc - 1; // the CPU reports the instruction after the one-byte int3; common code wants the int3
    break;
  case vector_invalid_opcode: trap.kind = TrapKind::illegal_instruction; break;
  case vector_page_fault:
    trap.kind = TrapKind::page_fault;
    trap.address = read_cr2();
    break;
  case lapic::timer_vector:
    lapic::end_of_interrupt(); // before reporting: common code may not return here for a long time
    trap.kind = TrapKind::timer;
    break;
  case lapic::ipi_vector:
    lapic::end_of_interrupt();
    trap.kind = TrapKind::ipi;
    break;
  case lapic::spurious_vector:
    return; // the APIC's way of withdrawing an interrupt: nothing happened and nothing to acknowledge
  default:
    if (vector >= first_interrupt_vector) trap.kind = TrapKind::external;
    break;
  }
  handle_trap(trap);
}

} // namespace hv::x86

namespace hv::port {

void Traps::init() {
  x86::load_trap_tables();
  // The firmware's PIC setup would deliver its timer on the double fault's vector once interrupts are on.
  x86::pic::remap_and_mask_all(x86::legacy_pic_first_vector);
}

void Traps::raise_breakpoint() { asm volatile("int3" : : : "memory"); }

} // namespace hv::port
