// The x86_32 port: a PVH-booted ELF32 image linked at 1 MiB, running in 32-bit protected mode on its own
// PAE page tables (never 2-level ones: QEMU's nested paging silently does nothing under them), with the
// devices of a PC (COM1, the local APIC and its timer, the PIT to calibrate it). Everything that does
// not depend on the mode is shared with x86_64 in arch/x86_common/.
//
// The contract's functions are declared in arch/contract/ and defined in this port's sources; here are
// its constants.
#pragma once

#include <contract/port.hpp>
#include <contract/virtualization.hpp>

namespace hv::port {

inline constexpr const char* Cpu::name = "x86_32";
inline constexpr usize Paging::page_size = 4096;
/// The top 4 MiB of the 4 GiB address space are for temporary mappings; the identity direct map (RAM,
/// the image and the local APIC at 0xFEE00000) must end below them.
inline constexpr VirtAddr Paging::scratch_va = 0xffc0'0000u;

/// No hardware virtualization backend yet (SVM in PAE host mode is still to come): the hypervisor says so
/// and runs no domains.
struct Virtualization : NoVirtualization {};

} // namespace hv::port

static_assert(::hv::contract::Virtualization<::hv::port::Virtualization>,
              "port: Virtualization does not meet the contract");
