// SPDX-License-Identifier: Apache-2.0
// The IA-64 (Itanium) port. Built and linked with GCC (Clang has no IA-64 backend); not booted, since
// nothing here emulates IA-64: tests/ia64/check-layout checks the linked image instead.
//
// How the port runs the hypervisor:
// - Entry (entry.S) is reached in physical mode (psr.it/dt/rt clear), as an EFI-style loader leaves the
//   CPU. The image is linked and loaded at 64 MiB; it sets up gp, the memory stack and the register
//   stack backing store (both in the image), clears .bss, installs the IVT and calls hv::boot_main.
// - Paging (paging.cpp) builds the hypervisor's tables (ia64/arch.hpp: a root page with one 4-level
//   radix tree per region), programs rr0-rr7 and cr.pta (a long-format VHPT in the image), pins the image
//   with one instruction and one data translation register, and switches to virtual mode with rfi.
//   RAM is identity-mapped in region 0, so physical addresses handed over stay valid; the devices the
//   port uses live in region 4 at 1<<63 | physical address, which is also how physical mode addresses
//   memory uncached, so the console's pointer is valid before and after the switch. TLB misses are
//   refilled from the tables by the trap dispatcher, which also writes the VHPT entry (hash and tag from
//   thash/ttag), so the hardware walker finds the translation the next time.
// - Traps (trap_entry.S, traps.cpp): every IVT entry branches to one common path that saves the interrupted
//   state in a TrapFrame on the memory stack and calls hv_ia64_trap, which refills TLB misses, reads
//   cr.ivr for external interrupts (the ITV vector is the timer) and reports the rest to hv::handle_trap
//   with the vector's IVT offset as `cause`.
// - Timer: ar.itc counts at the CPU's timebase-frequency from the board's device tree; cr.itm/cr.itv
//   give the periodic interrupt.
// - Console: the ns16550 that the board's /chosen/stdout-path names.
//
// The contract's functions are declared in arch/contract/ and defined in this port's sources; here are
// its constants.
#pragma once

#include <contract/port.hpp>
#include <contract/virtualization.hpp>

namespace hv::port {

inline constexpr const char* Cpu::name = "ia64";
inline constexpr usize Paging::page_size = 4096;
/// In region 5, which the hypervisor keeps for mappings it makes and removes at run time.
inline constexpr VirtAddr Paging::scratch_va = 0xa000'0000'4000'0000ull;

/// No hardware virtualization backend yet (VT-i comes once the port runs): the hypervisor says so and runs
/// no domains.
struct Virtualization : NoVirtualization {};

} // namespace hv::port

static_assert(::hv::contract::Virtualization<::hv::port::Virtualization>,
              "port: Virtualization does not meet the contract");
