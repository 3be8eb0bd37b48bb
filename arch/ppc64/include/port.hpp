// SPDX-License-Identifier: Apache-2.0
// The ppc64 port: the hypervisor on POWER9 in hypervisor state, booted by skiboot (OPAL) on PowerNV.
//
// One source tree for both byte orders: the cross file picks ppc64le or ppc64be. Firmware (OPAL) always
// runs big-endian in real mode; the little-endian image flips to little-endian at entry and back around
// every OPAL call (opal_call.S). The hypervisor translates with its own radix tables (paging.cpp), takes
// its interrupts through LPCR[AIL]=3 vectors (trap_entry.S) and ticks with the hypervisor decrementer.
//
// The contract's functions are declared in arch/contract/ and defined in this port's sources; here are
// its constants and the one function it defines inline.
#pragma once

#include <contract/port.hpp>

namespace hv::port {

inline constexpr const char* Cpu::name = __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__ ? "ppc64le" : "ppc64be";
inline constexpr usize Paging::page_size = 4096;
/// In quadrant 0, far above any RAM or MMIO address the direct map could cover.
inline constexpr VirtAddr Paging::scratch_va = 0x0008'0000'0000'0000ull;

/// The direct map is the identity. Inline: the core's p2m walks and guest copies go through it.
inline void* Paging::direct_map(PhysAddr pa) { return reinterpret_cast<void*>(static_cast<uptr>(pa)); }

} // namespace hv::port

// The optional hardware virtualization backend; lpar.hpp checks it against its own concept.
#include <lpar.hpp>
