// SPDX-License-Identifier: Apache-2.0
// A guest's linear address as its own page tables map it, in each paging mode an x86 guest of the PVH
// protocol can be in: none, 32-bit (with 4 MiB pages under CR4.PSE), PAE and 4-level (with 2 MiB and
// 1 GiB pages). Formats are the AMD64 APM's (vol. 2, 5.2-5.3). How hypercall arguments, which are the
// caller's virtual addresses, are found.
//
// Pure: the guest's tables are read through `read`, so that the host's unit tests walk tables of their own.
#pragma once

#include <hv/types.hpp>

namespace hv::x86 {

/// The registers that say how a vCPU translates: as its VMCB holds them.
struct GuestPaging {
  u64 cr0, cr3, cr4, efer;
};

/// Reads `bytes` (4 or 8) at guest-physical `gpa` (naturally aligned) into `out`; false when the guest
/// has no memory there.
using ReadGuestEntry = bool (*)(const void* context, u64 gpa, usize bytes, u64& out);

/// The guest-physical address `linear` maps to under `paging`, in `out`. False when an entry on the way
/// is not present or lies outside the guest's memory, when `linear` is not canonical in long mode, when
/// 5-level paging is on (never offered), and for `write` when an entry is read-only and CR0.WP is set
/// (supervisor writes ignore read-only pages otherwise, as the guest's own would).
bool walk_guest_linear(const GuestPaging& paging, u64 linear, bool write, ReadGuestEntry read, const void* context,
                       u64& out);

} // namespace hv::x86
