// SPDX-License-Identifier: Apache-2.0
// Step 3 (docs/porting.md): the CPU basics.
#include <port.hpp>
#include <skeleton/not_written.hpp>

namespace hv::port {
using skeleton::not_written;

bool Cpu::supported(const char*&) { not_written("Cpu::supported"); }

// One CPU until the port starts others (docs/smp.md): then the index of the CPU this runs on, from a
// register each CPU sets up (x86: its task register; POWER: its PIR).
u32 Cpu::index() { return 0; }

void Cpu::interrupts_disable() { not_written("Cpu::interrupts_disable"); }

void Cpu::interrupts_enable() { not_written("Cpu::interrupts_enable"); }

void Cpu::wait_for_interrupt() { not_written("Cpu::wait_for_interrupt"); }

void Cpu::take_pending_interrupts() { not_written("Cpu::take_pending_interrupts"); }

u64 Cpu::cycles() { not_written("Cpu::cycles"); }

void Cpu::halt_forever() { not_written("Cpu::halt_forever"); }

} // namespace hv::port
