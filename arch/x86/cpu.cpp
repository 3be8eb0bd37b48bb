// SPDX-License-Identifier: Apache-2.0
// The Cpu contract on x86, the same in both modes.
#include <port.hpp>
#include <x86/instructions.hpp>
#include <x86/traps.hpp>

namespace hv::port {

// Every x86 CPU the PVH loader starts runs the port's own code; what the backend needs beyond that (SVM,
// nested paging) its enable checks, so that such a CPU still boots, without domains.
bool Cpu::supported(const char*&) { return true; }

// `str`: one instruction, and the SVM backend's VMLOAD restores the host's task register after every exit.
u32 Cpu::index() { return x86::cpu_of_task_register(); }

void Cpu::interrupts_disable() { x86::cli(); }
void Cpu::interrupts_enable() { x86::sti(); }

void Cpu::wait_for_interrupt() {
  // sti enables interrupts only after the next instruction, so an interrupt that is already pending
  // is taken during hlt and ends it: no wake-up is lost between the two.
  asm volatile("sti; hlt" : : : "memory");
}

// sti enables interrupts after the next instruction: a pending interrupt is taken after the nop.
void Cpu::take_pending_interrupts() { asm volatile("sti; nop; cli" : : : "memory"); }

u64 Cpu::cycles() { return x86::rdtsc(); }

void Cpu::halt_forever() {
  for (;;) asm volatile("cli; hlt" : : : "memory"); // hlt ends on NMI and SMI: halt again
}

} // namespace hv::port
