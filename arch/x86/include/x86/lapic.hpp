// SPDX-License-Identifier: Apache-2.0
// The local APIC: this CPU's interrupt controller and the timer the hypervisor ticks with. Its registers
// are memory-mapped at the address IA32_APIC_BASE names (0xFEE00000 on a PC), reached through the
// identity map, so Paging::init must map that page (as a device) before anything here runs with
// the hypervisor's own tables.
#pragma once

#include <hv/types.hpp>

namespace hv::x86::lapic {

/// The vector the timer interrupts on; high, so that nothing the hypervisor uses later preempts it.
inline constexpr u8 timer_vector = 0xf0;
/// The vector of another CPU's Machine::send_ipi: in the timer's priority class, so that the hypervisor
/// never holds one off behind anything of its own.
inline constexpr u8 ipi_vector = 0xf1;
/// The vector of the APIC's spurious interrupt, which needs no end-of-interrupt.
inline constexpr u8 spurious_vector = 0xff;

/// Whether this CPU has a local APIC (CPUID).
bool present();
/// The physical address of the register page, from IA32_APIC_BASE.
PhysAddr physical_base();
/// Turns the APIC on (globally and in software) with the spurious vector above, accepting every
/// priority. Call before any other function below.
void enable();
/// Acknowledges the interrupt being handled, so that the APIC delivers the next one.
void end_of_interrupt();

/// Starts the timer counting down from `initial_count`, in the fixed divide-by-16 of the bus clock;
/// when `periodic`, it reloads and interrupts on timer_vector each time it reaches zero, otherwise it
/// counts down once with its interrupt masked.
void timer_start(u32 initial_count, bool periodic);
/// Stops the timer and masks its interrupt.
void timer_stop();
/// The timer's current count.
u32 timer_current_count();

/// This CPU's local APIC ID (xAPIC mode: 8 bits).
u32 id();
/// Sends INIT to the CPU whose APIC ID is `destination`: it stops and waits for a startup IPI.
/// Returns once this APIC has sent it.
void send_init(u32 destination);
/// Sends a startup IPI: the CPU `destination`, waiting after INIT, starts in real mode at the 4 KiB
/// page `page` (CS = page << 8, IP = 0). Returns once this APIC has sent it.
void send_startup(u32 destination, u8 page);

/// Sends a fixed interrupt on `vector` to the CPU whose APIC ID is `destination`. Returns once this APIC
/// has sent it (not once that CPU took it).
void send_fixed(u32 destination, u8 vector);

} // namespace hv::x86::lapic
