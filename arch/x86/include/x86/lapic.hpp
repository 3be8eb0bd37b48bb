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

} // namespace hv::x86::lapic
