// SPDX-License-Identifier: Apache-2.0
// The transfer window in the control domain's space: the memory device that outlives a boot or is shared
// with another machine (port::Machine::transfer_window), through which the control domain carries saved
// domains out of the machine (docs/migration-link.md). Only the control domain is given it; its boot
// information says where (x86: a memory map entry of type hv::transfer_window::e820_type; POWER: the
// guest tree's /transfer-window node).
#pragma once

#include <hv/core/domain.hpp>

namespace hv::transfer_window {

/// Where the control domain finds it: below 4 GiB, so that a 32-bit guest with paging off reaches it,
/// and above any control domain's RAM.
inline constexpr u64 guest_address = u64{0x8000'0000};
/// The most of it that is mapped: up to the 3 GiB mark, below the x86 local APIC's page.
inline constexpr u64 most_bytes = u64{1} << 30;
/// Its memory map entry's type in an x86 PVH start info: a number outside E820's, which a guest that
/// does not know it treats as reserved.
inline constexpr u32 e820_type = 0x4856'0001;

/// Maps `window` (page-aligned; its first most_bytes) into `d`'s p2m at guest_address, as device
/// pages, and raises d's overhead limit by the tables that costs. The bytes mapped, 0 for no window
/// (none, or not page-aligned). Err::nomem when a table frame cannot be had (entries already made stay:
/// the domain is being built and is destroyed on failure).
Err give(Domain& d, MemoryRange window, u64& bytes);

} // namespace hv::transfer_window
