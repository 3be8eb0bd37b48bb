// SPDX-License-Identifier: Apache-2.0
// The x86 port, in the mode its target picks: x86_64 runs a PVH-booted ELF64 image in long mode on its
// own 4-level page tables, with the SVM backend; x86_32 a PVH-booted ELF32 image in 32-bit protected mode
// on its own PAE page tables (never 2-level ones: QEMU's nested paging silently does nothing under them),
// with no backend yet. Both are linked at 1 MiB and drive the devices of a PC (COM1, the local APIC and
// its timer, the PIT to calibrate it). Files that depend on the mode carry it in their names
// (entry_64.S, entry_32.S); every other file serves both.
//
// The contract's functions are declared in arch/contract/ and defined in this port's sources; here are
// its constants.
#pragma once

#include <contract/port.hpp>

namespace hv::x86 {
/// Whether this image runs in long mode (the x86_64 target) rather than protected mode (x86_32).
inline constexpr bool long_mode = sizeof(uptr) == 8;
} // namespace hv::x86

namespace hv::port {

inline constexpr const char* Cpu::name = x86::long_mode ? "x86_64" : "x86_32";
inline constexpr usize Paging::page_size = 4096;
/// Long mode: the last 512 GiB of the address space (the top level's last slot), far above the identity
/// direct map. Protected mode: the top 4 MiB of the 4 GiB, below which the direct map (RAM, the image and
/// the local APIC at 0xFEE00000) must end.
inline constexpr VirtAddr Paging::scratch_va =
    x86::long_mode ? static_cast<VirtAddr>(0xffff'ff80'0000'0000ull) : static_cast<VirtAddr>(0xffc0'0000u);

} // namespace hv::port

namespace hv::x86 {
/// Where the identity direct map of RAM must end. Long mode: 2^46, leaving the lower half's rest for
/// mappings later. Protected mode: the scratch window.
inline constexpr u64 direct_map_limit = long_mode ? 1ull << 46 : port::Paging::scratch_va;
} // namespace hv::x86

#if defined(__x86_64__)
// The SVM backend; svm.hpp checks it against its own concept.
#include <svm.hpp>
#else
#include <contract/virtualization.hpp>

namespace hv::port {
/// No hardware virtualization backend in protected mode yet (SVM in PAE host mode is still to come): the
/// hypervisor says so and runs no domains.
struct Virtualization : NoVirtualization {};
} // namespace hv::port

static_assert(::hv::contract::Virtualization<::hv::port::Virtualization>,
              "port: Virtualization does not meet the contract");
#endif
